package ticket_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestRandomKeyReuseNeverHandsOutOthersData drives Create and Comment with keys reused at
// random across requesters, authors and visibilities, and checks every answer against a
// model of what each caller may get: a creation key belongs to its requester, a comment key
// matches only the same author, visibility and body, every other reuse is a
// *KeyReuseError that names nothing, and no caller ever receives a ticket or comment with
// someone else's data.
func TestRandomKeyReuseNeverHandsOutOthersData(t *testing.T) {
	requesters := []ticket.Requester{ann, bob, {Name: "Carol", Email: "carol@example.com"}}
	agents := []ticket.Actor{agent, {Kind: ticket.ActorAgent, ID: "agent-8", Name: "Sam"}}
	keys := []string{"", "k1", "k2", "k3"}
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 11))
			m := newKeyModel(setup(t, ticket.Config{}))
			for step := range 80 {
				if len(m.tickets) == 0 || rng.IntN(3) == 0 {
					r := requesters[rng.IntN(len(requesters))]
					m.create(t, r, keys[rng.IntN(len(keys))], fmt.Sprintf("secret-subject-%d", rng.IntN(2)), fmt.Sprintf("secret-desc-%d", rng.IntN(2)))
					continue
				}
				tk := m.tickets[rng.IntN(len(m.tickets))]
				nc := ticket.NewComment{Key: keys[rng.IntN(len(keys))], Body: fmt.Sprintf("secret-body-%d-%d", step%2, rng.IntN(2)), Public: true}
				var author ticket.Actor
				if rng.IntN(2) == 0 {
					author = customerOf(requesters[rng.IntN(len(requesters))])
				} else {
					author, nc.Public = agents[rng.IntN(len(agents))], rng.IntN(2) == 0
				}
				m.comment(t, tk, author, nc)
			}
		})
	}
}

func customerOf(r ticket.Requester) ticket.Actor {
	a := ticket.Actor{Kind: ticket.ActorCustomer, ID: r.ID, Name: r.Name}
	if a.ID == "" {
		a.ID = r.Email
	}
	return a
}

// keyModel is the oracle: what each key has been used for so far.
type keyModel struct {
	b        bundle
	tickets  []uuid.UUID
	created  map[string]createdBy           // scope + key -> the request and its ticket
	comments map[uuid.UUID]map[string]wrote // ticket -> key -> the comment
}

type createdBy struct {
	subject, desc string
	id            uuid.UUID
}

type wrote struct {
	author ticket.Actor
	public bool
	body   string
	id     uuid.UUID
}

func newKeyModel(b bundle) *keyModel {
	return &keyModel{b: b, created: map[string]createdBy{}, comments: map[uuid.UUID]map[string]wrote{}}
}

func scopeOf(r ticket.Requester) string {
	if r.ID != "" {
		return "id:" + r.ID
	}
	return "email:" + strings.ToLower(r.Email)
}

func requireNothingRevealed(t *testing.T, err error) {
	t.Helper()
	var kr *ticket.KeyReuseError
	require.ErrorAs(t, err, &kr)
	require.ErrorIs(t, err, ticket.ErrConflict)
	require.NotContains(t, err.Error(), "secret")
}

func (m *keyModel) create(t *testing.T, r ticket.Requester, key, subject, desc string) {
	t.Helper()
	got, err := m.b.svc.Create(ctx, ticket.NewTicket{Key: key, Subject: subject, Description: desc, Requester: r})
	prev, used := m.created[scopeOf(r)+"\x00"+key]
	switch {
	case key != "" && used && (prev.subject != subject || prev.desc != desc):
		requireNothingRevealed(t, err)
		require.Zero(t, got)
		return
	case key != "" && used:
		require.NoError(t, err)
		require.Equal(t, prev.id, got.ID, "a redelivery gets the first ticket")
	default:
		require.NoError(t, err)
		require.NotContains(t, m.tickets, got.ID, "a new request gets a new ticket")
		m.tickets = append(m.tickets, got.ID)
		m.comments[got.ID] = map[string]wrote{key: {author: customerOf(r), public: true, body: desc}}
		if key != "" {
			m.created[scopeOf(r)+"\x00"+key] = createdBy{subject: subject, desc: desc, id: got.ID}
		}
	}
	require.Equal(t, r, got.Requester, "the caller's own ticket")
	require.Equal(t, subject, got.Subject)
}

func (m *keyModel) comment(t *testing.T, id uuid.UUID, author ticket.Actor, nc ticket.NewComment) {
	t.Helper()
	got, err := m.b.svc.Comment(ctx, author, id, nc)
	prev, used := m.comments[id][nc.Key]
	same := prev.author.Kind == author.Kind && prev.author.ID == author.ID && prev.public == nc.Public && prev.body == nc.Body
	switch {
	case nc.Key != "" && used && !same:
		requireNothingRevealed(t, err)
		require.Zero(t, got)
		return
	case nc.Key != "" && used:
		require.NoError(t, err)
		if prev.id != uuid.Nil {
			require.Equal(t, prev.id, got.ID, "a redelivery gets the first comment")
		}
	default:
		require.NoError(t, err)
		if nc.Key != "" {
			m.comments[id][nc.Key] = wrote{author: author, public: nc.Public, body: nc.Body, id: got.ID}
		}
	}
	require.Equal(t, id, got.TicketID)
	require.Equal(t, author, got.Author, "the caller's own comment")
	require.Equal(t, nc.Public, got.Public)
	require.Equal(t, nc.Body, got.Body)
	require.Equal(t, nc.Key, got.Key)
}
