package kb_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// An article keeps at most MaxResolutions resolutions: the one that makes
// them more forgets the oldest quarter, whose words no search finds and
// whose tickets are no longer learned, while the latest still teach.
func TestLearningKeepsAtMostMaxResolutions(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	k, arts, f := forgetWorldIndex(t, now, kb.LearnConfig{MinTickets: 1, MaxResolutions: 4})
	var tickets []uuid.UUID
	for i, name := range surnames[:5] {
		tickets = append(tickets, uuid.New())
		require.NoError(t, k.Learn(ctx, kb.Resolution{ArticleID: arts[0].ID, TicketID: tickets[i], Language: language.Russian,
			Public: []string{"роутер " + name}, At: now.Add(time.Duration(i) * time.Minute)}))
	}
	for i, name := range surnames[:5] {
		_, learned := f.LearnedArticle(tickets[i])
		res, err := k.Search(ctx, kb.Query{Text: name, Audience: kb.Agent})
		require.NoError(t, err)
		assert.Equal(t, i >= 2, learned, "ticket %d", i)
		assert.Equal(t, i >= 2, res.Total == 1, "ticket %d: %q", i, name)
	}
}

// capModel is what a KB with MaxResolutions keeps, by brute force: the
// resolutions in learning order, each article's cut to the latest when
// one more makes them more than max.
type capModel struct {
	max  int
	seq  int
	kept []capEntry
}

type capEntry struct {
	learned
	seq int
}

func (m *capModel) learn(r learned) {
	i := slices.IndexFunc(m.kept, func(e capEntry) bool { return e.ticket == r.ticket })
	if i >= 0 {
		m.kept[i].learned = r
	} else {
		m.seq++
		m.kept = append(m.kept, capEntry{learned: r, seq: m.seq})
	}
	slices.SortFunc(m.kept, func(a, b capEntry) int { return a.seq - b.seq })
	var of []int
	for j, e := range m.kept {
		if e.article == r.article {
			of = append(of, j)
		}
	}
	if len(of) > m.max {
		drop := of[:len(of)-(m.max-m.max/4)]
		m.kept = slices.DeleteFunc(m.kept, func(e capEntry) bool {
			return slices.ContainsFunc(drop, func(j int) bool { return m.kept[j].ticket == e.ticket })
		})
	}
}

func (m *capModel) forget(ticket uuid.UUID) {
	m.kept = slices.DeleteFunc(m.kept, func(e capEntry) bool { return e.ticket == ticket })
}

// Property: a KB that learns, learns again (some tickets moving to another
// article) and forgets random tickets, with a small MaxResolutions,
// searches exactly as a KB that learned, in the same order, only the
// resolutions the cap keeps: the oracle.
func TestLearningWithinMaxResolutionsLeavesWhatTheKeptTaught(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	seeds := 30
	if testing.Short() {
		seeds = 6
	}
	for seed := range seeds {
		rng := rand.New(rand.NewPCG(uint64(seed), 13))
		cfg := kb.LearnConfig{MinTickets: 1 + rng.IntN(2), MaxWords: 8, HalfLife: 10 * 24 * time.Hour, MaxResolutions: 1 + rng.IntN(8)}
		full, arts, f := forgetWorldIndex(t, now, cfg)
		m := &capModel{max: cfg.MaxResolutions}
		pool := make([]uuid.UUID, 16)
		for i := range pool {
			pool[i] = uuid.New()
		}
		for i := range 80 {
			ticket := pool[rng.IntN(len(pool))]
			if rng.IntN(5) == 0 {
				require.NoError(t, full.Forget(ctx, ticket))
				m.forget(ticket)
				continue
			}
			r := learned{article: rng.IntN(len(arts)), ticket: ticket, at: now.Add(time.Duration(i-80-5*rng.IntN(2)) * time.Hour),
				text: learnedText(rng)}
			learn(t, full, arts, r)
			m.learn(r)
		}
		oracle, oracleArts := forgetWorld(t, now, cfg)
		for _, e := range m.kept {
			learn(t, oracle, oracleArts, e.learned)
		}
		for _, ticket := range pool {
			i := slices.IndexFunc(m.kept, func(e capEntry) bool { return e.ticket == ticket })
			id, ok := f.LearnedArticle(ticket)
			require.Equal(t, i >= 0, ok, "seed %d", seed)
			if ok {
				require.Equal(t, arts[m.kept[i].article].ID, id, "seed %d", seed)
			}
		}
		queries := slices.Clone(surnames)
		for range 20 {
			queries = append(queries, randomWords(rng, 1+rng.IntN(3), learnPool))
		}
		sameSearches(t, full, oracle, queries, fmt.Sprintf("seed %d", seed))
	}
}
