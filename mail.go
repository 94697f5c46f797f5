package supportkit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"mime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/supportkit/supportkit/email"
	"github.com/supportkit/supportkit/ticket"
)

// MailConfig configures a Mailroom. The zero value is the documented defaults, except
// Addresses, which is required.
type MailConfig struct {
	// Addresses are the desk's own addresses; the first is the From of its notifications.
	// Mail from any of them is never filed (a notification that came back) and never
	// answered. Required.
	Addresses []email.Address
	// Parser sets the parser's limits and attachment sink. Default: email.Config's
	// defaults, attachments kept in memory (and their ticket.Attachment without a URL).
	Parser email.Config
	// Guard bounds automatic replies per address. Its Own addresses are Addresses plus
	// these, and its Now is the Desk's clock (Guard.Now must be nil). Default:
	// email.GuardConfig's defaults (5 an hour).
	Guard email.GuardConfig
	// Sender delivers notifications. Default nil: notifications are rendered and returned
	// in MailResult.Notices, but not sent.
	Sender email.Sender
	// NoAcknowledgement turns off the automatic acknowledgement of new tickets. Default
	// false: each new ticket from a person's mail is acknowledged.
	NoAcknowledgement bool
	// Numbers finds ticket numbers in subjects for MailResult.Thread. Default: the ticket
	// service's Config.Numbers, else ticket.PrefixNumbers{}.
	Numbers email.NumberFinder
	// Archive, when set, keeps the raw bytes of every message that is filed (not of
	// ignored or duplicate ones): its reference is attached to the comment or description
	// as "message.eml" (message/rfc822), so the full original, quoted history and all, is a
	// click away. It must give the same reference for the same bytes (a content digest, or
	// the Message-ID), since a redelivery must look the same to the ticket service. With it
	// a message is held in memory while it is filed (at most Parser.Limits.MaxSize bytes).
	// Default nil: the original is not kept (MailResult.Message.Text still holds the full
	// text).
	Archive email.AttachmentSink
	// Send lists the notifications the Desk sends by itself through Sender, which Send
	// requires: NoticeReply (each agent's public comment, to the requester, in reply to
	// the customer's latest mail), NoticeSolved (each solve, with SurveyURL's link),
	// NoticeReminder (a ticket pending for RemindAfter), NoticeAssigned (each assignment,
	// to the agent's address in Agents) and NoticeBreachWarning (each SLA warning point, to
	// the assignee's address in Agents, else to Team). Each is a delivery of the Desk (see
	// Hooks: its key begins with "mail/", Hook is "Mailroom"), claimed in the Ledger and
	// retried when the Sender fails, so that it is sent once by the Desks sharing the
	// Ledger, before and after a restart; its Message-ID is recorded on the ticket when the
	// Store is a ticket.MessageIndex. Nothing goes to the desk's own addresses, and the
	// customer's reminders and solved notices pass the Guard (a refused one is not sent,
	// and not retried). Only one Mailroom of a Desk may send by itself, and it must be made
	// before the Desk's Load or Run, so that it sees what the store holds. The
	// acknowledgement is not listed here: see NoAcknowledgement. Default none: the host
	// calls Notify.
	Send []email.NoticeKind
	// RemindAfter is how long a ticket stays pending (waiting for the customer) before
	// the customer is reminded, once per time it is set pending, when Send lists
	// NoticeReminder. It counts from the event that set the ticket pending, so the due
	// time is found again from the ticket's log after a restart. CheckClocks (hence Tick
	// and Run) sends what is due; NextWake includes it. A reminder (or solve) that fell due
	// more than Config.CatchUp before the Desk looked is taken as history and skipped, as
	// hook occurrences are. Default 72 hours.
	RemindAfter time.Duration
	// SolveAfter, when set, solves (as ticket.System) a ticket still pending that long
	// after it was set pending, once, as RemindAfter. Default 0: pending tickets wait.
	SolveAfter time.Duration
	// SurveyURL returns the satisfaction survey's link of a solved ticket, for the solved
	// notice. Default none: the notice carries no link.
	SurveyURL func(ticket.Ticket) string
	// Agents maps agents' email addresses (case aside) to the IDs of the Desk's agents. Mail
	// from such an address is that agent's public reply on the ticket it answers (see
	// Receive), and the assignment and breach warning notices go to it (to the first of an
	// agent's addresses in alphabetical order, when it has several). The From address is
	// all that names the writer, so list only addresses whose mail the intake authenticates
	// (SPF, DKIM, DMARC at the receiving server). Default none.
	Agents map[string]string
	// Team receives the breach warnings of tickets whose assignee has no address in
	// Agents. Default none: such warnings are not mailed.
	Team []email.Address
	// NewMessageID returns the unique left-hand side of notification Message-IDs (see
	// email.RendererConfig.NewID); it must be safe for concurrent use. Default: 16 random
	// bytes in hex.
	NewMessageID func() string
}

// Mailroom files raw mail as ticket activity on a Desk and renders the notifications
// that answer it. It is safe for concurrent use.
type Mailroom struct {
	desk      *Desk
	cfg       MailConfig
	parser    *email.Parser
	renderer  *email.Renderer
	guard     *email.Guard
	maxBody   int
	maxSubj   int
	maxSize   int64
	keys      [64]sync.Mutex    // serialize the filing of one Message-ID (striped by its hash)
	agents    map[string]string // MailConfig.Agents by lower-case address
	addresses map[string]string // agent ID -> its (first) lower-case address
}

// MailAction is what Mailroom.Receive did with a message.
type MailAction string

// Mail actions.
const (
	MailCreated   MailAction = "created"   // a new ticket
	MailCommented MailAction = "commented" // a comment on an existing ticket (reopening it when pending or solved)
	MailFollowUp  MailAction = "follow-up" // a new ticket continuing a closed one
	MailDuplicate MailAction = "duplicate" // a message already filed (the same Message-ID): nothing changed
	MailIgnored   MailAction = "ignored"   // automatic mail, or mail from the desk itself: nothing changed
	MailRefused   MailAction = "refused"   // an agent's mail that may not be filed: nothing changed, MailResult.Refusal says why
)

// MailResult tells what Mailroom.Receive did and why.
type MailResult struct {
	Action  MailAction           // what was done
	Ticket  ticket.Ticket        // the ticket the message landed on; zero when ignored
	Message *email.Message       // the parsed message, full text included
	Class   email.Classification // automatic or personal, and a bounce's failed recipients
	Thread  email.Thread         // the threading keys found
	Body    string               // the text filed as the description or comment; "" when nothing was filed
	Notices []*email.Outgoing    // notifications rendered for this message (sent when a Sender is set)
	Refused *email.RefusedError  // why no acknowledgement went out; nil when one did or none was due
	// Refusal is why an agent's mail was refused (MailRefused): an error wrapping
	// ticket.ErrNotFound when it answers no ticket the agent may read (or names an
	// unknown agent), ticket.ErrForbidden when the agent may not reply on the ticket,
	// ticket.ErrClosed when the ticket is closed. Nil otherwise.
	Refusal error
}

// NewMailroom returns a Mailroom filing mail on d; with Send or SolveAfter set it is the
// Desk's sending Mailroom from then on. It returns an error wrapping email.ErrInvalid when
// Addresses is empty, an address of Addresses or Guard.Own is not a bare address (see
// email.GuardConfig.Own), Guard.Now is set, a limit or delay is negative, Send lists a
// kind that is not sent by itself or is set without a Sender, or the Desk has a sending
// Mailroom already.
func NewMailroom(d *Desk, cfg MailConfig) (*Mailroom, error) {
	if d == nil {
		return nil, &email.ValidationError{Field: "Desk", Reason: "nil"}
	}
	if len(cfg.Addresses) == 0 {
		return nil, &email.ValidationError{Field: "MailConfig.Addresses", Reason: "empty"}
	}
	if cfg.Guard.Now != nil {
		return nil, &email.ValidationError{Field: "MailConfig.Guard.Now", Reason: "the Desk's clock is used"}
	}
	p, err := email.NewParser(cfg.Parser)
	if err != nil {
		return nil, err
	}
	r, err := email.NewRenderer(email.RendererConfig{From: cfg.Addresses[0], Now: d.cfg.Now, NewID: cfg.NewMessageID})
	if err != nil {
		return nil, err
	}
	m := &Mailroom{desk: d, cfg: cfg, parser: p, renderer: r, maxBody: d.cfg.Tickets.MaxBody, maxSize: cfg.Parser.Limits.MaxSize}
	if m.maxSize <= 0 {
		m.maxSize = 32 << 20 // the parser's default
	}
	if m.maxBody <= 0 {
		m.maxBody = 1 << 20 // the ticket service's defaults
	}
	if m.maxSubj = d.cfg.Tickets.MaxSubject; m.maxSubj <= 0 {
		m.maxSubj = 250
	}
	gc := cfg.Guard
	gc.Now = d.cfg.Now
	gc.Own = slices.Clone(cfg.Guard.Own) // first, so that an error's index is Guard.Own's
	for _, a := range cfg.Addresses {
		gc.Own = append(gc.Own, a.Address)
	}
	if m.guard, err = email.NewGuard(gc); err != nil {
		return nil, err
	}
	if err := checkSend(d, cfg); err != nil {
		return nil, err
	}
	if m.cfg.RemindAfter == 0 {
		m.cfg.RemindAfter = 72 * time.Hour
	}
	m.agents, m.addresses = map[string]string{}, map[string]string{}
	for addr, id := range cfg.Agents {
		addr = strings.ToLower(strings.TrimSpace(addr))
		m.agents[addr] = id
		if old, ok := m.addresses[id]; !ok || addr < old {
			m.addresses[id] = addr // the first address in order, when an agent has several
		}
	}
	if m.cfg.Numbers == nil {
		m.cfg.Numbers = d.cfg.Tickets.Numbers
		if m.cfg.Numbers == nil {
			m.cfg.Numbers = ticket.PrefixNumbers{}
		}
	}
	if (len(cfg.Send) > 0 || cfg.SolveAfter > 0) && !d.mailer.CompareAndSwap(nil, m) {
		return nil, &email.ValidationError{Field: "MailConfig.Send", Reason: "the Desk has a Mailroom that sends already"}
	}
	if !cfg.NoAcknowledgement {
		d.acker.CompareAndSwap(nil, m)
	}
	return m, nil
}

// Receive files one raw message: a person's mail becomes a new ticket, a comment on the
// ticket it answers (found by the ticket number in its subject or by the Message-IDs it
// references), or a follow-up of a closed one, through ticket.Service.Receive with the
// sender as requester, the attachments, and the Message-ID as idempotency key. A reply's
// comment holds only the new text (email.NewText); a new ticket's description holds the
// full text, so a forwarded request keeps what was forwarded; a subject or body over the
// ticket service's MaxSubject or MaxBody is cut to fit. Automatic mail (auto-replies,
// out-of-office, bounces, bulk and list mail), mail from the desk's own addresses (compared
// as the Guard compares them: case aside and without a subaddress, so support+x@ is
// support@), the desk's own notifications come back under another From (a Message-ID of
// the form the Mailroom gives them: "sk.<id>@" the first address's domain) and mail
// without a sender address change nothing and are never answered; a bounce's failed recipients are in Class.Failed. A new
// ticket is acknowledged unless NoAcknowledgement is set or the Guard refuses (Refused
// says why); a redelivered message (one Message-ID, from the sender who is the requester of
// the ticket it was filed on, with the text filed there: another sender's message reusing
// the ID, or the sender's own other message under it, is filed as its own) is a
// MailDuplicate. The acknowledgement is a delivery of the Desk keyed by the
// ticket ("mail/acknowledgement/<ticket>"), so it is sent once by the Desks sharing the
// Ledger, and retried when the Sender fails (the first failure is returned as well); its
// Message-ID is recorded on the ticket when the Store is a ticket.MessageIndex, so the
// customer's answer threads even without the number. Mail from an address of
// MailConfig.Agents is that agent's public reply on the ticket it answers, by the number
// in its subject or the Message-IDs it references (only the new text), never a new ticket;
// one the agent may not write is MailRefused, with the reason in MailResult.Refusal; a
// redelivery of it (the agent's comment with that Message-ID is on the ticket) is a
// MailDuplicate.
// Errors: the parser's (email.ErrTooLarge, email.ErrInvalid), the ticket service's, and
// the Sender's.
func (r *Mailroom) Receive(ctx context.Context, raw io.Reader) (MailResult, error) {
	var kept []byte
	if r.cfg.Archive != nil {
		b, err := io.ReadAll(io.LimitReader(raw, r.maxSize+1)) // the parser reports a larger one
		if err != nil {
			return MailResult{}, err
		}
		kept, raw = b, bytes.NewReader(b)
	}
	m, err := r.parser.Parse(ctx, raw)
	if err != nil {
		return MailResult{}, err
	}
	res := MailResult{Message: m, Class: email.Classify(m), Thread: email.ThreadOf(m, r.cfg.Numbers)}
	if res.Class.Kind.Automatic() || r.guard.IsOwn(m.From.Address) || m.From.Address == "" || r.renderer.Made(m.MessageID) {
		res.Action = MailIgnored
		return res, nil
	}
	if id, ok := r.agents[strings.ToLower(m.From.Address)]; ok {
		return r.fromAgent(ctx, res, id, kept)
	}
	in := r.inbound(m, res.Thread, r.body(m, r.answersOwn(ctx, res.Thread, m.From.Address)))
	mu := &r.keys[fnv32(in.Key)%uint32(len(r.keys))]
	mu.Lock() // a redelivery racing the first delivery waits, then finds it filed
	defer mu.Unlock()
	if t, ok := r.known(ctx, in.Key); ok && strings.EqualFold(t.Requester.Email, m.From.Address) {
		if r.filed(ctx, t, in.Key, m) {
			res.Action, res.Ticket = MailDuplicate, t
			return res, nil
		}
		in.Key = reusedKey(m) // another message under the Message-ID of one filed before
		if t, ok := r.known(ctx, in.Key); ok && strings.EqualFold(t.Requester.Email, m.From.Address) {
			res.Action, res.Ticket = MailDuplicate, t
			return res, nil
		}
	}
	if kept != nil {
		if err := r.archive(ctx, &in, kept); err != nil {
			return res, err
		}
	}
	t, err := r.desk.Receive(ctx, in)
	if err != nil {
		return res, err
	}
	res.Ticket, res.Body = t, in.Body
	if res.Action, err = r.action(ctx, t, in.Key); err != nil {
		return res, err
	}
	if res.Action == MailCommented || r.cfg.NoAcknowledgement {
		return res, nil
	}
	out, err := r.acknowledge(ctx, t, m, res.Class)
	var refused *email.RefusedError
	if errors.As(err, &refused) {
		res.Refused = refused
		return res, nil
	}
	if out != nil {
		res.Notices = append(res.Notices, out)
	}
	return res, err
}

// inbound builds the ticket service's input from m, with body (see r.body) as its text.
func (r *Mailroom) inbound(m *email.Message, th email.Thread, body string) ticket.Inbound {
	subject := oneLine(m.Subject)
	if subject == "" {
		subject = "(no subject)"
	}
	files := maxAttachments
	if r.cfg.Archive != nil {
		files-- // the original is attached too
	}
	return ticket.Inbound{
		Key:         messageKey(m),
		From:        ticket.Requester{Name: cut(oneLine(m.From.Name), maxName), Email: m.From.Address},
		Channel:     ticket.ChannelEmail,
		Subject:     cut(subject, r.maxSubj),
		Body:        body,
		Attachments: attachments(m.Attachments, files),
		References:  th.Parents,
	}
}

// body returns what the Mailroom files of m, cut to fit a ticket: its full text, or with
// fresh its new text (the full text when it has none of its own). The new text is worked
// out only when asked for: for a message with only HTML it reads the HTML again.
func (r *Mailroom) body(m *email.Message, fresh bool) string {
	full := strings.TrimSpace(plainText(m.Text))
	if full == "" {
		return "(no text)"
	}
	if fresh {
		if nt := strings.TrimSpace(plainText(email.NewText(m))); nt != "" {
			full = nt
		}
	}
	return cutBytes(full, r.maxBody)
}

// answersOwn reports whether a message with thread th from address from answers a ticket
// of its sender, by the number in its subject or a Message-ID it references: then it is
// filed as a comment, with only its new text. Mail that answers nothing of the sender's (a
// person copying the desk into a conversation, a forward) makes a new ticket, whose
// description must keep the quoted text it is about. A lookup that fails counts as an
// answer, so that the ticket service reports the failure as it files the message.
func (r *Mailroom) answersOwn(ctx context.Context, th email.Thread, from string) bool {
	own := func(t ticket.Ticket, err error) bool {
		return err != nil && !errors.Is(err, ticket.ErrNotFound) && !errors.Is(err, ticket.ErrInvalid) ||
			err == nil && strings.EqualFold(t.Requester.Email, from)
	}
	if th.Number != "" && own(r.desk.tickets.GetByNumber(ctx, th.Number)) {
		return true
	}
	idx, ok := r.desk.cfg.Store.(ticket.MessageIndex)
	if !ok {
		return false
	}
	for _, ref := range th.Parents {
		if own(idx.TicketByMessageID(ctx, r.desk.cfg.Tickets.Tenant, ref)) {
			return true
		}
	}
	return false
}

// What a ticket may hold that a message can exceed: the Mailroom fits what it files to
// these, as it cuts subjects and bodies, rather than have a hostile or odd message refused.
const (
	maxName        = 200 // characters of a requester's name
	maxKey         = 512 // characters of an idempotency key
	maxAttachments = 100 // attachments of one comment
)

// oneLine returns s with every control character (tabs and line breaks too) as a space,
// trimmed: a header's text as a ticket's single-line fields take it.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// plainText returns s without control characters other than line breaks and tabs.
func plainText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return -1
		}
		return r
	}, s)
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// messageKey is m's Message-ID, or for a message without one a digest of its sender, date,
// subject and text, so that a redelivery is still recognized.
func messageKey(m *email.Message) string {
	if utf8.RuneCountInString(m.MessageID) > maxKey {
		sum := sha256.Sum256([]byte(m.MessageID))
		return "sha256-" + hex.EncodeToString(sum[:16]) + "@supportkit.invalid"
	}
	if m.MessageID != "" {
		return m.MessageID
	}
	return digestKey(m.From.Address, m.Header.Get("Date"), m.Subject, m.Text)
}

// reusedKey is the idempotency key of m when its Message-ID names another message filed
// before (a mailer that gives every message one ID): a digest of the ID, sender, date,
// subject and text, so that m is filed, and a redelivery of m is still recognized.
func reusedKey(m *email.Message) string {
	return digestKey("reused", m.MessageID, m.From.Address, m.Header.Get("Date"), m.Subject, m.Text)
}

// digestKey is an idempotency key made of a digest of parts, each ended by a zero byte.
func digestKey(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "sha256-" + hex.EncodeToString(h.Sum(nil)[:16]) + "@supportkit.invalid"
}

// filed reports whether ticket t holds message m under key: the comment with that key has
// m's full or new text (a message filed with either, as a new ticket or as a reply). A
// key that no comment of t holds counts as filed, as it did before comments were compared.
func (r *Mailroom) filed(ctx context.Context, t ticket.Ticket, key string, m *email.Message) bool {
	comments, err := r.desk.tickets.Comments(ctx, t.ID)
	if err != nil {
		return true
	}
	for _, c := range comments {
		if c.Key == key {
			return c.Body == r.body(m, false) || c.Body == r.body(m, true)
		}
	}
	return true
}

func cut(s string, runes int) string {
	if utf8.RuneCountInString(s) <= runes {
		return s
	}
	return string([]rune(s)[:runes])
}

func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// attachments describes m's attachments for the ticket: the sink's reference as URL, and
// a name made from the content type for a part that has none; email.Parse has already made
// a name safe to show and at most 255 bytes long.
func attachments(list []email.Attachment, most int) []ticket.Attachment {
	var out []ticket.Attachment
	for i, a := range list[:min(len(list), most)] {
		name := a.Filename
		if name == "" {
			name = "attachment-" + strconv.Itoa(i+1)
			if exts, _ := mime.ExtensionsByType(a.ContentType); len(exts) > 0 {
				name += exts[0]
			}
		}
		out = append(out, ticket.Attachment{Name: name, Size: a.Size, ContentType: cut(oneLine(a.ContentType), 255), URL: a.Ref})
	}
	return out
}

// archive hands raw to the Archive and attaches its reference to in.
func (r *Mailroom) archive(ctx context.Context, in *ticket.Inbound, raw []byte) error {
	a := email.Attachment{Filename: "message.eml", ContentType: "message/rfc822", Size: int64(len(raw))}
	ref, err := r.cfg.Archive.Store(ctx, a, bytes.NewReader(raw))
	if err != nil {
		return err
	}
	in.Attachments = append(in.Attachments, ticket.Attachment{Name: a.Filename, Size: a.Size, ContentType: a.ContentType, URL: ref})
	return nil
}

// known returns the ticket a Message-ID was already filed on, when the Store can tell.
func (r *Mailroom) known(ctx context.Context, id string) (ticket.Ticket, bool) {
	idx, ok := r.desk.cfg.Store.(ticket.MessageIndex)
	if !ok {
		return ticket.Ticket{}, false
	}
	t, err := idx.TicketByMessageID(ctx, r.desk.cfg.Tickets.Tenant, id)
	return t, err == nil
}

// action tells whether the message with key made ticket t or commented on it.
func (r *Mailroom) action(ctx context.Context, t ticket.Ticket, key string) (MailAction, error) {
	comments, err := r.desk.tickets.Comments(ctx, t.ID)
	if err != nil {
		return "", err
	}
	for _, c := range comments {
		if c.Key != key || c.Seq != 1 {
			continue
		}
		for _, l := range t.Links {
			if l.Kind == ticket.LinkFollowUpOf {
				return MailFollowUp, nil
			}
		}
		return MailCreated, nil
	}
	return MailCommented, nil
}

// acknowledge renders the acknowledgement of new ticket t, asks the Guard, sends it when
// a Sender is set, and records its Message-ID on the ticket: once, as a delivery of the
// Desk keyed by the ticket, so that Desks sharing the Ledger acknowledge it once and a
// Sender's failure is retried. The log does not show it, so it is kept in a KeepingLedger
// with what it needs of m, and a Desk that Loads after a restart sends it if it was not.
// It returns the acknowledgement when this call sent it.
func (r *Mailroom) acknowledge(ctx context.Context, t ticket.Ticket, m *email.Message, class email.Classification) (*email.Outgoing, error) {
	to := m.From
	if len(m.ReplyTo) > 0 {
		to = m.ReplyTo[0]
	}
	req := ackRequest{To: to, InReplyTo: m.MessageID, References: m.References, Kind: class.Kind}
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	var got atomic.Pointer[ackOutcome] // the first call's outcome; a retry runs later, elsewhere
	r.desk.deliverKept(ctx, ackKey(t.ID.String()), mailHook, t, payload, r.ackCall(req, &got))
	if o := got.Load(); o != nil {
		return o.out, o.err
	}
	return nil, nil
}

func ackKey(id string) string { return "mail/acknowledgement/" + id }

// ackRequest is what an acknowledgement needs of the message it answers, as kept in a
// KeepingLedger.
type ackRequest struct {
	To         email.Address `json:"to"`
	InReplyTo  string        `json:"in_reply_to,omitempty"`
	References []string      `json:"references,omitempty"`
	Kind       email.Kind    `json:"kind"`
}

// ackCall returns the delivery of the acknowledgement req asks for; got, when not nil,
// receives the first call's outcome. A refusal of the Guard is no failure: nothing is due.
func (r *Mailroom) ackCall(req ackRequest, got *atomic.Pointer[ackOutcome]) func(context.Context, ticket.Ticket) error {
	return func(ctx context.Context, t ticket.Ticket) error {
		out, err := r.sendAck(ctx, t, req)
		var refused *email.RefusedError
		if errors.As(err, &refused) {
			out = nil
		}
		if got != nil {
			got.CompareAndSwap(nil, &ackOutcome{out: out, err: err})
		}
		if refused != nil {
			return nil
		}
		return err
	}
}

// redeliverAck delivers the acknowledgement of ticket t kept in a KeepingLedger with
// payload. A payload that does not read is logged and left kept.
func (r *Mailroom) redeliverAck(ctx context.Context, t ticket.Ticket, payload []byte) {
	var req ackRequest
	if err := json.Unmarshal(payload, &req); err != nil {
		r.desk.cfg.Logger.Warn().Err(err).Stringer("ticket", t.ID).Msg("mailroom: a kept acknowledgement does not read")
		return
	}
	r.desk.deliver(ctx, ackKey(t.ID.String()), mailHook, t, r.ackCall(req, nil))
}

// ackOutcome is what the first try of an acknowledgement did.
type ackOutcome struct {
	out *email.Outgoing
	err error
}

// sendAck renders, guards and sends the acknowledgement of t that req asks for.
func (r *Mailroom) sendAck(ctx context.Context, t ticket.Ticket, req ackRequest) (*email.Outgoing, error) {
	out, err := r.renderer.Render(email.Notice{
		Kind: email.NoticeAcknowledgement, Language: t.Language, To: []email.Address{req.To},
		Number: t.Number, Subject: t.Subject, Customer: t.Requester.Name,
		InReplyTo: req.InReplyTo, References: req.References,
	})
	if err != nil {
		return nil, err
	}
	if err := r.guard.Allow(req.To.Address, req.Kind); err != nil {
		return nil, err
	}
	return out, r.deliver(ctx, t, out)
}

// deliver records out's Message-ID on t and sends it when a Sender is set.
func (r *Mailroom) deliver(ctx context.Context, t ticket.Ticket, out *email.Outgoing) error {
	if idx, ok := r.desk.cfg.Store.(ticket.MessageIndex); ok {
		if err := idx.AddMessageID(ctx, t.ID, out.MessageID); err != nil {
			return err
		}
	}
	if r.cfg.Sender == nil {
		return nil
	}
	return r.cfg.Sender.Send(ctx, out.From.Address, out.Recipients(), out.Bytes())
}

// Notify renders a notification about ticket t, fills what t tells (number, subject,
// language, and, when n.To is empty, the requester as recipient and name), records its
// Message-ID on t, and sends it when a Sender is set. Automatic kinds to the customer
// (reminder, solved) pass the Guard's flood and robot checks first; a refusal is a
// *email.RefusedError. MailConfig.Send has the Desk send these by itself, once each; Notify
// is for what it does not cover (another recipient, a notice of the host's own), or for a
// host that sends from its hooks: OnSolved with NoticeSolved, OnAssigned with
// NoticeAssigned, OnBreachWarning with NoticeBreachWarning, and after an agent's public
// comment with NoticeReply (by the hook's Delivery key, the host sends each once).
func (r *Mailroom) Notify(ctx context.Context, t ticket.Ticket, n email.Notice) (*email.Outgoing, error) {
	fill(&n, t)
	out, err := r.renderer.Render(n)
	if err != nil {
		return nil, err
	}
	if n.Kind == email.NoticeReminder || n.Kind == email.NoticeSolved {
		for _, a := range n.To {
			if err := r.guard.Allow(a.Address, email.KindPersonal); err != nil {
				return nil, err
			}
		}
	}
	return out, r.deliver(ctx, t, out)
}

// fromAgent files the mail of agent id as the agent's public reply on the ticket it
// answers (by the number in its subject or the Message-IDs it references), never as a new
// ticket; what may not be filed is refused (see MailResult.Refusal).
func (r *Mailroom) fromAgent(ctx context.Context, res MailResult, id string, kept []byte) (MailResult, error) {
	refuse := func(err error) (MailResult, error) {
		res.Action, res.Refusal = MailRefused, err
		return res, nil
	}
	actor, err := r.agentActor(id)
	if err != nil {
		return refuse(err)
	}
	in := r.inbound(res.Message, res.Thread, r.body(res.Message, true))
	mu := &r.keys[fnv32(in.Key)%uint32(len(r.keys))]
	mu.Lock()
	defer mu.Unlock()
	if t, ok := r.known(ctx, in.Key); ok && r.wrote(ctx, t, actor, in.Key) {
		res.Action, res.Ticket = MailDuplicate, t
		return res, nil
	}
	t, err := r.answered(ctx, res.Thread)
	if errors.Is(err, ticket.ErrNotFound) {
		return refuse(err)
	}
	if err != nil {
		return res, err
	}
	if kept != nil {
		if err := r.archive(ctx, &in, kept); err != nil {
			return res, err
		}
	}
	c, err := r.desk.tickets.Comment(ctx, actor, t.ID, ticket.NewComment{Public: true, Body: in.Body, Attachments: in.Attachments, Key: in.Key})
	if errors.Is(err, ticket.ErrForbidden) || errors.Is(err, ticket.ErrNotFound) || errors.Is(err, ticket.ErrClosed) {
		return refuse(err)
	}
	if err != nil {
		return res, err
	}
	if idx, ok := r.desk.cfg.Store.(ticket.MessageIndex); ok {
		if err := idx.AddMessageID(ctx, c.TicketID, in.Key); err != nil {
			return res, err
		}
	}
	if res.Ticket, err = r.desk.tickets.Get(ctx, c.TicketID); err != nil {
		return res, err
	}
	res.Action, res.Body = MailCommented, in.Body
	return res, nil
}

// agentActor returns the ticket actor of agent id: the Desk's agent when it has a Router,
// else an agent of that ID.
func (r *Mailroom) agentActor(id string) (ticket.Actor, error) {
	if r.desk.cfg.Router == nil {
		return ticket.Actor{Kind: ticket.ActorAgent, ID: id}, nil
	}
	return r.desk.Agent(id)
}

// answered returns the ticket a message with thread th answers: the one its subject's
// number names, else the first of its references the MessageIndex knows. Errors: one
// wrapping ticket.ErrNotFound when there is none, the store's.
func (r *Mailroom) answered(ctx context.Context, th email.Thread) (ticket.Ticket, error) {
	if th.Number != "" {
		t, err := r.desk.tickets.GetByNumber(ctx, th.Number)
		if !errors.Is(err, ticket.ErrNotFound) {
			return t, err
		}
	}
	if idx, ok := r.desk.cfg.Store.(ticket.MessageIndex); ok {
		for _, ref := range th.Parents {
			t, err := idx.TicketByMessageID(ctx, r.desk.cfg.Tickets.Tenant, ref)
			if !errors.Is(err, ticket.ErrNotFound) && !errors.Is(err, ticket.ErrInvalid) {
				return t, err
			}
		}
	}
	return ticket.Ticket{}, &ticket.NotFoundError{What: "ticket answered by the message", Key: th.Number}
}

// wrote reports whether ticket t holds a comment of actor with idempotency key key.
func (r *Mailroom) wrote(ctx context.Context, t ticket.Ticket, actor ticket.Actor, key string) bool {
	comments, err := r.desk.tickets.Comments(ctx, t.ID)
	if err != nil {
		return false
	}
	for _, c := range comments {
		if c.Key == key && c.Author.Kind == actor.Kind && c.Author.ID == actor.ID {
			return true
		}
	}
	return false
}
