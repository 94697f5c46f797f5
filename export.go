package supportkit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// CustomerExport is everything the Desk stores about one person: their Directory records
// and every ticket they requested, with its comments and audit log. Its JSON encoding
// (JSON) is the machine-readable answer to a data-subject access request.
type CustomerExport struct {
	party.Export
	// Tickets are the person's tickets in History order.
	Tickets []TicketExport `json:"tickets"`
}

// TicketExport is one ticket as stored: the ticket, its comments (internal notes included,
// for the host to review before handing the export over) and its events.
type TicketExport struct {
	Ticket   ticket.Ticket    `json:"ticket"`
	Comments []ticket.Comment `json:"comments"`
	Events   []ticket.Event   `json:"events"`
}

// JSON returns e encoded as indented JSON.
func (e CustomerExport) JSON() ([]byte, error) { return json.MarshalIndent(e, "", "  ") }

// Export returns everything stored about the customer with the given ID in the Desk's tenant
// (for a merged customer, the one it was merged into): party.Service.Export's records and
// the tickets History lists, each with its comments and events. Errors: ErrNotConfigured
// without Config.Directory; party.ErrNotFound; the Directory's and the ticket store's
// errors.
func (d *Desk) Export(ctx context.Context, customer uuid.UUID) (CustomerExport, error) {
	if d.cfg.Directory == nil {
		return CustomerExport{}, fmt.Errorf("%w: no customer directory", ErrNotConfigured)
	}
	people, err := d.cfg.Directory.Export(ctx, d.tenant(), customer)
	if err != nil {
		return CustomerExport{}, err
	}
	tickets, err := d.History(ctx, people.Customer.ID)
	if err != nil {
		return CustomerExport{}, err
	}
	e := CustomerExport{Export: people, Tickets: make([]TicketExport, 0, len(tickets))}
	for _, t := range tickets {
		te := TicketExport{Ticket: t}
		if te.Comments, err = d.tickets.Comments(ctx, t.ID); err != nil {
			return CustomerExport{}, err
		}
		if te.Events, err = d.tickets.Events(ctx, t.ID); err != nil {
			return CustomerExport{}, err
		}
		e.Tickets = append(e.Tickets, te)
	}
	return e, nil
}
