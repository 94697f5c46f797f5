package ticket

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/language"
)

// NewTicket is the input of Service.Create. Zero fields take the defaults named on them.
type NewTicket struct {
	// Key is an idempotency key (an email's Message-ID, a form submission ID) of the
	// requester's: the same requester creating twice with one key and the same payload gets
	// the first ticket and creates nothing; with another payload, a *KeyReuseError. Another
	// requester's key never names this requester's ticket (see Create). "" disables the check.
	Key         string
	Subject     string // required; at most Config.MaxSubject characters; trimmed of spaces
	Description string // the first public comment; optional; at most Config.MaxBody bytes
	// Attachments go on the description comment. Without a Description they are kept on a
	// first public comment with an empty body, so a form that only uploads files loses none.
	Attachments []Attachment
	Requester   Requester // required: an ID or an email
	// Author is who created the ticket (an agent taking a phone call, a bot); default the
	// requester as a customer (Requester.Actor).
	Author Actor
	// TriagedBy is who decided the triage (Type, Impact, Urgency, Priority, Status,
	// Assignee, Group, Line, Tags, Fields, and the Requester's Organization): the host's
	// rules and directory for a form whose Author is the customer, say, so that the triage
	// is not the customer's. Zero: the Author. When set, the creation events (EventCreated
	// and the EventFieldChanged and EventLinked that follow it) are TriagedBy's, while the
	// description and its EventCommented stay the Author's; the Author's Grant must allow
	// ActionCreate of the ticket as the Author alone gives it (every triage field at its
	// default, no organization) and TriagedBy's Grant ActionCreate of the ticket as stored.
	// Receive sets it to System when its Inbound carries triage or an organization. Left
	// out of the JSON encoding when zero, so that a redelivery fingerprints as before.
	TriagedBy Actor    `json:",omitzero"`
	Channel   Channel  // default ChannelWebForm
	Type      Type     // default TypeQuestion
	Impact    Level    // default LevelMedium
	Urgency   Level    // default LevelMedium
	Priority  Priority // set to fix the priority by hand; default derived from impact and urgency
	// Status is the first status: new (default), open, pending, on-hold, or solved (solved on
	// first contact; needs an Assignee).
	Status   Status
	Assignee string            // the host's agent ID; default "" (unassigned)
	Group    string            // zone of responsibility; default "" (none)
	Line     int               // support line 1–3; default 1
	Tags     []string          // at most 100, normalized as by NormalizeTag; default none
	Fields   map[string]string // at most 100 custom fields; one with an empty value is not set; default none
	// Language defaults to the requester's language, else to Config.DetectLanguage's guess.
	Language language.Tag
	// FollowUpOf links the new ticket to a closed ticket it continues; zero for none.
	FollowUpOf uuid.UUID
}

// Create validates nt and stores a new ticket with its description and attachments as the
// first comment, a number from the NumberGenerator and its EventCreated (then one
// EventFieldChanged per custom field, EventLinked for a follow-up and EventCommented for the
// description). Errors: ErrInvalid (with a *ValidationError) for bad input, ErrTransition for
// a first status that is not allowed, ErrNotFound when FollowUpOf is missing, ErrConflict
// (with a *KeyReuseError) for a Key reused with another payload, or the store's error.
//
// A Key belongs to the requester, as an API key's idempotency keys belong to its account:
// the requester's ID when it is set, otherwise the requester's email address compared
// case-insensitively. The same requester creating again with the same Key and the same
// payload (every field of nt after defaults are filled) gets the ticket created then,
// unchanged, and nothing is published; the same requester and Key with another payload gets
// a *KeyReuseError; another requester's ticket is never returned: a Key someone else used
// creates a ticket of its own. A requester known once by ID and once by email only has two
// scopes.
func (s *Service) Create(ctx context.Context, nt NewTicket) (Ticket, error) {
	if err := s.ready(); err != nil {
		return Ticket{}, err
	}
	return s.create(ctx, nt, false)
}

// create is Create; followUp says that the Service itself creates the ticket for a reply to
// the closed ticket nt.FollowUpOf, so that nt.Key (the reply's comment key) is scoped to that
// ticket (see followUpKey) instead of the requester.
//
// The author's Grant must allow ActionCreate on the ticket about to be stored (a follow-up's
// was given by the ActionReply on the closed ticket) and ActionRead on FollowUpOf; the
// ticket returned is as the author may see it.
func (s *Service) create(ctx context.Context, nt NewTicket, followUp bool) (Ticket, error) {
	c, err := s.prepare(ctx, nt, followUp)
	if err != nil {
		return Ticket{}, err
	}
	author := nt.Author
	if author == (Actor{}) {
		author = nt.Requester.Actor()
	}
	g, err := s.grant(ctx, author)
	if err != nil {
		return Ticket{}, err
	}
	if !followUp {
		if err := s.authorizeCreate(ctx, g, c.Ticket, nt); err != nil {
			return Ticket{}, err
		}
	}
	unlock := s.lock([]uuid.UUID{c.Ticket.ID})
	t, created, err := s.store.Create(ctx, c)
	if err != nil || !created {
		unlock()
		if err != nil {
			return Ticket{}, err
		}
		return s.present(g, t), nil
	}
	s.out.enqueue(t, c.Events)
	unlock()
	s.out.drain(ctx, t.ID)
	return s.present(g, t), nil
}

// authorizeCreate checks that the author's Grant g allows creating t (without its triage
// when nt.TriagedBy is set, whose Grant must then allow creating t) and reading the closed
// ticket nt follows up (zero for none).
func (s *Service) authorizeCreate(ctx context.Context, g Grant, t Ticket, nt NewTicket) error {
	if nt.FollowUpOf != uuid.Nil {
		old, err := s.ticket(ctx, nt.FollowUpOf)
		if err != nil {
			return err
		}
		if err := authorize(g, ActionRead, old); err != nil {
			return err
		}
	}
	if nt.TriagedBy == (Actor{}) {
		if !g.Allows(ActionCreate, t) {
			return &ForbiddenError{Action: ActionCreate}
		}
		return nil
	}
	if !g.Allows(ActionCreate, s.untriaged(t)) {
		return &ForbiddenError{Action: ActionCreate}
	}
	tg, err := s.grant(ctx, nt.TriagedBy)
	if err != nil {
		return err
	}
	if !tg.Allows(ActionCreate, t) {
		return &ForbiddenError{Action: ActionCreate}
	}
	return nil
}

// untriaged returns new ticket t with every triage field (see NewTicket.TriagedBy) at its
// default: the ticket as its author alone asked for it.
func (s *Service) untriaged(t Ticket) Ticket {
	t.Type, t.Impact, t.Urgency, t.Status, t.Line = TypeQuestion, LevelMedium, LevelMedium, StatusNew, 1
	t.Priority, t.PriorityExplicit = s.cfg.Priorities.Priority(LevelMedium, LevelMedium), false
	t.Assignee, t.Group, t.Tags, t.Fields, t.SolvedAt = "", "", nil, nil, time.Time{}
	t.Requester.Organization = ""
	return t
}

func (s *Service) prepare(ctx context.Context, nt NewTicket, followUp bool) (Creation, error) {
	if err := s.checkNew(&nt); err != nil {
		return Creation{}, err
	}
	key, fingerprint := "", ""
	if followUp {
		key = followUpKey(nt.FollowUpOf, nt.Key)
	} else {
		key = creationKey(nt)
	}
	if key != "" {
		fingerprint = payloadFingerprint(nt)
	}
	if nt.FollowUpOf != uuid.Nil {
		if _, err := s.ticket(ctx, nt.FollowUpOf); err != nil {
			return Creation{}, err
		}
	}
	id, err := s.newID()
	if err != nil {
		return Creation{}, err
	}
	now := s.cfg.Now()
	t := Ticket{
		ID: id, Tenant: s.cfg.Tenant, Subject: nt.Subject, Requester: nt.Requester, Channel: nt.Channel, Type: nt.Type,
		Impact: nt.Impact, Urgency: nt.Urgency, Priority: nt.Priority, PriorityExplicit: nt.Priority != "",
		Status: nt.Status, Assignee: nt.Assignee, Group: nt.Group, Line: nt.Line, Tags: nt.Tags,
		Fields: setFields(nt.Fields), Language: nt.Language, CreatedAt: now, UpdatedAt: now,
	}
	if !t.PriorityExplicit {
		t.Priority = s.cfg.Priorities.Priority(t.Impact, t.Urgency)
	}
	if t.Language == language.Und && s.cfg.DetectLanguage != nil {
		t.Language = s.cfg.DetectLanguage(nt.Subject, nt.Description)
		t.LanguageDetected = t.Language != language.Und
	}
	if t.Status == StatusSolved {
		t.SolvedAt = now
	}
	e := &edit{t: t, actor: nt.Author, now: now}
	if nt.TriagedBy != (Actor{}) {
		e.actor = nt.TriagedBy
	}
	e.emit(Event{
		Kind: EventCreated, ToStatus: t.Status, ToPriority: t.Priority, ToAssignee: t.Assignee,
		ToGroup: t.Group, ToLine: t.Line, Channel: t.Channel, Type: t.Type, TagsAdded: t.Tags,
		Other: nt.FollowUpOf, Reason: priorityReason(t.PriorityExplicit),
	})
	for _, k := range slices.Sorted(maps.Keys(t.Fields)) {
		e.emit(Event{Kind: EventFieldChanged, Field: k, ToValue: t.Fields[k]})
	}
	if nt.FollowUpOf != uuid.Nil {
		link := Link{Kind: LinkFollowUpOf, Target: nt.FollowUpOf}
		e.t.Links = append(e.t.Links, link)
		e.emit(Event{Kind: EventLinked, Link: link})
	}
	if nt.Description != "" || len(nt.Attachments) > 0 {
		c, err := s.appendComment(e, nt.Author, true, nt.Description, nt.Attachments, nil)
		if err != nil {
			return Creation{}, err
		}
		e.comments[0].Key = nt.Key
		e.events[0].CommentID = c.ID
	}
	return Creation{
		Ticket: e.t, Comments: e.comments, Events: e.events, Key: key, Fingerprint: fingerprint,
		Number: s.numbers.Number,
	}, nil
}

// checkNew validates nt and fills its defaults.
func (s *Service) checkNew(nt *NewTicket) error {
	if err := checkText("key", nt.Key, 512, false); err != nil {
		return err
	}
	if err := checkText("subject", nt.Subject, s.cfg.MaxSubject, true); err != nil {
		return err
	}
	nt.Subject = strings.TrimSpace(nt.Subject)
	if nt.Description != "" {
		if err := checkBody("description", nt.Description, s.cfg.MaxBody); err != nil {
			return err
		}
	}
	if err := checkAttachments("attachments", nt.Attachments); err != nil {
		return err
	}
	if err := checkRequester("requester", nt.Requester); err != nil {
		return err
	}
	if nt.Author == (Actor{}) {
		nt.Author = nt.Requester.Actor()
	}
	if err := checkActor("author", nt.Author); err != nil {
		return err
	}
	if nt.TriagedBy != (Actor{}) {
		if err := checkActor("triaged by", nt.TriagedBy); err != nil {
			return err
		}
	}
	fill(&nt.Channel, ChannelWebForm)
	fill(&nt.Type, TypeQuestion)
	fill(&nt.Impact, LevelMedium)
	fill(&nt.Urgency, LevelMedium)
	fill(&nt.Status, StatusNew)
	if nt.Line == 0 {
		nt.Line = 1
	}
	if err := checkEnums(nt); err != nil {
		return err
	}
	if nt.Status == StatusSolved && nt.Assignee == "" {
		return &TransitionError{From: StatusNew, To: StatusSolved, Reason: "solving needs an assignee"}
	}
	if err := checkText("assignee", nt.Assignee, maxKeyRunes*2, false); err != nil {
		return err
	}
	if err := checkText("group", nt.Group, maxKeyRunes*2, false); err != nil {
		return err
	}
	tags, err := normalizeTags("tags", nt.Tags)
	if err != nil {
		return err
	}
	nt.Tags = tags
	if len(nt.Fields) == 0 {
		nt.Fields = nil
	}
	if err := checkFields("fields", nt.Fields); err != nil {
		return err
	}
	nt.Language = langOr(nt.Language, nt.Requester.Language)
	return nil
}

func checkEnums(nt *NewTicket) error {
	switch {
	case !nt.Channel.Valid():
		return invalid("channel", "unknown channel "+quote(nt.Channel))
	case !nt.Type.Valid():
		return invalid("type", "unknown type "+quote(nt.Type))
	case !nt.Impact.Valid():
		return invalid("impact", "unknown level "+quote(nt.Impact))
	case !nt.Urgency.Valid():
		return invalid("urgency", "unknown level "+quote(nt.Urgency))
	case nt.Priority != "" && !nt.Priority.Valid():
		return invalid("priority", "unknown priority "+quote(nt.Priority))
	case !nt.Status.Valid():
		return invalid("status", "unknown status "+quote(nt.Status))
	case nt.Status == StatusClosed:
		return &TransitionError{From: StatusNew, To: StatusClosed, Reason: "only solved tickets close"}
	case nt.Line < 1 || nt.Line > 3:
		return invalid("line", "must be 1, 2 or 3")
	}
	return nil
}

// setFields returns the fields with a value, in a new map; nil when none.
func setFields(fields map[string]string) map[string]string {
	var out map[string]string
	for k, v := range fields {
		if v == "" {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(fields))
		}
		out[k] = v
	}
	return out
}

func fill[T ~string](v *T, def T) {
	if *v == "" {
		*v = def
	}
}

// Inbound is a customer message from a channel such as email: the input of Service.Receive.
type Inbound struct {
	// Key is the message's unique ID (an email's Message-ID): a redelivery (the same sender
	// and content) adds nothing; the same Key with other content, or held by a comment of
	// someone else on the ticket, gives a *KeyReuseError.
	Key         string
	From        Requester    // the sender; required, as NewTicket.Requester
	Channel     Channel      // default ChannelEmail
	Subject     string       // searched for a ticket number; a new ticket's subject otherwise
	Body        string       // the reply, or a new ticket's description
	Attachments []Attachment // kept on the comment or the description
	// References are the Message-IDs (without angle brackets) of the messages this one
	// answers, nearest first (an email's In-Reply-To, then its References from the newest).
	// When the subject names no ticket of the sender and the Store is a MessageIndex, the
	// first of them that the index knows and that belongs to a ticket of the sender (the
	// same requester rule as a subject number) picks the ticket; references to other
	// requesters' tickets are skipped, not taken as the end of the search. Default none.
	References []string

	// Triage: a new ticket is created with these, named, defaulted and validated as in
	// NewTicket, in its one creation write, so that observers (routing, SLA clocks) see it
	// triaged from its first event. The triage is the host's, not the sender's, and so is
	// the sender's organization (From.Organization, which the host's directory gave: mail
	// carries none): when any of them is set, the ticket is created with
	// NewTicket.TriagedBy System (the creation events are System's, the description the
	// sender's), so a policy that lets a customer create only untriaged tickets of its own
	// organization still admits the message. A reply to an existing ticket ignores them (they are
	// still validated, so a host's mistake shows on the first message): the ticket was
	// triaged when it was created and may have been re-triaged by an agent since, which a
	// customer's next message must not undo; a host that wants to change a ticket's triage
	// calls Update as the agent or system deciding it. A reply to a closed ticket creates a
	// follow-up with the closed ticket's triage (see Service.Comment).

	Type     Type              // default TypeQuestion
	Impact   Level             // default LevelMedium
	Urgency  Level             // default LevelMedium
	Priority Priority          // set to fix the priority by hand; default derived
	Group    string            // zone of responsibility; default "" (none)
	Tags     []string          // at most 100, normalized as by NormalizeTag; default none
	Fields   map[string]string // at most 100 custom fields; one with an empty value is not set; default none
}

// triaged reports whether m carries any triage field.
func (m Inbound) triaged() bool {
	return m.Type != "" || m.Impact != "" || m.Urgency != "" || m.Priority != "" || m.Group != "" ||
		len(m.Tags) > 0 || len(m.Fields) > 0
}

// checkTriage validates m's triage fields as checkNew validates a NewTicket's.
func checkTriage(m Inbound) error {
	switch {
	case m.Type != "" && !m.Type.Valid():
		return invalid("type", "unknown type "+quote(m.Type))
	case m.Impact != "" && !m.Impact.Valid():
		return invalid("impact", "unknown level "+quote(m.Impact))
	case m.Urgency != "" && !m.Urgency.Valid():
		return invalid("urgency", "unknown level "+quote(m.Urgency))
	case m.Priority != "" && !m.Priority.Valid():
		return invalid("priority", "unknown priority "+quote(m.Priority))
	}
	if err := checkText("group", m.Group, maxKeyRunes*2, false); err != nil {
		return err
	}
	if _, err := normalizeTags("tags", m.Tags); err != nil {
		return err
	}
	return checkFields("fields", m.Fields)
}

// Receive files a customer message: when the subject names an existing ticket of the same
// requester (or, failing that, when the Store is a MessageIndex and one of m.References
// belongs to a ticket of the same requester) (its number found by the NumberGenerator, as in "Re: [SUP-1042] Printer"), the
// same requester being the same ID when both have one, else the same email address (case
// aside) from a sender without an ID of its own (a sender with an ID the requester lacks
// cannot be matched and opens a new ticket), the
// body becomes a public customer comment on it (reopening it when pending or solved, or
// creating a follow-up when closed); otherwise a new ticket is created. m.Key is the
// idempotency key of the comment or the new ticket (see NewComment.Key and Create), so a
// redelivered message adds nothing and a reused one gives ErrConflict.
// A new ticket takes m's triage fields in its creation write; a reply ignores them (see
// Inbound). It returns the ticket the message landed on. m.Channel and the triage fields are
// validated on both paths: an unknown channel or type gives ErrInvalid even for a reply.
// With a MessageIndex, m.Key is recorded as a Message-ID of the ticket the message landed
// on, so that replies to it thread. Errors as Create and Comment.
func (s *Service) Receive(ctx context.Context, m Inbound) (Ticket, error) {
	if err := s.ready(); err != nil {
		return Ticket{}, err
	}
	fill(&m.Channel, ChannelEmail)
	if !m.Channel.Valid() {
		return Ticket{}, invalid("channel", "unknown channel "+quote(m.Channel))
	}
	if err := checkTriage(m); err != nil {
		return Ticket{}, err
	}
	t, ok, err := s.thread(ctx, m)
	if err != nil {
		return Ticket{}, err
	}
	if ok {
		c, err := s.Comment(ctx, m.From.Actor(), t.ID, NewComment{Public: true, Body: m.Body, Attachments: m.Attachments, Key: m.Key})
		if err != nil {
			return Ticket{}, err
		}
		t, err = s.ticket(ctx, c.TicketID)
		if err != nil {
			return Ticket{}, err
		}
		return t, s.indexMessage(ctx, t.ID, m.Key)
	}
	nt := NewTicket{
		Key: m.Key, Subject: m.Subject, Description: m.Body, Attachments: m.Attachments,
		Requester: m.From, Channel: m.Channel, Type: m.Type, Impact: m.Impact, Urgency: m.Urgency,
		Priority: m.Priority, Group: m.Group, Tags: m.Tags, Fields: m.Fields,
	}
	if m.triaged() || m.From.Organization != "" {
		nt.TriagedBy = System
	}
	t, err = s.Create(ctx, nt)
	if err != nil {
		return Ticket{}, err
	}
	return t, s.indexMessage(ctx, t.ID, m.Key)
}

// thread finds the existing ticket m answers: the one its subject names, else, with a
// MessageIndex, the one the first of its References that belongs to a ticket of m's sender
// belongs to; either only when m's sender is that ticket's requester. References of other
// requesters' tickets are passed over (a reply-all quotes other people's threads).
func (s *Service) thread(ctx context.Context, m Inbound) (Ticket, bool, error) {
	if number, ok := s.numbers.Find(m.Subject); ok {
		t, err := s.store.TicketByNumber(ctx, s.cfg.Tenant, number)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return Ticket{}, false, err
		}
		if err == nil && sameRequester(t.Requester, m.From) {
			return t, true, nil
		}
	}
	idx, ok := s.store.(MessageIndex)
	if !ok {
		return Ticket{}, false, nil
	}
	for _, ref := range m.References {
		if checkMessageID(ref) != nil {
			continue
		}
		t, err := idx.TicketByMessageID(ctx, s.cfg.Tenant, ref)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return Ticket{}, false, err
		}
		if sameRequester(t.Requester, m.From) {
			return t, true, nil
		}
	}
	return Ticket{}, false, nil
}

// indexMessage records message key on ticket id when the Store is a MessageIndex, so that
// replies to it thread.
func (s *Service) indexMessage(ctx context.Context, id uuid.UUID, key string) error {
	idx, ok := s.store.(MessageIndex)
	if !ok || checkMessageID(key) != nil {
		return nil
	}
	return idx.AddMessageID(ctx, id, key)
}

// sameRequester reports whether sender b is requester a (see Receive).
func sameRequester(a, b Requester) bool {
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	if b.ID != "" {
		return false
	}
	return a.Email != "" && emailScope(a.Email) == emailScope(b.Email)
}
