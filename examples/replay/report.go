package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// topGroups is how many assignment groups the output lists.
const topGroups = 5

// print writes the results of the replay of the log called name.
func (r *replayer) print(w io.Writer, name string) error {
	sections := []struct {
		title string
		write func(io.Writer) error
	}{
		{"The log", r.printLog},
		{"The replay", r.printReplay},
		{"Metrics by channel", r.printChannels},
		{fmt.Sprintf("Top %d assignment groups by volume", topGroups), r.printGroups},
		{"Scorecard", r.printScorecard},
	}
	fmt.Fprintf(w, "Replay of %s through a supportkit.Desk\n", name)
	for i, s := range sections {
		fmt.Fprintf(w, "\n== %d. %s ==\n", i+1, s.title)
		if err := s.write(w); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	return nil
}

func (r *replayer) printLog(w io.Writer) error {
	c := &r.count
	tw := table(w)
	fmt.Fprintf(tw, "rows (updates) read\t%d\n", c.rows)
	fmt.Fprintf(tw, "incidents\t%d\n", c.incidents)
	fmt.Fprintf(tw, "incidents whose rows were re-sorted by sys_mod_count\t%d\n", c.reordered)
	fmt.Fprintf(tw, "row times moved forward (missing, or before the opening or an earlier row)\t%d\n", c.moved)
	fmt.Fprintf(tw, "for comparison, the log's own made_sla (TRUE on the last row)\t%d (%s)\n", c.logMadeSLA, percent(ratio(c.logMadeSLA, c.incidents)))
	fmt.Fprintf(tw, "for comparison, the log's own reopen_count (above 0)\t%d incidents\n", c.logReopened)
	return tw.Flush()
}

func (r *replayer) printReplay(w io.Writer) error {
	c := &r.count
	tw := table(w)
	fmt.Fprintf(tw, "rows replayed\t%d\n", c.applied+c.unchanged)
	fmt.Fprintf(tw, "  changed their ticket\t%d\n", c.applied)
	fmt.Fprintf(tw, "  changed nothing the ticket keeps (a save of other columns)\t%d\n", c.unchanged)
	fmt.Fprintf(tw, "rows skipped\t%d\n", c.skipped())
	fmt.Fprintf(tw, "  after the incident closed (closed is final)\t%d\n", c.afterClosed)
	for _, reason := range slices.Sorted(maps.Keys(c.rejected)) {
		fmt.Fprintf(tw, "  rejected by the lifecycle: %s\t%d\n", reason, c.rejected[reason])
	}
	fmt.Fprintf(tw, "adjustments made to fit the ticket lifecycle\t%d\n", c.adjusted())
	fmt.Fprintf(tw, "  solved with nobody assigned: %q assigned first\t%d\n", placeholderResolver, c.placeholder)
	fmt.Fprintf(tw, "  closed without being solved: solved, then closed\t%d\n", c.solvedAtClose)
	fmt.Fprintf(tw, "  from solved to a waiting state: reopened, then set\t%d\n", c.reopenedToWait)
	fmt.Fprintf(tw, "  unassigning a solved ticket: resolver kept\t%d\n", c.keptResolver)
	fmt.Fprintf(tw, "  unknown state: attributes applied, status kept\t%d\n", c.unknownState)
	fmt.Fprintf(tw, "tickets created\t%d\n", len(r.tickets))
	fmt.Fprintf(tw, "ticket audit events written\t%d\n", c.events)
	fmt.Fprintf(tw, "SLA hooks: breach warnings / breaches notified\t%d / %d\n", c.warnings, c.breaches)
	fmt.Fprintf(tw, "desk warnings (events not wired into SLA or metrics)\t%d\n", len(r.wiring.lines))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range r.wiring.lines {
		fmt.Fprintf(w, "  %s", line)
	}
	return nil
}

// report runs a metrics report over the Desk's records with business-hours figures.
func (r *replayer) report(by ...metrics.Dimension) (*metrics.Report, error) {
	rep, err := r.desk.Report(r.ctx, metrics.ReportConfig{
		GroupBy: by, Calendar: r.calendar, Durations: []metrics.DurationKPI{metrics.FullResolution},
	})
	if err != nil {
		return nil, err
	}
	if n := rep.Excluded(); n > 0 {
		return nil, fmt.Errorf("%d invalid metrics records", n)
	}
	return rep, nil
}

func (r *replayer) printChannels(w io.Writer) error {
	rep, err := r.report(metrics.ByChannel)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "SLA policy: %s.\n", describePolicy())
	fmt.Fprintf(w, "Resolution time runs from the opening to the last solve; first response time is left out:\n")
	fmt.Fprintf(w, "the log records no replies.\n\n")
	tw := table(w)
	fmt.Fprintln(tw, "channel\ttickets\tsolved\treopen rate\tresolution p50\tp90\tbusiness p50\tbusiness p90\tSLA resolution")
	for _, g := range rep.Groups() {
		channelRow(tw, g.Key.Channel, g.Stats)
	}
	channelRow(tw, "all", rep.Total())
	return tw.Flush()
}

func channelRow(w io.Writer, channel string, s *metrics.Stats) {
	calendar := s.Duration(metrics.FullResolution)
	business, _ := s.BusinessDuration(metrics.FullResolution)
	fmt.Fprintf(w, "%s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", channel, s.Tickets, s.EverSolved,
		percent(s.ReopenRate()), summaryHours(calendar, calendar.P50), summaryHours(calendar, calendar.P90),
		summaryHours(business, business.P50), summaryHours(business, business.P90), percent(s.SLAAttainment(metrics.SLAResolution)))
}

func (r *replayer) printGroups(w io.Writer) error {
	rep, err := r.report(metrics.ByGroup)
	if err != nil {
		return err
	}
	groups := rep.Groups()
	slices.SortStableFunc(groups, func(a, b metrics.Group) int { return cmp.Compare(b.Stats.Tickets, a.Stats.Tickets) })
	total := rep.Total().Tickets
	fmt.Fprintf(w, "Of %d groups. A ticket counts for the group that held it at the end; its resolution\n"+
		"and reopening count for the group that solved it.\n\n", len(groups))
	tw := table(w)
	fmt.Fprintln(tw, "group\ttickets\tshare\treopen rate\tresolution p50\tbusiness p50\tSLA resolution")
	for _, g := range groups[:min(topGroups, len(groups))] {
		s := g.Stats
		calendar := s.Duration(metrics.FullResolution)
		business, _ := s.BusinessDuration(metrics.FullResolution)
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\n", cmp.Or(g.Key.Group, "(none)"), s.Tickets,
			percent(ratio(s.Tickets, total)), percent(s.ReopenRate()), summaryHours(calendar, calendar.P50),
			summaryHours(business, business.P50), percent(s.SLAAttainment(metrics.SLAResolution)))
	}
	return tw.Flush()
}

func (r *replayer) printScorecard(w io.Writer) error {
	rep, err := r.report()
	if err != nil {
		return err
	}
	targets := metrics.Targets{MaxMeanFRT: -1, MinFCR: -1, MinCSAT: -1, MinSLA: map[metrics.SLAMetric]float64{metrics.SLAResolution: 0.9}}
	fmt.Fprintln(w, "Targets: an average resolution within 24.0h of office hours, the metrics package's default,")
	fmt.Fprintln(w, "and 90% of resolutions within the SLA. First response, first contact resolution and CSAT are")
	fmt.Fprintln(w, "left out: the log records no replies and no survey answers.")
	fmt.Fprintln(w)
	card, err := metrics.NewScorecard(rep.Total(), targets)
	if err != nil {
		return err
	}
	tw := table(w)
	fmt.Fprintln(tw, "KPI\tclock\tvalue\ttarget\tresult")
	for _, l := range card.Lines {
		result := map[bool]string{true: "pass", false: "miss"}[l.Pass]
		if !l.HasData {
			result = "no data"
		}
		value, target := percent(l.Rate, true), fmt.Sprintf(">= %.1f%%", 100*l.MinRate)
		if l.Clock != "" {
			value, target = hours(l.Mean), "<= "+hours(l.MaxMean)
		}
		if !l.HasData {
			value = "n/a"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", l.Label, l.Clock.Label(), value, target, result)
	}
	return tw.Flush()
}

func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }

// summaryHours formats quantile d of summary s in hours, or "n/a" when s is empty.
func summaryHours(s metrics.Summary, d time.Duration) string {
	if s.Count == 0 {
		return "n/a"
	}
	if s.Accuracy > 0 { // an estimate: only the digits its accuracy guarantees
		return metrics.FormatQuantile(d, s.Accuracy)
	}
	return hours(d)
}

// hours formats d in hours with one decimal.
func hours(d time.Duration) string {
	return fmt.Sprintf("%.1fh", d.Hours())
}

func percent(v float64, ok bool) string {
	if !ok {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

func ratio(a, b int) (float64, bool) {
	if b == 0 {
		return 0, false
	}
	return float64(a) / float64(b), true
}
