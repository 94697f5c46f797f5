package ticket_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// world is a desk with random tickets and actors under the default Policy, and, beside it
// on the same store, another tenant's desk.
type world struct {
	svc, other *ticket.Service
	store      *ticket.MemoryStore
	people     map[string]ticket.Principal // actor ID -> principal
	actors     []ticket.Actor
	ids        []uuid.UUID // this tenant's tickets
	foreign    []uuid.UUID // the other tenant's tickets
}

var (
	orgShares  = map[string]bool{"org-open": true, "org-closed": false}
	deskGroups = []string{"network", "billing", "hr", ""}
)

func requesterN(i int) ticket.Requester {
	orgs := []string{"org-open", "org-closed", ""}
	return ticket.Requester{
		ID: fmt.Sprintf("cust-%d", i), Name: fmt.Sprintf("Customer %d", i),
		Email: fmt.Sprintf("cust%d@example.com", i), Organization: orgs[i%3],
	}
}

func newWorld(t *testing.T, rng *rand.Rand) *world {
	t.Helper()
	w := &world{store: ticket.NewMemoryStore(), people: map[string]ticket.Principal{}}
	policy := ticket.Policy{Principal: func(_ context.Context, a ticket.Actor) (ticket.Principal, error) {
		p, ok := w.people[a.ID]
		if !ok {
			return ticket.Principal{}, errors.New("unknown person")
		}
		return p, nil
	}}
	var err error
	cfg := ticket.Config{Authorizer: policy, Tenant: "acme", PublicFields: []string{"order"}}
	w.svc, err = ticket.NewService(w.store, cfg)
	require.NoError(t, err)
	cfg.Tenant = "globex"
	w.other, err = ticket.NewService(w.store, cfg)
	require.NoError(t, err)
	require.NoError(t, w.svc.DefineMacro(ticket.Macro{
		Name: "greet", AddTags: []string{"greeted"},
		Comment: ticket.MacroComment{Public: true, Bodies: []ticket.Translation{{Text: "Hello {{requester.name}} <{{requester.email}}>"}}},
	}))
	for i := range 6 {
		r := requesterN(i)
		w.people[r.ID] = ticket.Principal{Role: ticket.RoleCustomer, Organization: r.Organization, SharesOrganization: orgShares[r.Organization]}
		w.actors = append(w.actors, r.Actor())
	}
	for i := range 4 {
		id := fmt.Sprintf("agent-%d", i)
		var gs []string
		for _, g := range deskGroups[:3] {
			if rng.IntN(2) == 0 {
				gs = append(gs, g)
			}
		}
		w.people[id] = ticket.Principal{Role: ticket.RoleAgent, Groups: gs}
		w.actors = append(w.actors, ticket.Actor{Kind: ticket.ActorAgent, ID: id, Name: "Agent " + id})
	}
	w.people["boss"] = ticket.Principal{Role: ticket.RoleAdmin}
	w.people["nobody"] = ticket.Principal{Role: "intern"}
	w.actors = append(w.actors, ticket.Actor{Kind: ticket.ActorAgent, ID: "boss", Name: "Boss"},
		ticket.Actor{Kind: ticket.ActorAgent, ID: "nobody"}, ticket.System)
	for i := range 30 {
		w.ids = append(w.ids, w.seed(t, rng, w.svc, i).ID)
		w.foreign = append(w.foreign, w.seed(t, rng, w.other, i).ID)
	}
	return w
}

// seed creates a random ticket as System, with a public description and an internal note;
// one in four is closed.
func (w *world) seed(t *testing.T, rng *rand.Rand, svc *ticket.Service, i int) ticket.Ticket {
	t.Helper()
	nt := ticket.NewTicket{
		Subject: fmt.Sprintf("Ticket %d", i), Description: "Public description.",
		Requester: requesterN(rng.IntN(6)), Author: ticket.System, Group: deskGroups[rng.IntN(len(deskGroups))],
		Tags: []string{"secret-tag"}, Fields: map[string]string{"order": "42", "margin": "secret-field"},
	}
	if rng.IntN(2) == 0 {
		nt.Assignee = fmt.Sprintf("agent-%d", rng.IntN(4))
	}
	closed := rng.IntN(4) == 0
	if closed {
		nt.Status, nt.Assignee = ticket.StatusSolved, "agent-0"
	}
	tk, err := svc.Create(ctx, nt)
	require.NoError(t, err)
	_, err = svc.Comment(ctx, ticket.System, tk.ID, ticket.NewComment{Body: "secret-note about " + tk.Number})
	require.NoError(t, err)
	if closed {
		_, err = svc.Close(ctx, ticket.System, tk.ID)
		require.NoError(t, err)
	}
	return tk
}

// mayRead is the oracle: the default policy's rule, written out independently.
func (w *world) mayRead(a ticket.Actor, tk ticket.Ticket) bool {
	if tk.Tenant != "acme" {
		return false
	}
	if a.Kind == ticket.ActorSystem {
		return true
	}
	p := w.people[a.ID]
	switch p.Role {
	case ticket.RoleAdmin:
		return true
	case ticket.RoleCustomer:
		return tk.Requester.ID == a.ID || (p.SharesOrganization && p.Organization != "" && tk.Requester.Organization == p.Organization)
	case ticket.RoleAgent:
		return (tk.Group != "" && slices.Contains(p.Groups, tk.Group)) || tk.Assignee == a.ID
	}
	return false
}

// stored reads a ticket straight from the store.
func (w *world) stored(t *testing.T, id uuid.UUID) ticket.Ticket {
	t.Helper()
	tk, err := w.store.Ticket(ctx, id)
	require.NoError(t, err)
	return tk
}

// checkCustomerTicket fails when a ticket shown to a customer holds anything internal.
func checkCustomerTicket(t *testing.T, tk ticket.Ticket) {
	t.Helper()
	assert.Empty(t, tk.Assignee)
	assert.Empty(t, tk.Group)
	assert.Empty(t, tk.Tags)
	assert.Empty(t, tk.Links)
	assert.Empty(t, tk.Priority)
	assert.Zero(t, tk.Line)
	assert.Equal(t, uuid.Nil, tk.Problem)
	assert.NotContains(t, tk.Fields, "margin")
}

// read exercises every read of Reader for actor on ticket id and checks each answer.
func (w *world) read(t *testing.T, a ticket.Actor, id uuid.UUID) {
	t.Helper()
	r := w.svc.As(a)
	full := w.stored(t, id)
	may := w.mayRead(a, full)
	customer := a.Kind == ticket.ActorCustomer
	tk, err := r.Get(ctx, id)
	if !may {
		require.ErrorIs(t, err, ticket.ErrNotFound, "%s reads %s", a.ID, full.Number)
		_, err = r.Comments(ctx, id)
		require.ErrorIs(t, err, ticket.ErrNotFound)
		_, err = r.Events(ctx, id)
		require.ErrorIs(t, err, ticket.ErrNotFound)
		_, err = r.CustomerView(ctx, id)
		require.ErrorIs(t, err, ticket.ErrNotFound)
		if full.Tenant == "acme" {
			_, err = r.GetByNumber(ctx, full.Number)
			require.ErrorIs(t, err, ticket.ErrNotFound)
		}
		return
	}
	require.NoError(t, err)
	assert.Equal(t, full.ID, tk.ID)
	comments, err := r.Comments(ctx, id)
	require.NoError(t, err)
	events, err := r.Events(ctx, id)
	require.NoError(t, err)
	if !customer {
		return
	}
	checkCustomerTicket(t, tk)
	for _, c := range comments {
		assert.True(t, c.Public, "a customer reads an internal note")
		assert.NotContains(t, c.Body, "secret")
	}
	for _, e := range events {
		assert.NotEqual(t, ticket.EventTagsChanged, e.Kind)
		assert.Empty(t, e.ToAssignee)
		assert.Empty(t, e.ToGroup)
		assert.Empty(t, e.TagsAdded)
		assert.False(t, e.Kind == ticket.EventCommented && !e.Public, "a customer sees an internal note's event")
		assert.False(t, e.Kind == ticket.EventFieldChanged && e.Field == "margin")
	}
}

// list checks that listing as a, page by page, gives exactly the tickets a may read, with
// full pages (the policy filters in the store query, not after paging).
func (w *world) list(t *testing.T, a ticket.Actor, q ticket.Query) {
	t.Helper()
	if a.Kind == ticket.ActorCustomer && q.Group != "" {
		_, err := w.svc.As(a).List(ctx, q)
		require.ErrorIs(t, err, ticket.ErrInvalid, "a customer filters by group")
		return
	}
	var want []uuid.UUID
	for _, id := range w.ids {
		tk := w.stored(t, id)
		if w.mayRead(a, tk) && (q.Group == "" || tk.Group == q.Group) {
			want = append(want, id)
		}
	}
	q.Limit = 3
	var got []uuid.UUID
	for {
		page, err := w.svc.As(a).List(ctx, q)
		require.NoError(t, err)
		if page.Next != uuid.Nil {
			assert.Len(t, page.Tickets, q.Limit, "a page before the last is full")
		}
		for _, tk := range page.Tickets {
			got = append(got, tk.ID)
			if a.Kind == ticket.ActorCustomer {
				checkCustomerTicket(t, tk)
			}
		}
		if page.Next == uuid.Nil {
			break
		}
		q.After = page.Next
	}
	slices.SortFunc(want, func(x, y uuid.UUID) int { return strings.Compare(x.String(), y.String()) })
	assert.Equal(t, want, got, "%s lists %+v", a.ID, q)
}

// write runs one random change as a and checks that a ticket a may not read is missing and
// unchanged, that a forbidden change leaves the ticket unchanged, and that a returned ticket
// is one a may read (or a receipt of a ticket the change moved out of a's sight).
func (w *world) write(t *testing.T, rng *rand.Rand, a ticket.Actor, id, other uuid.UUID) {
	t.Helper()
	before, beforeOther := w.stored(t, id), w.stored(t, other)
	may := w.mayRead(a, before) && w.mayRead(a, beforeOther)
	var (
		tk  ticket.Ticket
		err error
		op  string
	)
	switch rng.IntN(9) {
	case 0:
		op = "reply"
		var c ticket.Comment
		c, err = w.svc.Comment(ctx, a, id, ticket.NewComment{Public: true, Body: "reply"})
		may = w.mayRead(a, before)
		if err == nil && c.TicketID != id { // a follow-up of a closed ticket
			followUp := w.stored(t, c.TicketID)
			assert.True(t, w.mayRead(a, followUp), "%s's follow-up %s is hidden from it", a.ID, followUp.Number)
			assert.Equal(t, before.Requester, followUp.Requester)
			w.ids = append(w.ids, followUp.ID)
		}
	case 1:
		op = "note"
		_, err = w.svc.Comment(ctx, a, id, ticket.NewComment{Body: "note"})
		may = w.mayRead(a, before)
	case 2:
		op = "update"
		tk, err = w.svc.Update(ctx, a, id, ticket.Changes{Group: ticket.Ptr(deskGroups[rng.IntN(len(deskGroups))])})
		may = w.mayRead(a, before)
	case 3:
		op = "merge"
		tk, err = w.svc.Merge(ctx, a, id, other)
	case 4:
		op = "macro"
		tk, err = w.svc.ApplyMacro(ctx, a, id, "greet")
		may = w.mayRead(a, before)
	case 5:
		op = "link"
		tk, err = w.svc.Link(ctx, a, id, ticket.LinkRelated, other)
	case 6:
		op = "rate"
		tk, err = w.svc.Rate(ctx, a, id, ticket.Rating{CSAT: 3})
		may = w.mayRead(a, before)
	case 7:
		op = "solve"
		tk, err = w.svc.Solve(ctx, a, id)
		may = w.mayRead(a, before)
	case 8:
		op = "close"
		if before.Status == ticket.StatusSolved {
			tk, err = w.svc.Close(ctx, a, id)
		} else {
			_, err = w.svc.Reopen(ctx, a, id)
		}
		may = w.mayRead(a, before)
	}
	if op == "note" && a.Kind == ticket.ActorCustomer {
		require.ErrorIs(t, err, ticket.ErrInvalid, "customers write no internal notes")
		return
	}
	if !may {
		require.ErrorIs(t, err, ticket.ErrNotFound, "%s %s on a ticket it may not read: %v", a.ID, op, err)
		assert.Equal(t, before.Version, w.stored(t, id).Version, "%s: nothing written", op)
		assert.Equal(t, beforeOther.Version, w.stored(t, other).Version, "%s: nothing written", op)
		return
	}
	if errors.Is(err, ticket.ErrForbidden) {
		assert.NotEqual(t, ticket.RoleAdmin, w.people[a.ID].Role)
		assert.Equal(t, before.Version, w.stored(t, id).Version, "%s: a refusal writes nothing", op)
		return
	}
	assert.False(t, errors.Is(err, ticket.ErrNotFound), "%s %s on a ticket it may read: %v", a.ID, op, err)
	if err == nil && tk.ID != uuid.Nil && tk.Status != "" {
		assert.True(t, w.mayRead(a, tk), "%s gets back %s it may not read after %s", a.ID, tk.Number, op)
	}
}

// TestNoActorSeesWhatThePolicyHides runs random reads, listings and changes by random actors
// on random tickets of two tenants under the default Policy, and checks every answer against
// an independent statement of the policy.
func TestNoActorSeesWhatThePolicyHides(t *testing.T) {
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 3))
			w := newWorld(t, rng)
			for range 600 {
				a := w.actors[rng.IntN(len(w.actors))]
				id := w.ids[rng.IntN(len(w.ids))]
				switch rng.IntN(4) {
				case 0:
					w.read(t, a, id)
					w.read(t, a, w.foreign[rng.IntN(len(w.foreign))])
				case 1:
					w.list(t, a, ticket.Query{Group: deskGroups[rng.IntN(len(deskGroups))]})
				default:
					other := w.ids[rng.IntN(len(w.ids))]
					if other == id {
						continue
					}
					w.write(t, rng, a, id, other)
				}
			}
			for _, a := range w.actors {
				w.list(t, a, ticket.Query{})
			}
		})
	}
}

// TestACustomerCreatesOnlyForItself checks Create and Receive under the policy: a customer
// creates tickets for itself, never as another requester, and the reply to a closed ticket it
// may read becomes a follow-up it reads.
func TestACustomerCreatesOnlyForItself(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(1, 1)))
	me, someone := requesterN(0), requesterN(1)
	_, err := w.svc.Create(ctx, ticket.NewTicket{Subject: "Mine", Requester: me})
	require.NoError(t, err)
	_, err = w.svc.Create(ctx, ticket.NewTicket{Subject: "Not mine", Requester: someone, Author: me.Actor()})
	require.ErrorIs(t, err, ticket.ErrForbidden)
	closed, err := w.svc.Create(ctx, ticket.NewTicket{Subject: "Done", Requester: me, Author: ticket.System, Assignee: "agent-1", Status: ticket.StatusSolved})
	require.NoError(t, err)
	_, err = w.svc.Close(ctx, ticket.System, closed.ID)
	require.NoError(t, err)
	_, err = w.svc.Create(ctx, ticket.NewTicket{Subject: "Again", Requester: someone, Author: someone.Actor(), FollowUpOf: closed.ID})
	require.ErrorIs(t, err, ticket.ErrNotFound, "a follow-up of a ticket the author may not read")
	c, err := w.svc.Comment(ctx, me.Actor(), closed.ID, ticket.NewComment{Public: true, Body: "It broke again."})
	require.NoError(t, err)
	followUp, err := w.svc.As(me.Actor()).Get(ctx, c.TicketID)
	require.NoError(t, err)
	assert.Equal(t, me.ID, followUp.Requester.ID)
	_, err = w.svc.Comment(ctx, someone.Actor(), closed.ID, ticket.NewComment{Public: true, Body: "Me too."})
	require.ErrorIs(t, err, ticket.ErrNotFound, "someone else's closed ticket gets no follow-up")
}

// TestOrganizationSharingIsTheOrganizations checks that a customer of an organization that
// shares tickets reads and replies to a colleague's ticket but may not rate or change it, and
// that one of an organization that does not share reads only its own.
func TestOrganizationSharingIsTheOrganizations(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(2, 2)))
	open0, open3 := requesterN(0), requesterN(3) // both org-open
	closed1, closed4 := requesterN(1), requesterN(4)
	for _, tc := range []struct {
		owner, reader ticket.Requester
		reads         bool
	}{{open0, open3, true}, {closed1, closed4, false}, {open0, closed1, false}} {
		tk, err := w.svc.Create(ctx, ticket.NewTicket{Subject: "Shared?", Requester: tc.owner, Description: "d"})
		require.NoError(t, err)
		_, err = w.svc.As(tc.reader.Actor()).Get(ctx, tk.ID)
		if !tc.reads {
			require.ErrorIs(t, err, ticket.ErrNotFound)
			continue
		}
		require.NoError(t, err)
		_, err = w.svc.Comment(ctx, tc.reader.Actor(), tk.ID, ticket.NewComment{Public: true, Body: "Same here."})
		require.NoError(t, err)
		_, err = w.svc.Rate(ctx, tc.reader.Actor(), tk.ID, ticket.Rating{CSAT: 1})
		require.ErrorIs(t, err, ticket.ErrForbidden)
		_, err = w.svc.Update(ctx, tc.reader.Actor(), tk.ID, ticket.Changes{Subject: ticket.Ptr("x")})
		require.ErrorIs(t, err, ticket.ErrForbidden)
	}
}

// TestPolicyVisibilityAgreesWithAllows checks, for random principals and tickets, that the
// filter the default Policy puts in the store query admits exactly the tickets it allows to
// be read.
func TestPolicyVisibilityAgreesWithAllows(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	roles := []ticket.Role{ticket.RoleCustomer, ticket.RoleAgent, ticket.RoleAdmin, "other"}
	for range 2000 {
		p := ticket.Principal{
			Role: roles[rng.IntN(len(roles))], Groups: []string{deskGroups[rng.IntN(4)]},
			Organization: []string{"org-open", ""}[rng.IntN(2)], SharesOrganization: rng.IntN(2) == 0,
			Identities: []string{"", requesterN(rng.IntN(6)).Email}[rng.IntN(2):],
		}
		a := ticket.Actor{Kind: ticket.ActorAgent, ID: fmt.Sprintf("cust-%d", rng.IntN(6))}
		g, err := ticket.Policy{Principal: func(context.Context, ticket.Actor) (ticket.Principal, error) { return p, nil }}.Grant(ctx, a)
		require.NoError(t, err)
		tk := ticket.Ticket{Requester: requesterN(rng.IntN(6)), Group: deskGroups[rng.IntN(4)]}
		if rng.IntN(2) == 0 {
			tk.Requester.ID = ""
		}
		if rng.IntN(3) == 0 {
			tk.Assignee = a.ID
		}
		v := g.Visible()
		assert.Equal(t, g.Allows(ticket.ActionRead, tk), v == nil || v.Admits(tk), "%+v on %+v", p, tk)
	}
}

// TestPrincipalErrorsFailTheCall checks that the policy fails closed when the host cannot
// say who an actor is.
func TestPrincipalErrorsFailTheCall(t *testing.T) {
	w := newWorld(t, rand.New(rand.NewPCG(3, 3)))
	stranger := ticket.Actor{Kind: ticket.ActorAgent, ID: "stranger"}
	_, err := w.svc.As(stranger).Get(ctx, w.ids[0])
	require.Error(t, err)
	_, err = w.svc.As(stranger).List(ctx, ticket.Query{})
	require.Error(t, err)
	_, err = w.svc.Update(ctx, stranger, w.ids[0], ticket.Changes{Subject: ticket.Ptr("x")})
	require.Error(t, err)
	assert.Equal(t, int64(1), w.stored(t, w.ids[0]).Version-1, "only the seeding note was written")
}
