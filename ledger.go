package supportkit

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/supportkit/supportkit/ticket"
)

// Ledger records which hook occurrences were delivered, so that Desks that share one (in
// one process, or many processes over one database) and a Desk restarted over a durable
// one never call a hook twice for a delivered occurrence. Every occurrence has a stable
// key (see Delivery.Key). Before a Desk calls a hook it claims the occurrence; it calls
// the hook only with the claim, and records Done when the hook returned nil.
//
// Contract, checked by desktest.TestLedger:
//
//   - Safe for concurrent use by many goroutines and, for a shared implementation, many
//     processes.
//   - Claim is atomic: of concurrent Claims of one key by different owners, at most one
//     gets Claimed while the claim lasts.
//   - Once Done is recorded for a key, every later Claim reports Delivered, whoever asks
//     (until a PruningLedger's Prune forgets the key).
//   - A claim lasts until its Until. The same owner may claim again (it extends its
//     claim); another owner gets Held, with the claim's end, until then, and may claim it
//     afterwards (the first owner stopped, or gave up).
//   - An empty Key or Owner, or an Until not after Now, is an error wrapping
//     ticket.ErrInvalid, with nothing recorded.
//   - Methods honour ctx cancellation where they block.
//
// MemoryLedger is the in-memory implementation; the PostgreSQL module has a durable one.
// A Ledger that can claim and record many occurrences in one round trip implements
// BatchLedger as well.
type Ledger interface {
	// Claim reserves the delivery of c.Key for c.Owner until c.Until, as of c.Now.
	Claim(ctx context.Context, c Claim) (ClaimResult, error)
	// Done records that key was delivered. It succeeds whoever holds the claim (the effect
	// took place), and for a key never claimed.
	Done(ctx context.Context, key, owner string) error
}

// BatchLedger is a Ledger that claims, and records delivered, many occurrences at once: a
// Desk that finds several occurrences together (the warnings of one CheckClocks, the
// retries of one RetryHooks) claims them in one call, calls the hooks it won, and records
// those that returned nil in one call, instead of a claim and a record per occurrence.
//
// Contract, checked by desktest.TestLedger when the Ledger implements it, besides Ledger's:
//
//   - ClaimBatch answers each claim as Claim would, in the order given: results[i] is
//     the answer to claims[i]. An empty batch returns no results and no error.
//   - A claim that Claim would reject, or a key given twice in one batch, is an error
//     wrapping ticket.ErrInvalid, with nothing of the batch recorded.
//   - DoneBatch records each key delivered, as Done. An empty key or owner is an error
//     wrapping ticket.ErrInvalid, with nothing recorded; a key given twice counts once.
//   - Every caller sees a batch's records as soon as the call returned. An
//     implementation may make them durable a moment later (a database that commits
//     without waiting for its disk), which it documents: a crash of its storage then
//     loses the records of that moment, and the Desk may call the hook of an occurrence
//     recorded in it again (see Hooks).
type BatchLedger interface {
	Ledger
	// ClaimBatch makes every claim of claims and returns their answers in order.
	ClaimBatch(ctx context.Context, claims []Claim) ([]ClaimResult, error)
	// DoneBatch records every key of keys delivered by owner.
	DoneBatch(ctx context.Context, keys []string, owner string) error
}

// KeepingLedger is a Ledger that also keeps the occurrences a Desk cannot find again in
// the ticket log (an accepted offer of a ticket that was already the agent's, a mail
// acknowledgement), each with the payload the Desk needs to deliver it. A Desk keeps
// such an occurrence before it first calls its hook, and Load delivers again those kept
// and not recorded delivered, so that neither a failure nor a restart loses them. Over a
// Ledger that is not a KeepingLedger, they are delivered by the Desk that found them only.
//
// Contract, checked by desktest.TestLedger when the Ledger implements it, besides Ledger's:
//
//   - Keep records key kept with payload; it does not claim it. Keeping a key kept
//     already keeps its first payload; keeping a key recorded delivered changes nothing.
//     An empty key is an error wrapping ticket.ErrInvalid, with nothing recorded.
//   - Kept lists the kept keys greater than after that are not recorded delivered, in
//     key order, at most limit of them, with their payloads: a claim does not hide a
//     key, Done does. A limit under 1 is an error wrapping ticket.ErrInvalid.
type KeepingLedger interface {
	Ledger
	// Keep records the occurrence key kept, with payload.
	Keep(ctx context.Context, key string, payload []byte) error
	// Kept lists the kept occurrences not delivered after key after, at most limit.
	Kept(ctx context.Context, after string, limit int) ([]KeptOccurrence, error)
}

// PruningLedger is a Ledger that forgets the records it no longer needs, so that it does
// not grow by one record per occurrence for ever: a Desk over one prunes it from Run (see
// Config.LedgerRetention, which says why a record pruned there is never needed again).
//
// Contract, checked by desktest.TestLedger when the Ledger implements it, besides Ledger's:
//
//   - Prune forgets every key recorded delivered whose last claim ended before before
//     (the Until of the last Claim that returned Claimed: Done does not change it), and
//     every key not recorded delivered whose last claim ended before before, and returns
//     how many keys it forgot. A key forgotten is as if it had never been claimed: a
//     later Claim of it is Claimed.
//   - It never forgets a key kept (KeepingLedger) and not recorded delivered, nor its
//     payload nor its claim; a key whose claim ends at or after before; or a key
//     recorded delivered that was never claimed (it has no instant to compare).
//   - Methods honour ctx cancellation where they block.
type PruningLedger interface {
	Ledger
	// Prune forgets the records that ended before before and returns how many.
	Prune(ctx context.Context, before time.Time) (int, error)
}

// KeptOccurrence is an occurrence a KeepingLedger keeps.
type KeptOccurrence struct {
	Key     string // the occurrence's key (Delivery.Key)
	Payload []byte // what Keep was given with it
}

// Claim is a request to deliver one occurrence.
type Claim struct {
	Key   string    // the occurrence's key; required
	Owner string    // who delivers it: the Desk's Config.Instance (for an offer's answer, that and a token of the answer's own); required
	Now   time.Time // the claimer's clock, to which expiry is compared
	Until time.Time // when the claim ends unless renewed; after Now
}

// ClaimState is the answer to a Claim.
type ClaimState uint8

const (
	// Claimed: the caller holds the claim and may call the hook.
	Claimed ClaimState = iota + 1
	// Delivered: the occurrence was delivered; the hook must not be called.
	Delivered
	// Held: another owner holds the claim until ClaimResult.Until.
	Held
)

// String returns "claimed", "delivered" or "held".
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case Delivered:
		return "delivered"
	case Held:
		return "held"
	}
	return fmt.Sprintf("ClaimState(%d)", uint8(s))
}

// ClaimResult is the state of a claimed key.
type ClaimResult struct {
	State ClaimState // Claimed (the caller now holds it), Held (another holds it) or Delivered
	// Until is when the claim ends: the caller's for Claimed, the holder's for Held; zero
	// for Delivered.
	Until time.Time
}

// MemoryLedger is the in-memory Ledger: deliveries are remembered as long as the value
// lives, so Desks of one process that share it deliver each occurrence once, but a restart
// forgets them. It is a KeepingLedger, whose kept occurrences live as long, and a
// PruningLedger, which a Desk prunes (Config.LedgerRetention). The zero
// MemoryLedger is empty and ready to use; it is safe for concurrent use. It is not a
// BatchLedger: its calls cost no round trip, and a host type that embeds it to wrap Claim
// or Done keeps every delivery going through them.
type MemoryLedger struct {
	mu   sync.Mutex
	keys map[string]ledgerEntry
	kept map[string][]byte // kept occurrences not delivered
}

type ledgerEntry struct {
	owner     string
	until     time.Time // when the last claim ends; zero for a key never claimed
	delivered bool
}

var (
	_ KeepingLedger = (*MemoryLedger)(nil)
	_ PruningLedger = (*MemoryLedger)(nil)
)

// NewMemoryLedger returns an empty MemoryLedger.
func NewMemoryLedger() *MemoryLedger { return &MemoryLedger{} }

// Claim implements Ledger.
func (l *MemoryLedger) Claim(ctx context.Context, c Claim) (ClaimResult, error) {
	if err := ctx.Err(); err != nil {
		return ClaimResult{}, err
	}
	if err := c.validate(); err != nil {
		return ClaimResult{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = make(map[string]ledgerEntry)
	}
	e, ok := l.keys[c.Key]
	switch {
	case ok && e.delivered:
		return ClaimResult{State: Delivered}, nil
	case ok && e.owner != c.Owner && c.Now.Before(e.until):
		return ClaimResult{State: Held, Until: e.until}, nil
	}
	l.keys[c.Key] = ledgerEntry{owner: c.Owner, until: c.Until}
	return ClaimResult{State: Claimed, Until: c.Until}, nil
}

// Done implements Ledger.
func (l *MemoryLedger) Done(ctx context.Context, key, owner string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" || owner == "" {
		return fmt.Errorf("%w: ledger: empty key or owner", ticket.ErrInvalid)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = make(map[string]ledgerEntry)
	}
	l.keys[key] = ledgerEntry{owner: owner, until: l.keys[key].until, delivered: true}
	delete(l.kept, key)
	return nil
}

// Prune implements PruningLedger.
func (l *MemoryLedger) Prune(ctx context.Context, before time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for key, e := range l.keys {
		if _, kept := l.kept[key]; !kept && !e.until.IsZero() && e.until.Before(before) {
			delete(l.keys, key)
			n++
		}
	}
	return n, nil
}

// Keep implements KeepingLedger.
func (l *MemoryLedger) Keep(ctx context.Context, key string, payload []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if key == "" {
		return fmt.Errorf("%w: ledger: empty key", ticket.ErrInvalid)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.kept[key]; ok || l.keys[key].delivered {
		return nil
	}
	if l.kept == nil {
		l.kept = make(map[string][]byte)
	}
	l.kept[key] = slices.Clone(payload)
	return nil
}

// Kept implements KeepingLedger.
func (l *MemoryLedger) Kept(ctx context.Context, after string, limit int) ([]KeptOccurrence, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("%w: ledger: limit %d", ticket.ErrInvalid, limit)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []KeptOccurrence
	for key, payload := range l.kept {
		if key > after {
			out = append(out, KeptOccurrence{Key: key, Payload: slices.Clone(payload)})
		}
	}
	slices.SortFunc(out, func(a, b KeptOccurrence) int { return cmp.Compare(a.Key, b.Key) })
	return out[:min(len(out), limit)], nil
}

func (c Claim) validate() error {
	switch {
	case c.Key == "":
		return fmt.Errorf("%w: ledger: empty claim key", ticket.ErrInvalid)
	case c.Owner == "":
		return fmt.Errorf("%w: ledger: empty claim owner", ticket.ErrInvalid)
	case !c.Until.After(c.Now):
		return fmt.Errorf("%w: ledger: claim ends at or before its start", ticket.ErrInvalid)
	}
	return nil
}
