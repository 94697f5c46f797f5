package mailserver_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/email/mailserver"
)

const deskAddr = "support@desk.example"

// newRoom returns a Mailroom on a fresh Desk and the results it reported.
func newRoom(t *testing.T) (*supportkit.Mailroom, *results) {
	t.Helper()
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	room, err := supportkit.NewMailroom(d, supportkit.MailConfig{Addresses: []email.Address{{Address: deskAddr}}})
	require.NoError(t, err)
	return room, &results{}
}

type results struct {
	mu  sync.Mutex
	got []supportkit.MailResult
}

func (r *results) add(res supportkit.MailResult) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, res)
}

func (r *results) all() []supportkit.MailResult {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]supportkit.MailResult(nil), r.got...)
}

// serve starts s on a loopback port and stops it when the test ends.
func serve(t *testing.T, s *mailserver.Server) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after its context ended")
		}
	})
	return l.Addr().String()
}

const customerMail = "From: Ann Lee <ann@example.com>\r\nTo: support@desk.example\r\nSubject: VPN is down\r\n" +
	"Message-ID: <v1@example.com>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVPN does not connect since 9:00.\r\n.leading dot line\r\n"

func TestServerFilesMailOnTheMailroom(t *testing.T) {
	room, res := newRoom(t)
	s, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{Recipients: []string{"Support@Desk.example"}})
	require.NoError(t, err)
	addr := serve(t, s)
	sender := &email.SMTPSender{Addr: addr}
	require.NoError(t, sender.Send(context.Background(), "ann@example.com", []string{deskAddr}, []byte(customerMail)))
	got := res.all()
	require.Len(t, got, 1)
	assert.Equal(t, supportkit.MailCreated, got[0].Action)
	assert.Equal(t, "VPN is down", got[0].Ticket.Subject)
	assert.Equal(t, "VPN does not connect since 9:00.\n.leading dot line", got[0].Body, "dot-stuffing is undone")
}

func smtpCode(t *testing.T, err error) int {
	t.Helper()
	var te *textproto.Error
	require.ErrorAs(t, err, &te)
	return te.Code
}

func TestServerRefusesOtherRecipients(t *testing.T) {
	room, res := newRoom(t)
	s, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{Recipients: []string{deskAddr}})
	require.NoError(t, err)
	err = (&email.SMTPSender{Addr: serve(t, s)}).Send(context.Background(), "a@example.com", []string{"someone@elsewhere.example"}, []byte(customerMail))
	assert.Equal(t, 550, smtpCode(t, err))
	assert.Empty(t, res.all())
}

func TestServerRefusesAMessageOverTheSizeLimit(t *testing.T) {
	room, res := newRoom(t)
	s, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{Recipients: []string{deskAddr}, MaxMessageBytes: 1024})
	require.NoError(t, err)
	big := customerMail + strings.Repeat(strings.Repeat("x", 70)+"\r\n", 60)
	err = (&email.SMTPSender{Addr: serve(t, s)}).Send(context.Background(), "a@example.com", []string{deskAddr}, []byte(big))
	assert.Equal(t, 552, smtpCode(t, err))
	long := customerMail + strings.Repeat("x", 4096) + "\r\n"
	err = (&email.SMTPSender{Addr: serve(t, s)}).Send(context.Background(), "a@example.com", []string{deskAddr}, []byte(long))
	assert.Equal(t, 500, smtpCode(t, err), "a line over the SMTP limit is refused for good")
	assert.Empty(t, res.all())
}

func TestServerTellsTheSenderWhetherToRetry(t *testing.T) {
	cases := []struct {
		err  error
		code int
	}{
		{errors.New("database unavailable"), 451},
		{&email.LimitError{Limit: "MaxParts", Max: 10}, 552},
		{&email.ValidationError{Field: "header", Reason: "no header fields"}, 554},
	}
	for _, c := range cases {
		h := mailserver.HandlerFunc(func(_ context.Context, _ string, _ []string, r io.Reader) error {
			_, _ = io.Copy(io.Discard, r)
			return c.err
		})
		s, err := mailserver.NewServer(h, mailserver.ServerConfig{Recipients: []string{deskAddr}})
		require.NoError(t, err)
		err = (&email.SMTPSender{Addr: serve(t, s)}).Send(context.Background(), "a@example.com", []string{deskAddr}, []byte(customerMail))
		assert.Equal(t, c.code, smtpCode(t, err), "%v", c.err)
	}
}

func TestServerIsReallyAnLMTPServerWhenAsked(t *testing.T) {
	room, res := newRoom(t)
	s, err := mailserver.NewServer(mailserver.MailroomHandler(room, res.add), mailserver.ServerConfig{Recipients: []string{deskAddr}, LMTP: true})
	require.NoError(t, err)
	c, err := net.Dial("tcp", serve(t, s))
	require.NoError(t, err)
	defer c.Close()
	tc := textproto.NewConn(c)
	_, _, err = tc.ReadResponse(220)
	require.NoError(t, err)
	require.NoError(t, tc.PrintfLine("EHLO client"))
	code, _, err := tc.ReadResponse(5)
	require.NoError(t, err, "an LMTP server refuses EHLO")
	assert.Equal(t, 500, code)
	require.NoError(t, tc.PrintfLine("LHLO client"))
	_, _, err = tc.ReadResponse(250)
	require.NoError(t, err)
}

func TestNewServerRefusesBadConfig(t *testing.T) {
	h := mailserver.HandlerFunc(func(context.Context, string, []string, io.Reader) error { return nil })
	for _, cfg := range []mailserver.ServerConfig{{}, {Recipients: []string{deskAddr}, MaxMessageBytes: -1}, {Recipients: []string{deskAddr}, Timeout: -1}} {
		_, err := mailserver.NewServer(h, cfg)
		require.ErrorIs(t, err, email.ErrInvalid)
	}
	_, err := mailserver.NewServer(nil, mailserver.ServerConfig{Recipients: []string{deskAddr}})
	require.ErrorIs(t, err, email.ErrInvalid)
}
