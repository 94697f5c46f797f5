package mailserver_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/backend/memory"
	imapserver "github.com/emersion/go-imap/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/email/mailserver"
)

// imapBox runs an in-memory IMAP server on loopback and returns its address and INBOX.
func imapBox(t *testing.T) (string, *memory.Mailbox) {
	t.Helper()
	be := memory.New()
	u, err := be.Login(nil, "username", "password")
	require.NoError(t, err)
	mb, err := u.GetMailbox("INBOX")
	require.NoError(t, err)
	inbox := mb.(*memory.Mailbox)
	inbox.Messages = nil // drop the backend's sample message
	s := imapserver.New(be)
	s.AllowInsecureAuth = true
	s.ErrorLog = nopLog{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = s.Serve(l) }()
	t.Cleanup(func() { s.Close() })
	return l.Addr().String(), inbox
}

type nopLog struct{}

func (nopLog) Printf(string, ...any) {}
func (nopLog) Println(...any)        {}

func add(t *testing.T, inbox *memory.Mailbox, raw string) {
	t.Helper()
	require.NoError(t, inbox.CreateMessage(nil, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), bytes.NewBufferString(raw)))
}

func flags(inbox *memory.Mailbox) [][]string {
	var out [][]string
	for _, m := range inbox.Messages {
		f := slices.Clone(m.Flags)
		slices.Sort(f)
		out = append(out, f)
	}
	return out
}

func newPoller(t *testing.T, addr string, h mailserver.Handler) *mailserver.Poller {
	t.Helper()
	p, err := mailserver.NewPoller(h, mailserver.PollerConfig{Addr: addr, Username: "username", Password: "password", MaxMessageBytes: 4096, Timeout: 10 * time.Second})
	require.NoError(t, err)
	return p
}

const autoReply = "From: ann@example.com\r\nSubject: Automatic reply: VPN\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <o1@example.com>\r\n\r\nI am out of the office.\r\n"

func TestPollerFilesUnseenMailAndMarksIt(t *testing.T) {
	addr, inbox := imapBox(t)
	add(t, inbox, customerMail)
	add(t, inbox, autoReply)
	add(t, inbox, "\r\n\r\nnot mail at all\r\n")
	add(t, inbox, customerMail+string(bytes.Repeat([]byte("padding line of the message body\r\n"), 200)))
	room, res := newRoom(t)
	p := newPoller(t, addr, mailserver.MailroomHandler(room, res.add))

	n, err := p.Poll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, n, "the customer's mail and the auto-reply are handed on")
	got := res.all()
	require.Len(t, got, 2)
	assert.Equal(t, supportkit.MailCreated, got[0].Action)
	assert.Equal(t, supportkit.MailIgnored, got[1].Action)
	assert.Equal(t, [][]string{
		{imap.SeenFlag},
		{imap.SeenFlag},
		{mailserver.FailedFlag, imap.SeenFlag}, // unreadable: flagged for a person
		{mailserver.FailedFlag, imap.SeenFlag}, // over MaxMessageBytes: never fetched
	}, flags(inbox))

	n, err = p.Poll(context.Background())
	require.NoError(t, err)
	assert.Zero(t, n, "nothing unseen is left")
	assert.Len(t, res.all(), 2)
}

func TestPollerLeavesMailUnseenOnATemporaryFailure(t *testing.T) {
	addr, inbox := imapBox(t)
	add(t, inbox, customerMail)
	down := errors.New("database unavailable")
	failing := mailserver.HandlerFunc(func(_ context.Context, _ string, _ []string, r io.Reader) error {
		_, _ = io.Copy(io.Discard, r)
		return down
	})
	_, err := newPoller(t, addr, failing).Poll(context.Background())
	require.ErrorIs(t, err, down)
	assert.Equal(t, [][]string{nil}, flags(inbox))

	room, res := newRoom(t)
	n, err := newPoller(t, addr, mailserver.MailroomHandler(room, res.add)).Poll(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the next pass files it")
}

func TestPollerRunStopsWithItsContext(t *testing.T) {
	addr, inbox := imapBox(t)
	room, res := newRoom(t)
	p, err := mailserver.NewPoller(mailserver.MailroomHandler(room, res.add), mailserver.PollerConfig{Addr: addr, Username: "username", Password: "password", Interval: 20 * time.Millisecond})
	require.NoError(t, err)
	add(t, inbox, customerMail) // before Run: the in-memory IMAP backend is not safe for concurrent use
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	require.Eventually(t, func() bool { return len(res.all()) == 1 }, 5*time.Second, 10*time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestPollerReportsAWrongPassword(t *testing.T) {
	addr, _ := imapBox(t)
	p, err := mailserver.NewPoller(mailserver.HandlerFunc(func(context.Context, string, []string, io.Reader) error { return nil }),
		mailserver.PollerConfig{Addr: addr, Username: "username", Password: "wrong"})
	require.NoError(t, err)
	_, err = p.Poll(context.Background())
	require.Error(t, err)
}

func TestNewPollerRefusesBadConfig(t *testing.T) {
	h := mailserver.HandlerFunc(func(context.Context, string, []string, io.Reader) error { return nil })
	for _, cfg := range []mailserver.PollerConfig{{}, {Addr: "x:1", Username: "u"}, {Addr: "x:1", Username: "u", Password: "p", Batch: -1}} {
		_, err := mailserver.NewPoller(h, cfg)
		require.ErrorIs(t, err, email.ErrInvalid)
	}
}
