package postgres_test

import (
	"context"
	"net"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// roundTrips counts round trips on every connection of a pool: a write to the server that
// follows a read from it (or starts the connection) begins one.
type roundTrips struct {
	mu     sync.Mutex
	n      int
	counts bool // whether round trips are being counted
}

func (r *roundTrips) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, r: r}, nil
}

// measure returns how many round trips fn takes.
func (r *roundTrips) measure(fn func()) int {
	r.mu.Lock()
	r.n, r.counts = 0, true
	r.mu.Unlock()
	fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts = false
	return r.n
}

type countingConn struct {
	net.Conn
	r       *roundTrips
	written bool // whether the connection's last operation was a write
}

func (c *countingConn) Write(b []byte) (int, error) {
	c.r.mu.Lock()
	if !c.written && c.r.counts {
		c.r.n++
	}
	c.written = true
	c.r.mu.Unlock()
	return c.Conn.Write(b)
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.r.mu.Lock()
	c.written = false
	c.r.mu.Unlock()
	return n, err
}

// TestEveryWriteIsOneRoundTrip measures the round trips of the store's calls once their
// statements are prepared: a Create takes two (draw the number and look up the key; then the
// whole write), an Update of two tickets with comments and events one, a read one.
func TestEveryWriteIsOneRoundTrip(t *testing.T) {
	ctx := context.Background()
	rt := &roundTrips{}
	st := newSetup(t, func(c *pgxpool.Config) {
		c.MaxConns = 1
		c.ConnConfig.DialFunc = rt.dial
	})
	s := st.store
	warm := func() (ticket.Ticket, ticket.Ticket) {
		a, _, err := s.Create(ctx, creation(""))
		require.NoError(t, err)
		b, _, err := s.Create(ctx, creation(""))
		require.NoError(t, err)
		return a, b
	}
	a, b := warm()
	_, err := s.Update(ctx, appendComment(a), appendComment(b))
	require.NoError(t, err)
	_, err = s.Ticket(ctx, a.ID)
	require.NoError(t, err)
	a, b = warm()

	assert.Equal(t, 2, rt.measure(func() { _, _, err = s.Create(ctx, creation("")) }), "Create")
	require.NoError(t, err)
	assert.Equal(t, 1, rt.measure(func() { _, err = s.Update(ctx, appendComment(a), appendComment(b)) }), "Update of two tickets")
	require.NoError(t, err)
	assert.Equal(t, 1, rt.measure(func() { _, err = s.Ticket(ctx, a.ID) }), "Ticket")
	require.NoError(t, err)
}

// appendComment is a change of t that adds a comment and its event.
func appendComment(t ticket.Ticket) ticket.Change {
	c := creation("")
	t.CommentCount++
	t.LastEventSeq++
	cm := c.Comments[0]
	cm.TicketID, cm.Seq = t.ID, t.CommentCount
	ev := ticket.Event{TicketID: t.ID, Seq: t.LastEventSeq, Kind: ticket.EventCommented, CommentID: cm.ID}
	return ticket.Change{Ticket: t, Comments: []ticket.Comment{cm}, Events: []ticket.Event{ev}}
}
