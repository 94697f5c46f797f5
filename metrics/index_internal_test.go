package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// A report finds the same groups whether its index holds them in arrays or, once values that
// never meet leave too many holes, in a hash map: counts per group against a brute-force
// count, for keys of every dimension, with the periods of more days than the report caches.
func TestReportIndexMatchesBruteForce(t *testing.T) {
	for _, c := range []struct {
		name   string
		agents int
		days   int
		hashed bool
	}{{"dense", 20, 60, false}, {"sparse", 3000, maxCachedPeriods + 900, true}} {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewReport(ReportConfig{
				GroupBy: []Dimension{ByAgent, ByGroup, ByLine, ByChannel, ByPriority, ByType, ByPeriod},
				Period:  Day, Durations: []DurationKPI{FRT},
			})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, uint64(c.agents)))
			want := map[Key]int{}
			base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			var recs []Record
			for i := range 6000 {
				a := rng.IntN(c.agents)
				rec := Record{
					Assignee: fmt.Sprint("agent-", a), Group: fmt.Sprint("group-", a%500), Line: 1 + a%3,
					Channel: "email", Priority: "p2", Type: "question",
					Created: base.Add(time.Duration(rng.IntN(c.days)) * 24 * time.Hour),
				}
				if i%2 == 0 {
					rec.Channel = "chat"
				}
				start, _ := PeriodBounds(rec.Created, Day)
				want[Key{Group: rec.Group, Channel: rec.Channel, Priority: rec.Priority, Type: rec.Type,
					Agent: rec.Assignee, Line: rec.Line, Period: start}]++
				recs = append(recs, rec)
			}
			half := len(recs) / 2
			for _, rec := range recs[:half] {
				if err := r.Add(rec); err != nil {
					t.Fatal(err)
				}
			}
			if n := r.AddAll(func(yield func(Record) bool) {
				for _, rec := range recs[half:] {
					if !yield(rec) {
						return
					}
				}
			}); n != 0 {
				t.Fatalf("%d excluded", n)
			}
			if hashed := r.index.byKey != nil; hashed != c.hashed {
				t.Errorf("index hashed: %v, want %v", hashed, c.hashed)
			}
			groups := r.Groups()
			if len(groups) != len(want) {
				t.Fatalf("%d groups, want %d", len(groups), len(want))
			}
			for _, g := range groups {
				if g.Stats.Tickets != want[g.Key] {
					t.Fatalf("%v: %d tickets, want %d", g.Key, g.Stats.Tickets, want[g.Key])
				}
				if s, ok := r.Stats(g.Key); !ok || s.Tickets != want[g.Key] {
					t.Fatalf("Stats(%v) = %v, %v", g.Key, s, ok)
				}
			}
			missing := groups[0].Key
			missing.Line = 99
			if _, ok := r.Stats(missing); ok {
				t.Errorf("Stats(%v) found a group never added", missing)
			}
		})
	}
}

// hourOfWeek agrees with time's own weekday and hour, before and after 1970, in zones with
// DST and odd offsets.
func TestHourOfWeekMatchesTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	for _, name := range []string{"UTC", "America/New_York", "Asia/Kathmandu", "Pacific/Chatham", "America/St_Johns"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skipf("zone %s: %v", name, err)
		}
		for range 20000 {
			at := time.Unix(rng.Int64N(4e9)-2e9, 0).In(loc)
			if got, want := hourOfWeek(at), (int(at.Weekday())+6)%7*24+at.Hour(); got != want {
				t.Fatalf("%v: %d, want %d", at, got, want)
			}
		}
	}
}

// values numbers a value once and finds it again whether it is the last one found, one of
// a few, or one of many, with or without adding: against a map of the numbers given out.
func TestValuesNumberEachValueOnce(t *testing.T) {
	for _, spread := range []int{3, fewValues, fewValues + 1, 500} {
		rng := rand.New(rand.NewPCG(5, uint64(spread)))
		var n values[string]
		want := map[string]int32{}
		for i := range 20_000 {
			v := fmt.Sprintf("v%d", rng.IntN(spread))
			if rng.IntN(4) == 0 { // runs of the same value, as sorted records bring
				v = fmt.Sprintf("v%d", i/50%spread)
			}
			add := rng.IntN(3) > 0
			id, ok := n.id(v, add)
			w, seen := want[v]
			switch {
			case !seen && add:
				w, seen = int32(len(want)), true
				want[v] = w
			case !seen && ok:
				t.Fatalf("%q never added, found as %d", v, id)
			}
			if seen && (!ok || id != w) {
				t.Fatalf("spread %d: %q is %d %v, want %d", spread, v, id, ok, w)
			}
		}
		if len(n.list) != len(want) {
			t.Fatalf("spread %d: %d values listed, want %d", spread, len(n.list), len(want))
		}
	}
}
