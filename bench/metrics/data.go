package metricsbench

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/supportkit/supportkit/metrics"
)

// Channels are the channels of the generated tickets.
var Channels = []string{"email", "chat", "phone"}

// Year is the year the tickets are created in (UTC): twelve months.
const Year = 2025

// Row is one generated ticket, held compactly: a million take 32 MB.
type Row struct {
	Created    int64 // Unix seconds
	FRT        int32 // seconds to the first reply; -1 when never answered
	Resolution int32 // seconds to the solve; -1 when not solved
	Group      int16 // index into the group names
	Channel    int8  // index into Channels
	CSAT       int8  // 1..5; 0 when not answered
	SLAReply   int8  // first_response SLA: 1 met, 0 breached, -1 no outcome
	SLASolve   int8  // resolution SLA: 1 met, 0 breached, -1 no outcome
}

// Data is a generated set of tickets.
type Data struct {
	Groups []string // group names, "group-000"...
	Rows   []Row
}

// Cells returns the number of cells of a group × channel × month report over d.
func (d *Data) Cells() int { return len(d.Groups) * len(Channels) * 12 }

// Generate returns n tickets over groups groups, the same for the same arguments. Group sizes
// are skewed (weight 1/(g+1)^0.8), so a few cells hold thousands of tickets while most hold
// tens; durations are log-normal, in whole seconds so that ties occur as they do in real
// data: first replies with a median of 30 minutes (5% never answered), resolutions with a
// median of 20 hours (20% unsolved).
func Generate(n, groups int) *Data {
	d := &Data{Groups: make([]string, groups), Rows: make([]Row, n)}
	cum := make([]float64, groups)
	total := 0.0
	for g := range groups {
		d.Groups[g] = fmt.Sprintf("group-%03d", g)
		total += 1 / math.Pow(float64(g+1), 0.8)
		cum[g] = total
	}
	rng := rand.New(rand.NewPCG(uint64(n), uint64(groups)))
	start := time.Date(Year, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	end := time.Date(Year+1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	for i := range d.Rows {
		g, _ := slices.BinarySearch(cum, rng.Float64()*total)
		r := Row{
			Created: start + rng.Int64N(end-start), Group: int16(min(g, groups-1)),
			Channel: int8(rng.IntN(len(Channels))), FRT: -1, Resolution: -1, SLAReply: -1, SLASolve: -1,
		}
		if rng.Float64() >= 0.05 {
			r.FRT = logNormal(rng, 1800, 1.2)
			r.SLAReply = bit(r.FRT <= 3600)
		}
		if rng.Float64() >= 0.2 {
			r.Resolution = logNormal(rng, 20*3600, 1.3)
			r.SLASolve = bit(r.Resolution <= 24*3600)
		}
		if rng.Float64() < 0.4 {
			r.CSAT = int8(1 + min(4, int(5*math.Sqrt(rng.Float64()))))
		}
		d.Rows[i] = r
	}
	return d
}

// logNormal returns whole seconds from a log-normal distribution, between 1 s and 90 days.
func logNormal(rng *rand.Rand, median, sigma float64) int32 {
	v := median * math.Exp(sigma*rng.NormFloat64())
	return int32(min(max(math.Round(v), 1), 90*86400))
}

func bit(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

// slaOutcomes holds the SLA results of every combination of two outcomes (index
// 3·(reply+1) + (solve+1)), shared read-only by the records.
var slaOutcomes = func() [9][]metrics.SLAResult {
	var out [9][]metrics.SLAResult
	for reply := int8(-1); reply <= 1; reply++ {
		for solve := int8(-1); solve <= 1; solve++ {
			var s []metrics.SLAResult
			if reply >= 0 {
				s = append(s, metrics.SLAResult{Metric: metrics.SLAFirstResponse, Met: reply == 1})
			}
			if solve >= 0 {
				s = append(s, metrics.SLAResult{Metric: metrics.SLAResolution, Met: solve == 1})
			}
			out[3*(reply+1)+solve+1] = s
		}
	}
	return out
}()

// Record returns row r as a metrics.Record.
func (d *Data) Record(r *Row) metrics.Record {
	created := time.Unix(r.Created, 0).UTC()
	rec := metrics.Record{
		Group: d.Groups[r.Group], Channel: Channels[r.Channel], Created: created, CSAT: int(r.CSAT),
		SLA: slaOutcomes[3*(r.SLAReply+1)+r.SLASolve+1],
	}
	if r.FRT >= 0 {
		rec.FirstReply = created.Add(time.Duration(r.FRT) * time.Second)
	}
	if r.Resolution >= 0 {
		rec.Solved = created.Add(time.Duration(r.Resolution) * time.Second)
		rec.FirstSolved = rec.Solved
	}
	return rec
}

// Records yields rows as metrics.Records, made one at a time.
func (d *Data) Records(rows []Row) iter.Seq[metrics.Record] {
	return func(yield func(metrics.Record) bool) {
		for i := range rows {
			if !yield(d.Record(&rows[i])) {
				return
			}
		}
	}
}

// ReportConfig is the report the benchmark measures: group × channel × month in UTC, with
// first-response and resolution times.
func ReportConfig() metrics.ReportConfig {
	return metrics.ReportConfig{
		GroupBy:   []metrics.Dimension{metrics.ByGroup, metrics.ByChannel, metrics.ByPeriod},
		Durations: []metrics.DurationKPI{metrics.FRT, metrics.FullResolution},
		Location:  time.UTC,
	}
}
