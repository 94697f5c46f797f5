package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/supportkit/supportkit/ticket"
)

// erasePage is how many tickets Mentioning reads at a time.
const erasePage = 200

// Mentioning implements ticket.Eraser. It reads every ticket of the tenant with its comments
// and events, a page at a time, and keeps those ticket.Mentions accepts: exact for every
// Unicode text, whatever the database's collation, at the cost of a full read. Erasure is
// rare; a host that erases often at a large scale would add a text index.
func (s *TicketStore) Mentioning(ctx context.Context, tenant string, terms []string) ([]uuid.UUID, error) {
	out := []uuid.UUID{}
	any := false
	for _, t := range terms {
		any = any || t != ""
	}
	if !any {
		return out, ctx.Err()
	}
	after := uuid.Nil
	for {
		page, err := s.List(ctx, ticket.Query{Tenant: tenant, After: after, Limit: erasePage})
		if err != nil {
			return nil, err
		}
		for _, t := range page.Tickets {
			comments, err := s.Comments(ctx, t.ID)
			if err != nil {
				return nil, err
			}
			events, err := s.Events(ctx, t.ID, 0)
			if err != nil {
				return nil, err
			}
			if ticket.Mentions(t, comments, events, terms) {
				out = append(out, t.ID)
			}
		}
		if page.Next == uuid.Nil {
			return out, nil
		}
		after = page.Next
	}
}

// Redact implements ticket.Eraser: it reads the stored comments and events to check r, then
// writes the ticket, the replacements and the EventErased, and forgets the ticket's creation
// key and fingerprint, in one transaction guarded by the ticket's version.
func (s *TicketStore) Redact(ctx context.Context, r ticket.Redaction) (ticket.Ticket, error) {
	stored, err := s.Ticket(ctx, r.Ticket.ID)
	if err != nil {
		return ticket.Ticket{}, err
	}
	comments, err := s.Comments(ctx, r.Ticket.ID)
	if err != nil {
		return ticket.Ticket{}, err
	}
	events, err := s.Events(ctx, r.Ticket.ID, 0)
	if err != nil {
		return ticket.Ticket{}, err
	}
	if err := checkRedaction(r, stored, comments, events); err != nil {
		return ticket.Ticket{}, err
	}
	cols, err := columns(r.Ticket)
	if err != nil {
		return ticket.Ticket{}, err
	}
	t := r.Ticket.Clone()
	b := &pgx.Batch{}
	s.queueWriter(b)
	b.Queue(s.q.update, t.ID, t.Version, cols.status, cols.priority, t.Assignee, t.Group, t.Requester.ID,
		cols.email, t.Requester.Organization, cols.tags, cols.updated, cols.data)
	b.Queue("UPDATE "+s.q.schema+".tickets SET key_hash = NULL, key = NULL, fingerprint = '' WHERE id = $1", t.ID)
	for _, c := range r.Comments {
		d, err := json.Marshal(c)
		if err != nil {
			return ticket.Ticket{}, fmt.Errorf("postgres: comment: %w", err)
		}
		b.Queue("UPDATE "+s.q.schema+".comments SET data = $3 WHERE ticket_id = $1 AND seq = $2", t.ID, c.Seq, d)
	}
	for _, e := range r.Events {
		d, err := eventDoc(e)
		if err != nil {
			return ticket.Ticket{}, err
		}
		b.Queue("UPDATE "+s.q.schema+".events SET data = $3 WHERE ticket_id = $1 AND seq = $2", t.ID, e.Seq, d)
	}
	if err := s.queueAppends(b, t.ID, nil, []ticket.Event{r.Erased}); err != nil {
		return ticket.Ticket{}, err
	}
	s.queueNotify(b)
	br := s.pool.SendBatch(ctx, b)
	_, err = br.Exec()
	if err == nil {
		err = br.QueryRow().Scan(&t.Version, &t.Number, &t.Tenant)
	}
	for i := 2; err == nil && i < b.Len(); i++ {
		_, err = br.Exec()
	}
	if cerr := br.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return ticket.Ticket{}, updateError(ctx, r.Ticket, err)
	}
	return t, nil
}

// checkRedaction checks r against what is stored, as ticket.Eraser.Redact requires: the
// version, that each replacement names a stored comment (by ID, same Seq) or event (by Seq,
// same Kind) of the ticket, and that r.Erased is the EventErased that follows the stored
// events.
func checkRedaction(r ticket.Redaction, t ticket.Ticket, comments []ticket.Comment, events []ticket.Event) error {
	if r.Ticket.Version != t.Version {
		return fmt.Errorf("postgres: redact: %w", &ticket.ConflictError{ID: t.ID, Have: r.Ticket.Version})
	}
	bad := func(field, reason string) error {
		return fmt.Errorf("postgres: redact: %w", &ticket.ValidationError{Field: field, Reason: reason})
	}
	seqByID := make(map[uuid.UUID]int, len(comments))
	for _, c := range comments {
		seqByID[c.ID] = c.Seq
	}
	for _, c := range r.Comments {
		if seq, ok := seqByID[c.ID]; !ok || seq != c.Seq || c.TicketID != t.ID {
			return bad("redaction.comments", "replaces no stored comment of the ticket")
		}
	}
	bySeq := make(map[int64]ticket.EventKind, len(events))
	last := int64(0)
	for _, e := range events {
		bySeq[e.Seq] = e.Kind
		last = e.Seq
	}
	for _, e := range r.Events {
		if kind, ok := bySeq[e.Seq]; !ok || kind != e.Kind || e.TicketID != t.ID {
			return bad("redaction.events", "replaces no stored event of the ticket")
		}
	}
	if e := r.Erased; e.Kind != ticket.EventErased || e.Seq != last+1 || e.TicketID != t.ID || r.Ticket.LastEventSeq != e.Seq {
		return bad("redaction.erased", "must be the EventErased that follows the stored events")
	}
	return nil
}
