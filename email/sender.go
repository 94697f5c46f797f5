package email

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/smtp"
	"slices"
	"time"
)

// Sender delivers a rendered message. Implementations must be safe for concurrent use and
// honour ctx.
type Sender interface {
	// Send delivers msg (RFC 5322 bytes, as Outgoing.Bytes) from the envelope sender from
	// to the envelope recipients to. An error means the message may not have been
	// delivered to every recipient.
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

// SMTPSender sends through an SMTP submission server, one connection per message. The zero
// value is not usable: Addr is required. It is safe for concurrent use.
type SMTPSender struct {
	// Addr is the server's host:port. Required.
	Addr string
	// Hello is the name sent with EHLO. Default "localhost".
	Hello string
	// Auth authenticates when set (smtp.PlainAuth refuses to send a password without TLS
	// except to localhost). Default none.
	Auth smtp.Auth
	// TLS, when set, upgrades the connection with STARTTLS, verifying the server as the
	// host of Addr unless ServerName says otherwise; a server without STARTTLS is then an
	// error. Default nil: plain text (for a relay on the same host).
	TLS *tls.Config
	// Timeout bounds one whole delivery when ctx has no earlier deadline. Default 1 minute.
	Timeout time.Duration
}

// SMTPError is an SMTP step that failed; Err is the server's *textproto.Error when it
// answered with an error code.
type SMTPError struct {
	Step string // "dial", "hello", "starttls", "auth", "mail", "rcpt", "data" or "quit"
	Err  error  // the cause: the server's *textproto.Error, or a network or TLS error
}

// Error names the step and the cause.
func (e *SMTPError) Error() string { return fmt.Sprintf("email: smtp %s: %v", e.Step, e.Err) }

// Unwrap returns the cause.
func (e *SMTPError) Unwrap() error { return e.Err }

// Send delivers msg; errors are *SMTPError. It returns an error wrapping ErrInvalid, before
// it connects, when Addr is empty, there is no recipient, or from (unless "", the null
// sender) or a recipient is not one bare address of at most 254 bytes: the envelope
// commands carry them raw, so "a@example.com> NOTIFY=NEVER" would add a parameter.
func (s *SMTPSender) Send(ctx context.Context, from string, to []string, msg []byte) error {
	if s == nil || s.Addr == "" {
		return invalid("SMTPSender.Addr", "empty")
	}
	if len(to) == 0 {
		return invalid("to", "no recipient")
	}
	if from != "" && !bareAddress(from) {
		return invalid("from", "not a bare address of at most 254 bytes")
	}
	if slices.ContainsFunc(to, func(a string) bool { return !bareAddress(a) }) {
		return invalid("to", "not a bare address of at most 254 bytes")
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return &SMTPError{Step: "dial", Err: err}
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return &SMTPError{Step: "hello", Err: err}
	}
	defer c.Close()
	if err := s.deliver(c, host, from, to, msg); err != nil {
		return err
	}
	if err := c.Quit(); err != nil {
		return &SMTPError{Step: "quit", Err: err}
	}
	return nil
}

func (s *SMTPSender) deliver(c *smtp.Client, host, from string, to []string, msg []byte) error {
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return &SMTPError{Step: "hello", Err: err}
	}
	if s.TLS != nil {
		cfg := s.TLS.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		if err := c.StartTLS(cfg); err != nil {
			return &SMTPError{Step: "starttls", Err: err}
		}
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return &SMTPError{Step: "auth", Err: err}
		}
	}
	if err := c.Mail(from); err != nil {
		return &SMTPError{Step: "mail", Err: err}
	}
	for _, rcpt := range to {
		if err := c.Rcpt(rcpt); err != nil {
			return &SMTPError{Step: "rcpt", Err: err}
		}
	}
	w, err := c.Data()
	if err != nil {
		return &SMTPError{Step: "data", Err: err}
	}
	if _, err := w.Write(msg); err != nil {
		return &SMTPError{Step: "data", Err: err}
	}
	if err := w.Close(); err != nil {
		return &SMTPError{Step: "data", Err: err}
	}
	return nil
}
