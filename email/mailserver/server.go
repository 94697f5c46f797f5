package mailserver

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/rs/zerolog"

	"github.com/supportkit/supportkit/email"
)

// ServerConfig configures a Server. The zero value is the documented defaults, except
// Recipients, which is required (an intake that accepts any recipient is an open relay's
// first half).
type ServerConfig struct {
	// Recipients are the addresses mail is accepted for, compared case aside; mail to any
	// other is refused with 550 5.1.1 at RCPT. Required.
	Recipients []string
	// Domain is the name the server greets with. Default "localhost".
	Domain string
	// MaxMessageBytes is the largest message accepted (announced with SIZE); a larger one
	// is refused with 552 5.3.4. Default 32 MiB.
	MaxMessageBytes int64
	// MaxRecipients is the most RCPT commands per message. Default 50.
	MaxRecipients int
	// Timeout bounds each read and write on a connection, and the handling of one message.
	// Default 5 minutes.
	Timeout time.Duration
	// TLS, when set, offers STARTTLS with this configuration (its Certificates). Default
	// nil: no STARTTLS, for a listener behind a local mail server or a TLS terminator.
	TLS *tls.Config
	// LMTP makes the server speak LMTP (RFC 2033) instead of SMTP, for delivery from a
	// local mail server. Default false.
	LMTP bool
	// Logger receives a warning for each message a Handler failed to file; never addresses
	// or contents. Default: discard.
	Logger zerolog.Logger
}

// Server is the SMTP intake. Make one with NewServer, run it with Serve, stop it with
// Close. It is safe for concurrent use.
type Server struct {
	cfg        ServerConfig
	handler    Handler
	recipients map[string]bool
	smtp       *smtp.Server
}

// NewServer returns a Server handing messages to h, or an error wrapping email.ErrInvalid
// when h is nil, Recipients is empty, or a limit is negative.
func NewServer(h Handler, cfg ServerConfig) (*Server, error) {
	switch {
	case h == nil:
		return nil, &email.ValidationError{Field: "Handler", Reason: "nil"}
	case len(cfg.Recipients) == 0:
		return nil, &email.ValidationError{Field: "ServerConfig.Recipients", Reason: "empty"}
	case cfg.MaxMessageBytes < 0 || cfg.MaxRecipients < 0 || cfg.Timeout < 0:
		return nil, &email.ValidationError{Field: "ServerConfig", Reason: "negative limit"}
	}
	if cfg.Domain == "" {
		cfg.Domain = "localhost"
	}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 32 << 20
	}
	if cfg.MaxRecipients == 0 {
		cfg.MaxRecipients = 50
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Minute
	}
	s := &Server{cfg: cfg, handler: h, recipients: map[string]bool{}}
	for _, r := range cfg.Recipients {
		s.recipients[strings.ToLower(strings.TrimSpace(r))] = true
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	srv.Domain = cfg.Domain
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.ReadTimeout = cfg.Timeout
	srv.WriteTimeout = cfg.Timeout
	srv.LMTP = cfg.LMTP
	srv.TLSConfig = cfg.TLS
	srv.ErrorLog = discard{}
	s.smtp = srv
	return s, nil
}

type discard struct{}

func (discard) Printf(string, ...any) {}
func (discard) Println(...any)        {}

// Serve accepts connections on l until Close is called or ctx ends, then returns nil
// (or the listener's error). Each connection is served on its own goroutine.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	stop := context.AfterFunc(ctx, func() { _ = s.Close() })
	defer stop()
	err := s.smtp.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops accepting mail and closes open connections; a message being handled is
// answered with an error and will be retried by its sender.
func (s *Server) Close() error {
	err := s.smtp.Close()
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// session is one SMTP transaction's state.
type session struct {
	s    *Server
	from string
	to   []string
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.s.recipients[strings.ToLower(to)] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox here"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	ctx, cancel := context.WithTimeout(context.Background(), ss.s.cfg.Timeout)
	defer cancel()
	err := ss.s.handler.Handle(ctx, ss.from, ss.to, r)
	_, _ = io.Copy(io.Discard, r)
	if err == nil {
		return nil
	}
	return ss.s.reply(err)
}

// reply turns a Handler's error into the SMTP answer: permanent for a message that will
// never be accepted, temporary otherwise.
func (s *Server) reply(err error) error {
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &se):
		return se
	case errors.Is(err, smtp.ErrTooLongLine):
		return &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 2}, Message: "Line too long"}
	case errors.Is(err, email.ErrTooLarge):
		return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4}, Message: "Message too large or too complex"}
	case errors.Is(err, email.ErrInvalid):
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "Message not readable as mail"}
	}
	s.cfg.Logger.Warn().Msg("mailserver: a message could not be filed; the sender will retry")
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure, try again later"}
}
