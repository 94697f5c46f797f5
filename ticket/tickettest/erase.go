package tickettest

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// eraser returns s as a ticket.Eraser, or skips the test when s has no such ability.
func eraser(t *testing.T, s ticket.Store) ticket.Eraser {
	t.Helper()
	e, ok := s.(ticket.Eraser)
	if !ok {
		t.Skip("the store is not a ticket.Eraser")
	}
	return e
}

// stored is one ticket with everything the store keeps for it.
type stored struct {
	Ticket   ticket.Ticket
	Comments []ticket.Comment
	Events   []ticket.Event
}

// dump reads every ticket of the tenant with its comments and events, through the Store.
func dump(t *testing.T, s ticket.Store, tenant string) []stored {
	t.Helper()
	ctx := context.Background()
	var out []stored
	q := ticket.Query{Tenant: tenant, Limit: 1000}
	for {
		page, err := s.List(ctx, q)
		require.NoError(t, err)
		for _, tk := range page.Tickets {
			cs, err := s.Comments(ctx, tk.ID)
			require.NoError(t, err)
			es, err := s.Events(ctx, tk.ID, 0)
			require.NoError(t, err)
			out = append(out, stored{Ticket: tk, Comments: cs, Events: es})
		}
		if page.Next == uuid.Nil {
			return out
		}
		q.After = page.Next
	}
}

// strings returns every string in r, found by reflection over every exported field, so that
// a field added later is searched without a change here.
func (r stored) strings() []string {
	var out []string
	collect(reflect.ValueOf(r), &out)
	return out
}

func collect(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collect(v.Field(i), out)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collect(v.Index(i), out)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collect(it.Key(), out)
			collect(it.Value(), out)
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collect(v.Elem(), out)
		}
	}
}

// scrub replaces, by reflection, every string field of *p (exported fields, slices, maps) that
// contains one of terms (case aside) with "[erased]".
func scrub(p any, terms []string) {
	scrubValue(reflect.ValueOf(p).Elem(), terms)
}

func scrubValue(v reflect.Value, terms []string) {
	switch v.Kind() {
	case reflect.String:
		if hasAny(v.String(), terms) {
			v.SetString("[erased]")
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scrubValue(v.Field(i), terms)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			scrubValue(v.Index(i), terms)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		m := reflect.MakeMap(v.Type())
		for it := v.MapRange(); it.Next(); {
			k := reflect.New(v.Type().Key()).Elem()
			k.Set(it.Key())
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(it.Value())
			scrubValue(k, terms)
			scrubValue(val, terms)
			m.SetMapIndex(k, val)
		}
		v.Set(m)
	}
}

func hasAny(s string, terms []string) bool {
	for _, term := range terms {
		if strings.Contains(bare(s), bare(term)) {
			return true
		}
	}
	return false
}

// bare is text as Mentioning compares it, for the plain text of this suite (no compatibility
// forms): lower-cased, letters and digits only.
func bare(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// personal is a population in which one person, Ann Lee, appears in every kind of place a
// ticket keeps text: as requester, author, actor, in subjects, bodies, attachments, custom
// fields, tags, ratings and reasons, in several tickets, beside tickets she has nothing to do
// with. It returns the store's tickets, the terms that identify her, and her tickets' IDs.
func personal(t *testing.T, s ticket.Store) (terms []string, hers []uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	svc := newService(t, s)
	ann := annForm().Requester
	annActor := ann.Actor()
	annAgent := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-ann", Name: "Ann Lee"}
	bob := ticket.Requester{ID: "cust-bob", Name: "Bob Roe", Email: "bob@example.com"}
	a1 := create(t, svc, annForm())
	_, err := svc.Comment(ctx, agent, a1.ID, ticket.NewComment{Body: "Internal: Ann Lee is a VIP."})
	require.NoError(t, err)
	_, err = svc.Escalate(ctx, agent, a1.ID, ticket.Escalation{Line: 2, Reason: "asked by Ann Lee"})
	require.NoError(t, err)
	_, err = svc.Solve(ctx, agent, a1.ID)
	require.NoError(t, err)
	_, err = svc.Rate(ctx, annActor, a1.ID, ticket.Rating{CSAT: 2, Comment: "Slow, says Ann Lee"})
	require.NoError(t, err)
	b1 := create(t, svc, ticket.NewTicket{Subject: "VPN down", Requester: bob, Description: "No VPN."})
	_, err = svc.Comment(ctx, annAgent, b1.ID, ticket.NewComment{Public: true, Body: "Looking into it."})
	require.NoError(t, err)
	_, err = svc.Comment(ctx, agent, b1.ID, ticket.NewComment{Body: "Her colleague asks to call 8 (495) 123 4567 instead."})
	require.NoError(t, err)
	_, err = svc.Update(ctx, agent, b1.ID, ticket.Changes{Assignee: ticket.Ptr("agent-ann")})
	require.NoError(t, err)
	create(t, svc, ticket.NewTicket{Subject: "Unrelated", Requester: bob, Description: "Nothing about her."})
	return []string{"Ann Lee", "ann.lee@example.com", "cust-ann", "agent-ann", "123-45-67"}, []uuid.UUID{a1.ID, b1.ID}
}

// annForm is the form by which Ann Lee created her first ticket, with an idempotency key.
func annForm() ticket.NewTicket {
	return ticket.NewTicket{
		Subject:     "Ann Lee cannot print",
		Requester:   ticket.Requester{ID: "cust-ann", Name: "Ann Lee", Email: "Ann.Lee@example.com", Organization: "org-acme"},
		Description: "I am Ann Lee, call +7 495 123-45-67.",
		Attachments: []ticket.Attachment{{Name: "Ann Lee scan.pdf", Size: 42, ContentType: "application/pdf", URL: "https://files.example.com/cust-ann/scan.pdf"}},
		Fields:      map[string]string{"callback": "ann.lee@example.com"}, Tags: []string{"cust-ann"},
		Assignee: "agent-1", Key: "form-ann-lee",
	}
}

func testMentioning(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	terms, hers := personal(t, s)
	all := dump(t, s, "")
	for _, term := range append(terms, "VPN", "application/pdf", "no-such-text") {
		var want []uuid.UUID
		for _, r := range all {
			if slices.ContainsFunc(r.strings(), func(s string) bool { return hasAny(s, []string{term}) }) {
				want = append(want, r.Ticket.ID)
			}
		}
		got, err := e.Mentioning(ctx, "", []string{strings.ToUpper(term)})
		require.NoError(t, err)
		assert.True(t, slices.IsSortedFunc(got, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }), "ascending IDs")
		for _, id := range want {
			assert.Contains(t, got, id, "Mentioning(%q) misses a ticket", term)
		}
	}
	got, err := e.Mentioning(ctx, "", terms)
	require.NoError(t, err)
	for _, id := range hers {
		assert.Contains(t, got, id)
	}
	none, err := e.Mentioning(ctx, "", []string{""})
	require.NoError(t, err)
	assert.Empty(t, none, "an empty term matches nothing")
	none, err = e.Mentioning(ctx, "other-tenant", terms)
	require.NoError(t, err)
	assert.Empty(t, none)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = e.Mentioning(cancelled, "", terms)
	assert.ErrorIs(t, err, context.Canceled)
}

// redaction builds, by hand, the Redaction that replaces every string holding one of terms.
func redaction(r stored, terms []string, at time.Time) ticket.Redaction {
	rd := ticket.Redaction{Ticket: r.Ticket.Clone()}
	scrub(&rd.Ticket, terms)
	for _, c := range r.Comments {
		c = c.Clone()
		scrub(&c, terms)
		rd.Comments = append(rd.Comments, c)
	}
	for _, e := range r.Events {
		e = e.Clone()
		scrub(&e, terms)
		rd.Events = append(rd.Events, e)
	}
	rd.Ticket.LastEventSeq++
	rd.Ticket.UpdatedAt = at
	rd.Erased = ticket.Event{
		TicketID: r.Ticket.ID, Seq: rd.Ticket.LastEventSeq, Kind: ticket.EventErased, At: at, Actor: ticket.System,
	}
	return rd
}

func find(t *testing.T, all []stored, id uuid.UUID) stored {
	t.Helper()
	for _, r := range all {
		if r.Ticket.ID == id {
			return r
		}
	}
	require.Failf(t, "missing ticket", "%s", id)
	return stored{}
}

func testRedact(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	terms, hers := personal(t, s)
	before := find(t, dump(t, s, ""), hers[0])
	rd := redaction(before, terms, before.Ticket.UpdatedAt.Add(time.Minute))
	got, err := e.Redact(ctx, rd)
	require.NoError(t, err)
	assert.Equal(t, before.Ticket.Version+1, got.Version)
	assert.Equal(t, before.Ticket.Number, got.Number)
	assert.Equal(t, "[erased]", got.Requester.Email)
	after := find(t, dump(t, s, ""), hers[0])
	assertSameTicket(t, got, after.Ticket)
	require.Len(t, after.Comments, len(before.Comments))
	for i, c := range after.Comments {
		assert.Equal(t, before.Comments[i].ID, c.ID)
		assert.Equal(t, before.Comments[i].Seq, c.Seq)
		assert.Equal(t, rd.Comments[i].Body, c.Body)
		assert.Equal(t, rd.Comments[i].Attachments, c.Attachments)
		assert.Equal(t, rd.Comments[i].Author, c.Author)
	}
	require.Len(t, after.Events, len(before.Events)+1, "one EventErased more")
	for i, ev := range after.Events[:len(before.Events)] {
		old := before.Events[i]
		assert.Equal(t, old.Seq, ev.Seq)
		assert.Equal(t, old.Kind, ev.Kind)
		assert.True(t, old.At.Equal(ev.At))
		assert.Equal(t, old.ToStatus, ev.ToStatus)
		assert.Equal(t, rd.Events[i].Actor, ev.Actor)
		assert.Equal(t, rd.Events[i].Reason, ev.Reason)
	}
	last := after.Events[len(after.Events)-1]
	assert.Equal(t, ticket.EventErased, last.Kind)
	assert.Equal(t, got.LastEventSeq, last.Seq)
	for q, want := range map[string]int{"Ann.Lee@example.com": 0, "cust-ann": 0, "[erased]": 1} {
		page, err := s.List(ctx, ticket.Query{Requester: q})
		require.NoError(t, err)
		assert.Len(t, page.Tickets, want, "listing by requester %q follows the redaction", q)
	}
	page, err := s.List(ctx, ticket.Query{Organization: "org-acme"})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 1, "the organization's ID is not personal data and stays")
}

// testRedactForgetsTheCreationKey checks that Redact forgets the key and fingerprint the
// ticket was created with: the same Creation afterwards stores a new ticket, while another
// ticket's key still returns that ticket.
func testRedactForgetsTheCreationKey(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	first, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	require.True(t, created)
	kept, created, err := s.Create(ctx, keyed(hexKey("2"), hexKey("f"), "c-2"))
	require.NoError(t, err)
	require.True(t, created)
	again, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	require.False(t, created, "before the redaction the key returns the first ticket")
	require.Equal(t, first.ID, again.ID)

	r := find(t, dump(t, s, ""), first.ID)
	_, err = e.Redact(ctx, redaction(r, []string{"c-1", "bo@example.com"}, r.Ticket.UpdatedAt))
	require.NoError(t, err)

	fresh, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("f"), "c-1"))
	require.NoError(t, err)
	assert.True(t, created, "a redelivery after the redaction creates a new ticket")
	assert.NotEqual(t, first.ID, fresh.ID)
	assert.NotEqual(t, first.Number, fresh.Number)
	other, created, err := s.Create(ctx, keyed(hexKey("1"), hexKey("e"), "c-1"))
	require.ErrorIs(t, err, ticket.ErrConflict, "the key now belongs to the new ticket")
	assert.False(t, created)
	assert.Equal(t, uuid.Nil, other.ID)
	same, created, err := s.Create(ctx, keyed(hexKey("2"), hexKey("f"), "c-2"))
	require.NoError(t, err)
	assert.False(t, created, "another ticket's key is untouched")
	assert.Equal(t, kept.ID, same.ID)
}

func testRedactStale(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	terms, hers := personal(t, s)
	before := find(t, dump(t, s, ""), hers[0])
	rd := redaction(before, terms, before.Ticket.UpdatedAt)
	rd.Ticket.Version--
	_, err := e.Redact(ctx, rd)
	require.ErrorIs(t, err, ticket.ErrConflict)
	after := find(t, dump(t, s, ""), hers[0])
	assert.Equal(t, before, after, "a stale redaction changes nothing")
	rd = redaction(before, terms, before.Ticket.UpdatedAt)
	rd.Ticket.ID = uuid.Must(uuid.NewV7())
	_, err = e.Redact(ctx, rd)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}

func testRedactStructure(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	terms, hers := personal(t, s)
	before := find(t, dump(t, s, ""), hers[0])
	breaks := map[string]func(rd *ticket.Redaction){
		"unknown comment":      func(rd *ticket.Redaction) { rd.Comments[0].ID = uuid.Must(uuid.NewV7()) },
		"comment Seq moved":    func(rd *ticket.Redaction) { rd.Comments[0].Seq++ },
		"event Kind changed":   func(rd *ticket.Redaction) { rd.Events[0].Kind = ticket.EventLinked },
		"unknown event":        func(rd *ticket.Redaction) { rd.Events[0].Seq = 99 },
		"no EventErased":       func(rd *ticket.Redaction) { rd.Erased.Kind = ticket.EventCommented },
		"EventErased misplace": func(rd *ticket.Redaction) { rd.Erased.Seq++; rd.Ticket.LastEventSeq++ },
		"other ticket's event": func(rd *ticket.Redaction) { rd.Events[0].TicketID = hers[1] },
	}
	for name, brk := range breaks {
		rd := redaction(before, terms, before.Ticket.UpdatedAt)
		brk(&rd)
		_, err := e.Redact(ctx, rd)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
		after := find(t, dump(t, s, ""), hers[0])
		assert.Equal(t, before, after, "%s: nothing changed", name)
	}
}

// testRedactLeavesNoTrace erases a person from every ticket the store says mentions her and
// then reads back everything the tenant holds: no string of any stored record may still hold
// her data, and every count and time is what it was.
func testRedactLeavesNoTrace(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	e := eraser(t, s)
	terms, _ := personal(t, s)
	before := dump(t, s, "")
	found, err := e.Mentioning(ctx, "", terms)
	require.NoError(t, err)
	for _, id := range found {
		r := find(t, before, id)
		_, err := e.Redact(ctx, redaction(r, terms, r.Ticket.UpdatedAt))
		require.NoError(t, err)
	}
	after := dump(t, s, "")
	require.Len(t, after, len(before))
	for i, r := range after {
		for _, str := range r.strings() {
			assert.False(t, hasAny(str, terms), "ticket %s still holds %q", r.Ticket.Number, str)
		}
		old := before[i]
		assert.Equal(t, len(old.Comments), len(r.Comments))
		assert.Equal(t, old.Ticket.Status, r.Ticket.Status)
		assert.Equal(t, old.Ticket.Satisfaction.CSAT, r.Ticket.Satisfaction.CSAT)
		assert.True(t, old.Ticket.CreatedAt.Equal(r.Ticket.CreatedAt))
		assert.True(t, old.Ticket.SolvedAt.Equal(r.Ticket.SolvedAt))
		erased := 0
		if slices.Contains(found, r.Ticket.ID) {
			erased = 1
		}
		require.Len(t, r.Events, len(old.Events)+erased)
		for j, ev := range old.Events {
			assert.Equal(t, ev.Kind, r.Events[j].Kind)
			assert.True(t, ev.At.Equal(r.Events[j].At))
		}
	}
	again, err := e.Mentioning(ctx, "", terms)
	require.NoError(t, err)
	assert.Empty(t, again, "nothing mentions her any more")
}

// ann is the person personal() spreads over the store.
var ann = ticket.Person{
	IDs: []string{"cust-ann", "agent-ann"}, Emails: []string{"ann.lee@example.com"},
	Names: []string{"Ann Lee"}, Phones: []string{"+7 (495) 123-45-67"},
}

// holdsAnn reports, independently of the package's matching, whether s holds any of Ann's
// data: an ID, email or name (case aside), or her phone's last ten digits.
func holdsAnn(s string) bool {
	if hasAny(s, append(append(slices.Clone(ann.IDs), ann.Emails...), ann.Names...)) {
		return true
	}
	var d strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	return strings.Contains(d.String(), "4951234567")
}

// summary is what reports are computed from: it must read the same before and after an
// erasure.
type summary struct {
	Tickets, Comments, Public int
	Statuses                  map[ticket.Status]int
	Kinds                     map[ticket.EventKind]int
	Requesters                int
	CSAT                      int
	Solving                   time.Duration
}

func summarize(all []stored) summary {
	s := summary{Statuses: map[ticket.Status]int{}, Kinds: map[ticket.EventKind]int{}}
	requesters := map[string]bool{}
	for _, r := range all {
		s.Tickets++
		s.Statuses[r.Ticket.Status]++
		requesters[r.Ticket.Requester.ID+"|"+strings.ToLower(r.Ticket.Requester.Email)] = true
		s.CSAT += r.Ticket.Satisfaction.CSAT
		if !r.Ticket.SolvedAt.IsZero() {
			s.Solving += r.Ticket.SolvedAt.Sub(r.Ticket.CreatedAt)
		}
		for _, c := range r.Comments {
			s.Comments++
			if c.Public {
				s.Public++
			}
		}
		for _, e := range r.Events {
			if e.Kind != ticket.EventErased {
				s.Kinds[e.Kind]++
			}
		}
	}
	s.Requesters = len(requesters)
	return s
}

// testServiceErase erases a person through the Service and reads back everything the store
// holds: no string of any stored record holds her data, every count, status and duration
// is what it was, each rewritten ticket got one EventErased, and another tenant's tickets
// that name her are untouched.
func testServiceErase(t *testing.T, s ticket.Store) {
	ctx := context.Background()
	eraser(t, s)
	personal(t, s)
	other := tenantService(t, s, "globex")
	kept := create(t, other, ticket.NewTicket{Subject: "Ann Lee again", Requester: ticket.Requester{ID: "cust-ann", Email: "ann.lee@example.com"}})
	svc := newService(t, s)
	before := dump(t, s, "")
	data, err := svc.Export(ctx, ticket.System, ann)
	require.NoError(t, err)
	assert.Len(t, data.Requested, 1, "the ticket she requested")
	assert.Len(t, data.Elsewhere, 1, "the ticket she answered and was assigned")
	report, err := svc.Erase(ctx, ticket.System, ann)
	require.NoError(t, err)
	assert.Equal(t, 2, report.Tickets)
	assert.Equal(t, []string{"https://files.example.com/cust-ann/scan.pdf"}, report.Files)
	assert.False(t, holdsAnn(report.Pseudonym))
	after := dump(t, s, "")
	for _, r := range after {
		for _, str := range r.strings() {
			assert.False(t, holdsAnn(str), "%s still holds %q", r.Ticket.Number, str)
		}
	}
	assert.Equal(t, summarize(before), summarize(after), "reports agree before and after")
	erased := 0
	for _, r := range after {
		if last := r.Events[len(r.Events)-1]; last.Kind == ticket.EventErased {
			erased++
			assert.Equal(t, ticket.System.ID, last.Actor.ID)
			assert.Equal(t, ticket.Event{}, withoutCommon(last), "an EventErased says nothing of what went")
		}
	}
	assert.Equal(t, 2, erased)
	again, err := svc.Export(ctx, ticket.System, ann)
	require.NoError(t, err)
	assert.Empty(t, again.Requested)
	assert.Empty(t, again.Elsewhere)
	report, err = svc.Erase(ctx, ticket.System, ann)
	require.NoError(t, err)
	assert.Zero(t, report.Tickets, "erasing again finds nothing")
	globex, err := s.Ticket(ctx, kept.ID)
	require.NoError(t, err)
	assertSameTicket(t, kept, globex)
	redelivered, err := svc.Create(ctx, annForm())
	require.NoError(t, err)
	assert.Equal(t, annForm().Subject, redelivered.Subject)
	for _, r := range after {
		assert.NotEqual(t, r.Ticket.ID, redelivered.ID, "her form redelivered after the erasure opens a new ticket")
	}
}

// withoutCommon returns e without the fields every event sets.
func withoutCommon(e ticket.Event) ticket.Event {
	e.TicketID, e.Seq, e.Kind, e.At, e.ClampedFrom, e.Actor = uuid.Nil, 0, "", time.Time{}, time.Time{}, ticket.Actor{}
	return e
}
