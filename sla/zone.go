package sla

import (
	"math"
	"slices"
	"time"
)

// Instants are handled as nanoseconds since the Unix epoch, clamped to [minNs, maxNs].
var (
	minNs = time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	maxNs = time.Date(2250, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
)

func toNs(t time.Time) int64 {
	if t.Unix() < minNs/1e9 {
		return minNs
	}
	if t.Unix() >= maxNs/1e9 {
		return maxNs
	}
	return t.UnixNano()
}

// zoneTable lists the offset changes of a location between 1800 and 2250, read once from
// the location with ZoneBounds.
type zoneTable struct {
	trans []int64 // instants of offset changes, ascending
	offs  []int64 // offs[i] is the offset (ns) in effect before trans[i]; offs[len(trans)] after the last
}

func newZoneTable(loc *time.Location) zoneTable {
	var z zoneTable
	t := time.Unix(0, minNs).In(loc)
	_, off := t.Zone()
	z.offs = append(z.offs, int64(off)*int64(time.Second))
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() || end.UnixNano() >= maxNs {
			break
		}
		if !end.After(t) {
			// ZoneBounds can return t itself at the end of a year computed from the
			// zone's rule; offset changes are months apart, so step past it.
			t = t.Add(time.Hour)
			continue
		}
		_, off := end.Zone()
		o := int64(off) * int64(time.Second)
		if o != z.offs[len(z.offs)-1] { // a change of abbreviation alone is not a transition
			z.trans = append(z.trans, end.UnixNano())
			z.offs = append(z.offs, o)
		}
		t = end
	}
	return z
}

// piece is a stretch of real time over which the civil time is either t+off (linear) or
// frozen at the civil instant at (flat: the repeated hour after a clock goes back, during
// which the wall clock re-reads times it has already shown).
type piece struct {
	from, to int64
	off      int64
	flat     bool
	at       int64
}

// pieceAt returns the piece containing real instant t.
func (z *zoneTable) pieceAt(t int64) piece {
	i, found := slices.BinarySearch(z.trans, t)
	if found {
		i++
	}
	p := piece{from: math.MinInt64, to: math.MaxInt64, off: z.offs[i]}
	if i > 0 {
		p.from = z.trans[i-1]
	}
	if i < len(z.trans) {
		p.to = z.trans[i]
	}
	if i > 0 && z.offs[i] < z.offs[i-1] {
		back := z.offs[i-1] - z.offs[i]
		flatEnd := min(p.from+back, p.to)
		if t < flatEnd {
			return piece{from: p.from, to: flatEnd, flat: true, at: p.from + z.offs[i-1]}
		}
		p.from = flatEnd
	}
	return p
}

// civil returns the civil time of real instant t (the latest wall-clock reading so far).
func (z *zoneTable) civil(t int64) int64 {
	p := z.pieceAt(t)
	if p.flat {
		return p.at
	}
	return t + p.off
}
