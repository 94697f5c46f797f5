package ticket

import (
	"context"
	"iter"

	"github.com/google/uuid"
)

// Reader reads tickets as one actor, through the Service's Authorizer: a ticket the actor may
// not read is missing (ErrNotFound), a listing holds only the tickets the actor may read (the
// policy's Visibility is part of the store query, so pages are full), and an actor of Kind
// ActorCustomer gets, whatever the policy allows, tickets without assignee, group, line,
// priority, impact, urgency, tags, links, problem, internal custom fields, comment count or
// event count (see CustomerTicket for the same rule), only public comments, and only the
// events that carry nothing internal. Make one with Service.As; it is a small value, safe for
// concurrent use.
type Reader struct {
	s     *Service
	actor Actor
}

// As returns a Reader for actor. The Service's own read methods (Get, List, ...) read as
// System, which the default Policy lets read everything: they are for the host's own code,
// and As is for reading on someone's behalf.
func (s *Service) As(actor Actor) Reader { return Reader{s: s, actor: actor} }

// Get returns the ticket with the given ID as Reader's actor may see it, or an error
// wrapping ErrNotFound.
func (r Reader) Get(ctx context.Context, id uuid.UUID) (Ticket, error) {
	t, _, err := r.read(ctx, id)
	if err != nil {
		return Ticket{}, err
	}
	return r.show(t), nil
}

// GetByNumber returns the ticket with the given human number, as Get does.
func (r Reader) GetByNumber(ctx context.Context, number string) (Ticket, error) {
	g, err := r.begin(ctx)
	if err != nil {
		return Ticket{}, err
	}
	t, err := r.s.store.TicketByNumber(ctx, r.s.cfg.Tenant, number)
	if err != nil {
		return Ticket{}, err
	}
	if t.Tenant != r.s.cfg.Tenant || !g.Allows(ActionRead, t) {
		return Ticket{}, &NotFoundError{What: "ticket", Key: number}
	}
	return r.show(t), nil
}

// show returns t as Reader's actor may see it: a customer's part of it for a customer.
func (r Reader) show(t Ticket) Ticket {
	if r.actor.Kind == ActorCustomer {
		return r.s.customerTicket(t)
	}
	return t
}

// Comments returns a ticket's comments in order, or an error wrapping ErrNotFound. A
// customer gets the public ones only, with their authors' kinds and names but not their IDs,
// and without keys or refs.
func (r Reader) Comments(ctx context.Context, id uuid.UUID) ([]Comment, error) {
	if _, _, err := r.read(ctx, id); err != nil {
		return nil, err
	}
	cs, err := r.s.store.Comments(ctx, id)
	if err != nil || r.actor.Kind != ActorCustomer {
		return cs, err
	}
	out := cs[:0]
	for _, c := range cs {
		if c.Public {
			c.Author, c.Key, c.Refs = customerActor(c.Author), "", nil
			out = append(out, c)
		}
	}
	return out, nil
}

// Events returns a ticket's audit log in order (a customer's: see Reader), or an error
// wrapping ErrNotFound.
func (r Reader) Events(ctx context.Context, id uuid.UUID) ([]Event, error) {
	return r.EventsAfter(ctx, id, 0)
}

// EventsAfter returns the events with Seq greater than after, as Events does.
func (r Reader) EventsAfter(ctx context.Context, id uuid.UUID, after int64) ([]Event, error) {
	if _, _, err := r.read(ctx, id); err != nil {
		return nil, err
	}
	es, err := r.s.store.Events(ctx, id, after)
	if err != nil || r.actor.Kind != ActorCustomer {
		return es, err
	}
	return r.s.customerEvents(es), nil
}

// CustomerView returns the customer's view of a ticket (see CustomerTicket), or an error
// wrapping ErrNotFound.
func (r Reader) CustomerView(ctx context.Context, id uuid.UUID) (CustomerTicket, error) {
	t, _, err := r.read(ctx, id)
	if err != nil {
		return CustomerTicket{}, err
	}
	comments, err := r.s.store.Comments(ctx, id)
	if err != nil {
		return CustomerTicket{}, err
	}
	v := CustomerTicket{
		Number: t.Number, Subject: t.Subject, Status: customerStatus(t.Status),
		Requester: t.Requester, Fields: r.s.publicFields(t.Fields), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
	}
	for _, c := range comments {
		if !c.Public {
			continue
		}
		v.Comments = append(v.Comments, PublicComment{
			AuthorKind: c.Author.Kind, AuthorName: c.Author.Name, Body: c.Body,
			Attachments: c.Attachments, CreatedAt: c.CreatedAt,
		})
	}
	return v, nil
}

// List returns one page of the tickets matching q that Reader's actor may read, oldest first
// (by ID). Pass Page.Next as q.After for the next page. q.Tenant is the Service's tenant,
// whatever the caller set. The policy's Visibility (Grant.Visible) goes into the store
// query; when the policy has one and the caller set q.Visible too, the caller's is applied
// to the page afterwards, so such a page may hold fewer than q.Limit tickets. Errors: ErrInvalid for unknown statuses
// or priorities, a bad tag or a Limit outside 0–1000, and, for an actor of Kind
// ActorCustomer, for a filter on what a customer never sees (Assignee, Group, Tag,
// Priorities, or Visible by Groups or Assignees); otherwise the store's error.
func (r Reader) List(ctx context.Context, q Query) (Page, error) {
	g, err := r.begin(ctx)
	if err != nil {
		return Page{}, err
	}
	if err := checkQuery(&q); err != nil {
		return Page{}, err
	}
	if r.actor.Kind == ActorCustomer {
		if err := checkCustomerQuery(q); err != nil {
			return Page{}, err
		}
	}
	asked := q.Visible
	if v := g.Visible(); v != nil {
		q.Visible = v
	}
	q.Tenant = r.s.cfg.Tenant
	page, err := r.s.store.List(ctx, q)
	if err != nil {
		return Page{}, err
	}
	out := page.Tickets[:0]
	for _, t := range page.Tickets {
		if t.Tenant == q.Tenant && g.Allows(ActionRead, t) && (asked == nil || asked.admits(&t)) {
			out = append(out, r.show(t))
		}
	}
	page.Tickets = out
	return page, nil
}

// checkCustomerQuery refuses the filters of a customer's listing on what a customer never
// sees of a ticket: comparing answers with and without them would reveal it.
func checkCustomerQuery(q Query) error {
	switch {
	case q.Assignee != "":
		return invalid("assignee", "a customer cannot filter by assignee")
	case q.Group != "":
		return invalid("group", "a customer cannot filter by group")
	case q.Tag != "":
		return invalid("tag", "a customer cannot filter by tag")
	case len(q.Priorities) > 0:
		return invalid("priorities", "a customer cannot filter by priority")
	case q.Visible != nil && (len(q.Visible.Groups) > 0 || len(q.Visible.Assignees) > 0):
		return invalid("visible", "a customer cannot filter by group or assignee")
	}
	return nil
}

// All iterates over every ticket matching q that Reader's actor may read, from q.After on,
// fetching pages of q.Limit as it goes. A failed page yields its error once and ends the
// iteration.
func (r Reader) All(ctx context.Context, q Query) iter.Seq2[Ticket, error] {
	return func(yield func(Ticket, error) bool) {
		for {
			page, err := r.List(ctx, q)
			if err != nil {
				yield(Ticket{}, err)
				return
			}
			for _, t := range page.Tickets {
				if !yield(t, nil) {
					return
				}
			}
			if page.Next == uuid.Nil {
				return
			}
			q.After = page.Next
		}
	}
}

// begin checks the Service and the actor and returns the actor's Grant.
func (r Reader) begin(ctx context.Context) (Grant, error) {
	if err := r.s.ready(); err != nil {
		return nil, err
	}
	if err := checkActor("actor", r.actor); err != nil {
		return nil, err
	}
	return r.s.grant(ctx, r.actor)
}

// read returns ticket id, stored, when the actor may read it, with the actor's Grant.
func (r Reader) read(ctx context.Context, id uuid.UUID) (Ticket, Grant, error) {
	g, err := r.begin(ctx)
	if err != nil {
		return Ticket{}, nil, err
	}
	t, err := r.s.ticket(ctx, id)
	if err != nil {
		return Ticket{}, nil, err
	}
	if err := authorize(g, ActionRead, t); err != nil {
		return Ticket{}, nil, err
	}
	return t, g, nil
}

// Get returns the ticket with the given ID, or an error wrapping ErrNotFound. It reads as
// System (see As).
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Ticket, error) {
	return s.As(System).Get(ctx, id)
}

// GetByNumber returns the ticket with the given human number, or an error wrapping
// ErrNotFound. It reads as System (see As).
func (s *Service) GetByNumber(ctx context.Context, number string) (Ticket, error) {
	return s.As(System).GetByNumber(ctx, number)
}

// Comments returns all comments of a ticket, internal notes included, in order; an error
// wrapping ErrNotFound when the ticket is missing. It reads as System (see As); use
// CustomerView or As(customer) for what a customer sees.
func (s *Service) Comments(ctx context.Context, id uuid.UUID) ([]Comment, error) {
	return s.As(System).Comments(ctx, id)
}

// Events returns the ticket's audit log in order; an error wrapping ErrNotFound when the
// ticket is missing. It reads as System (see As).
func (s *Service) Events(ctx context.Context, id uuid.UUID) ([]Event, error) {
	return s.As(System).Events(ctx, id)
}

// EventsAfter returns the ticket's events with Seq greater than after, in order, so that a
// consumer can catch up from the last event it processed; an error wrapping ErrNotFound when
// the ticket is missing. It reads as System (see As).
func (s *Service) EventsAfter(ctx context.Context, id uuid.UUID, after int64) ([]Event, error) {
	return s.As(System).EventsAfter(ctx, id, after)
}

// CustomerView returns the customer's view of a ticket, or an error wrapping ErrNotFound. It
// reads as System (see As); As(customer).CustomerView also checks that the customer may
// read the ticket.
func (s *Service) CustomerView(ctx context.Context, id uuid.UUID) (CustomerTicket, error) {
	return s.As(System).CustomerView(ctx, id)
}

// List returns one page of the tickets matching q, oldest first (by ID), reading as System
// (see As and Reader.List).
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	return s.As(System).List(ctx, q)
}

// All iterates over every ticket matching q from q.After on, reading as System (see As and
// Reader.All).
func (s *Service) All(ctx context.Context, q Query) iter.Seq2[Ticket, error] {
	return s.As(System).All(ctx, q)
}

// grant asks the Authorizer for actor's Grant: everything without an Authorizer, nothing
// when it returns a nil Grant.
func (s *Service) grant(ctx context.Context, actor Actor) (Grant, error) {
	if s.cfg.Authorizer == nil {
		return allowAll{}, nil
	}
	g, err := s.cfg.Authorizer.Grant(ctx, actor)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return refuseAll{}, nil
	}
	return g, nil
}

// allowAll is the Grant of every actor when the Service has no Authorizer.
type allowAll struct{}

func (allowAll) Allows(Action, Ticket) bool { return true }
func (allowAll) Visible() *Visibility       { return nil }

// refuseAll is the Grant of an Authorizer that returned none.
type refuseAll struct{}

func (refuseAll) Allows(Action, Ticket) bool { return false }
func (refuseAll) Visible() *Visibility       { return &Visibility{} }

// authorize returns ErrNotFound when g may not read t, and a *ForbiddenError when it may
// read it but not do action.
func authorize(g Grant, action Action, t Ticket) error {
	if !g.Allows(ActionRead, t) {
		return NotFound(t.ID)
	}
	if action != ActionRead && !g.Allows(action, t) {
		return &ForbiddenError{Action: action, ID: t.ID}
	}
	return nil
}

// present returns t as a write returns it to the host: a receipt (ID, Tenant, Number,
// Version) when g does not let the actor read it (a write that moved the ticket out of the
// actor's sight), else t as stored.
func (s *Service) present(g Grant, t Ticket) Ticket {
	if !g.Allows(ActionRead, t) {
		return Ticket{ID: t.ID, Tenant: t.Tenant, Number: t.Number, Version: t.Version}
	}
	return t
}

// customerTicket returns the part of t a customer may see.
func (s *Service) customerTicket(t Ticket) Ticket {
	return Ticket{
		ID: t.ID, Tenant: t.Tenant, Number: t.Number, Subject: t.Subject, Requester: t.Requester,
		Channel: t.Channel, Type: t.Type, Status: t.Status, Fields: s.publicFields(t.Fields),
		Language: t.Language, LanguageDetected: t.LanguageDetected, Satisfaction: t.Satisfaction,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, SolvedAt: t.SolvedAt, ClosedAt: t.ClosedAt,
		Version: t.Version,
	}
}

// publicFields returns the fields named in Config.PublicFields; nil when none.
func (s *Service) publicFields(fields map[string]string) map[string]string {
	var out map[string]string
	for k, v := range fields {
		if s.public[k] {
			if out == nil {
				out = make(map[string]string)
			}
			out[k] = v
		}
	}
	return out
}

// customerEvents keeps the events that carry nothing internal: creation, status changes,
// reopening, public comments, ratings, erasure, and changes of the subject or a public
// field; creation events lose their assignee, group, line, priority and tags.
func (s *Service) customerEvents(es []Event) []Event {
	out := make([]Event, 0, len(es))
	for _, e := range es {
		switch e.Kind {
		case EventCreated:
			out = append(out, Event{
				TicketID: e.TicketID, Seq: e.Seq, Kind: e.Kind, At: e.At, Actor: customerActor(e.Actor),
				ToStatus: e.ToStatus, Channel: e.Channel, Type: e.Type, Other: e.Other, CommentID: e.CommentID,
			})
		case EventStatusChanged, EventReopened, EventRated, EventErased:
			e.Actor = customerActor(e.Actor)
			out = append(out, e)
		case EventCommented:
			if e.Public {
				e.Actor = customerActor(e.Actor)
				out = append(out, e)
			}
		case EventFieldChanged:
			if e.Field == "subject" || s.public[e.Field] {
				e.Actor = customerActor(e.Actor)
				out = append(out, e)
			}
		}
	}
	return out
}

// customerActor is an actor as a customer sees it: the kind and display name, never the ID
// (as PublicComment shows an author).
func customerActor(a Actor) Actor { return Actor{Kind: a.Kind, Name: a.Name} }

// commentAction is the Action a comment of the given visibility asks for.
func commentAction(public bool) Action {
	if public {
		return ActionReply
	}
	return ActionNote
}
