package supportkit_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

// deskTenants are the tenants of the isolation test: the default one and two more.
var deskTenants = []string{"", "acme", "globex"}

// tenantWorld is what each tenant is expected to hold.
type tenantWorld struct {
	tickets  map[uuid.UUID]bool // ticket -> solved
	articles map[uuid.UUID]bool
	queries  []string // zero-result searches
}

// tenantDesk builds the Desk of a tenant over the shared stores: its KB over the shared
// article store, its own SLA policies.
func tenantDesk(t *testing.T, tenant string, tickets *ticket.MemoryStore, feed bool, articles kb.Store, now func() time.Time) *supportkit.Desk {
	t.Helper()
	k, err := kb.New(articles, kb.Config{Tenant: tenant, Now: now})
	require.NoError(t, err)
	ps, err := sla.NewPolicies(sla.Policy{Name: "Standard " + tenant,
		Targets: map[string]sla.Targets{"": {FirstResponse: &sla.Target{Within: time.Hour}}}})
	require.NoError(t, err)
	cfg := supportkit.Config{Store: tickets, Tickets: ticket.Config{Tenant: tenant}, KB: k, Policies: ps, Now: now}
	if feed {
		cfg.Feed = tickets
	}
	d, err := supportkit.New(cfg)
	require.NoError(t, err)
	return d
}

// Desks of different tenants over one ticket store and one article store never see each
// other's tickets, articles, searches or report figures, whatever the operations and their
// order; Desks rebuilt from the stores (by listing and by the feed) report the same.
func TestDesksOfTenantsNeverMeet(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { desksNeverMeet(t, seed) })
	}
}

func desksNeverMeet(t *testing.T, seed uint64) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 2026))
	clock := &fakeClock{now: start}
	store, articles := ticket.NewMemoryStore(), kb.NewMemoryStore()
	desks := map[string]*supportkit.Desk{}
	world := map[string]*tenantWorld{}
	for i, tenant := range deskTenants {
		desks[tenant] = tenantDesk(t, tenant, store, i%2 == 0, articles, clock.Now)
		world[tenant] = &tenantWorld{tickets: map[uuid.UUID]bool{}, articles: map[uuid.UUID]bool{}}
	}
	for step := range 50 {
		clock.set(start.Add(time.Duration(step) * time.Minute))
		tenant := deskTenants[rng.IntN(len(deskTenants))]
		d, w := desks[tenant], world[tenant]
		switch op := rng.IntN(5); {
		case op == 0:
			a := &kb.Article{Slug: fmt.Sprintf("vpn-%d", rng.IntN(4)), Visibility: kb.Public, Status: kb.Published,
				Translations: map[language.Tag]kb.Translation{language.English: {Title: "VPN client drops the connection"}}}
			err := d.KB().Create(ctx, a)
			if err == nil {
				w.articles[a.ID] = true
			} else {
				require.ErrorIs(t, err, kb.ErrDuplicate, "step %d", step)
			}
		case op == 1:
			q := fmt.Sprintf("%sgap%d", strings.ToLower(tenant), step)
			res, err := d.KB().Search(ctx, kb.Query{Text: q, Audience: kb.Customer})
			require.NoError(t, err)
			require.Zero(t, res.Total)
			w.queries = append(w.queries, q)
		case op == 2 && len(w.tickets) > 0:
			id := randomKey(rng, w.tickets)
			if w.tickets[id] {
				continue
			}
			_, err := d.Tickets().Assign(ctx, agent, id, agent.ID)
			require.NoError(t, err)
			_, err = d.Tickets().Solve(ctx, agent, id)
			require.NoError(t, err)
			w.tickets[id] = true
		default:
			tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN client drops", Requester: customer,
				Key: fmt.Sprintf("key-%d", rng.IntN(6))})
			require.NoError(t, err)
			assert.Equal(t, tenant, tk.Tenant)
			if _, ok := w.tickets[tk.ID]; !ok {
				w.tickets[tk.ID] = false
			}
		}
		for _, d := range desks {
			require.NoError(t, d.Follow(ctx))
		}
		othersAreMissing(t, desks, world, rng)
	}
	for _, tenant := range deskTenants {
		desksSeeTheirOwn(t, tenant, desks[tenant], world)
		for _, feed := range []bool{false, true} {
			fresh := tenantDesk(t, tenant, store, feed, articles, clock.Now)
			require.NoError(t, fresh.Load(ctx), "tenant %q, feed %v", tenant, feed)
			require.NoError(t, fresh.KB().Reindex(ctx))
			assert.Equal(t, reportFigures(t, desks[tenant]), reportFigures(t, fresh), "tenant %q rebuilt, feed %v", tenant, feed)
		}
	}
}

// randomKey returns a random key of m, which is not empty.
func randomKey[V any](rng *rand.Rand, m map[uuid.UUID]V) uuid.UUID {
	ids := make([]uuid.UUID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	return ids[rng.IntN(len(ids))]
}

// othersAreMissing asks each Desk for a random ticket and article of every other tenant.
func othersAreMissing(t *testing.T, desks map[string]*supportkit.Desk, world map[string]*tenantWorld, rng *rand.Rand) {
	t.Helper()
	ctx := context.Background()
	for owner, w := range world {
		for tenant, d := range desks {
			if tenant == owner {
				continue
			}
			if len(w.tickets) > 0 {
				id := randomKey(rng, w.tickets)
				_, err := d.Tickets().Get(ctx, id)
				assert.ErrorIs(t, err, ticket.ErrNotFound, "%q reads %q's ticket", tenant, owner)
				_, err = d.Suggest(ctx, id, kb.Agent)
				assert.ErrorIs(t, err, ticket.ErrNotFound, "%q suggests for %q's ticket", tenant, owner)
				_, err = d.Clocks(ctx, id, start)
				assert.ErrorIs(t, err, ticket.ErrNotFound, "%q's policies run on %q's ticket", tenant, owner)
			}
			if len(w.articles) > 0 {
				_, err := d.KB().Get(ctx, randomKey(rng, w.articles))
				assert.ErrorIs(t, err, kb.ErrNotFound, "%q reads %q's article", tenant, owner)
			}
		}
	}
}

// desksSeeTheirOwn checks that the Desk lists, reports, finds and analyses exactly its
// tenant's tickets, articles and searches.
func desksSeeTheirOwn(t *testing.T, tenant string, d *supportkit.Desk, world map[string]*tenantWorld) {
	t.Helper()
	ctx := context.Background()
	w := world[tenant]
	page, err := d.Tickets().List(ctx, ticket.Query{Limit: 1000})
	require.NoError(t, err)
	listed := map[uuid.UUID]bool{}
	for _, tk := range page.Tickets {
		listed[tk.ID] = tk.Status.Category() == ticket.CategorySolved
	}
	assert.Equal(t, w.tickets, listed, "tenant %q lists its tickets", tenant)
	solved := 0
	for _, s := range w.tickets {
		if s {
			solved++
		}
	}
	assert.Equal(t, [2]int{len(w.tickets), solved}, reportFigures(t, d), "tenant %q reports its tickets", tenant)
	for rec := range d.Metrics().Records() {
		_, own := w.tickets[uuid.MustParse(rec.TicketID)]
		assert.True(t, own, "tenant %q has a record of another tenant's ticket", tenant)
	}
	res, err := d.KB().Search(ctx, kb.Query{Text: "vpn", Audience: kb.Agent, Limit: 100})
	require.NoError(t, err)
	found := map[uuid.UUID]bool{}
	for _, h := range res.Hits {
		found[h.ArticleID] = true
	}
	assert.Equal(t, w.articles, found, "tenant %q finds its articles", tenant)
	gaps, err := d.KB().ContentGaps(ctx, 1000)
	require.NoError(t, err)
	var queries []string
	for _, g := range gaps {
		if strings.Contains(g.Query, "gap") {
			queries = append(queries, g.Query)
		}
	}
	assert.ElementsMatch(t, w.queries, queries, "tenant %q reports its searches", tenant)
}

// reportFigures returns the Desk's report totals: tickets and solved tickets.
func reportFigures(t *testing.T, d *supportkit.Desk) [2]int {
	t.Helper()
	rep, err := d.Report(context.Background(), metrics.ReportConfig{})
	require.NoError(t, err)
	total := rep.Total()
	return [2]int{total.Tickets, total.Solved}
}

func TestDeskKnowledgeWorksInTheTicketsTenant(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{Tickets: ticket.Config{Tenant: "acme"}, Knowledge: &kb.Config{}})
	require.NoError(t, err)
	assert.Equal(t, "acme", d.KB().Tenant(), "Knowledge takes the tickets' tenant")

	_, err = supportkit.New(supportkit.Config{Tickets: ticket.Config{Tenant: "acme"}, Knowledge: &kb.Config{Tenant: "globex"}})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "Knowledge of another tenant")
	other, err := kb.New(nil, kb.Config{Tenant: "globex"})
	require.NoError(t, err)
	_, err = supportkit.New(supportkit.Config{Tickets: ticket.Config{Tenant: "acme"}, KB: other})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "a KB of another tenant")
	_, err = supportkit.New(supportkit.Config{KB: other})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "a KB of another tenant than the default")
}
