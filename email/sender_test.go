package email_test

import (
	"context"
	"errors"
	"net"
	"net/textproto"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/internal/smtptest"
)

func TestSMTPSenderDeliversARenderedNotice(t *testing.T) {
	srv := smtptest.Start(t, nil)
	r := newRenderer(t)
	out, err := r.Render(email.Notice{Kind: email.NoticeAcknowledgement, Language: language.Russian,
		To: []email.Address{{Name: "Ольга", Address: "olga@example.ru"}}, Number: "SUP-21", Subject: "Принтер", Customer: "Ольга"})
	require.NoError(t, err)
	s := &email.SMTPSender{Addr: srv.Addr(), Hello: "desk.example"}
	require.NoError(t, s.Send(context.Background(), out.From.Address, out.Recipients(), out.Bytes()))

	got := srv.Deliveries()
	require.Len(t, got, 1)
	assert.Equal(t, "support@desk.example", got[0].From)
	assert.Equal(t, []string{"olga@example.ru"}, got[0].To)
	m, err := email.Parse([]byte(got[0].Data))
	require.NoError(t, err)
	assert.Equal(t, out.MessageID, m.MessageID)
	assert.Equal(t, out.Subject, m.Subject)
	assert.Equal(t, out.Text, m.Text)
}

func TestSMTPSenderReportsARejectedRecipient(t *testing.T) {
	srv := smtptest.Start(t, nil)
	s := &email.SMTPSender{Addr: srv.Addr()}
	err := s.Send(context.Background(), "support@desk.example", []string{"gone@reject.example"}, []byte("Subject: x\r\n\r\nx\r\n"))
	var se *email.SMTPError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "rcpt", se.Step)
	var te *textproto.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 550, te.Code)
	assert.Empty(t, srv.Deliveries())
}

func TestSMTPSenderHonoursTheContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() { // accepts and never greets
		c, err := ln.Accept()
		if err == nil {
			defer c.Close()
			time.Sleep(5 * time.Second)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = (&email.SMTPSender{Addr: ln.Addr().String()}).Send(ctx, "a@b.example", []string{"c@d.example"}, []byte("x"))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestSMTPSenderRefusesBadInput(t *testing.T) {
	err := (&email.SMTPSender{}).Send(context.Background(), "a@b.example", []string{"c@d.example"}, nil)
	require.ErrorIs(t, err, email.ErrInvalid)
	err = (&email.SMTPSender{Addr: "127.0.0.1:1"}).Send(context.Background(), "a@b.example", nil, nil)
	require.ErrorIs(t, err, email.ErrInvalid)
	err = (&email.SMTPSender{Addr: "127.0.0.1:1"}).Send(context.Background(), "a@b.example", []string{"c@d.example"}, nil)
	var se *email.SMTPError
	require.True(t, errors.As(err, &se))
	assert.Equal(t, "dial", se.Step)
}

// Envelope addresses go raw into MAIL FROM and RCPT TO: anything but a bare address is
// refused before a connection is made, and the null sender stays allowed.
func TestSendRefusesEnvelopeAddressesThatAreNotAddresses(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	s := &email.SMTPSender{Addr: ln.Addr().String(), Timeout: time.Second}
	for _, env := range []struct {
		from string
		to   []string
	}{
		{"desk@example.com", []string{"ann@example.com> NOTIFY=NEVER"}},
		{"desk@example.com", []string{"ann@example.com\r\nRSET"}},
		{"desk@example.com", []string{"ann@example.com", ""}},
		{"desk@example.com> SMTPUTF8", []string{"ann@example.com"}},
		{"Desk <desk@example.com>", []string{"ann@example.com"}},
	} {
		err := s.Send(context.Background(), env.from, env.to, []byte("Subject: x\r\n\r\nx\r\n"))
		require.ErrorIs(t, err, email.ErrInvalid, "%q %q", env.from, env.to)
	}
	accepted := make(chan struct{}, 1)
	go func() {
		if c, err := ln.Accept(); err == nil {
			accepted <- struct{}{}
			c.Close()
		}
	}()
	err = s.Send(context.Background(), "", []string{"ann@example.com"}, []byte("Subject: x\r\n\r\nx\r\n"))
	require.NotErrorIs(t, err, email.ErrInvalid, "the null sender is an address an auto-reply may use")
	select {
	case <-accepted:
	case <-time.After(time.Second):
		t.Fatal("no connection for a valid envelope")
	}
}
