package supportkit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
)

var errLedgerDown = errors.New("ledger down")

// answerFailingLedger fails the next record of an offer's answer, or the next claim of one,
// as a database that drops a call.
type answerFailingLedger struct {
	supportkit.Ledger
	mu                  sync.Mutex
	failDone, failClaim bool
}

func (l *answerFailingLedger) fail(flag *bool, key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !strings.HasPrefix(key, "answer/") || !*flag {
		return false
	}
	*flag = false
	return true
}

func (l *answerFailingLedger) Claim(ctx context.Context, c supportkit.Claim) (supportkit.ClaimResult, error) {
	res, err := l.Ledger.Claim(ctx, c)
	if l.fail(&l.failClaim, c.Key) {
		return supportkit.ClaimResult{}, errLedgerDown // recorded, but the answer was lost
	}
	return res, err
}

func (l *answerFailingLedger) Done(ctx context.Context, key, owner string) error {
	if l.fail(&l.failDone, key) {
		return errLedgerDown
	}
	return l.Ledger.Done(ctx, key, owner)
}

// An agent's answer whose record in the Ledger failed can be given again at once, on the
// Desk that made the offer and on another one, rather than being refused until the claim
// of the failed answer ends; the offer is still answered once.
func TestAnAnswerWhoseRecordFailedCanBeRetriedAtOnce(t *testing.T) {
	for _, c := range []struct {
		name        string
		claim       bool
		other, deny bool
	}{
		{name: "done/accept/same desk"},
		{name: "done/accept/other desk", other: true},
		{name: "done/decline/other desk", other: true, deny: true},
		{name: "claim/accept/same desk", claim: true},
		{name: "claim/decline/same desk", claim: true, deny: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			ledger := &answerFailingLedger{Ledger: supportkit.NewMemoryLedger()}
			p := newPairOver(t, ledger)
			_, o := p.offered(t, "ann")
			d := p.a
			if c.other {
				d = p.b
			}
			ledger.failDone, ledger.failClaim = !c.claim, c.claim
			answer := func() error {
				if c.deny {
					return d.Decline(ctx, o)
				}
				_, err := d.Accept(ctx, o)
				return err
			}
			require.ErrorIs(t, answer(), errLedgerDown)
			require.NoError(t, answer(), "the retry")
			assert.ErrorIs(t, answer(), routing.ErrNotOffered, "answered once")
			_, err := p.a.Accept(ctx, o)
			assert.ErrorIs(t, err, routing.ErrNotOffered)
			_, err = p.b.Accept(ctx, o)
			assert.ErrorIs(t, err, routing.ErrNotOffered)
		})
	}
}
