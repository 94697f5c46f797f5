package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/supportkit/supportkit/ticket"
)

var _ ticket.MessageIndex = (*TicketStore)(nil)

// maxMessageID is the longest Message-ID a MessageIndex records: a mail header line.
const maxMessageID = 998

// AddMessageID implements ticket.MessageIndex. The ID is kept as bytes, so any ID a mail
// header carries is compared exactly; the first ticket of a tenant to record an ID keeps
// it, even when two record it at once.
func (s *TicketStore) AddMessageID(ctx context.Context, ticketID uuid.UUID, id string) error {
	if id == "" || len(id) > maxMessageID {
		return fmt.Errorf("postgres: add message ID: %w", &ticket.ValidationError{Field: "message id", Reason: "empty or over 998 bytes"})
	}
	var found bool
	err := s.pool.QueryRow(ctx, s.q.addMessage, ticketID, []byte(id)).Scan(&found)
	if err != nil {
		return wrap(ctx, "add message ID", err)
	}
	if !found {
		return ticket.NotFound(ticketID)
	}
	return nil
}

// TicketByMessageID implements ticket.MessageIndex.
func (s *TicketStore) TicketByMessageID(ctx context.Context, tenant, id string) (ticket.Ticket, error) {
	if storable(tenant) != nil {
		return ticket.Ticket{}, orErr(ctx.Err(), &ticket.NotFoundError{What: "message", Key: id})
	}
	t, err := s.one(ctx, s.q.byMessage, tenant, []byte(id))
	if errors.Is(err, pgx.ErrNoRows) {
		return ticket.Ticket{}, &ticket.NotFoundError{What: "message", Key: id}
	}
	return t, err
}
