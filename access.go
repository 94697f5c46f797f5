package supportkit

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/ticket"
)

// CustomerPrincipal returns a ticket.Policy Principal that knows customers from the
// Directory. An actor of Kind ticket.ActorCustomer whose ID names a customer of the tenant
// (for a merged customer, the one it was merged into) is a ticket.RoleCustomer whose own
// tickets are those filed under the customer's ID, the IDs of the customers merged into it
// and its email addresses, in its organization, whose members' tickets it reads when the
// organization's SharedTickets is set. Any other customer actor (an erased customer, or one
// the Directory does not know) is a RoleCustomer with no organization, as in the zero
// Policy. Every other actor is what staff says; a nil staff makes them ticket.RoleAdmin, as
// the zero Policy does. Errors: the Directory's, except for a missing record.
func CustomerPrincipal(dir *party.Service, tenant string, staff func(context.Context, ticket.Actor) (ticket.Principal, error)) func(context.Context, ticket.Actor) (ticket.Principal, error) {
	return func(ctx context.Context, a ticket.Actor) (ticket.Principal, error) {
		if a.Kind != ticket.ActorCustomer {
			if staff == nil {
				return ticket.Principal{Role: ticket.RoleAdmin}, nil
			}
			return staff(ctx, a)
		}
		p := ticket.Principal{Role: ticket.RoleCustomer}
		id, err := uuid.Parse(a.ID)
		if err != nil {
			return p, nil
		}
		c, err := dir.Customer(ctx, tenant, id)
		if err != nil || c.Erased() {
			return p, ignoreNotFound(err)
		}
		p.Identities = append([]string{c.ID.String()}, c.Emails...)
		for _, m := range c.Absorbed {
			p.Identities = append(p.Identities, m.String())
		}
		if c.Organization == uuid.Nil {
			return p, nil
		}
		o, err := dir.Organization(ctx, tenant, c.Organization)
		if err != nil {
			return p, ignoreNotFound(err)
		}
		p.Organization, p.SharesOrganization = o.ID.String(), o.SharedTickets
		return p, nil
	}
}

func ignoreNotFound(err error) error {
	if errors.Is(err, party.ErrNotFound) {
		return nil
	}
	return err
}

// directoryDefaults fills the part of cfg that the Directory provides when the host left
// it unset: the ticket policy (ticket.Policy with CustomerPrincipal, agents and bots seeing
// everything). The SLA segment is read by Desk.segment.
func directoryDefaults(cfg *Config) {
	if cfg.Directory == nil {
		return
	}
	if cfg.Tickets.Authorizer == nil {
		cfg.Tickets.Authorizer = ticket.Policy{Principal: CustomerPrincipal(cfg.Directory, cfg.Tickets.Tenant, nil)}
	}
}
