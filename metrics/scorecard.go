package metrics

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets are the goals a Scorecard checks. The zero value holds DefaultTargets: average
// first response within 15 minutes, first contact resolution of 85% or more, CSAT of 90% or
// more, average resolution within 24 hours, durations measured in business hours when the
// report has a Calendar and in wall-clock time otherwise. A negative value drops that line
// from the scorecard.
type Targets struct {
	MaxMeanFRT time.Duration // bound on the mean FRT; default 15m
	MinFCR     float64       // floor on FCR under FCRVariant; default 0.85
	FCRVariant FCRVariant    // default FCRSingleReply
	MinCSAT    float64       // floor on the share of CSAT answers of 4 or 5; default 0.90
	// MaxMeanResolution bounds the mean FullResolution. Default 24h.
	MaxMeanResolution time.Duration
	// MinSLA adds one line per SLA metric with its minimum attainment. Every key must be a
	// well-formed name (SLAMetric.Valid); NewScorecard refuses a malformed one. Default: none.
	MinSLA map[SLAMetric]float64
	// Clock is the clock of the duration lines, so that a scorecard measures what the report
	// beside it measures. Default (""): ClockBusiness when the Stats come from a report with
	// a Calendar, ClockWall otherwise. ClockBusiness without a Calendar, or an unknown clock,
	// gives duration lines without data, which never pass.
	Clock Clock
}

// DefaultTargets returns the zero Targets with every default filled in (Clock stays
// automatic).
func DefaultTargets() Targets {
	return Targets{MaxMeanFRT: 15 * time.Minute, MinFCR: 0.85, MinCSAT: 0.90, MaxMeanResolution: 24 * time.Hour}
}

func (t Targets) withDefaults() Targets {
	d := DefaultTargets()
	if t.MaxMeanFRT == 0 {
		t.MaxMeanFRT = d.MaxMeanFRT
	}
	if t.MinFCR == 0 {
		t.MinFCR = d.MinFCR
	}
	if t.MinCSAT == 0 {
		t.MinCSAT = d.MinCSAT
	}
	if t.MaxMeanResolution == 0 {
		t.MaxMeanResolution = d.MaxMeanResolution
	}
	return t
}

// ScoreLine is one KPI of a scorecard.
type ScoreLine struct {
	KPI       KPI       // which KPI, e.g. KPIAverageFirstResponse
	SLAMetric SLAMetric // the SLA metric of a KPISLAAttainment line; "" otherwise
	Label     string    // the KPI as printed, e.g. "average first response"
	Clock     Clock     // clock of a duration line (ClockWall or ClockBusiness); "" for rates
	Value     string    // formatted value; "n/a" without data
	Target    string    // formatted target, e.g. "<= 15m0s"
	HasData   bool      // whether the group has data for the KPI
	Pass      bool      // false when the target is missed, there is no data, or the value is invalid

	// The numbers behind Value and Target, for a host that prints its own way. A duration
	// line (Clock set) fills Mean and MaxMean; a rate line fills Rate and MinRate. Mean and
	// Rate are 0 without data (HasData false).
	Mean    time.Duration // a duration line's mean, on Clock
	MaxMean time.Duration // a duration line's target: the largest mean that passes
	Rate    float64       // a rate line's value, a share from 0 to 1
	MinRate float64       // a rate line's target: the smallest share that passes
}

// Scorecard checks a group's KPIs against targets.
type Scorecard struct {
	Lines []ScoreLine // one per target checked, in a fixed order
}

// NewScorecard compares s with targets t (zero fields take the defaults). Durations are
// measured by t.Clock, which by default is the report's: business hours with a Calendar,
// wall-clock time without, so the scorecard's average first response is the report's
// BusinessDuration(FRT).Mean when it has a Calendar. A KPI without data (no replies, no
// solved tickets, no answers) is listed with HasData false and does not pass; a nil s is a
// group without data. An impossible value (a negative mean duration, a rate outside [0, 1])
// never passes, and neither does an impossible rate target (NaN, or above 1): its line is
// kept, never dropped. A key of t.MinSLA whose name is malformed (see SLAMetric.Valid) can
// never match an outcome, so NewScorecard returns a *ValidationError wrapping ErrInvalid
// (Field "MinSLA") and no scorecard for it.
func NewScorecard(s *Stats, t Targets) (Scorecard, error) {
	for _, m := range sortedKeys(t.MinSLA) {
		if !m.Valid() {
			return Scorecard{}, invalid("MinSLA", "malformed metric name %q (want e.g. %q)", string(m), string(SLAFirstResponse))
		}
	}
	if s == nil {
		s = &Stats{}
	}
	t = t.withDefaults()
	clock := t.Clock
	if clock == "" {
		clock = ClockWall
		if s.HasCalendar() {
			clock = ClockBusiness
		}
	}
	var sc Scorecard
	if t.MaxMeanFRT > 0 {
		sc.addDuration(ScoreLine{KPI: KPIAverageFirstResponse, Label: "average first response"}, s, FRT, clock, t.MaxMeanFRT)
	}
	if !(t.MinFCR < 0) { // a NaN target stays, and never passes
		v, ok := s.FCR(t.FCRVariant)
		label := "first contact resolution (" + strings.ReplaceAll(t.FCRVariant.String(), "_", " ") + ")"
		sc.addRate(ScoreLine{KPI: KPIFirstContactResolution, Label: label}, v, ok, t.MinFCR)
	}
	if !(t.MinCSAT < 0) {
		v, ok := s.CSAT()
		sc.addRate(ScoreLine{KPI: KPICSAT, Label: "CSAT (4-5 of 5)"}, v, ok, t.MinCSAT)
	}
	if t.MaxMeanResolution > 0 {
		sc.addDuration(ScoreLine{KPI: KPIAverageResolution, Label: "average resolution"}, s, FullResolution, clock, t.MaxMeanResolution)
	}
	for _, m := range sortedKeys(t.MinSLA) {
		if t.MinSLA[m] < 0 {
			continue
		}
		v, ok := s.SLAAttainment(m)
		sc.addRate(ScoreLine{KPI: KPISLAAttainment, SLAMetric: m, Label: "SLA " + string(m)}, v, ok, t.MinSLA[m])
	}
	return sc, nil
}

// summaryBy returns the summary of k by clock c; ok is false when s cannot measure by c.
func summaryBy(s *Stats, k DurationKPI, c Clock) (Summary, bool) {
	switch c {
	case ClockWall:
		return s.Duration(k), true
	case ClockBusiness:
		return s.BusinessDuration(k)
	}
	return Summary{}, false
}

func (sc *Scorecard) addDuration(l ScoreLine, s *Stats, k DurationKPI, c Clock, limit time.Duration) {
	sum, _ := summaryBy(s, k, c)
	l.Clock, l.Value, l.Target, l.HasData = c, "n/a", "<= "+formatDuration(limit), sum.Count > 0
	l.MaxMean = limit
	if l.HasData {
		l.Value, l.Mean = formatDuration(sum.Mean), sum.Mean
		// a negative mean is not a measurement: it never passes
		l.Pass = sum.Mean >= 0 && sum.Mean <= limit
	}
	sc.Lines = append(sc.Lines, l)
}

func (sc *Scorecard) addRate(l ScoreLine, v float64, ok bool, floor float64) {
	l.Value, l.Target, l.HasData = "n/a", ">= "+formatPercent(floor), ok
	l.MinRate = floor
	if ok {
		l.Value, l.Rate = formatPercent(v), v
		// a rate outside [0, 1] (or NaN) is not a measurement: it never passes
		l.Pass = v >= 0 && v <= 1 && v >= floor
	}
	sc.Lines = append(sc.Lines, l)
}

// Passed reports whether every line passes.
func (sc Scorecard) Passed() bool {
	for _, l := range sc.Lines {
		if !l.Pass {
			return false
		}
	}
	return true
}

// WriteTo prints the scorecard as an aligned text table (KPI, clock, value, target, result)
// and returns the bytes written. The clock column says "business hours" or "wall clock" for
// durations and "-" for rates. The output is deterministic.
func (sc Scorecard) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KPI\tCLOCK\tVALUE\tTARGET\tRESULT")
	for _, l := range sc.Lines {
		res := "FAIL"
		switch {
		case !l.HasData:
			res = "NO DATA"
		case l.Pass:
			res = "PASS"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Label, l.Clock.Label(), l.Value, l.Target, res)
	}
	tw.Flush()
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// String returns the table WriteTo prints.
func (sc Scorecard) String() string {
	var b strings.Builder
	sc.WriteTo(&b)
	return b.String()
}

// formatDuration prints d rounded to the second, e.g. "12m30s", "26h0m0s".
func formatDuration(d time.Duration) string { return d.Round(time.Second).String() }

func formatPercent(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }
