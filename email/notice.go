package email

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	htmltemplate "html/template"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"text/template"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// NoticeKind is a kind of notification the desk sends.
type NoticeKind string

// Notification kinds. Acknowledgement, Reminder and Solved go to the customer
// automatically; Reply carries an agent's words to the customer; BreachWarning and
// Assigned go to the team.
const (
	NoticeAcknowledgement NoticeKind = "acknowledgement" // a new ticket was registered (Auto-Submitted: auto-replied)
	NoticeReply           NoticeKind = "reply"           // an agent answered (written by a person: no Auto-Submitted)
	NoticeReminder        NoticeKind = "reminder"        // the ticket waits for the customer (Auto-Submitted: auto-generated)
	NoticeSolved          NoticeKind = "solved"          // the ticket was solved, with a survey link (auto-generated)
	NoticeBreachWarning   NoticeKind = "breach-warning"  // internal: an SLA deadline is near (auto-generated)
	NoticeAssigned        NoticeKind = "assigned"        // internal: a ticket was assigned to an agent (auto-generated)
)

// Notice is what a notification is about.
type Notice struct {
	Kind     NoticeKind   // required
	Language language.Tag // the reader's language; Russian or English is chosen, English when neither matches
	To       []Address    // recipients; at least one
	Number   string       // the ticket number, as "SUP-12"; required
	Subject  string       // the ticket's subject; may be empty
	Customer string       // the requester's name; may be empty
	Agent    string       // the agent's name (Reply, Assigned); may be empty
	Body     string       // the agent's text (Reply); required for Reply
	// SurveyURL is the satisfaction survey's link (Solved); optional.
	SurveyURL string
	// Days is how many days the ticket has waited for the customer (Reminder).
	Days int
	// Left is the time to the deadline (BreachWarning), shown in whole minutes, or whole
	// hours from two hours up.
	Left time.Duration
	// InReplyTo is the Message-ID (without angle brackets) of the message this answers,
	// usually the customer's last; "" for none.
	InReplyTo string
	// References are earlier Message-IDs of the conversation, oldest first; InReplyTo is
	// appended when missing.
	References []string
}

// Outgoing is a rendered notification. A host may edit its fields before sending it:
// Validate reports whether Bytes writes them as they stand, and Message refuses them when it
// would not.
type Outgoing struct {
	From       Address   // RendererConfig.From
	To         []Address // a copy of Notice.To
	Subject    string    // with the ticket number in brackets
	MessageID  string    // without angle brackets; record it to thread the answer
	InReplyTo  string    // without angle brackets; "" for none
	References []string  // without angle brackets, oldest first
	Date       time.Time // from RendererConfig.Now
	// AutoSubmitted is the RFC 3834 value: "auto-replied" for acknowledgements,
	// "auto-generated" for the other automatic kinds, "" for an agent's reply.
	AutoSubmitted string
	Text          string // the plain-text body
	HTML          string // the HTML body
}

// RendererConfig configures a Renderer. The zero value is the documented defaults, except
// From, which is required.
type RendererConfig struct {
	// From is the desk's address notifications come from. Required.
	From Address
	// Domain is the right-hand side of Message-IDs: no spaces, control characters, angle
	// brackets or @, which would end up raw in the Message-ID header. Default: From's domain.
	Domain string
	// Now reads the clock for the Date header. Default time.Now.
	Now func() time.Time
	// NewID returns the unique left-hand side of a Message-ID, under the rules of Domain
	// (Render refuses anything else); it must be safe for concurrent use. Default: 16 random
	// bytes in hex.
	NewID func() string
}

// Renderer renders notifications from the built-in Russian and English templates. It is
// safe for concurrent use.
type Renderer struct {
	cfg     RendererConfig
	matcher language.Matcher
	langs   []localized // one per noticeLanguages entry
}

// localized holds one language's printer and templates, parsed once.
type localized struct {
	p    *message.Printer
	text map[NoticeKind]*template.Template
	html map[NoticeKind]*htmltemplate.Template
}

var noticeLanguages = []language.Tag{language.English, language.Russian}

// NewRenderer returns a Renderer, or an error wrapping ErrInvalid when From's Address is
// missing or not one bare address of at most 254 bytes, or Domain cannot stand in a
// Message-ID.
func NewRenderer(cfg RendererConfig) (*Renderer, error) {
	if !bareAddress(cfg.From.Address) {
		return nil, invalid("RendererConfig.From", "not an address")
	}
	if cfg.Domain == "" {
		_, cfg.Domain, _ = strings.Cut(cfg.From.Address, "@")
	}
	if !goodIDPart(cfg.Domain) {
		return nil, invalid("RendererConfig.Domain", "not usable in a Message-ID (spaces, control characters, angle brackets or @)")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewID == nil {
		cfg.NewID = randomID
	}
	cat, err := noticeCatalog()
	if err != nil {
		return nil, err
	}
	r := &Renderer{cfg: cfg, matcher: language.NewMatcher(noticeLanguages)}
	for _, tag := range noticeLanguages {
		l, err := localize(message.NewPrinter(tag, message.Catalog(cat)))
		if err != nil {
			return nil, err
		}
		r.langs = append(r.langs, l)
	}
	return r, nil
}

// goodIDPart reports whether s can stand on one side of the @ of a Message-ID.
func goodIDPart(s string) bool { return goodMsgID(s) && !strings.Contains(s, "@") }

// localize parses every kind's templates with p as their "t" function.
func localize(p *message.Printer) (localized, error) {
	l := localized{p: p, text: map[NoticeKind]*template.Template{}, html: map[NoticeKind]*htmltemplate.Template{}}
	funcs := map[string]any{"t": p.Sprintf, "lines": strings.Split}
	for kind, t := range noticeTemplates {
		text, err := template.New(string(kind)).Funcs(funcs).Parse(t.text)
		if err != nil {
			return l, err
		}
		html, err := htmltemplate.New(string(kind)).Funcs(funcs).Parse(t.html)
		if err != nil {
			return l, err
		}
		l.text[kind], l.html[kind] = text, html
	}
	return l, nil
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Made reports whether id (without angle brackets) has the form of the Message-IDs r gives
// its notifications, "sk.<NewID>@<Domain>" (the domain case aside): a message that carries
// one is the desk's own notification come back, whatever its From says. False for a nil
// Renderer.
func (r *Renderer) Made(id string) bool {
	if r == nil {
		return false
	}
	at := strings.LastIndexByte(id, '@')
	return at > len("sk.") && strings.HasPrefix(id, "sk.") && strings.EqualFold(id[at+1:], r.cfg.Domain)
}

// Render renders n. It returns an error wrapping ErrInvalid for an unknown kind, no
// recipient, a recipient whose Address is not one bare address of at most 254 bytes (it
// would end up raw in the To header and the SMTP envelope), no number, a Reply without a body, an Assigned notice without the agent, or an
// InReplyTo or reference that is not a message ID (empty, or holding spaces, control
// characters or angle brackets: it would end up raw in a header), an ID from
// RendererConfig.NewID that cannot stand in a Message-ID, and a Renderer not made by
// NewRenderer (nil or zero: it has no From address).
func (r *Renderer) Render(n Notice) (*Outgoing, error) {
	if r == nil || r.matcher == nil {
		return nil, invalid("Renderer", "not made by NewRenderer")
	}
	t, ok := noticeTemplates[n.Kind]
	switch {
	case !ok:
		return nil, invalid("Notice.Kind", "unknown kind "+string(n.Kind))
	case len(n.To) == 0:
		return nil, invalid("Notice.To", "no recipient")
	case slices.ContainsFunc(n.To, func(a Address) bool { return !bareAddress(a.Address) }):
		return nil, invalid("Notice.To", "not a bare address of at most 254 bytes")
	case strings.TrimSpace(n.Number) == "":
		return nil, invalid("Notice.Number", "empty")
	case n.Kind == NoticeReply && strings.TrimSpace(n.Body) == "":
		return nil, invalid("Notice.Body", "a reply needs a body")
	case n.Kind == NoticeAssigned && strings.TrimSpace(n.Agent) == "":
		return nil, invalid("Notice.Agent", "an assignment needs the agent")
	case n.InReplyTo != "" && !goodMsgID(n.InReplyTo):
		return nil, invalid("Notice.InReplyTo", "not a message ID (spaces, control characters or angle brackets)")
	case slices.ContainsFunc(n.References, func(id string) bool { return !goodMsgID(id) }):
		return nil, invalid("Notice.References", "not a message ID (empty, spaces, control characters or angle brackets)")
	}
	_, idx, _ := r.matcher.Match(n.Language)
	l := r.langs[idx]
	p := l.p
	data := noticeData{Notice: n, Minutes: int(n.Left / time.Minute), Hours: int(n.Left / time.Hour)}
	data.Greeting, data.Signature, data.Assignee = p.Sprintf("Hello!"), p.Sprintf("Support team"), p.Sprintf("Nobody is assigned.")
	if n.Customer != "" {
		data.Greeting = p.Sprintf("Hello, %s!", n.Customer)
	}
	if n.Agent != "" {
		data.Signature = p.Sprintf("%s, support team", n.Agent)
		data.Assignee = p.Sprintf("Assignee: %s", n.Agent)
	}
	var text, html bytes.Buffer
	if err := l.text[n.Kind].Execute(&text, data); err != nil {
		return nil, err
	}
	if err := l.html[n.Kind].Execute(&html, data); err != nil {
		return nil, err
	}
	id := r.cfg.NewID()
	if !goodIDPart(id) {
		return nil, invalid("RendererConfig.NewID", "returned a value not usable in a Message-ID (empty, spaces, control characters, angle brackets or @)")
	}
	out := &Outgoing{
		From:      r.cfg.From,
		To:        slices.Clone(n.To),
		Subject:   p.Sprintf(t.subject, n.Number, n.Subject),
		MessageID: "sk." + id + "@" + r.cfg.Domain,
		InReplyTo: n.InReplyTo,
		Date:      r.cfg.Now(),
		Text:      strings.TrimSpace(text.String()) + "\n",
		HTML:      html.String(),
	}
	out.References = append(out.References, n.References...)
	if n.InReplyTo != "" && !contains(out.References, n.InReplyTo) {
		out.References = append(out.References, n.InReplyTo)
	}
	switch n.Kind {
	case NoticeAcknowledgement:
		out.AutoSubmitted = "auto-replied"
	case NoticeReply:
	default:
		out.AutoSubmitted = "auto-generated"
	}
	return out, nil
}

type noticeData struct {
	Notice
	Minutes   int
	Hours     int
	Greeting  string
	Signature string
	Assignee  string
}

// Bytes returns o as an RFC 5322 message: multipart/alternative with quoted-printable
// UTF-8 text and HTML, non-ASCII header text encoded as RFC 2047 words, and, on automatic
// notifications, Auto-Submitted and X-Auto-Response-Suppress so that well-behaved
// responders stay silent.
//
// No field, however a host edited it, can end a header line or start a header or a body
// part of its own: the Subject and display names are written as encoded words when they hold
// anything but printable ASCII, and Bytes drops the bytes that cannot stand where a field is
// written raw (control characters from addresses and Auto-Submitted; control characters,
// spaces and angle brackets from message IDs, and an ID left empty). The MIME boundary
// holds "=_", which quoted-printable text never does. Bytes does not say when it dropped
// anything: Message refuses such an Outgoing instead.
func (o *Outgoing) Bytes() []byte {
	var b bytes.Buffer
	header := func(name, value string) {
		if value != "" {
			b.WriteString(name + ": " + value + "\r\n")
		}
	}
	header("From", headerAddress(o.From))
	to := make([]string, len(o.To))
	for i, a := range o.To {
		to[i] = headerAddress(a)
	}
	header("To", strings.Join(to, ",\r\n "))
	header("Subject", foldWords(mime.QEncoding.Encode("utf-8", o.Subject)))
	header("Date", o.Date.Format(time.RFC1123Z))
	header("Message-ID", headerIDs([]string{o.MessageID}))
	header("In-Reply-To", headerIDs([]string{o.InReplyTo}))
	header("References", headerIDs(o.References))
	if auto := dropBytes(o.AutoSubmitted, notToken); auto != "" {
		header("Auto-Submitted", auto)
		header("X-Auto-Response-Suppress", "All")
	}
	boundary := mimeBoundary(o.MessageID)
	header("MIME-Version", "1.0")
	header("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ct, body string }{{"text/plain", o.Text}, {"text/html", o.HTML}} {
		b.WriteString("--" + boundary + "\r\nContent-Type: " + part.ct + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		w := quotedprintable.NewWriter(&b)
		_, _ = w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(part.body, "\r\n", "\n"), "\n", "\r\n")))
		_ = w.Close()
		b.WriteString("\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

// Message returns Bytes, or, when a field could not be written as it stands, nil and a
// *ValidationError wrapping ErrInvalid that names it (see Validate).
func (o *Outgoing) Message() ([]byte, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return o.Bytes(), nil
}

// Validate returns nil when Bytes writes every field of o as it stands, or a
// *ValidationError wrapping ErrInvalid naming the first that it would not: a From or To
// address that is not one bare address of at most 254 bytes, no recipient, a MessageID,
// InReplyTo or reference that is not a message ID (empty, or holding spaces, control
// characters or angle brackets), or an AutoSubmitted holding spaces or control characters.
// An Outgoing from Render is valid.
func (o *Outgoing) Validate() error {
	switch {
	case !bareAddress(o.From.Address):
		return invalid("Outgoing.From", "not a bare address of at most 254 bytes")
	case len(o.To) == 0:
		return invalid("Outgoing.To", "no recipient")
	case slices.ContainsFunc(o.To, func(a Address) bool { return !bareAddress(a.Address) }):
		return invalid("Outgoing.To", "not a bare address of at most 254 bytes")
	case !goodMsgID(o.MessageID):
		return invalid("Outgoing.MessageID", "not a message ID (empty, spaces, control characters or angle brackets)")
	case o.InReplyTo != "" && !goodMsgID(o.InReplyTo):
		return invalid("Outgoing.InReplyTo", "not a message ID (spaces, control characters or angle brackets)")
	case slices.ContainsFunc(o.References, func(id string) bool { return !goodMsgID(id) }):
		return invalid("Outgoing.References", "not a message ID (empty, spaces, control characters or angle brackets)")
	case dropBytes(o.AutoSubmitted, notToken) != o.AutoSubmitted:
		return invalid("Outgoing.AutoSubmitted", "holds spaces or control characters")
	}
	return nil
}

// headerIDs writes ids as a message ID header's value, one to a line, without the bytes
// goodMsgID refuses; "" when none is left.
func headerIDs(ids []string) string {
	var kept []string
	for _, id := range ids {
		if id = dropBytes(id, notIDByte); id != "" {
			kept = append(kept, id)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return "<" + strings.Join(kept, ">\r\n <") + ">"
}

// mimeBoundary returns the boundary of a message with ID id: "=_sk-", which no
// quoted-printable body holds, then id's letters and digits, at most 70 characters in all.
func mimeBoundary(id string) string {
	b := []byte("=_sk-")
	for i := 0; i < len(id) && len(b) < 70; i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			c = '-'
		}
		b = append(b, c)
	}
	return string(b)
}

// dropBytes returns s without the bytes for which drop reports true.
func dropBytes(s string, drop func(byte) bool) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if !drop(s[i]) {
			b = append(b, s[i])
		}
	}
	if len(b) == len(s) {
		return s
	}
	return string(b)
}

// notAddressByte reports whether c cannot stand in an address written raw: a control
// character.
func notAddressByte(c byte) bool { return c < ' ' || c == 0x7f }

// notToken reports whether c cannot stand in a header token: a space or a control character.
func notToken(c byte) bool { return c <= ' ' || c == 0x7f }

// notIDByte reports whether c cannot stand in a message ID written between angle brackets.
func notIDByte(c byte) bool { return notToken(c) || c == '<' || c == '>' }

// foldWords puts each encoded word of v after the first on a continuation line: a subject
// of non-ASCII text encodes to many words, which on one line would pass the 998 characters
// a line may hold.
func foldWords(v string) string {
	return strings.ReplaceAll(v, "?= =?", "?=\r\n =?")
}

// maxAddress is the longest address a mail path may hold (RFC 5321 section 4.5.3.1.3).
const maxAddress = 254

// bareAddress reports whether s is one address, written as mail.ParseAddress would write
// its address back, and at most 254 bytes long.
func bareAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == "" && len(s) <= maxAddress
}

// headerAddress writes a as it stands in a From or To header, without control characters
// in its address and its encoded words one to a line; a display name that would still make a line pass the 998 characters RFC 5322 allows
// becomes base64 encoded words, one to a line.
func headerAddress(a Address) string {
	a.Address = dropBytes(a.Address, notAddressByte)
	s := foldWords(a.String())
	for line := range strings.SplitSeq(s, "\r\n") {
		if len(line) > maxLine-len("From: ") {
			return encodedWords(a.Name) + "\r\n <" + a.Address + ">"
		}
	}
	return s
}

// encodedWords writes s as UTF-8 base64 encoded words of at most 72 characters each, split
// between characters, one to a line.
func encodedWords(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var words []string
	for s != "" {
		w := cutRunes(s, 45)
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(w))+"?=")
		s = s[len(w):]
	}
	return strings.Join(words, "\r\n ")
}

// Recipients returns the bare addresses of o.To, for an SMTP envelope.
func (o *Outgoing) Recipients() []string {
	out := make([]string, len(o.To))
	for i, a := range o.To {
		out[i] = a.Address
	}
	return out
}

type noticeTemplate struct{ subject, text, html string }

// noticeTemplates hold each kind's subject key and its text and HTML templates; every
// sentence goes through t, the printer of the reader's language.
var noticeTemplates = map[NoticeKind]noticeTemplate{
	NoticeAcknowledgement: {
		subject: "[%s] Request received: %s",
		text: `{{.Greeting}}

{{t "We have received your request and registered it as %s." .Number}}
{{t "Reply to this message to add details; keep %s in the subject." .Number}}`,
		html: `<p>{{.Greeting}}</p>
<p>{{t "We have received your request and registered it as %s." .Number}}</p>
<p>{{t "Reply to this message to add details; keep %s in the subject." .Number}}</p>`,
	},
	NoticeReply: {
		subject: "Re: [%s] %s",
		text: `{{.Body}}

{{.Signature}}`,
		html: `{{range lines .Body "\n"}}<p>{{.}}</p>
{{end}}<p>{{.Signature}}</p>`,
	},
	NoticeReminder: {
		subject: "[%s] Waiting for your reply: %s",
		text: `{{.Greeting}}

{{t "We have been waiting for your reply on %s for %d days." .Number .Days}}
{{t "If the problem is solved, no reply is needed: the request will close by itself."}}`,
		html: `<p>{{.Greeting}}</p>
<p>{{t "We have been waiting for your reply on %s for %d days." .Number .Days}}</p>
<p>{{t "If the problem is solved, no reply is needed: the request will close by itself."}}</p>`,
	},
	NoticeSolved: {
		subject: "[%s] Solved: %s",
		text: `{{.Greeting}}

{{t "Your request %s has been solved." .Number}}
{{if .SurveyURL}}{{t "Please rate our work: %s" .SurveyURL}}
{{end}}{{t "If something is still wrong, just reply to this message."}}`,
		html: `<p>{{.Greeting}}</p>
<p>{{t "Your request %s has been solved." .Number}}</p>
{{if .SurveyURL}}<p><a href="{{.SurveyURL}}">{{t "Rate our work"}}</a></p>
{{end}}<p>{{t "If something is still wrong, just reply to this message."}}</p>`,
	},
	NoticeBreachWarning: {
		subject: "[%s] SLA deadline near: %s",
		text: `{{if ge .Hours 2}}{{t "%d hours left before the deadline of %s." .Hours .Number}}{{else}}{{t "%d minutes left before the deadline of %s." .Minutes .Number}}{{end}}
{{.Assignee}}`,
		html: `<p><b>{{if ge .Hours 2}}{{t "%d hours left before the deadline of %s." .Hours .Number}}{{else}}{{t "%d minutes left before the deadline of %s." .Minutes .Number}}{{end}}</b></p>
<p>{{.Assignee}}</p>`,
	},
	NoticeAssigned: {
		subject: "[%s] Assigned to you: %s",
		text: `{{t "%s, ticket %s is now yours." .Agent .Number}}
{{t "Subject: %s" .Subject}}`,
		html: `<p>{{t "%s, ticket %s is now yours." .Agent .Number}}</p>
<p>{{t "Subject: %s" .Subject}}</p>`,
	},
}

// noticeCatalog holds the Russian translations and the plural forms of both languages.
func noticeCatalog() (catalog.Catalog, error) {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	ru := map[string]string{
		"[%s] Request received: %s":       "[%s] Обращение зарегистрировано: %s",
		"Re: [%s] %s":                     "Re: [%s] %s",
		"[%s] Waiting for your reply: %s": "[%s] Ждём вашего ответа: %s",
		"[%s] Solved: %s":                 "[%s] Решено: %s",
		"[%s] SLA deadline near: %s":      "[%s] Скоро срок SLA: %s",
		"[%s] Assigned to you: %s":        "[%s] Назначено вам: %s",
		"Hello, %s!":                      "Здравствуйте, %s!",
		"Hello!":                          "Здравствуйте!",
		"Support team":                    "Служба поддержки",
		"Nobody is assigned.":             "Исполнитель не назначен.",
		"We have received your request and registered it as %s.":        "Мы получили ваше обращение и зарегистрировали его под номером %s.",
		"Reply to this message to add details; keep %s in the subject.": "Чтобы дополнить обращение, ответьте на это письмо, сохранив %s в теме.",
		"%s, support team": "%s, служба поддержки",
		"If the problem is solved, no reply is needed: the request will close by itself.": "Если вопрос решён, отвечать не нужно: обращение закроется само.",
		"Your request %s has been solved.":                                                "Ваше обращение %s решено.",
		"Please rate our work: %s":                                                        "Пожалуйста, оцените нашу работу: %s",
		"Rate our work":                                                                   "Оценить нашу работу",
		"If something is still wrong, just reply to this message.":                        "Если что-то по-прежнему не так, просто ответьте на это письмо.",
		"Assignee: %s":                "Исполнитель: %s",
		"%s, ticket %s is now yours.": "%s, обращение %s назначено вам.",
		"Subject: %s":                 "Тема: %s",
	}
	for key, msg := range ru {
		if err := b.SetString(language.Russian, key, msg); err != nil {
			return nil, err
		}
	}
	plurals := []struct {
		key    string
		arg    int
		en, ru []any
	}{
		{"We have been waiting for your reply on %s for %d days.", 2,
			[]any{plural.One, "We have been waiting for your reply on %s for %d day.", plural.Other, "We have been waiting for your reply on %s for %d days."},
			[]any{plural.One, "Мы ждём вашего ответа по обращению %s уже %d день.", plural.Few, "Мы ждём вашего ответа по обращению %s уже %d дня.", plural.Other, "Мы ждём вашего ответа по обращению %s уже %d дней."}},
		{"%d hours left before the deadline of %s.", 1,
			[]any{plural.One, "%d hour left before the deadline of %s.", plural.Other, "%d hours left before the deadline of %s."},
			[]any{plural.One, "До срока по обращению %[2]s остался %[1]d час.", plural.Few, "До срока по обращению %[2]s осталось %[1]d часа.", plural.Other, "До срока по обращению %[2]s осталось %[1]d часов."}},
		{"%d minutes left before the deadline of %s.", 1,
			[]any{plural.One, "%d minute left before the deadline of %s.", plural.Other, "%d minutes left before the deadline of %s."},
			[]any{plural.One, "До срока по обращению %[2]s осталась %[1]d минута.", plural.Few, "До срока по обращению %[2]s осталось %[1]d минуты.", plural.Other, "До срока по обращению %[2]s осталось %[1]d минут."}},
	}
	for _, p := range plurals {
		if err := b.Set(language.English, p.key, plural.Selectf(p.arg, "%d", p.en...)); err != nil {
			return nil, err
		}
		if err := b.Set(language.Russian, p.key, plural.Selectf(p.arg, "%d", p.ru...)); err != nil {
			return nil, err
		}
	}
	return b, nil
}
