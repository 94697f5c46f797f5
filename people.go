package supportkit

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// HostSystem is the name under which the Desk keeps a requester's host ID ("cust-17"),
// one that is not a Directory customer's ID, among the customer's party.Customer.ExternalIDs.
const HostSystem = "host"

// Create creates a ticket as ticket.Service.Create does, after resolving its requester to a
// Directory customer (see Resolve): the ticket carries the customer's ID and organization,
// and the name, email and language the requester gave (filled from the customer where
// empty) for the audit log. Create is the host's call, so a triage it carries (type, impact,
// urgency, priority, status, assignee, group, line, tags, fields, or the customer's
// organization) is the host's: unless nt.TriagedBy says who decided it, it is ticket.System,
// and a ticket policy checks the customer only for what a customer may say. Without
// Config.Directory it is Tickets().Create. Errors: those of Resolve and of
// ticket.Service.Create.
func (d *Desk) Create(ctx context.Context, nt ticket.NewTicket) (ticket.Ticket, error) {
	r, err := d.Resolve(ctx, nt.Requester)
	if err != nil {
		return ticket.Ticket{}, err
	}
	nt.Requester = r
	if nt.TriagedBy == (ticket.Actor{}) && (carriesTriage(nt) || r.Organization != "") {
		nt.TriagedBy = ticket.System // the host's call: its triage is not the customer's
	}
	return d.tickets.Create(ctx, nt)
}

// carriesTriage reports whether nt sets any field of the triage (see ticket.NewTicket's
// TriagedBy).
func carriesTriage(nt ticket.NewTicket) bool {
	return nt.Type != "" || nt.Impact != "" || nt.Urgency != "" || nt.Priority != "" || nt.Status != "" ||
		nt.Assignee != "" || nt.Group != "" || nt.Line != 0 || len(nt.Tags) > 0 || len(nt.Fields) > 0
}

// Receive files a customer message as ticket.Service.Receive does, after resolving its
// sender to a Directory customer (see Resolve). A reply that names a ticket of the same
// person under another requester (a customer since merged into the sender's, or the
// sender's address or host ID on a ticket made before the Desk had a Directory) threads
// onto it.
// Without Config.Directory it is Tickets().Receive. Errors: those of Resolve and of
// ticket.Service.Receive.
func (d *Desk) Receive(ctx context.Context, m ticket.Inbound) (ticket.Ticket, error) {
	from, err := d.Resolve(ctx, m.From)
	if err != nil {
		return ticket.Ticket{}, err
	}
	m.From = d.threadAs(ctx, from, m.Subject)
	return d.tickets.Receive(ctx, m)
}

// threadAs returns from as the ticket service must see it to thread a reply onto the ticket
// the subject names when that ticket is the same person's under another requester: a
// customer since merged into from's, or the customer's host ID or address on a ticket made
// before the Desk had a Directory: from takes that ticket's requester ID (and, when it has
// none, its email). Otherwise from is returned unchanged.
func (d *Desk) threadAs(ctx context.Context, from ticket.Requester, subject string) ticket.Requester {
	numbers := d.cfg.Tickets.Numbers
	if numbers == nil {
		numbers = ticket.PrefixNumbers{}
	}
	number, ok := numbers.Find(subject)
	if d.cfg.Directory == nil || !ok {
		return from
	}
	t, err := d.tickets.GetByNumber(ctx, number)
	if err != nil || t.Requester.ID == from.ID {
		return from
	}
	if owner, err := d.owner(ctx, t.Requester); err == nil && owner.ID.String() == from.ID {
		from.ID = t.Requester.ID
		if from.ID == "" {
			from.Email = t.Requester.Email
		}
	}
	return from
}

// owner returns the Directory customer that requester r of a stored ticket is now: the one
// its ID names (followed through merges), or, for a ticket without an ID, the one holding
// its email, or for a host ID, the one holding it as its HostSystem external ID. It creates
// nothing.
func (d *Desk) owner(ctx context.Context, r ticket.Requester) (party.Customer, error) {
	dir := d.cfg.Directory
	if id, err := uuid.Parse(r.ID); err == nil {
		return dir.Customer(ctx, d.tenant(), id)
	}
	if r.ID != "" {
		return dir.FindByExternalID(ctx, d.tenant(), HostSystem, r.ID)
	}
	return dir.FindByEmail(ctx, d.tenant(), r.Email)
}

// Resolve returns r as a ticket of the Desk should carry it: its ID the ID of a Directory
// customer of the Desk's tenant (Config.Tickets.Tenant), its Organization that customer's
// organization, and its Name, Email and Language as given, each filled from the customer
// when empty. The customer is
//
//   - the one r.ID names, when it is a customer's ID (for a merged customer, the one it
//     was merged into);
//   - otherwise the one holding r.Email, or r.ID as its HostSystem external ID; such a
//     customer is created when there is none (party.Service.CreateCustomer, so a new
//     customer from an organization's email domain joins it).
//
// Without Config.Directory it returns r unchanged. Errors: party.ErrInvalid for an email
// the Directory refuses or a customer that was erased; ticket.ErrInvalid for a requester
// with neither an ID nor an email; the Directory's errors.
func (d *Desk) Resolve(ctx context.Context, r ticket.Requester) (ticket.Requester, error) {
	if d.cfg.Directory == nil {
		return r, nil
	}
	c, err := d.customerOf(ctx, r)
	if err != nil {
		return ticket.Requester{}, err
	}
	if c.Erased() {
		return ticket.Requester{}, &party.ValidationError{Field: "requester", Reason: "customer " + c.ID.String() + " was erased"}
	}
	r.ID = c.ID.String()
	if c.Organization != uuid.Nil {
		r.Organization = c.Organization.String()
	}
	if r.Name == "" {
		r.Name = c.Name
	}
	if r.Email == "" {
		r.Email = c.Email()
	}
	if r.Language == language.Und {
		r.Language = c.Language
	}
	return r, nil
}

func (d *Desk) customerOf(ctx context.Context, r ticket.Requester) (party.Customer, error) {
	dir := d.cfg.Directory
	if id, err := uuid.Parse(r.ID); err == nil {
		c, err := dir.Customer(ctx, d.tenant(), id)
		if !errors.Is(err, party.ErrNotFound) {
			return c, err
		}
	}
	nc := party.NewCustomer{Tenant: d.tenant(), Name: r.Name, Language: r.Language}
	if r.Email != "" {
		nc.Emails = []string{r.Email}
	}
	if r.ID != "" {
		nc.ExternalIDs = map[string]string{HostSystem: r.ID}
	}
	if nc.Emails == nil && nc.ExternalIDs == nil {
		return party.Customer{}, &ticket.ValidationError{Field: "requester", Reason: "needs an ID or an email"}
	}
	c, _, err := dir.CreateCustomer(ctx, nc)
	return c, err
}

func (d *Desk) tenant() string { return d.cfg.Tickets.Tenant }

// History returns every ticket of the customer with the given ID in the Desk's tenant: those
// filed under the customer's ID, under the IDs of the customers merged into it, and under its
// email addresses before it was known by ID. Tickets that are not solved or closed come
// first; within each part, the newest first. Errors: ErrNotConfigured without
// Config.Directory; party.ErrNotFound for a customer not in the tenant; the ticket store's
// errors.
func (d *Desk) History(ctx context.Context, customer uuid.UUID) ([]ticket.Ticket, error) {
	if d.cfg.Directory == nil {
		return nil, fmt.Errorf("%w: no customer directory", ErrNotConfigured)
	}
	c, err := d.cfg.Directory.Customer(ctx, d.tenant(), customer)
	if err != nil {
		return nil, err
	}
	keys := append([]string{c.ID.String()}, c.Emails...)
	for _, id := range c.Absorbed {
		keys = append(keys, id.String())
	}
	var queries []ticket.Query
	for _, k := range keys {
		queries = append(queries, ticket.Query{Requester: k, Limit: 1000})
	}
	return d.history(ctx, queries)
}

// OrganizationHistory returns every ticket whose requester belonged to the organization
// when the ticket was made (ticket.Requester.Organization), ordered as History. Errors:
// ErrNotConfigured without Config.Directory; party.ErrNotFound for an organization not in
// the Desk's tenant; the ticket store's errors.
func (d *Desk) OrganizationHistory(ctx context.Context, org uuid.UUID) ([]ticket.Ticket, error) {
	if d.cfg.Directory == nil {
		return nil, fmt.Errorf("%w: no customer directory", ErrNotConfigured)
	}
	if _, err := d.cfg.Directory.Organization(ctx, d.tenant(), org); err != nil {
		return nil, err
	}
	return d.history(ctx, []ticket.Query{{Organization: org.String(), Limit: 1000}})
}

// history lists the tickets of every query once each, open ones first, newest first.
func (d *Desk) history(ctx context.Context, queries []ticket.Query) ([]ticket.Ticket, error) {
	seen := make(map[uuid.UUID]bool)
	out := []ticket.Ticket{}
	for _, q := range queries {
		for t, err := range d.tickets.All(ctx, q) {
			if err != nil {
				return nil, err
			}
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, func(a, b ticket.Ticket) int {
		if ao, bo := isOpen(a), isOpen(b); ao != bo {
			if ao {
				return -1
			}
			return 1
		}
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), slices.Compare(b.ID[:], a.ID[:]))
	})
	return out, nil
}

func isOpen(t ticket.Ticket) bool { return t.Status.Category() != ticket.CategorySolved }

// DirectoryTimeout bounds each Directory read the Desk makes to name a ticket's segment
// (CustomerSegment, and the Desk's own reads under the ctx of the call that evaluates
// clocks), so that a Directory whose database hangs delays an evaluation at most this long
// instead of stalling the Desk; the read then counts as failed (see Config.Segment for what
// the Desk does then; CustomerSegment answers "").
const DirectoryTimeout = 5 * time.Second

// CustomerSegment returns a Config.Segment (and a helper for a Config.Task) that names a
// ticket's segment from the Directory: the requester customer's own segment, else their
// organization's, else the segment of the ticket's organization (Requester.Organization);
// "" when the requester is no customer of the tenant or the Directory cannot be read
// within DirectoryTimeout. It reads the Directory as it is when called, so a customer who
// becomes "vip" gets the vip policy on their open tickets from the next evaluation on. A
// Desk with a Directory and no Segment of its own reads the segment the same way, under
// the ctx of the call that evaluates the ticket, bounded by DirectoryTimeout.
func CustomerSegment(dir *party.Service, tenant string) func(ticket.Ticket) string {
	return func(t ticket.Ticket) string {
		ctx, cancel := context.WithTimeout(context.Background(), DirectoryTimeout)
		defer cancel()
		return customerSegment(ctx, dir, tenant, t)
	}
}

// customerSegment is CustomerSegment's read, under ctx: "" when it fails.
func customerSegment(ctx context.Context, dir *party.Service, tenant string, t ticket.Ticket) string {
	s, _ := readSegment(ctx, dir, tenant, t)
	return s
}

// readSegment names t's segment from the Directory as CustomerSegment does; a requester or
// organization the Directory does not have (party.ErrNotFound) has none. Any other error
// is the Directory's failure, returned with "": the segment is then unknown, not empty.
func readSegment(ctx context.Context, dir *party.Service, tenant string, t ticket.Ticket) (string, error) {
	if id, err := uuid.Parse(t.Requester.ID); err == nil {
		s, err := dir.Segment(ctx, tenant, id)
		switch {
		case err == nil:
			return s, nil
		case !errors.Is(err, party.ErrNotFound):
			return "", err
		}
	}
	if id, err := uuid.Parse(t.Requester.Organization); err == nil {
		o, err := dir.Organization(ctx, tenant, id)
		switch {
		case err == nil:
			return o.Segment, nil
		case !errors.Is(err, party.ErrNotFound):
			return "", err
		}
	}
	return "", nil
}
