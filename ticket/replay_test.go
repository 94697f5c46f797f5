package ticket_test

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// replayed is the state rebuilt from the audit log alone.
type replayed struct {
	Status       ticket.Status
	Priority     ticket.Priority
	Explicit     bool // Ticket.PriorityExplicit
	Assignee     string
	Group        string
	Line         int
	Tags         []string
	Fields       map[string]string
	Links        []ticket.Link
	CSAT, CES    int
	CommentCount int
}

func replay(evs []ticket.Event) replayed {
	r := replayed{Fields: map[string]string{}}
	for _, e := range evs {
		switch e.Kind {
		case ticket.EventCreated:
			r.Status, r.Priority, r.Assignee, r.Group, r.Line = e.ToStatus, e.ToPriority, e.ToAssignee, e.ToGroup, e.ToLine
			r.Tags = slices.Clone(e.TagsAdded)
			r.Explicit = e.Reason == ticket.PriorityByHand
		case ticket.EventStatusChanged, ticket.EventReopened:
			r.Status = e.ToStatus
		case ticket.EventPriorityChanged:
			r.Priority, r.Explicit = e.ToPriority, e.Reason == ticket.PriorityByHand
		case ticket.EventAssigneeChanged:
			r.Assignee = e.ToAssignee
		case ticket.EventGroupChanged:
			r.Group = e.ToGroup
		case ticket.EventEscalated:
			r.Line, r.Group = e.ToLine, e.ToGroup
		case ticket.EventTagsChanged:
			r.Tags = slices.DeleteFunc(r.Tags, func(t string) bool { return slices.Contains(e.TagsRemoved, t) })
			r.Tags = append(r.Tags, e.TagsAdded...)
			slices.Sort(r.Tags)
		case ticket.EventFieldChanged:
			if e.Field == "subject" || e.Field == "type" || e.Field == "impact" || e.Field == "urgency" || e.Field == "language" || e.Field == "problem" {
				continue
			}
			if e.ToValue == "" {
				delete(r.Fields, e.Field)
			} else {
				r.Fields[e.Field] = e.ToValue
			}
		case ticket.EventLinked, ticket.EventMerged:
			r.Links = append(r.Links, e.Link)
		case ticket.EventRated:
			r.CSAT, r.CES = max(r.CSAT*btoi(e.CSAT == 0), e.CSAT), max(r.CES*btoi(e.CES == 0), e.CES)
		case ticket.EventCommented:
			r.CommentCount++
		}
	}
	if len(r.Tags) == 0 {
		r.Tags = nil
	}
	return r
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func snapshot(t ticket.Ticket) replayed {
	f := maps.Clone(t.Fields)
	if f == nil {
		f = map[string]string{}
	}
	return replayed{
		Status: t.Status, Priority: t.Priority, Explicit: t.PriorityExplicit, Assignee: t.Assignee, Group: t.Group, Line: t.Line,
		Tags: t.Tags, Fields: f, Links: t.Links, CSAT: t.Satisfaction.CSAT, CES: t.Satisfaction.CES,
		CommentCount: t.CommentCount,
	}
}

// TestAuditLogReplaysToTheTicket applies random operations, refused ones included, and checks
// that the events alone rebuild every attribute SLA and metrics depend on: the log is complete.
func TestAuditLogReplaysToTheTicket(t *testing.T) {
	for seed := range uint64(20) {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			b := setup(t, ticket.Config{})
			ids := []uuid.UUID{
				b.create(t, ticket.NewTicket{Fields: map[string]string{"order": "A-1"}, Tags: []string{"x"}}).ID,
				b.create(t, ticket.NewTicket{}).ID,
				b.create(t, ticket.NewTicket{Status: ticket.StatusPending}).ID,
			}
			for range 60 {
				randomOp(b, rng, ids)
			}
			for _, id := range ids {
				tk, err := b.svc.Get(ctx, id)
				require.NoError(t, err)
				evs := b.events(t, id)
				assert.Equal(t, snapshot(tk), replay(evs))
				assert.Equal(t, tk.LastEventSeq, evs[len(evs)-1].Seq)
			}
		})
	}
}

func randomOp(b bundle, rng *rand.Rand, ids []uuid.UUID) {
	id := ids[rng.IntN(len(ids))]
	other := ids[rng.IntN(len(ids))]
	pick := func(xs ...string) string { return xs[rng.IntN(len(xs))] }
	statuses := []ticket.Status{ticket.StatusOpen, ticket.StatusPending, ticket.StatusOnHold, ticket.StatusSolved, ticket.StatusClosed}
	switch rng.IntN(14) {
	case 0:
		b.svc.Assign(ctx, agent, id, pick("", "a1", "a2"))
	case 1:
		b.svc.Update(ctx, agent, id, ticket.Changes{Status: &statuses[rng.IntN(len(statuses))]})
	case 2:
		lv := []ticket.Level{ticket.LevelLow, ticket.LevelMedium, ticket.LevelHigh}[rng.IntN(3)]
		b.svc.Update(ctx, agent, id, ticket.Changes{Impact: &lv})
	case 3:
		p := []ticket.Priority{ticket.PriorityLow, ticket.PriorityUrgent}[rng.IntN(2)]
		b.svc.Update(ctx, agent, id, ticket.Changes{Priority: &p, Group: ticket.Ptr(pick("", "g1", "g2"))})
	case 4:
		b.svc.Update(ctx, agent, id, ticket.Changes{AddTags: []string{pick("x", "y", "Z")}, RemoveTags: []string{pick("x", "y", "z")}})
	case 5:
		b.svc.Update(ctx, agent, id, ticket.Changes{Fields: map[string]string{pick("order", "os"): pick("A-1", "B-2")}, RemoveFields: []string{pick("order", "none")}})
	case 6:
		b.svc.Escalate(ctx, agent, id, ticket.Escalation{Line: 2 + rng.IntN(2), Group: pick("", "l2", "l3"), Reason: "r"})
	case 7:
		b.svc.Comment(ctx, annAc, id, ticket.NewComment{Public: true, Body: "c"})
	case 8:
		b.svc.Comment(ctx, agent, id, ticket.NewComment{Public: rng.IntN(2) == 0, Body: "a"})
	case 9:
		b.svc.Solve(ctx, agent, id)
	case 10:
		b.svc.Rate(ctx, annAc, id, ticket.Rating{CSAT: rng.IntN(6), CES: rng.IntN(8)})
	case 11:
		b.svc.Link(ctx, agent, id, ticket.LinkRelated, other)
	case 12: // pin whatever priority the ticket has
		if tk, err := b.svc.Get(ctx, id); err == nil {
			b.svc.Update(ctx, agent, id, ticket.Changes{Priority: &tk.Priority})
		}
	case 13:
		b.svc.Update(ctx, agent, id, ticket.Changes{DerivePriority: true})
	}
}
