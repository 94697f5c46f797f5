package ticket

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// Person identifies someone whose data Service.Erase removes or Service.Export gathers: every
// ID, address, name and phone number the host knows them by. At least one ID or email is
// required.
type Person struct {
	IDs    []string `json:"ids,omitempty"`    // the host's IDs they have as requester, author or agent
	Emails []string `json:"emails,omitempty"` // their email addresses, compared case-insensitively
	// Names are their display names, found in free text as whole words, case aside
	// ("Ann Lee" in "Dear ann lee," but not in "JoAnn Leeds").
	Names []string `json:"names,omitempty"`
	// Phones are their phone numbers in any format; free text holding a number with the same
	// last 10 digits (all of them when shorter, at least 7) holds the phone.
	Phones []string `json:"phones,omitempty"`
}

// Erased is the text that replaces erased free text.
const Erased = "[erased]"

// ErasureReport says what Service.Erase did.
type ErasureReport struct {
	// Pseudonym replaced the person's IDs and addresses in every ID field (requester,
	// authors, actors, assignees), so the erased person's tickets still count as one
	// requester's in reports, and nothing leads back to them.
	Pseudonym string
	Tickets   int // tickets rewritten, each with one EventErased appended
	// Files are the URLs of the attachments whose metadata was erased: the package keeps no
	// blobs, so the host deletes these files.
	Files []string
}

// Erase removes a person's data from every ticket of the Service's tenant, as Eraser.Redact
// allows, and appends an EventErased (by actor) to each ticket it rewrote, which observers
// receive. What goes:
//
//   - on the tickets they requested: the subject, the rating comment, the requester's name
//     and email; the requester ID becomes the pseudonym (the organization stays);
//   - on the comments they wrote: the body, the idempotency key, and the attachments' names
//     and URLs (sizes and content types stay); the author becomes the pseudonym, unnamed;
//   - on every event they acted in: the actor becomes the pseudonym, unnamed; a rating's
//     comment goes;
//   - on a ticket one of theirs was merged into: the subject the merge's note copied;
//   - anywhere else (other people's comments and tickets, custom fields, reasons, field
//     values, tags): their emails, IDs and names as whole words and their phone numbers
//     are replaced by Erased, and tags holding them are dropped.
//
// Statuses, times, priorities, groups, counts of comments and events, ratings' scores and
// links all stay, so reports computed before and after agree. Idempotency keys go too: those
// of their comments, and the creation key of every ticket rewritten (Eraser.Redact forgets
// it), so a message or form submission redelivered after the erasure is a new one: a first
// message creates a new ticket rather than returning the erased one, and a reply is a new
// comment. The store must be an Eraser (else ErrInvalid). Under a policy, the actor needs ActionErase on every ticket touched
// (checked before anything is written; else ErrNotFound or ErrForbidden). Each ticket is
// rewritten atomically; an error midway leaves the tickets done so far erased, and erasing
// again finishes the job. Errors: ErrInvalid, ErrNotFound, ErrForbidden, ErrConflict after
// MaxRetries, or the store's error.
func (s *Service) Erase(ctx context.Context, actor Actor, p Person) (ErasureReport, error) {
	st, g, m, err := s.privacy(ctx, actor, p)
	if err != nil {
		return ErasureReport{}, err
	}
	ids, err := s.touched(ctx, st, g, m, ActionErase)
	if err != nil {
		return ErasureReport{}, err
	}
	if ids, err = s.mergeTargets(ctx, g, m, ids, ActionErase); err != nil {
		return ErasureReport{}, err
	}
	pseudo, err := s.newID()
	if err != nil {
		return ErasureReport{}, err
	}
	m.pseudonym = "erased-" + pseudo.String()[24:]
	report := ErasureReport{Pseudonym: m.pseudonym}
	for _, id := range ids {
		files, done, err := s.eraseTicket(ctx, st, actor, m, id)
		if err != nil {
			return report, err
		}
		if done {
			report.Tickets++
			report.Files = append(report.Files, files...)
		}
	}
	return report, nil
}

// privacy checks the Service, the actor and the person, and returns the Eraser, the actor's
// Grant and the person's matcher.
func (s *Service) privacy(ctx context.Context, actor Actor, p Person) (Eraser, Grant, *matcher, error) {
	if err := s.ready(); err != nil {
		return nil, nil, nil, err
	}
	if err := checkActor("actor", actor); err != nil {
		return nil, nil, nil, err
	}
	st, ok := s.store.(Eraser)
	if !ok {
		return nil, nil, nil, invalid("store", "cannot erase (not a ticket.Eraser)")
	}
	m, err := newMatcher(p)
	if err != nil {
		return nil, nil, nil, err
	}
	g, err := s.grant(ctx, actor)
	if err != nil {
		return nil, nil, nil, err
	}
	return st, g, m, nil
}

// touched returns the tenant's tickets that hold the person's data, after checking that g
// allows action on each.
func (s *Service) touched(ctx context.Context, st Eraser, g Grant, m *matcher, action Action) ([]uuid.UUID, error) {
	candidates, err := st.Mentioning(ctx, s.cfg.Tenant, m.terms())
	if err != nil {
		return nil, err
	}
	var out []uuid.UUID
	for _, id := range candidates {
		r, err := s.record(ctx, id)
		if err != nil {
			return nil, err
		}
		if !m.inRecord(r) {
			continue
		}
		if err := authorize(g, action, r.Ticket); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// mergeTargets records in m the notes that merges of the person's tickets left on the
// tickets they were merged into (which copy the subject), and returns ids with those
// tickets added, after checking that g allows action on each.
func (s *Service) mergeTargets(ctx context.Context, g Grant, m *matcher, ids []uuid.UUID, action Action) ([]uuid.UUID, error) {
	out := slices.Clone(ids)
	for _, id := range ids {
		t, err := s.ticket(ctx, id)
		if err != nil {
			return nil, err
		}
		if !m.requested(t) || t.Subject == Erased {
			continue
		}
		for _, l := range t.Links {
			if l.Kind != LinkMergedInto {
				continue
			}
			m.merged[l.Target] = append(m.merged[l.Target], [2]string{mergeNote(t.Number, t.Subject), mergeNote(t.Number, Erased)})
			if slices.Contains(out, l.Target) {
				continue
			}
			target, err := s.ticket(ctx, l.Target)
			if err != nil {
				return nil, err
			}
			if err := authorize(g, action, target); err != nil {
				return nil, err
			}
			out = append(out, l.Target)
		}
	}
	slices.SortFunc(out, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return out, nil
}

// Record is one ticket with its comments and events.
type Record struct {
	// Ticket is the ticket as stored (or, in PersonalData.Elsewhere, only its ID, tenant and
	// number).
	Ticket Ticket `json:"ticket"`
	// Comments are the ticket's comments, internal notes included, in the store's order;
	// never nil in an Export.
	Comments []Comment `json:"comments"`
	// Events are the ticket's events in the store's order; never nil in an Export.
	Events []Event `json:"events"`
}

func (s *Service) record(ctx context.Context, id uuid.UUID) (Record, error) {
	t, err := s.ticket(ctx, id)
	if err != nil {
		return Record{}, err
	}
	cs, err := s.store.Comments(ctx, id)
	if err != nil {
		return Record{}, err
	}
	es, err := s.store.Events(ctx, id, 0)
	if err != nil {
		return Record{}, err
	}
	return Record{Ticket: t, Comments: cs, Events: es}, nil
}

// eraseTicket rewrites one ticket, retrying a lost race, and publishes its EventErased. It
// returns the URLs of the files whose metadata went, and whether it rewrote anything.
func (s *Service) eraseTicket(ctx context.Context, st Eraser, actor Actor, m *matcher, id uuid.UUID) ([]string, bool, error) {
	for attempt := 0; ; attempt++ {
		files, done, err := s.tryErase(ctx, st, actor, m, id)
		if !errors.Is(err, ErrConflict) || attempt >= s.cfg.MaxRetries {
			return files, done, err
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, false, err
		}
	}
}

func (s *Service) tryErase(ctx context.Context, st Eraser, actor Actor, m *matcher, id uuid.UUID) ([]string, bool, error) {
	unlock := s.lock([]uuid.UUID{id})
	defer unlock()
	r, err := s.record(ctx, id)
	if err != nil {
		return nil, false, err
	}
	rd, files, changed := m.redaction(r)
	if !changed {
		return nil, false, nil
	}
	e := newEdit(r.Ticket, actor, s.cfg.Now())
	e.t = rd.Ticket
	e.emit(Event{Kind: EventErased})
	e.t.UpdatedAt = e.now
	rd.Ticket, rd.Erased = e.t, e.events[0]
	stored, err := st.Redact(ctx, rd)
	if err != nil {
		return nil, false, err
	}
	s.out.enqueue(stored, e.events)
	unlock()
	s.out.drain(ctx, id)
	return files, true, nil
}

// matcher finds and replaces one person's data.
type matcher struct {
	ids, emails map[string]bool // emails lower-cased
	words       []string        // IDs, emails and names, longest first
	// merged holds, by ticket, the merge notes that copy the subject of one of the
	// person's tickets, each with its erased form.
	merged    map[uuid.UUID][][2]string
	text      *regexp.Regexp // words in free text, case aside
	phones    []string       // the digits that identify each phone
	pseudonym string
}

// phoneLike finds phone numbers in folded text: digits with any spaces, dashes, dots,
// slashes and parentheses between them.
var phoneLike = regexp.MustCompile(`\+?\d[\d\s\p{Zs}\p{Pd}()./]{5,}\d`)

func newMatcher(p Person) (*matcher, error) {
	m := &matcher{ids: map[string]bool{}, emails: map[string]bool{}, merged: map[uuid.UUID][][2]string{}}
	var words []string
	for field, vs := range map[string][]string{"person.ids": p.IDs, "person.emails": p.Emails, "person.names": p.Names} {
		for _, v := range vs {
			if err := checkText(field, v, 254, true); err != nil {
				return nil, err
			}
			words = append(words, v)
		}
	}
	for _, id := range p.IDs {
		m.ids[id] = true
	}
	for _, e := range p.Emails {
		m.emails[foldEmail(e)] = true
	}
	if len(m.ids)+len(m.emails) == 0 {
		return nil, invalid("person", "needs an ID or an email")
	}
	for _, ph := range p.Phones {
		d := digits(ph)
		if len(d) < 7 {
			return nil, invalid("person.phones", "fewer than 7 digits")
		}
		m.phones = append(m.phones, d[max(0, len(d)-10):])
	}
	slices.SortFunc(words, func(a, b string) int { return len(foldString(b)) - len(foldString(a)) })
	m.words = words
	quoted := make([]string, len(words))
	for i, w := range words {
		parts := strings.Fields(foldString(w))
		for j, part := range parts {
			parts[j] = regexp.QuoteMeta(part)
		}
		quoted[i] = strings.Join(parts, `[\s\p{Zs}]+`)
	}
	m.text = regexp.MustCompile(`(?i)` + strings.Join(quoted, "|"))
	return m, nil
}

// foldEmail is the form in which two addresses are one person's: folded and lower-cased.
func foldEmail(e string) string { return strings.ToLower(foldString(e)) }

// terms are what Eraser.Mentioning searches for: every ID, email and name, and the last four
// digits of each phone (a superset, checked by inRecord).
func (m *matcher) terms() []string {
	var out []string
	for id := range m.ids {
		out = append(out, id)
	}
	for e := range m.emails {
		out = append(out, e)
	}
	out = append(out, m.words...)
	for _, d := range m.phones {
		out = append(out, d[len(d)-4:])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isID reports whether v names the person: one of their IDs, or one of their emails.
func (m *matcher) isID(v string) bool {
	return v != "" && (m.ids[v] || m.emails[foldEmail(v)])
}

// inText reports whether free text s holds the person's data.
func (m *matcher) inText(s string) bool { return m.scrub(s) != s }

// scrub replaces the person's data in free text s with Erased. It matches on s folded
// (see foldText), so any spelling of the same text matches, and replaces the original bytes
// each match came from. A replacement can make a neighbour a whole word ("ann@example.comID-1"
// becomes "[erased]ID-1"), so it scrubs again until nothing matches: the result holds none of
// the person's data and scrubs to itself. Text inside an Erased already written is left
// alone, so each round shrinks the text outside them and the rounds end.
func (m *matcher) scrub(s string) string {
	for {
		out := m.scrubOnce(s)
		if out == s {
			return s
		}
		s = out
	}
}

func (m *matcher) scrubOnce(s string) string {
	if s == "" {
		return s
	}
	f := foldText(s)
	spans := append(m.wordSpans(f.s), m.phoneSpans(f.s)...)
	if len(spans) == 0 {
		return s
	}
	for i, sp := range spans {
		spans[i][0], spans[i][1] = f.original(sp[0], sp[1])
	}
	spans = slices.DeleteFunc(spans, func(sp [2]int) bool { return overlapsErased(s, sp) })
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		if sp[1] <= last {
			continue
		}
		if sp[0] >= last {
			b.WriteString(s[last:sp[0]])
			b.WriteString(Erased)
		}
		last = sp[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// overlapsErased reports whether the bytes sp of s share one with an Erased in s.
func overlapsErased(s string, sp [2]int) bool {
	from := max(0, sp[0]-len(Erased)+1)
	to := min(len(s), sp[1]+len(Erased)-1)
	i := strings.Index(s[from:to], Erased)
	for i >= 0 {
		at := from + i
		if at < sp[1] && at+len(Erased) > sp[0] {
			return true
		}
		from = at + 1
		i = strings.Index(s[from:to], Erased)
	}
	return false
}

// wordSpans returns where folded text s holds the person's IDs, emails and names as whole
// words (an email also inside a longer word: addresses are distinctive).
func (m *matcher) wordSpans(s string) [][2]int {
	var out [][2]int
	for _, loc := range m.text.FindAllStringIndex(s, -1) {
		w := s[loc[0]:loc[1]]
		if !m.emails[strings.ToLower(w)] && (wordBefore(s, loc[0]) || wordAt(s, loc[1])) {
			continue
		}
		out = append(out, [2]int{loc[0], loc[1]})
	}
	return out
}

// phoneSpans returns where folded text s holds one of the person's phone numbers.
func (m *matcher) phoneSpans(s string) [][2]int {
	if len(m.phones) == 0 {
		return nil
	}
	var out [][2]int
	for _, loc := range phoneLike.FindAllStringIndex(s, -1) {
		d := digits(s[loc[0]:loc[1]])
		for _, ph := range m.phones {
			if len(d) >= 7 && strings.HasSuffix(d, ph) || len(ph) > len(d) && len(d) >= 7 && strings.HasSuffix(ph, d) {
				out = append(out, [2]int{loc[0], loc[1]})
				break
			}
		}
	}
	return out
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// inRecord reports whether the person appears anywhere in r.
func (m *matcher) inRecord(r Record) bool {
	_, _, changed := m.redaction(r)
	return changed
}

// redaction builds r's rewrite: the Redaction (without its EventErased), the URLs of the
// files whose metadata went, and whether anything changed.
func (m *matcher) redaction(r Record) (Redaction, []string, bool) {
	rd := Redaction{Ticket: m.ticket(r.Ticket)}
	changed := !ticketsEqual(rd.Ticket, r.Ticket)
	var files []string
	for _, c := range r.Comments {
		nc, urls := m.commentOn(r.Ticket.ID, c)
		if !commentsEqual(nc, c) {
			rd.Comments = append(rd.Comments, nc)
			files = append(files, urls...)
			changed = true
		}
	}
	for _, e := range r.Events {
		ne := m.event(e, r.Ticket)
		if !eventsEqual(ne, e) {
			rd.Events = append(rd.Events, ne)
			changed = true
		}
	}
	return rd, files, changed
}

// requested reports whether the person is t's requester.
func (m *matcher) requested(t Ticket) bool {
	return m.isID(t.Requester.ID) || m.isID(t.Requester.Email)
}

func (m *matcher) ticket(t Ticket) Ticket {
	t = t.Clone()
	if m.requested(t) {
		t.Requester.ID, t.Requester.Name, t.Requester.Email = m.pseudonym, "", ""
		t.Subject = Erased
		t.Satisfaction.Comment = ""
	}
	t.Requester.Name = m.scrub(t.Requester.Name)
	t.Subject = m.scrub(t.Subject)
	t.Satisfaction.Comment = m.scrub(t.Satisfaction.Comment)
	t.Assignee = m.id(t.Assignee)
	t.Tags = m.tags(t.Tags)
	for k, v := range t.Fields {
		t.Fields[k] = m.scrub(v)
	}
	return t
}

// id returns the pseudonym for an ID of the person, else v.
func (m *matcher) id(v string) string {
	if m.isID(v) {
		return m.pseudonym
	}
	return v
}

func (m *matcher) actor(a Actor) Actor {
	if m.isID(a.ID) {
		return Actor{Kind: a.Kind, ID: m.pseudonym}
	}
	a.Name = m.scrub(a.Name)
	return a
}

// tags drops the tags that hold the person's data; nil when none is left.
func (m *matcher) tags(tags []string) []string {
	out := slices.DeleteFunc(slices.Clone(tags), func(tag string) bool { return m.isID(tag) || m.inText(tag) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// commentOn is comment for a comment of ticket id, where a merge note that copies the
// subject of one of the person's tickets also loses the subject.
func (m *matcher) commentOn(id uuid.UUID, c Comment) (Comment, []string) {
	nc, files := m.comment(c)
	for _, note := range m.merged[id] {
		if !c.Public && c.Body == note[0] {
			nc.Body = note[1]
		}
	}
	return nc, files
}

func (m *matcher) comment(c Comment) (Comment, []string) {
	c = c.Clone()
	mine := m.isID(c.Author.ID)
	c.Author = m.actor(c.Author)
	var files []string
	if mine {
		c.Body, c.Key = Erased, ""
	} else {
		c.Body = m.scrub(c.Body)
		if m.inText(c.Key) {
			c.Key = ""
		}
	}
	for i, a := range c.Attachments {
		if mine || m.inText(a.Name) || m.inText(a.URL) {
			if a.URL != "" {
				files = append(files, a.URL)
			}
			c.Attachments[i].Name, c.Attachments[i].URL = Erased, ""
		}
	}
	return c, files
}

func (m *matcher) event(e Event, t Ticket) Event {
	e = e.Clone()
	mine := m.isID(e.Actor.ID)
	e.Actor = m.actor(e.Actor)
	e.FromAssignee, e.ToAssignee = m.id(e.FromAssignee), m.id(e.ToAssignee)
	if e.Kind == EventRated && mine {
		e.Reason = ""
	}
	if e.Field == "subject" && m.requested(t) {
		e.FromValue, e.ToValue = Erased, Erased
	}
	e.Reason, e.FromValue, e.ToValue = m.scrub(e.Reason), m.scrub(e.FromValue), m.scrub(e.ToValue)
	e.TagsAdded, e.TagsRemoved = m.tags(e.TagsAdded), m.tags(e.TagsRemoved)
	return e
}

func ticketsEqual(a, b Ticket) bool {
	return a.Subject == b.Subject && a.Requester == b.Requester && a.Assignee == b.Assignee &&
		a.Satisfaction == b.Satisfaction && slices.Equal(a.Tags, b.Tags) && mapsEqual(a.Fields, b.Fields)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func commentsEqual(a, b Comment) bool {
	return a.Author == b.Author && a.Body == b.Body && a.Key == b.Key && slices.Equal(a.Attachments, b.Attachments)
}

func eventsEqual(a, b Event) bool {
	return a.Actor == b.Actor && a.FromAssignee == b.FromAssignee && a.ToAssignee == b.ToAssignee &&
		a.Reason == b.Reason && a.FromValue == b.FromValue && a.ToValue == b.ToValue &&
		slices.Equal(a.TagsAdded, b.TagsAdded) && slices.Equal(a.TagsRemoved, b.TagsRemoved)
}

// PersonalData is everything the tickets of one tenant hold about a person, as Service.Export
// gathers it; it encodes to JSON with encoding/json.
type PersonalData struct {
	Person Person `json:"person"` // whom it is about
	Tenant string `json:"tenant"` // the tenant searched
	// Requested are the tickets the person requested, whole: every comment (internal
	// notes included) and every event.
	Requested []Record `json:"requested"`
	// Elsewhere are the other tickets that hold the person's data: each with only its ID,
	// tenant and number, and only the comments and events that hold it (ones they wrote or
	// acted in, or that name them).
	Elsewhere []Record `json:"elsewhere"`
}

// Export gathers everything the Service's tenant holds about a person (see PersonalData), in
// ticket ID order. The store must be an Eraser (else ErrInvalid); under a policy the actor
// needs ActionExport on every ticket gathered (else ErrNotFound or ErrForbidden). Errors as
// Erase.
func (s *Service) Export(ctx context.Context, actor Actor, p Person) (PersonalData, error) {
	st, g, m, err := s.privacy(ctx, actor, p)
	if err != nil {
		return PersonalData{}, err
	}
	ids, err := s.touched(ctx, st, g, m, ActionExport)
	if err != nil {
		return PersonalData{}, err
	}
	if ids, err = s.mergeTargets(ctx, g, m, ids, ActionExport); err != nil {
		return PersonalData{}, err
	}
	out := PersonalData{Person: p, Tenant: s.cfg.Tenant, Requested: []Record{}, Elsewhere: []Record{}}
	for _, id := range ids {
		r, err := s.record(ctx, id)
		if err != nil {
			return PersonalData{}, err
		}
		if m.requested(r.Ticket) {
			out.Requested = append(out.Requested, r)
			continue
		}
		out.Elsewhere = append(out.Elsewhere, m.their(r))
	}
	return out, nil
}

// their returns the part of r that holds the person's data.
func (m *matcher) their(r Record) Record {
	t := r.Ticket
	out := Record{Ticket: Ticket{ID: t.ID, Tenant: t.Tenant, Number: t.Number}, Comments: []Comment{}, Events: []Event{}}
	for _, c := range r.Comments {
		if nc, _ := m.commentOn(t.ID, c); !commentsEqual(nc, c) {
			out.Comments = append(out.Comments, c)
		}
	}
	for _, e := range r.Events {
		if !eventsEqual(m.event(e, t), e) {
			out.Events = append(out.Events, e)
		}
	}
	return out
}

// Scrubber finds and replaces one person's data in free text by the rules Service.Erase uses
// (see Person), so that other parts of a desk (knowledge-base search queries) are erased the
// same way. It is safe for concurrent use.
type Scrubber struct{ m *matcher }

// NewScrubber returns the Scrubber of p; ErrInvalid as Erase for a bad Person.
func NewScrubber(p Person) (*Scrubber, error) {
	m, err := newMatcher(p)
	if err != nil {
		return nil, err
	}
	return &Scrubber{m: m}, nil
}

// Scrub returns text with the person's IDs, emails and names (as whole words) and phone
// numbers replaced by Erased.
func (s *Scrubber) Scrub(text string) string { return s.m.scrub(text) }

// Holds reports whether text holds the person's data, as Scrub finds it.
func (s *Scrubber) Holds(text string) bool { return s.m.inText(text) }

// Is reports whether id is one of the person's IDs or email addresses (case aside).
func (s *Scrubber) Is(id string) bool { return s.m.isID(id) }
