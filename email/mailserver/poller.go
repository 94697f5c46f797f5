package mailserver

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/rs/zerolog"

	"github.com/supportkit/supportkit/email"
)

// PollerConfig configures a Poller. The zero value is the documented defaults, except Addr,
// Username and Password, which are required.
type PollerConfig struct {
	// Addr is the IMAP server's host:port. Required.
	Addr string
	// TLS, when set, connects with TLS (port 993 style), verifying the server as the host
	// of Addr unless ServerName says otherwise; nil connects in plain text, for a server on
	// the same host or a test. Default nil.
	TLS *tls.Config
	// Username and Password log in. Required.
	Username, Password string
	// Mailbox is the folder polled. Default "INBOX".
	Mailbox string
	// Interval is the pause between passes of Run. Default 1 minute.
	Interval time.Duration
	// Batch is the most messages one pass hands on. Default 50.
	Batch int
	// MaxMessageBytes is the largest message fetched; a larger one is marked seen and
	// flagged with FailedFlag without being fetched. Default 32 MiB.
	MaxMessageBytes int64
	// Timeout bounds one pass. Default 2 minutes.
	Timeout time.Duration
	// Logger receives a warning for each message a Handler failed to file; never addresses
	// or contents. Default: discard.
	Logger zerolog.Logger
}

// FailedFlag is the IMAP keyword a Poller sets, with \Seen, on a message it will never
// file (too large, or refused by the Handler as permanently unreadable), so that a person
// can find it. It is lower case, as servers (and go-imap) fold keywords.
const FailedFlag = "$supportkit-failed"

// Poller fetches unseen messages from an IMAP mailbox and hands them to a Handler, one at
// a time, marking each \Seen once it is filed. A message whose Handler fails temporarily
// stays unseen and is tried again on the next pass. It is safe for concurrent use, but two
// Pollers on one mailbox may hand a message on twice (the Handler's idempotency, such as
// the Mailroom's by Message-ID, makes that harmless).
type Poller struct {
	cfg     PollerConfig
	handler Handler
}

// NewPoller returns a Poller, or an error wrapping email.ErrInvalid when h is nil, Addr,
// Username or Password is empty, or a limit is negative.
func NewPoller(h Handler, cfg PollerConfig) (*Poller, error) {
	switch {
	case h == nil:
		return nil, &email.ValidationError{Field: "Handler", Reason: "nil"}
	case cfg.Addr == "" || cfg.Username == "" || cfg.Password == "":
		return nil, &email.ValidationError{Field: "PollerConfig", Reason: "Addr, Username and Password are required"}
	case cfg.Interval < 0 || cfg.Batch < 0 || cfg.MaxMessageBytes < 0 || cfg.Timeout < 0:
		return nil, &email.ValidationError{Field: "PollerConfig", Reason: "negative limit"}
	}
	if cfg.Mailbox == "" {
		cfg.Mailbox = "INBOX"
	}
	if cfg.Interval == 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Batch == 0 {
		cfg.Batch = 50
	}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 32 << 20
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Minute
	}
	return &Poller{cfg: cfg, handler: h}, nil
}

// Run polls every Interval until ctx ends, then returns ctx's error. A failed pass (the
// server unreachable, a temporary Handler failure) is logged and retried at the next
// interval.
func (p *Poller) Run(ctx context.Context) error {
	for {
		if _, err := p.Poll(ctx); err != nil && ctx.Err() == nil {
			p.cfg.Logger.Warn().Err(err).Msg("mailserver: IMAP pass failed")
		}
		t := time.NewTimer(p.cfg.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Poll makes one pass: it hands on up to Batch unseen messages, oldest first, and returns
// how many the Handler filed (flagged ones not counted). It stops at the first temporary Handler failure and returns it.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	c, err := p.dial(ctx)
	if err != nil {
		return 0, err
	}
	stop := context.AfterFunc(ctx, func() { _ = c.Terminate() })
	defer stop()
	defer c.Logout()
	if err := c.Login(p.cfg.Username, p.cfg.Password); err != nil {
		return 0, err
	}
	if _, err := c.Select(p.cfg.Mailbox, false); err != nil {
		return 0, err
	}
	criteria := imap.NewSearchCriteria()
	criteria.WithoutFlags = []string{imap.SeenFlag, FailedFlag}
	uids, err := c.UidSearch(criteria)
	if err != nil {
		return 0, err
	}
	if len(uids) > p.cfg.Batch {
		uids = uids[:p.cfg.Batch]
	}
	filed := 0
	for _, uid := range uids {
		ok, err := p.one(ctx, c, uid)
		if err != nil {
			return filed, err
		}
		if ok {
			filed++
		}
	}
	return filed, nil
}

func (p *Poller) dial(ctx context.Context) (*client.Client, error) {
	d := &net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", p.cfg.Addr)
	if err != nil {
		return nil, err
	}
	if p.cfg.TLS != nil {
		cfg := p.cfg.TLS.Clone()
		if cfg.ServerName == "" {
			cfg.ServerName, _, _ = net.SplitHostPort(p.cfg.Addr)
		}
		conn = tls.Client(conn, cfg)
	}
	c, err := client.New(conn)
	if err != nil {
		conn.Close()
		return nil, err
	}
	c.Timeout = p.cfg.Timeout
	return c, nil
}

// one hands on the message with uid and marks it: \Seen when filed (reported by filed),
// \Seen and FailedFlag when it never will be. A temporary failure leaves it unmarked and
// is returned.
func (p *Poller) one(ctx context.Context, c *client.Client, uid uint32) (filed bool, err error) {
	size, err := p.fetchSize(c, uid)
	if err != nil {
		return false, err
	}
	if int64(size) > p.cfg.MaxMessageBytes {
		p.cfg.Logger.Warn().Uint32("uid", uid).Msg("mailserver: IMAP message over MaxMessageBytes, flagged")
		return false, p.mark(c, uid, imap.SeenFlag, FailedFlag)
	}
	raw, err := p.fetchBody(c, uid)
	if err != nil {
		return false, err
	}
	err = p.handler.Handle(ctx, "", nil, bytes.NewReader(raw))
	switch {
	case err == nil:
		return true, p.mark(c, uid, imap.SeenFlag)
	case errors.Is(err, email.ErrTooLarge) || errors.Is(err, email.ErrInvalid):
		p.cfg.Logger.Warn().Uint32("uid", uid).Msg("mailserver: IMAP message refused for good, flagged")
		return false, p.mark(c, uid, imap.SeenFlag, FailedFlag)
	}
	return false, err
}

func (p *Poller) fetchSize(c *client.Client, uid uint32) (uint32, error) {
	msgs, err := p.fetch(c, uid, []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size})
	if err != nil || len(msgs) == 0 {
		return 0, orGone(err)
	}
	return msgs[0].Size, nil
}

func (p *Poller) fetchBody(c *client.Client, uid uint32) ([]byte, error) {
	section := &imap.BodySectionName{Peek: true}
	msgs, err := p.fetch(c, uid, []imap.FetchItem{imap.FetchUid, section.FetchItem()})
	if err != nil || len(msgs) == 0 {
		return nil, orGone(err)
	}
	body := msgs[0].GetBody(section)
	if body == nil {
		return nil, errors.New("mailserver: IMAP server sent no body")
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(body); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func orGone(err error) error {
	if err != nil {
		return err
	}
	return errors.New("mailserver: IMAP message vanished")
}

// fetch runs one UID FETCH and collects its answers. The client delivers them on a
// channel while the command runs, so the command runs on its own goroutine, which ends
// before fetch returns.
func (p *Poller) fetch(c *client.Client, uid uint32, items []imap.FetchItem) ([]*imap.Message, error) {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	ch := make(chan *imap.Message, 4)
	done := make(chan error, 1)
	go func() { done <- c.UidFetch(set, items, ch) }()
	var out []*imap.Message
	for m := range ch {
		out = append(out, m)
	}
	return out, <-done
}

func (p *Poller) mark(c *client.Client, uid uint32, flags ...string) error {
	set := new(imap.SeqSet)
	set.AddNum(uid)
	list := make([]any, len(flags))
	for i, f := range flags {
		list[i] = f
	}
	return c.UidStore(set, imap.FormatFlagsOp(imap.AddFlags, true), list, nil)
}
