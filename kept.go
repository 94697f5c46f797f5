package supportkit

import (
	"context"
	"strings"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// keptPage is how many kept occurrences Load reads from a KeepingLedger at a time.
const keptPage = 200

// deliverKept is deliver for an occurrence the ticket log does not show: it is kept first
// in a KeepingLedger, with payload, so that Load delivers it after a restart if it was
// not. A failure to keep it is logged, and the delivery goes on.
func (d *Desk) deliverKept(ctx context.Context, key, hook string, t ticket.Ticket, payload []byte, call func(context.Context, ticket.Ticket) error) {
	if kl, ok := d.cfg.Ledger.(KeepingLedger); ok {
		if err := kl.Keep(ctx, key, payload); err != nil {
			d.cfg.Logger.Warn().Err(err).Str("hook", hook).Str("key", key).Msg("desk: an occurrence could not be kept in the ledger; a restart may miss it")
		}
	}
	d.deliver(ctx, key, hook, t, call)
}

// redeliverKept delivers the occurrences a KeepingLedger keeps and holds undelivered, as
// Load does after applying the log. Errors: the Ledger's.
func (d *Desk) redeliverKept(ctx context.Context) error {
	kl, ok := d.cfg.Ledger.(KeepingLedger)
	if !ok {
		return nil
	}
	after := ""
	for {
		page, err := kl.Kept(ctx, after, keptPage)
		if err != nil {
			return err
		}
		for _, k := range page {
			d.redeliverOne(ctx, k)
		}
		if len(page) < keptPage {
			return nil
		}
		after = page[len(page)-1].Key
	}
}

// redeliverOne delivers kept occurrence k: the OnAssigned of an accepted offer, or the
// acknowledgement of the Desk's acknowledging Mailroom. One the Desk cannot deliver (its
// hook or Mailroom is not set, its ticket is not of the Desk's tenant or cannot be read
// now) stays kept for the next Load.
func (d *Desk) redeliverOne(ctx context.Context, k KeptOccurrence) {
	kind, rest, _ := strings.Cut(k.Key, "/")
	if kind == "mail" {
		kind, rest, _ = strings.Cut(rest, "/")
		kind = "mail/" + kind
	}
	id, _, _ := strings.Cut(rest, "/")
	var deliver func(ticket.Ticket)
	switch h, r := d.cfg.Hooks.OnAssigned, d.acker.Load(); {
	case kind == "accepted" && h != nil:
		deliver = func(t ticket.Ticket) { d.deliver(ctx, k.Key, "OnAssigned", t, h) }
	case kind == "mail/acknowledgement" && r != nil && k.Key == ackKey(id):
		deliver = func(t ticket.Ticket) { r.redeliverAck(ctx, t, k.Payload) }
	default:
		return
	}
	tid, err := uuid.Parse(id)
	if err != nil {
		return
	}
	t, err := d.tickets.Get(ctx, tid)
	if err != nil {
		return
	}
	deliver(t)
}
