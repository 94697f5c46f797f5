package supportkit

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/supportkit/supportkit/ticket"
)

// keptPage is how many kept occurrences Load reads from a KeepingLedger at a time.
const keptPage = 200

// deliverKept is deliver for an occurrence the ticket log does not show: it is kept first
// in a KeepingLedger, with payload, so that Load delivers it after a restart if it was
// not. It is kept even when ctx ends meanwhile (the write it follows has committed),
// with RetryPolicy.Timeout of its own. A failure to keep it is logged, and the delivery
// goes on.
func (d *Desk) deliverKept(ctx context.Context, key, hook string, t ticket.Ticket, payload []byte, call func(context.Context, ticket.Ticket) error) {
	if kl, ok := d.cfg.Ledger.(KeepingLedger); ok {
		// The write it follows has committed: it is kept even when ctx ends now.
		rctx, cancel := recording(ctx, d.cfg.Retry.Timeout)
		err := kl.Keep(rctx, key, payload)
		cancel()
		if err != nil {
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
// now) stays kept for the next Load, but for one whose ticket the store no longer has
// (abandonGone).
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
	if errors.Is(err, ticket.ErrNotFound) {
		d.abandonGone(ctx, k.Key, tid)
	}
	if err != nil {
		return
	}
	deliver(t)
}

// abandonGone records kept occurrence key of ticket id delivered when the store no longer
// has the ticket (of any tenant), and logs it: nothing can deliver it any more, and a
// ledger that kept it would list it at every Load for ever. A ticket of another tenant
// stays kept, for the Desks of that tenant. A failure is logged, and tried again at the
// next Load.
func (d *Desk) abandonGone(ctx context.Context, key string, id uuid.UUID) {
	if _, err := d.cfg.Store.Ticket(ctx, id); !errors.Is(err, ticket.ErrNotFound) {
		return
	}
	if err := d.cfg.Ledger.Done(ctx, key, d.cfg.Instance); err != nil {
		d.cfg.Logger.Warn().Err(err).Str("key", key).Msg("desk: a kept occurrence of a ticket the store no longer has could not be abandoned")
		return
	}
	d.cfg.Logger.Warn().Str("key", key).Msg("desk: a kept occurrence was abandoned: the store no longer has its ticket")
}
