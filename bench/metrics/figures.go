package metricsbench

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// Cell identifies one cell of the report.
type Cell struct {
	Group   string     // the ticket's group
	Channel string     // the ticket's channel
	Month   time.Month // the month (UTC, of Year) the ticket was created in
}

// Figures are the figures of one cell, from any of the three sources (exact, report, SQL).
// Quantiles are in seconds, by linear interpolation (percentile_cont), p50 then p90.
type Figures struct {
	Tickets         int              // tickets created
	FRTCount        int              // tickets answered
	FRT             [2]float64       // first response time p50 and p90, seconds
	ResolutionCount int              // tickets solved
	Resolution      [2]float64       // resolution time p50 and p90, seconds
	CSATAnswers     int              // satisfaction answers
	CSATPositive    int              // answers of 4 or 5
	ReplySLA        metrics.SLACount // first_response SLA outcomes
	SolveSLA        metrics.SLACount // resolution SLA outcomes
}

// Quantiles are the q of Figures.FRT and Figures.Resolution.
var Quantiles = [2]float64{0.5, 0.9}

// Values are the sorted durations of one cell, in seconds.
type Values struct {
	FRT        []float64 // first response times of the answered tickets
	Resolution []float64 // resolution times of the solved tickets
}

// ExactValues returns every cell's sorted durations.
func (d *Data) ExactValues() map[Cell]*Values {
	out := map[Cell]*Values{}
	for i := range d.Rows {
		r := &d.Rows[i]
		c := d.cell(r)
		v := out[c]
		if v == nil {
			v = &Values{}
			out[c] = v
		}
		if r.FRT >= 0 {
			v.FRT = append(v.FRT, float64(r.FRT))
		}
		if r.Resolution >= 0 {
			v.Resolution = append(v.Resolution, float64(r.Resolution))
		}
	}
	for _, v := range out {
		slices.Sort(v.FRT)
		slices.Sort(v.Resolution)
	}
	return out
}

func (d *Data) cell(r *Row) Cell {
	return Cell{d.Groups[r.Group], Channels[r.Channel], time.Unix(r.Created, 0).UTC().Month()}
}

// Exact returns every cell's figures, computed directly from the rows: counts by counting and
// quantiles by sorting each cell's values (Cont).
func (d *Data) Exact() map[Cell]*Figures {
	out := map[Cell]*Figures{}
	for i := range d.Rows {
		r := &d.Rows[i]
		c := d.cell(r)
		f := out[c]
		if f == nil {
			f = &Figures{}
			out[c] = f
		}
		f.Tickets++
		if r.CSAT > 0 {
			f.CSATAnswers++
			if r.CSAT >= 4 {
				f.CSATPositive++
			}
		}
		countSLA(&f.ReplySLA, r.SLAReply)
		countSLA(&f.SolveSLA, r.SLASolve)
	}
	for c, v := range d.ExactValues() {
		f := out[c]
		f.FRTCount, f.ResolutionCount = len(v.FRT), len(v.Resolution)
		for i, q := range Quantiles {
			f.FRT[i] = Cont(v.FRT, q)
			f.Resolution[i] = Cont(v.Resolution, q)
		}
	}
	return out
}

func countSLA(c *metrics.SLACount, outcome int8) {
	switch outcome {
	case 1:
		c.Met++
	case 0:
		c.Breached++
	}
}

// Cont is the q-quantile of sorted values by linear interpolation between the closest ranks
// (the definition of percentile_cont and of spreadsheets' PERCENTILE.INC), written from that
// definition: with h = q·(n−1), x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). It returns 0 for no
// values.
func Cont(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	h := q * float64(len(sorted)-1)
	lo := math.Floor(h)
	hi := math.Ceil(h)
	return sorted[int(lo)] + (h-lo)*(sorted[int(hi)]-sorted[int(lo)])
}

// Disc is the q-quantile of sorted values by nearest rank (percentile_disc): the first value
// whose cumulative share of the values reaches q. It returns 0 for no values.
func Disc(sorted []float64, q float64) float64 {
	n := len(sorted)
	for i, v := range sorted {
		if float64(i+1) >= q*float64(n) {
			return v
		}
	}
	return 0
}

// FromReport returns the figures of every group of a report grouped as ReportConfig says.
func FromReport(r *metrics.Report) map[Cell]*Figures {
	out := map[Cell]*Figures{}
	for _, g := range r.Groups() {
		s := g.Stats
		f := &Figures{Tickets: s.Tickets, CSATAnswers: s.CSATAnswers, CSATPositive: s.CSATPositive,
			ReplySLA: s.SLA[metrics.SLAFirstResponse], SolveSLA: s.SLA[metrics.SLAResolution]}
		f.FRTCount = s.Duration(metrics.FRT).Count
		f.ResolutionCount = s.Duration(metrics.FullResolution).Count
		for i, q := range Quantiles {
			v, _ := s.Quantile(metrics.FRT, q)
			f.FRT[i] = v.Seconds()
			v, _ = s.Quantile(metrics.FullResolution, q)
			f.Resolution[i] = v.Seconds()
		}
		out[Cell{g.Key.Group, g.Key.Channel, g.Key.Period.Month()}] = f
	}
	return out
}

// Compare checks got against the exact figures want, cell by cell: counts must be equal, and
// quantiles of a cell with count values within abs seconds plus rel relative error, as
// tol(count) says. It returns an error describing the first mismatches, or nil.
func Compare(got, want map[Cell]*Figures, tol func(count int) (abs, rel float64)) error {
	var bad []string
	note := func(c Cell, format string, args ...any) {
		if len(bad) < 5 {
			bad = append(bad, fmt.Sprintf("%v: ", c)+fmt.Sprintf(format, args...))
		} else if len(bad) == 5 {
			bad = append(bad, "...")
		}
	}
	if len(got) != len(want) {
		note(Cell{}, "%d cells, want %d", len(got), len(want))
	}
	for c, w := range want {
		g := got[c]
		if g == nil {
			note(c, "missing")
			continue
		}
		gc, wc := *g, *w
		gc.FRT, gc.Resolution, wc.FRT, wc.Resolution = [2]float64{}, [2]float64{}, [2]float64{}, [2]float64{}
		if gc != wc {
			note(c, "counts %+v, want %+v", gc, wc)
		}
		for i, q := range Quantiles {
			if abs, rel := tol(w.FRTCount); !near(g.FRT[i], w.FRT[i], abs, rel) {
				note(c, "FRT p%v = %v s, want %v s", 100*q, g.FRT[i], w.FRT[i])
			}
			if abs, rel := tol(w.ResolutionCount); !near(g.Resolution[i], w.Resolution[i], abs, rel) {
				note(c, "resolution p%v = %v s, want %v s", 100*q, g.Resolution[i], w.Resolution[i])
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d cells checked; mismatches: %v", len(want), bad)
	}
	return nil
}

// ReportTolerance is what the report promises for a quantile of count values: exact to the
// nanosecond while a cell keeps its values (metrics.ExactLimit), within the default accuracy
// past it, plus the millisecond Summary rounds to.
func ReportTolerance(count int) (abs, rel float64) {
	if count <= metrics.ExactLimit {
		return 1e-9, 0
	}
	return 1e-3, metrics.DefaultAccuracy
}

// SQLTolerance is PostgreSQL's rounding of intervals to the microsecond.
func SQLTolerance(int) (abs, rel float64) { return 1e-6, 0 }

func near(got, want, abs, rel float64) bool {
	return math.Abs(got-want) <= abs+rel*math.Abs(want)
}
