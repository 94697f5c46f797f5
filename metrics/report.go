package metrics

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
)

// Dimension is a field a report groups tickets by.
type Dimension int

const (
	ByGroup    Dimension = iota + 1 // Record.Group
	ByChannel                       // Record.Channel
	ByPriority                      // Record.Priority
	ByType                          // Record.Type
	ByAgent                         // Record.Assignee
	ByLine                          // Record.Line
	ByPeriod                        // the period of Record.Created (ReportConfig.Period)
)

// Period is the length of the time buckets of ByPeriod.
type Period int

const (
	Month Period = iota // calendar month (the default)
	Week                // ISO week, starting Monday 00:00
	Day                 // calendar day
)

// Attribution says which owner (group, line, agent) a report credits with each measure of a
// ticket that changed hands, when it groups by ByGroup, ByLine or ByAgent.
type Attribution int

const (
	// AttributeWhenItHappened, the default, credits each measure to the owner at the moment
	// it happened: FRT and the first_response SLA outcome to Record.OwnerAtFirstReply;
	// EverSolved, FCR, Reopened and FirstResolution to OwnerAtFirstSolve; FullResolution,
	// RequesterWait and the resolution SLA outcome to OwnerAtSolve; the ticket count, Solved,
	// CSAT, CES, AgentWork and the other SLA outcomes to the current owner (Record.Group, Line,
	// Assignee). An escalated ticket's first reply counts for line 1 and its resolution for
	// line 2; a group credited only with another team's tickets' replies has Tickets 0.
	AttributeWhenItHappened Attribution = iota
	// AttributeFinalOwner credits every measure of a ticket to its current owner.
	AttributeFinalOwner
)

// ReportConfig configures a Report. The zero value is one group of all tickets, months in
// UTC, wall-clock figures only, every duration KPI, measures credited to the owner when they
// happened, sketches with DefaultAccuracy.
type ReportConfig struct {
	// GroupBy lists the dimensions of a group's Key. Default: none, one group.
	GroupBy []Dimension
	// Period is the bucket of ByPeriod. Default: Month.
	Period Period
	// Location is the zone of periods and hours of week. Default: the Calendar's zone when
	// the Calendar has a Location method that returns one (as *sla.Calendar does), else
	// time.UTC.
	Location *time.Location
	// Calendar, when set, adds business-hours figures (Stats.BusinessDuration), and a
	// Scorecard of the report's Stats then checks durations in business hours. Default: nil.
	Calendar Calendar
	// Attribution says whom measures of tickets that changed hands are credited to.
	// Default: AttributeWhenItHappened.
	Attribution Attribution
	// Accuracy is the sketches' relative accuracy, MinAccuracy ≤ Accuracy < 1 (see Sketch for
	// the memory it implies). Default: DefaultAccuracy.
	Accuracy float64
	// Durations lists the duration KPIs to summarise (each costs, per group and clock, up to
	// ExactLimit values and then one sketch, and one insertion per record that has it).
	// Default: all of FRT, FirstResolution, FullResolution, RequesterWait and AgentWork.
	// Counters and rates are always kept.
	Durations []DurationKPI
	// MaxGroups bounds the groups the report keeps, and so its memory: a record that would
	// open one more group is excluded with a *LimitError wrapping ErrLimit (see Exclusions).
	// MaxGroups times the distributions of a group (len(Durations), twice that with a
	// Calendar) times the most buckets a sketch of durations can need at Accuracy (or
	// ExactLimit, when more) must not exceed MaxReportBuckets. That is the worst case, every
	// group's sketches spanning every Duration; a group takes memory for what it holds (see
	// Report). Default: DefaultMaxGroups, or as many groups as fit in MaxReportBuckets when
	// fewer: at DefaultAccuracy about 61,000 with two duration KPIs, 24,500 with all five,
	// 12,000 with all five and a Calendar.
	MaxGroups int
}

// DefaultMaxGroups is the MaxGroups of a ReportConfig that sets none (when that many fit in
// MaxReportBuckets): enough for 600 groups × 3 channels × 12 months many times over.
const DefaultMaxGroups = 100_000

// MaxReportBuckets bounds the sketch buckets or kept values (8 bytes each, so 2 GiB) a
// report's groups could hold in the worst case: MaxGroups × distributions per group × the
// larger of ExactLimit and the buckets per sketch at Accuracy.
const MaxReportBuckets = 1 << 28

// MaxSLAMetrics bounds the distinct SLA metric names of a record (Record.Validate) and of a
// group of a report: a record that would bring a group's names past it is excluded with a
// *LimitError wrapping ErrLimit.
const MaxSLAMetrics = 64

// sketchBuckets returns the most buckets a sketch of durations at accuracy alpha can hold:
// from the bucket of minIndexable to that of the longest Duration, in seconds.
func sketchBuckets(alpha float64) int {
	m := multiplier(alpha)
	lo := math.Ceil(logApprox(minIndexable) * m)
	hi := math.Ceil(logApprox(float64(math.MaxInt64)/float64(time.Second)) * m)
	return min(maxBins, int(hi-lo)+1)
}

// withDefaults fills the zero fields of c and checks it (see NewReport).
func (c ReportConfig) withDefaults() (ReportConfig, error) {
	if c.Location == nil && c.Calendar != nil {
		c.Location = calendarLocation(c.Calendar)
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	if c.Accuracy == 0 {
		c.Accuracy = DefaultAccuracy
	}
	if !(c.Accuracy >= MinAccuracy && c.Accuracy < 1) {
		return c, invalid("Accuracy", "%v is outside [%v, 1)", c.Accuracy, MinAccuracy)
	}
	if c.Period < Month || c.Period > Day {
		return c, invalid("Period", "unknown period %d", c.Period)
	}
	if c.Attribution < AttributeWhenItHappened || c.Attribution > AttributeFinalOwner {
		return c, invalid("Attribution", "unknown attribution %d", c.Attribution)
	}
	for _, d := range c.GroupBy {
		if d < ByGroup || d > ByPeriod {
			return c, invalid("GroupBy", "unknown dimension %d", d)
		}
	}
	c.GroupBy = slices.Clone(c.GroupBy)
	kpis, err := durationSet(c.Durations)
	if err != nil {
		return c, err
	}
	c.Durations = kpis
	perGroup := len(kpis) * max(sketchBuckets(c.Accuracy), ExactLimit)
	if c.Calendar != nil {
		perGroup *= 2
	}
	fit := MaxReportBuckets / perGroup
	switch {
	case c.MaxGroups == 0:
		c.MaxGroups = min(DefaultMaxGroups, fit)
	case c.MaxGroups < 0:
		return c, invalid("MaxGroups", "%d is negative", c.MaxGroups)
	case c.MaxGroups > fit:
		return c, invalid("MaxGroups", "%d groups of %d sketch buckets each exceed MaxReportBuckets; at most %d fit",
			c.MaxGroups, perGroup, fit)
	}
	return c, nil
}

// Key identifies a group of a report. Fields of dimensions the report does not group by are
// zero.
type Key struct {
	Group    string    // Record.Group, with ByGroup
	Channel  string    // Record.Channel, with ByChannel
	Priority string    // Record.Priority, with ByPriority
	Type     string    // Record.Type, with ByType
	Agent    string    // Record.Assignee, with ByAgent
	Line     int       // Record.Line, with ByLine
	Period   time.Time // start of the period in the report's Location
}

// String lists the key's set fields, e.g. "group=billing channel=email period=2026-03-01".
func (k Key) String() string {
	var b strings.Builder
	add := func(name, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(name + "=" + v)
	}
	add("group", k.Group)
	add("channel", k.Channel)
	add("priority", k.Priority)
	add("type", k.Type)
	add("agent", k.Agent)
	if k.Line != 0 {
		add("line", fmt.Sprint(k.Line))
	}
	if !k.Period.IsZero() {
		add("period", k.Period.Format(time.DateOnly))
	}
	if b.Len() == 0 {
		return "all"
	}
	return b.String()
}

func compareKeys(a, b Key) int {
	return cmp.Or(
		strings.Compare(a.Group, b.Group), strings.Compare(a.Channel, b.Channel),
		strings.Compare(a.Priority, b.Priority), strings.Compare(a.Type, b.Type),
		strings.Compare(a.Agent, b.Agent), cmp.Compare(a.Line, b.Line), a.Period.Compare(b.Period))
}

// Group is one row of a report: its key and a copy of its KPIs.
type Group struct {
	Key   Key    // the group's values of the report's dimensions
	Stats *Stats // a copy of the group's KPIs, owned by the caller
}

// Report computes KPIs per group in one pass over records. Memory grows with the number of
// groups and what they hold, never with the number of records: a group keeps its counters
// (counts by hour of week take a byte each while they are below 256), the SLA metric names
// its records brought and, per duration KPI and clock, its values up to ExactLimit (8 bytes
// each) and a quantile sketch past it (made only then, a few KiB), so a group of 30 tickets
// takes about 1.3 KiB with two duration KPIs; ReportConfig.MaxGroups bounds the groups.
// A record's group is found by numbering each dimension's values as they are first seen and
// following those numbers through arrays, with no hash of the key (when values that never
// meet would leave more than 16 unused array entries per group, 4 bytes each, the report
// hashes keys instead). AddAll checks each record in turn, but applies records to their
// groups many at a time (up to 8 per group, at most 131,072, a few MiB held while it runs),
// a few hundred groups after another, so that a group's memory is read once for several of
// its records and the cost of a record grows little with the number of groups; each group
// still takes its records in the order they came. Reports built with the same settings
// merge (per shard, per day) into the figures a single pass over all records gives.
// Records left out (invalid, or past a bound) are counted and described by Exclusions. The
// zero Report is ready to use and behaves as one made by NewReport with a zero ReportConfig.
// A Report is safe for concurrent use.
type Report struct {
	once  sync.Once // fills a zero Report's settings on first use
	cfg   ReportConfig
	dims  [ByPeriod + 1]bool
	order []Dimension // the dimensions grouped by, in order
	moves bool        // whether a record's measures may go to owners other than its own

	sh shape

	mu        sync.Mutex
	cells     []*cell           // the groups, in the order they were opened
	vals      valueStore        // the values the groups keep
	slaSets   []slaSet          // per group, the SLA metric names it holds, once slaKept
	slaKept   bool              // whether slaSets is kept (see keepSLA)
	slaIDs    values[SLAMetric] // the SLA metric names seen, numbered
	recentSLA [4]recentSLA      // a cache of slaIDs
	outs      []recOutcome      // scratch: the SLA outcomes of the record being added
	pend      updates           // records let in but not yet applied to their groups
	keys      []cellKey         // the key of each cell
	index     cellIndex
	names     [numNamed]values[string] // the values seen of ByGroup, ByChannel, ByPriority, ByType, ByAgent
	lines     values[int]              // the values seen of ByLine
	periodIDs values[int64]            // the periods seen, by the Unix second they start
	periods   []span                   // periods seen, sorted: a cache of PeriodBounds
	out       Exclusions
}

// NewReport returns an empty report. It returns a *ValidationError wrapping ErrInvalid for
// an unknown dimension, period or duration KPI, an accuracy outside [MinAccuracy, 1), or a
// MaxGroups that is negative or too large for MaxReportBuckets.
func NewReport(cfg ReportConfig) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	r := &Report{}
	r.once.Do(func() { r.setup(cfg) })
	return r, nil
}

// setup installs cfg, already checked, in an empty report.
func (r *Report) setup(cfg ReportConfig) {
	r.cfg = cfg
	r.sh = shape{kpis: cfg.Durations, alpha: cfg.Accuracy, hasCal: cfg.Calendar != nil}
	for _, d := range cfg.GroupBy {
		r.dims[d] = true
	}
	for d := ByGroup; d <= ByPeriod; d++ {
		if r.dims[d] {
			r.order = append(r.order, d)
		}
	}
	r.index = newCellIndex(r.dims)
	r.moves = cfg.Attribution == AttributeWhenItHappened && (r.dims[ByGroup] || r.dims[ByLine] || r.dims[ByAgent])
}

// ready gives a zero Report the settings of a zero ReportConfig.
func (r *Report) ready() {
	r.once.Do(func() {
		cfg, _ := ReportConfig{}.withDefaults() // a zero config is always valid
		r.setup(cfg)
	})
}

// durationSet returns the sorted, distinct KPIs of ds, or all of them when ds is empty.
func durationSet(ds []DurationKPI) ([]DurationKPI, error) {
	var set [numDurations]bool
	for _, k := range ds {
		if k < 0 || k >= numDurations {
			return nil, invalid("Durations", "unknown duration KPI %d", k)
		}
		set[k] = true
	}
	var out []DurationKPI
	for k := range numDurations {
		if set[k] || len(ds) == 0 {
			out = append(out, k)
		}
	}
	return out, nil
}

// Add folds one record into the report. A record it leaves out is counted and described in
// Exclusions, and the report is otherwise unchanged: Add returns the *ValidationError of an
// invalid record (see Record.Validate), or a *LimitError wrapping ErrLimit for a record that
// would open a group past MaxGroups or bring a group's SLA metric names past MaxSLAMetrics.
func (r *Report) Add(rec Record) error {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	err := r.add(&rec)
	r.flush()
	return err
}

// AddAll folds every record of seq into the report in one pass and returns how many of them
// were left out (they are also counted and described in Exclusions). The report's lock is
// held for the whole pass, so seq must not call back into the report. A nil seq holds no
// records.
func (r *Report) AddAll(seq iter.Seq[Record]) (excluded int) {
	if seq == nil {
		return 0
	}
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.pend.release()
	defer r.flush() // also when seq panics: the records let in are applied
	for rec := range seq {
		if r.add(&rec) != nil {
			excluded++
		}
	}
	return excluded
}

// add checks rec and finds its groups, opening those it lacks, and leaves its updates
// waiting in r.pend (see updates); or it records why rec is left out. r.mu is held.
func (r *Report) add(rec *Record) error {
	t := timesOf(rec)
	var k target
	var err error
	if !r.outcomesOf(rec, &t, &k) || !quickValid(rec, &t) {
		err = rec.Validate()
	}
	if err == nil {
		err = r.target(rec, &k)
	}
	if err != nil {
		r.exclude(rec.TicketID, err)
		return err
	}
	parts := k.buf[:k.n]
	exact := true
	for i, p := range parts {
		if k.cells[i] < 0 {
			ck, _ := r.recordKey(rec, &p.owner, k.period, k.pid, true)
			r.open(ck)
			k.cells[i] = int32(len(r.cells) - 1)
		}
		exact = r.noteSLA(rec, k.outs, p.roles, k.cells[i]) && exact
	}
	m := r.sh.measure(rec, &t, r.cfg.Calendar)
	r.enqueue(rec, k.outs, &m, hourOfWeek(k.local), parts, k.cells[:k.n])
	if !exact {
		r.flush()
		for _, c := range k.cells[:k.n] {
			r.resetSLA(c)
		}
	}
	return nil
}

// target is where a valid record goes: its owners and their groups.
type target struct {
	local  time.Time // Created in the report's zone
	period int64     // the Unix second its period starts
	pid    int32     // the number of the period, -1 when it has none yet
	buf    [4]part   // the owners it is credited to (see parts): buf[:n]
	n      int
	cells  [4]int32     // the number of each part's group, -1 when it has none yet
	outs   []recOutcome // its SLA outcomes
}

// target puts in k, which holds rec's SLA outcomes, the groups of the valid record rec
// without changing the report (but for its caches), and returns a *LimitError when a group
// would hold more than MaxSLAMetrics names or the report more than MaxGroups groups.
func (r *Report) target(rec *Record, k *target) error {
	k.local = rec.Created.In(r.cfg.Location)
	if r.dims[ByPeriod] {
		k.period, k.pid = r.periodStart(k.local)
	}
	k.n = r.parts(rec, &k.buf)
	if !r.slaKept && len(r.slaIDs.list)+unnumbered(k.outs) > MaxSLAMetrics {
		r.keepSLA()
	}
	opened := 0
	for i, p := range k.buf[:k.n] {
		k.cells[i] = -1
		if ck, ok := r.recordKey(rec, &p.owner, k.period, k.pid, false); ok {
			if c, ok := r.index.get(&ck); ok {
				k.cells[i] = int32(c)
			}
		}
		if k.cells[i] < 0 {
			opened++
		} else if r.slaKept && !r.slaFits(rec, k.outs, p.roles, k.cells[i]) {
			return &LimitError{Limit: "MaxSLAMetrics", Max: MaxSLAMetrics}
		}
	}
	if opened > 0 && len(r.cells)+opened > r.cfg.MaxGroups {
		return &LimitError{Limit: "MaxGroups", Max: r.cfg.MaxGroups}
	}
	return nil
}

// part is the roles of a record credited to one owner: the fields of Owner that the report
// groups by, the others zero.
type part struct {
	owner Owner
	roles role
}

// parts puts in out the owners rec is credited to and with which roles, and returns how
// many: one unless the report credits measures when they happened and the record changed
// owner on a dimension the report groups by.
func (r *Report) parts(rec *Record, buf *[4]part) int {
	own := r.mask(Owner{Group: rec.Group, Line: rec.Line, Assignee: rec.Assignee})
	buf[0] = part{own, allRoles}
	if !r.moves || rec.OwnerAtFirstReply.none() && rec.OwnerAtFirstSolve.none() && rec.OwnerAtSolve.none() {
		return 1
	}
	out := buf[:1]
	for _, m := range [...]struct {
		roles role
		at    time.Time
		owner Owner
	}{{roleReply, rec.FirstReply, rec.OwnerAtFirstReply}, {roleFirstSolve, rec.FirstSolved, rec.OwnerAtFirstSolve},
		{roleSolve, rec.Solved, rec.OwnerAtSolve}} {
		if m.at.IsZero() || m.owner == (Owner{}) {
			continue
		}
		o := r.mask(m.owner)
		if o == own {
			continue
		}
		out[0].roles &^= m.roles
		if i := slices.IndexFunc(out, func(p part) bool { return p.owner == o }); i >= 0 {
			out[i].roles |= m.roles
		} else {
			out = append(out, part{o, m.roles})
		}
	}
	return len(out)
}

// none reports whether o is the zero Owner, comparing no string's bytes.
func (o *Owner) none() bool { return o.Line == 0 && len(o.Group) == 0 && len(o.Assignee) == 0 }

// mask returns o with only the fields the report groups by.
func (r *Report) mask(o Owner) Owner {
	var m Owner
	if r.dims[ByGroup] {
		m.Group = o.Group
	}
	if r.dims[ByLine] {
		m.Line = o.Line
	}
	if r.dims[ByAgent] {
		m.Assignee = o.Assignee
	}
	return m
}

// key returns the key of rec's group when o (masked) owns it, without its Period.
func (r *Report) key(rec *Record, o Owner) Key {
	k := Key{Group: o.Group, Line: o.Line, Agent: o.Assignee}
	if r.dims[ByChannel] {
		k.Channel = rec.Channel
	}
	if r.dims[ByPriority] {
		k.Priority = rec.Priority
	}
	if r.dims[ByType] {
		k.Type = rec.Type
	}
	return k
}

// numNamed is the number of dimensions whose values are strings: ByGroup to ByAgent.
const numNamed = int(ByAgent)

// cellKey returns the stored form of k (whose Period is ignored) in the period that starts at
// Unix second period. Without add, ok is false when a value of k was never seen, so no group
// has it; with add, such values are numbered.
func (r *Report) cellKey(k Key, period int64, add bool) (ck cellKey, ok bool) {
	rec := Record{Channel: k.Channel, Priority: k.Priority, Type: k.Type}
	return r.recordKey(&rec, &Owner{Group: k.Group, Line: k.Line, Assignee: k.Agent}, period, -1, add)
}

// recordKey returns the stored key of rec's group when o (masked) owns it, in the period that
// starts at Unix second period, whose number is pid (-1 when not known). Without add, ok is
// false when a value of the key was never seen, so no group has it; with add, such values are
// numbered.
func (r *Report) recordKey(rec *Record, o *Owner, period int64, pid int32, add bool) (ck cellKey, ok bool) {
	for _, d := range r.order {
		var id int32
		switch d {
		case ByGroup:
			id, ok = r.names[0].id(o.Group, add)
		case ByChannel:
			id, ok = r.names[1].id(rec.Channel, add)
		case ByPriority:
			id, ok = r.names[2].id(rec.Priority, add)
		case ByType:
			id, ok = r.names[3].id(rec.Type, add)
		case ByAgent:
			id, ok = r.names[4].id(o.Assignee, add)
		case ByLine:
			id, ok = r.lines.id(o.Line, add)
		default: // ByPeriod
			id, ok = pid, pid >= 0
			if !ok {
				id, ok = r.periodIDs.id(period, add)
			}
		}
		if !ok {
			return ck, false
		}
		ck[d-ByGroup] = id
	}
	return ck, true
}

// keyOf returns the Key of a stored key.
func (r *Report) keyOf(ck cellKey) Key {
	var v [numNamed]string
	for i, id := range ck[:numNamed] {
		if r.dims[ByGroup+Dimension(i)] {
			v[i] = r.names[i].list[id]
		}
	}
	k := Key{Group: v[0], Channel: v[1], Priority: v[2], Type: v[3], Agent: v[4]}
	if r.dims[ByLine] {
		k.Line = r.lines.list[ck[ByLine-ByGroup]]
	}
	if r.dims[ByPeriod] {
		k.Period = time.Unix(r.periodIDs.list[ck[ByPeriod-ByGroup]], 0).In(r.cfg.Location)
	}
	return k
}

// find returns the stored key of k, a Key a caller gives; ok is false when the report has
// no such group, or k sets a field of a dimension the report does not group by.
func (r *Report) find(k Key) (ck cellKey, ok bool) {
	masked := r.key(&Record{Channel: k.Channel, Priority: k.Priority, Type: k.Type},
		r.mask(Owner{Group: k.Group, Line: k.Line, Assignee: k.Agent}))
	if masked != (Key{Group: k.Group, Channel: k.Channel, Priority: k.Priority, Type: k.Type, Agent: k.Agent, Line: k.Line}) ||
		r.dims[ByPeriod] == k.Period.IsZero() || k.Period.Nanosecond() != 0 {
		return ck, false
	}
	return r.cellKey(k, r.periodOf(k), false)
}

// periodOf returns the stored period of k: its Unix second when the report groups by
// period, else 0.
func (r *Report) periodOf(k Key) int64 {
	if !r.dims[ByPeriod] {
		return 0
	}
	return k.Period.Unix()
}

// span is a period [start, end) in Unix seconds, and its number in Report.periodIDs.
type span struct {
	start, end int64
	id         int32
}

// maxCachedPeriods bounds Report.periods.
const maxCachedPeriods = 4096

// periodStart returns the Unix second the period holding local (a time in the report's
// zone) starts, and its number, -1 when it has none yet. Periods it caches are numbered.
func (r *Report) periodStart(local time.Time) (start int64, id int32) {
	sec := local.Unix()
	lo, hi := 0, len(r.periods) // find the first period starting after sec
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if r.periods[m].start <= sec {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo > 0 && sec < r.periods[lo-1].end {
		return r.periods[lo-1].start, r.periods[lo-1].id
	}
	from, to := PeriodBounds(local, r.cfg.Period)
	if len(r.periods) >= maxCachedPeriods {
		return from.Unix(), -1
	}
	id, _ = r.periodIDs.id(from.Unix(), true)
	r.periods = slices.Insert(r.periods, lo, span{from.Unix(), to.Unix(), id})
	return from.Unix(), id
}

// PeriodBounds returns the period p holding t as [start, end) in t's location. Weeks start on
// Monday. Boundaries are wall-clock midnights, so a day is 23 or 25 hours long on DST changes;
// where a zone skips midnight (DST starting at 00:00, as in America/Havana), a day starts at
// its first instant, the end of the skipped span, and where midnight occurs twice it starts at
// the earlier one.
func PeriodBounds(t time.Time, p Period) (start, end time.Time) {
	y, m, d := t.Date()
	loc := t.Location()
	switch p {
	case Day:
		return dayStart(y, m, d, loc), dayStart(y, m, d+1, loc)
	case Week:
		back := (int(t.Weekday()) + 6) % 7
		return dayStart(y, m, d-back, loc), dayStart(y, m, d-back+7, loc)
	default:
		return dayStart(y, m, 1, loc), dayStart(y, m+1, 1, loc)
	}
}

// dayStart returns the first instant in loc whose wall date is y-m-d (normalised as
// time.Date does).
func dayStart(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	switch h, mi, sec := t.Clock(); {
	case h >= 12:
		// midnight was skipped and time.Date resolved it into the previous evening: the day
		// begins where that zone period ends
		_, next := t.ZoneBounds()
		return next
	case h != 0 || mi != 0 || sec != 0:
		// midnight was skipped and time.Date resolved it to the end of the gap, which is the
		// first instant of the day
		return t
	}
	// midnight may occur twice when clocks go back at 01:00 or so: take the earlier one
	_, off := t.Zone()
	if _, before := t.Add(-3 * time.Hour).Zone(); before > off {
		e := t.Add(-time.Duration(before-off) * time.Second)
		if h, mi, sec := e.Clock(); h == 0 && mi == 0 && sec == 0 && e.Day() == t.Day() {
			return e
		}
	}
	return t
}

// hourOfWeek returns (weekday since Monday)·24 + hour of local.
func hourOfWeek(local time.Time) int {
	_, off := local.Zone()
	sec := local.Unix() + int64(off) // seconds since 1970-01-01 00:00, a Thursday, on local clocks
	day := sec / 86400
	if sec < day*86400 {
		day-- // round toward minus infinity
	}
	return int((day+3)%7+7)%7*24 + int(sec-day*86400)/3600
}

// Merge adds every group of o into r, so that r holds what one pass over both reports'
// records gives, and adds o's exclusions to r's. Locations are compared by name and offsets,
// so reports whose zones were loaded separately merge, and two fixed zones that share a name
// but not an offset do not; o's period keys are moved into r's Location. The reports must
// have the same GroupBy, Period, Location, Accuracy, Durations, Attribution and (by
// presence) Calendar; otherwise Merge returns a *ValidationError wrapping ErrInvalid and r
// is unchanged. Merging a report into itself, or a nil report, is an error. When the merged
// report would hold more than r's MaxGroups groups, or a group more than MaxSLAMetrics SLA
// metric names, Merge returns a *LimitError wrapping ErrLimit and r is unchanged.
func (r *Report) Merge(o *Report) error {
	if r == nil || o == nil {
		return invalid("report", "cannot merge a nil report")
	}
	if r == o {
		return invalid("report", "cannot merge a report into itself")
	}
	r.ready()
	o.ready()
	if r.dims != o.dims || r.cfg.Period != o.cfg.Period || !sameZone(r.cfg.Location, o.cfg.Location) ||
		r.cfg.Accuracy != o.cfg.Accuracy || (r.cfg.Calendar == nil) != (o.cfg.Calendar == nil) ||
		r.cfg.Attribution != o.cfg.Attribution ||
		!slices.Equal(r.cfg.Durations, o.cfg.Durations) {
		return invalid("report", "cannot merge reports with different settings")
	}
	o.mu.Lock()
	parts := make(map[Key]*cell, len(o.cells))
	ovs := &valueStore{} // the values of the copies of o's groups
	for i, c := range o.cells {
		t := o.sh.newCell()
		t.merge(&o.sh, ovs, c, &o.vals)
		parts[o.keyOf(o.keys[i])] = t
	}
	out := o.out.clone()
	o.mu.Unlock()

	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.fits(parts); err != nil {
		return err
	}
	for k, c := range parts {
		ck, _ := r.cellKey(k, r.periodOf(k), true)
		i, ok := r.index.get(&ck)
		if !ok {
			r.open(ck)
			i = len(r.cells) - 1
		}
		r.cells[i].merge(&r.sh, &r.vals, c, ovs)
		r.mergedSLA(int32(i))
	}
	r.out.merge(out)
	return nil
}

// fits reports, as a *LimitError, whether adding parts would take r past its bounds; r.mu is
// held.
func (r *Report) fits(parts map[Key]*cell) error {
	groups := len(r.cells)
	for k, c := range parts {
		var t *cell
		if ck, ok := r.cellKey(k, r.periodOf(k), false); ok {
			t = r.cellOf(&ck)
		}
		if t == nil {
			groups++
			continue
		}
		n := len(t.sla)
		for _, m := range c.sla {
			if !t.hasSLA(m.metric) {
				n++
			}
		}
		if n > MaxSLAMetrics {
			return &LimitError{Limit: "MaxSLAMetrics", Max: MaxSLAMetrics}
		}
	}
	if groups > r.cfg.MaxGroups {
		return &LimitError{Limit: "MaxGroups", Max: r.cfg.MaxGroups}
	}
	return nil
}

// Excluded returns the number of records left out of the report: invalid ones and those past
// a bound (see Exclusions for which and why).
func (r *Report) Excluded() int {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Count
}

// Exclusions returns a copy of the description of the records left out of the report.
func (r *Report) Exclusions() Exclusions {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.clone()
}

// Groups returns a copy of every group, sorted by key (string fields, then line, then period).
// It returns an empty slice when no record was added.
func (r *Report) Groups() []Group {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Group, 0, len(r.cells))
	for i, c := range r.cells {
		out = append(out, Group{Key: r.keyOf(r.keys[i]), Stats: c.stats(&r.sh, &r.vals)})
	}
	slices.SortFunc(out, func(a, b Group) int { return compareKeys(a.Key, b.Key) })
	return out
}

// Stats returns a copy of the KPIs of group k; ok is false when the report has no such group,
// and s then holds the empty Stats of a group without tickets (never nil), whose rates report
// ok == false. k.Period may be in any *time.Location equal to the report's: it is compared as
// an instant.
func (r *Report) Stats(k Key) (s *Stats, ok bool) {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	if ck, ok := r.find(k); ok {
		if c := r.cellOf(&ck); c != nil {
			return c.stats(&r.sh, &r.vals), true
		}
	}
	return r.sh.newCell().stats(&r.sh, &valueStore{}), false
}

// Total returns the KPIs of all groups together (merged, never averaged). With no records it
// returns empty Stats whose rates report ok == false.
func (r *Report) Total() *Stats {
	r.ready()
	r.mu.Lock()
	defer r.mu.Unlock()
	t, vs := r.sh.newCell(), &valueStore{}
	for _, c := range r.cells {
		t.merge(&r.sh, vs, c, &r.vals)
	}
	return t.stats(&r.sh, vs)
}

// sameZone reports whether a and b are one zone: the same name and the same offsets at
// instants in winter and summer of several years, so zones loaded separately match while
// two fixed zones that share a name but not an offset do not.
func sameZone(a, b *time.Location) bool {
	if a.String() != b.String() {
		return false
	}
	for _, year := range []int{1990, 2010, 2026, 2040} {
		for _, month := range []time.Month{time.January, time.July} {
			at := time.Date(year, month, 1, 12, 0, 0, 0, time.UTC)
			_, ao := at.In(a).Zone()
			_, bo := at.In(b).Zone()
			if ao != bo {
				return false
			}
		}
	}
	return true
}
