package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/postgres"
)

// flakySender fails while down is set and counts what it sends.
type flakySender struct {
	mu   sync.Mutex
	down bool
	sent []string
}

func (s *flakySender) Send(_ context.Context, _ string, _ []string, msg []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return errors.New("smtp down")
	}
	s.sent = append(s.sent, string(msg))
	return nil
}

func (s *flakySender) set(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *flakySender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// An acknowledgement whose Sender failed is kept in the PostgreSQL ledger: a process
// started afterwards over the same schema sends it once, however many times it Loads.
func TestAFailedAcknowledgementIsSentOnceAfterARestart(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	sender := &flakySender{down: true}
	open := func() (*supportkit.Desk, *supportkit.Mailroom) {
		store, err := postgres.NewTicketStore(s.pool, postgres.Config{Schema: s.schema})
		require.NoError(t, err)
		ledger, err := postgres.NewLedger(s.pool, postgres.Config{Schema: s.schema})
		require.NoError(t, err)
		desk, err := supportkit.New(supportkit.Config{Store: store, Ledger: ledger, Instance: "desk", Now: now})
		require.NoError(t, err)
		room, err := supportkit.NewMailroom(desk, supportkit.MailConfig{Addresses: []email.Address{{Address: "support@desk.example"}}, Sender: sender})
		require.NoError(t, err)
		return desk, room
	}
	_, room := open()
	msg := "From: Ann <ann@example.com>\r\nTo: support@desk.example\r\nSubject: Printer\r\nMessage-ID: <ack-1@example.com>\r\n\r\nIt does not print.\r\n"
	res, err := room.Receive(ctx, strings.NewReader(msg))
	require.Error(t, err)
	require.Equal(t, supportkit.MailCreated, res.Action)
	sender.set(false)

	for range 2 {
		desk, _ := open()
		require.NoError(t, desk.Load(ctx))
		require.NoError(t, desk.Load(ctx))
		assert.Empty(t, desk.Deliveries())
	}
	require.Equal(t, 1, sender.count())
	assert.Contains(t, sender.sent[0], "In-Reply-To: <ack-1@example.com>")
}
