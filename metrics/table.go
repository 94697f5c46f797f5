package metrics

import (
	"cmp"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable prints the report as an aligned text table for people: a header, one row
// per group in the order of Groups, and a last row "total" unless there is exactly one
// group (so an empty report prints a total row of no data). The columns are the value of
// each GroupBy dimension (one column "group" saying "all" when the report has none);
// tickets; solved; the median and 90th percentile of the first response and of the full
// resolution, as hours:minutes rounded to the minute ("1:05"); the attainment of each SLA
// metric the report holds, in the order of SLAMetrics; and CSAT, the share of answers of 4
// or 5. Durations are in business hours when the report has a Calendar and on the wall
// clock otherwise, the clock NewScorecard uses by default. A figure without data prints
// "-". The output is deterministic; WriteTable returns the error of writing to w.
func (r *Report) WriteTable(w io.Writer) error {
	r.ready()
	groups, total := r.Groups(), r.Total()
	dims := r.cfg.GroupBy
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	var head []string
	for _, d := range dims {
		head = append(head, d.String())
	}
	if len(dims) == 0 {
		head = []string{"group"}
	}
	head = append(head, "tickets", "solved", "first response p50/p90", "resolution p50/p90")
	slas := total.SLAMetrics()
	for _, m := range slas {
		head = append(head, "SLA "+string(m))
	}
	writeRow(tw, append(head, "CSAT"))
	for _, g := range groups {
		writeRow(tw, append(keyCells(g.Key, dims), statCells(g.Stats, slas)...))
	}
	if len(groups) != 1 {
		label := make([]string, max(len(dims), 1))
		label[0] = "total"
		if len(dims) == 0 {
			label[0] = "all"
		}
		writeRow(tw, append(label, statCells(total, slas)...))
	}
	tw.Flush()
	_, err := io.WriteString(w, b.String())
	return err
}

// writeRow prints cells as one row of the table.
func writeRow(tw io.Writer, cells []string) {
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

// keyCells returns the key's values of dims, as the report's columns print them.
func keyCells(k Key, dims []Dimension) []string {
	cells := make([]string, 0, len(dims))
	for _, d := range dims {
		v := ""
		switch d {
		case ByGroup:
			v = k.Group
		case ByChannel:
			v = k.Channel
		case ByPriority:
			v = k.Priority
		case ByType:
			v = k.Type
		case ByAgent:
			v = k.Agent
		case ByLine:
			v = fmt.Sprint(k.Line)
		case ByPeriod:
			v = k.Period.Format(time.DateOnly)
		}
		cells = append(cells, cmp.Or(v, "-"))
	}
	if len(dims) == 0 {
		cells = append(cells, "all")
	}
	return cells
}

// statCells returns the figures of one row.
func statCells(s *Stats, slas []SLAMetric) []string {
	cells := []string{fmt.Sprint(s.Tickets), fmt.Sprint(s.Solved), spread(s, FRT), spread(s, FullResolution)}
	for _, m := range slas {
		cells = append(cells, percentCell(s.SLAAttainment(m)))
	}
	return append(cells, percentCell(s.CSAT()))
}

// spread prints the median and 90th percentile of k, "0:11 / 0:47", or "-" without data;
// estimates (a group over ExactLimit values) are marked "~0:47".
func spread(s *Stats, k DurationKPI) string {
	c := ClockWall
	if s.HasCalendar() {
		c = ClockBusiness
	}
	sum, ok := summaryBy(s, k, c)
	if !ok || sum.Count == 0 {
		return "-"
	}
	mark := ""
	if sum.Accuracy > 0 {
		mark = "~"
	}
	return mark + hoursMinutes(sum.P50) + " / " + mark + hoursMinutes(sum.P90)
}

// hoursMinutes prints d as hours and minutes, "1:05", rounded to the minute.
func hoursMinutes(d time.Duration) string {
	d = d.Round(time.Minute)
	return fmt.Sprintf("%d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// percentCell prints a rate as a whole percentage, "95%", or "-" when not ok.
func percentCell(v float64, ok bool) string {
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}
