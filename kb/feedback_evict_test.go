package kb

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
)

// evictModel is the documented eviction policy, by brute force: when full,
// the least recently active session is settled and dropped, and the least
// recently searched or clicked query without clicks (else with) makes
// room.
type evictModel struct {
	maxQueries, maxSessions int
	tick                    int
	queries                 map[string]*modelQuery
	sessions                map[string]*modelSession
	settled                 map[uuid.UUID][2]int // deflections, tickets after
}

type modelQuery struct{ used, clicks int }

type modelSession struct {
	used   int
	last   time.Time
	opened uuid.UUID
	ticket bool
}

func (m *evictModel) query(key string) *modelQuery {
	m.tick++
	if q := m.queries[key]; q != nil {
		q.used = m.tick
		return q
	}
	if len(m.queries) >= m.maxQueries {
		victim, best := "", [2]int{}
		for k, q := range m.queries {
			rank := [2]int{min(q.clicks, 1), q.used}
			if victim == "" || rank[0] < best[0] || rank[0] == best[0] && rank[1] < best[1] {
				victim, best = k, rank
			}
		}
		delete(m.queries, victim)
	}
	q := &modelQuery{used: m.tick}
	m.queries[key] = q
	return q
}

func (m *evictModel) touch(session string, at time.Time) *modelSession {
	if session == "" {
		return nil
	}
	m.tick++
	s := m.sessions[session]
	if s == nil {
		if len(m.sessions) >= m.maxSessions {
			oldest := ""
			for k, x := range m.sessions {
				if oldest == "" || x.used < m.sessions[oldest].used {
					oldest = k
				}
			}
			m.end(oldest)
		}
		s = &modelSession{}
		m.sessions[session] = s
	}
	s.used = m.tick
	if at.After(s.last) {
		s.last = at
	}
	return s
}

func (m *evictModel) end(key string) {
	s := m.sessions[key]
	delete(m.sessions, key)
	if s.opened == uuid.Nil {
		return
	}
	n := m.settled[s.opened]
	if s.ticket {
		n[1]++
	} else {
		n[0]++
	}
	m.settled[s.opened] = n
}

// Property: over random searches, clicks, tickets and reports with small
// limits, the feedback keeps exactly the sessions and queries the policy
// keeps, and settles exactly the sessions it drops.
func TestFeedbackEvictionKeepsThePolicysSurvivors(t *testing.T) {
	for seed := range uint64(40) {
		rng := rand.New(rand.NewPCG(seed, 11))
		cfg, err := FeedbackConfig{MaxQueries: 1 + rng.IntN(6), MaxSessions: 1 + rng.IntN(6)}.withDefaults()
		require.NoError(t, err)
		f := newFeedback(cfg)
		m := &evictModel{maxQueries: cfg.MaxQueries, maxSessions: cfg.MaxSessions,
			queries: map[string]*modelQuery{}, sessions: map[string]*modelSession{}, settled: map[uuid.UUID][2]int{}}
		articles := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for range 600 {
			at = at.Add(time.Duration(rng.IntN(5)) * time.Minute)
			key := fmt.Sprintf("q%d", rng.IntN(10))
			session := fmt.Sprintf("s%d", rng.IntN(10))
			if rng.IntN(8) == 0 {
				session = ""
			}
			switch rng.IntN(10) {
			case 0, 1, 2, 3:
				f.shown(key, session, 0, []Hit{{ArticleID: articles[rng.IntN(3)]}}, at)
				m.query(key)
				m.touch(session, at)
			case 4, 5, 6:
				id := articles[rng.IntN(3)]
				f.click(ResultClick{Query: key, ArticleID: id, Position: 1, Session: session}, at)
				m.query(key).clicks++
				if s := m.touch(session, at); s != nil {
					s.opened = id
				}
			case 7, 8:
				f.ticket(session, at)
				if s := m.sessions[session]; s != nil {
					s.ticket = true
					if at.After(s.last) {
						s.last = at
					}
				}
			case 9:
				f.report(at)
				for _, k := range slices.Sorted(maps.Keys(m.sessions)) {
					if at.Sub(m.sessions[k].last) >= cfg.Deflection {
						m.end(k)
					}
				}
			}
			requireSameSurvivors(t, seed, f, m)
		}
	}
}

func requireSameSurvivors(t *testing.T, seed uint64, f *feedback, m *evictModel) {
	t.Helper()
	require.ElementsMatch(t, slices.Collect(maps.Keys(m.queries)), slices.Collect(maps.Keys(f.queries)), "seed %d: queries", seed)
	for k, q := range m.queries {
		require.Equal(t, q.clicks, f.queries[k].clicks, "seed %d: clicks of %s", seed, k)
	}
	require.ElementsMatch(t, slices.Collect(maps.Keys(m.sessions)), slices.Collect(maps.Keys(f.sessions)), "seed %d: sessions", seed)
	for id, a := range f.articles {
		require.Equal(t, m.settled[id], [2]int{a.Deflections, a.TicketsAfter}, "seed %d: settled %s", seed, id)
	}
	require.Equal(t, len(f.queries), listLen(&f.idle)+listLen(&f.clicked), "seed %d: query lists", seed)
	require.Equal(t, len(f.sessions), listLen(&f.active), "seed %d: session list", seed)
}

// listLen counts l's values from the back, -1 when the links forward and
// back disagree.
func listLen[T any, P lruItem[T]](l *lruList[T, P]) int {
	n := 0
	var next P
	for x := l.oldest(); x != nil; x = P(x.links().prev) {
		if x.links().next != (*T)(next) {
			return -1
		}
		next = x
		n++
	}
	return n
}
