package supportkit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// Person returns what identifies a Directory customer in ticket text, for Erase and Export:
// the IDs of the customer and of every customer merged into it, their HostSystem IDs, and
// all their names, emails and phones. Errors: ErrNotConfigured without Config.Directory;
// party.ErrNotFound for a customer not in the Desk's tenant; the Directory's errors.
func (d *Desk) Person(ctx context.Context, customer uuid.UUID) (ticket.Person, error) {
	e, err := d.directoryExport(ctx, customer)
	if err != nil {
		return ticket.Person{}, err
	}
	var p ticket.Person
	for _, c := range append([]party.Customer{e.Customer}, e.Absorbed...) {
		p.IDs = append(p.IDs, c.ID.String())
		if id := c.ExternalIDs[HostSystem]; id != "" {
			p.IDs = append(p.IDs, id)
		}
		if c.Name != "" {
			p.Names = append(p.Names, c.Name)
		}
		p.Emails = append(p.Emails, c.Emails...)
		p.Phones = append(p.Phones, c.Phones...)
	}
	return p, nil
}

// EraseCustomer erases a Directory customer everywhere: Erase with the customer's Person
// (tickets, search queries, metrics records), then the Directory record and those merged
// into it become tombstones (party.Service.Erase). The Directory record is erased only once
// the tickets are: when Erase fails, the customer can still be found and erased again. An
// erased customer's Person is empty, so erase a customer once, with this method. Errors:
// those of Person, Erase and party.Service.Erase.
func (d *Desk) EraseCustomer(ctx context.Context, actor ticket.Actor, customer uuid.UUID) (ticket.ErasureReport, error) {
	p, err := d.Person(ctx, customer)
	if err != nil {
		return ticket.ErasureReport{}, err
	}
	report, err := d.Erase(ctx, actor, p)
	if err != nil {
		return report, err
	}
	_, err = d.cfg.Directory.Erase(ctx, d.tenant(), customer)
	return report, err
}

// CustomerExport is everything a Desk holds about a Directory customer (ExportCustomer).
type CustomerExport struct {
	Customer party.Export   `json:"customer"` // the Directory's records (party.Service.Export)
	Desk     PersonalExport `json:"desk"`     // what tickets and searches hold (Export)
}

// ExportCustomer returns, as JSON, everything the Desk holds about a Directory customer
// (CustomerExport): its Directory records and Export of its Person. Under a ticket policy
// the actor must be allowed to export (ticket.ActionExport). Errors: those of Person and
// Export.
func (d *Desk) ExportCustomer(ctx context.Context, actor ticket.Actor, customer uuid.UUID) ([]byte, error) {
	e, err := d.directoryExport(ctx, customer)
	if err != nil {
		return nil, err
	}
	p, err := d.Person(ctx, customer)
	if err != nil {
		return nil, err
	}
	raw, err := d.Export(ctx, actor, p)
	if err != nil {
		return nil, err
	}
	out := CustomerExport{Customer: e}
	if err := json.Unmarshal(raw, &out.Desk); err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

func (d *Desk) directoryExport(ctx context.Context, customer uuid.UUID) (party.Export, error) {
	if d.cfg.Directory == nil {
		return party.Export{}, fmt.Errorf("%w: no customer directory", ErrNotConfigured)
	}
	return d.cfg.Directory.Export(ctx, d.tenant(), customer)
}
