package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/ticket"
)

// hostileTexts are texts PostgreSQL text and jsonb cannot hold, or that a JSON encoder
// escapes into something jsonb refuses (\u0000).
var hostileTexts = []string{"a\x00b", "a\xffb", "\xed\xa0\x80", "a\u0000"}

// Every text a host hands a Desk over PostgreSQL that PostgreSQL cannot hold, in every
// field, is refused with an error wrapping ticket.ErrInvalid, changing nothing: never a
// driver error, and never a ticket half written.
func TestDeskOverPostgreSQLRefusesUnstorableTextInEveryField(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	desk, err := supportkit.New(supportkit.Config{Store: st.store, Feed: st.store})
	require.NoError(t, err)
	svc := desk.Tickets()
	agent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex"}
	base, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Description: "It jams.",
		Requester: ticket.Requester{ID: "cust-1", Email: "ann@example.com"}, Assignee: "agent-1"})
	require.NoError(t, err)
	for _, bad := range hostileTexts {
		newTicket := func(f func(*ticket.NewTicket)) error {
			nt := ticket.NewTicket{Subject: "Printer jams", Description: "It jams.", Requester: ticket.Requester{ID: "cust-1"}}
			f(&nt)
			_, err := svc.Create(ctx, nt)
			return err
		}
		ops := map[string]func() error{
			"create subject":     func() error { return newTicket(func(n *ticket.NewTicket) { n.Subject = bad }) },
			"create description": func() error { return newTicket(func(n *ticket.NewTicket) { n.Description = bad }) },
			"create key":         func() error { return newTicket(func(n *ticket.NewTicket) { n.Key = bad }) },
			"create requester id": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Requester.ID = bad })
			},
			"create requester name": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Requester.Name = bad })
			},
			"create requester organization": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Requester.Organization = bad })
			},
			"create author name": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Author = ticket.Actor{Kind: ticket.ActorAgent, ID: "a", Name: bad} })
			},
			"create author id": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Author = ticket.Actor{Kind: ticket.ActorAgent, ID: bad} })
			},
			"create assignee":  func() error { return newTicket(func(n *ticket.NewTicket) { n.Assignee = bad }) },
			"create group":     func() error { return newTicket(func(n *ticket.NewTicket) { n.Group = bad }) },
			"create tag":       func() error { return newTicket(func(n *ticket.NewTicket) { n.Tags = []string{bad} }) },
			"create field key": func() error { return newTicket(func(n *ticket.NewTicket) { n.Fields = map[string]string{bad: "v"} }) },
			"create field value": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Fields = map[string]string{"k": bad} })
			},
			"create attachment name": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Attachments = []ticket.Attachment{{Name: bad}} })
			},
			"create attachment type": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Attachments = []ticket.Attachment{{Name: "a.png", ContentType: bad}} })
			},
			"create attachment url": func() error {
				return newTicket(func(n *ticket.NewTicket) { n.Attachments = []ticket.Attachment{{Name: "a.png", URL: bad}} })
			},
			"comment body": func() error {
				_, err := svc.Comment(ctx, agent, base.ID, ticket.NewComment{Body: bad})
				return err
			},
			"comment key": func() error {
				_, err := svc.Comment(ctx, agent, base.ID, ticket.NewComment{Body: "ok", Key: bad})
				return err
			},
			"comment actor id": func() error {
				_, err := svc.Comment(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: bad}, base.ID, ticket.NewComment{Body: "ok"})
				return err
			},
			"comment actor name": func() error {
				_, err := svc.Comment(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "a", Name: bad}, base.ID, ticket.NewComment{Body: "ok"})
				return err
			},
			"comment attachment": func() error {
				_, err := svc.Comment(ctx, agent, base.ID, ticket.NewComment{Body: "ok", Attachments: []ticket.Attachment{{Name: "x", URL: bad}}})
				return err
			},
			"update subject": func() error {
				_, err := svc.Update(ctx, agent, base.ID, ticket.Changes{Subject: &bad})
				return err
			},
			"update group": func() error {
				_, err := svc.Update(ctx, agent, base.ID, ticket.Changes{Group: &bad})
				return err
			},
			"update field": func() error {
				_, err := svc.Update(ctx, agent, base.ID, ticket.Changes{Fields: map[string]string{"k": bad}})
				return err
			},
			"update remove field": func() error {
				_, err := svc.Update(ctx, agent, base.ID, ticket.Changes{RemoveFields: []string{bad}})
				return err
			},
			"update remove tag": func() error {
				_, err := svc.Update(ctx, agent, base.ID, ticket.Changes{RemoveTags: []string{bad}})
				return err
			},
			"assign": func() error {
				_, err := svc.Assign(ctx, agent, base.ID, bad)
				return err
			},
			"escalate reason": func() error {
				_, err := svc.Escalate(ctx, agent, base.ID, ticket.Escalation{Line: 2, Reason: bad})
				return err
			},
			"escalate group": func() error {
				_, err := svc.Escalate(ctx, agent, base.ID, ticket.Escalation{Line: 2, Group: bad, Reason: "hard"})
				return err
			},
			"rate comment": func() error {
				_, err := svc.Rate(ctx, ticket.Actor{Kind: ticket.ActorCustomer, ID: "cust-1"}, base.ID, ticket.Rating{CSAT: 4, Comment: bad})
				return err
			},
		}
		for name, op := range ops {
			assert.ErrorIs(t, op(), ticket.ErrInvalid, "%s %q", name, bad)
		}
	}
	got, err := svc.Get(ctx, base.ID)
	require.NoError(t, err)
	events, err := svc.Events(ctx, base.ID)
	require.NoError(t, err)
	assert.Equal(t, got.LastEventSeq, events[len(events)-1].Seq, "the log and the ticket agree")
	for _, e := range events {
		for _, s := range []string{e.Reason, e.FromValue, e.ToValue, e.Actor.ID, e.Actor.Name} {
			assert.True(t, !strings.ContainsRune(s, 0), "event %d holds a NUL", e.Seq)
		}
	}
	// The feed still reads past everything written.
	_, err = st.store.Changes(ctx, "", 1000)
	require.NoError(t, err)
}

// The largest ticket the Service accepts (a subject of 250 characters, a description of
// 1 MiB of Cyrillic text, 100 custom fields of 4,096 characters) is stored and read back
// exactly, by another process too, through the feed.
func TestDeskOverPostgreSQLKeepsTheLargestTicket(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	desk, err := supportkit.New(supportkit.Config{Store: st.store, Feed: st.store})
	require.NoError(t, err)
	fields := map[string]string{}
	for i := range 100 {
		fields[fmt.Sprintf("field-%d", i)] = strings.Repeat("ж", 4096)
	}
	body := strings.Repeat("ё", 1<<20/2)
	tk, err := desk.Tickets().Create(ctx, ticket.NewTicket{Subject: strings.Repeat("я", 250), Description: body,
		Requester: ticket.Requester{ID: "cust-1"}, Fields: fields})
	require.NoError(t, err)
	other, err := supportkit.New(supportkit.Config{Store: st.store, Feed: st.store})
	require.NoError(t, err)
	require.NoError(t, other.Load(ctx))
	got, err := other.Tickets().Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.Fields, got.Fields)
	assert.Equal(t, tk.Subject, got.Subject)
	comments, err := other.Tickets().Comments(ctx, tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.Equal(t, body, comments[0].Body)
	assert.Equal(t, 1, other.Metrics().Len())
}
