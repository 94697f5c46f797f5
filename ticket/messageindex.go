package ticket

import (
	"context"

	"github.com/google/uuid"
)

// MessageIndex is an optional Store ability: it remembers which ticket an email message
// belongs to, by Message-ID, so that a reply whose subject lost the ticket number still
// lands on its ticket (Service.Receive with Inbound.References). MemoryStore implements
// it; a host store that does not simply threads by subject only. The contract:
//
//   - Safe for concurrent use; IDs are compared exactly, byte for byte (the caller strips
//     the angle brackets).
//   - An ID belongs to one ticket: recording it again, for the same ticket or another, is
//     a no-op that returns nil, so the first ticket to record an ID keeps it.
//   - Recording for a missing ticket gives an error wrapping ErrNotFound; an empty ID, or
//     one over 998 bytes (the longest mail header line), an error wrapping ErrInvalid.
type MessageIndex interface {
	// AddMessageID records that the message with Message-ID id belongs to ticket ticketID.
	AddMessageID(ctx context.Context, ticketID uuid.UUID, id string) error
	// TicketByMessageID returns the ticket of the tenant that id was recorded for, or an
	// error wrapping ErrNotFound when no ticket of that tenant recorded it. IDs are kept per
	// tenant: one tenant's messages never thread onto another's tickets.
	TicketByMessageID(ctx context.Context, tenant, id string) (Ticket, error)
}

const maxMessageID = 998

func checkMessageID(id string) error {
	if id == "" || len(id) > maxMessageID {
		return invalid("message id", "empty or over 998 bytes")
	}
	return nil
}

var _ MessageIndex = (*MemoryStore)(nil)

// AddMessageID implements MessageIndex.
func (m *MemoryStore) AddMessageID(ctx context.Context, ticketID uuid.UUID, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkMessageID(id); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	r, ok := m.tickets[ticketID]
	if !ok {
		return NotFound(ticketID)
	}
	if m.byMessage == nil {
		m.byMessage = make(map[string]uuid.UUID)
	}
	k := tenantKey(r.ticket.Tenant, id)
	if _, ok := m.byMessage[k]; !ok {
		m.byMessage[k] = ticketID
	}
	return nil
}

// TicketByMessageID implements MessageIndex.
func (m *MemoryStore) TicketByMessageID(ctx context.Context, tenant, id string) (Ticket, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	tid, ok := m.byMessage[tenantKey(tenant, id)]
	if !ok {
		return Ticket{}, &NotFoundError{What: "message", Key: id}
	}
	r, ok := m.tickets[tid]
	if !ok {
		return Ticket{}, NotFound(tid)
	}
	return r.ticket.Clone(), nil
}
