package postgres

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// randomEvent is an event with a random subset of its fields set, to random values: texts
// with quotes, escapes and other scripts, empty and nil tag lists, times in several zones.
func randomEvent(r *rand.Rand) ticket.Event {
	texts := []string{"", "agent-1", "Ann Lee", `say "hi"`, "back\\slash", "tab\there", "Zoë", "日本語", "<b>&amp;</b>", "\u2028"}
	text := func() string { return texts[r.IntN(len(texts))] }
	pick := func(vals ...string) string { return vals[r.IntN(len(vals))] }
	status := func() ticket.Status {
		return ticket.Status(pick("", "new", "open", "pending", "on-hold", "solved", "closed"))
	}
	priority := func() ticket.Priority { return ticket.Priority(pick("", "low", "normal", "high", "urgent")) }
	actor := func() ticket.ActorKind { return ticket.ActorKind(pick("", "customer", "agent", "system", "bot")) }
	some := func() bool { return r.IntN(3) == 0 }
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+1800), time.FixedZone("", -7*3600), time.Local}
	at := func() time.Time {
		return time.Unix(r.Int64N(4e9), r.Int64N(1e9)).In(zones[r.IntN(len(zones))])
	}
	id := func() uuid.UUID { return uuid.New() }
	tags := func() []string {
		switch r.IntN(3) {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		return []string{text(), "vpn"}
	}
	e := ticket.Event{TicketID: id(), Seq: r.Int64N(1 << 40), At: at(),
		Kind: ticket.EventKind(pick("", "created", "status_changed", "commented", "tags_changed", "rated", "linked"))}
	if some() {
		e.ClampedFrom = at()
	}
	if some() {
		e.Actor = ticket.Actor{Kind: actor(), ID: text(), Name: text()}
	}
	for _, f := range []*string{&e.FromAssignee, &e.ToAssignee, &e.FromGroup, &e.ToGroup, &e.Field, &e.FromValue, &e.ToValue, &e.Reason} {
		if some() {
			*f = text()
		}
	}
	if some() {
		e.FromStatus, e.ToStatus, e.FromPriority, e.ToPriority = status(), status(), priority(), priority()
	}
	if some() {
		e.FromLine, e.ToLine, e.CSAT, e.CES = r.IntN(5)-1, r.IntN(5), r.IntN(6), r.IntN(8)
	}
	e.TagsAdded, e.TagsRemoved = tags(), tags()
	if some() {
		e.CommentID, e.Public, e.AuthorKind = id(), r.IntN(2) == 0, actor()
	}
	if some() {
		e.Link, e.Other = ticket.Link{Kind: ticket.LinkKind(pick("", "related", "parent", "merged_into")), Target: id()}, id()
	}
	if some() {
		e.Channel, e.Type = ticket.Channel(pick("", "email", "chat", "api")), ticket.Type(pick("", "question", "task"))
	}
	return e
}

// spaced is a document as PostgreSQL prints jsonb: a space after each colon and comma.
func spaced(doc []byte) []byte {
	var out []byte
	in := false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		out = append(out, c)
		switch {
		case in && c == '\\':
			i++
			out = append(out, doc[i])
		case c == '"':
			in = !in
		case !in && (c == ',' || c == ':'):
			out = append(out, ' ')
		}
	}
	return out
}

// The decoder reads what eventDoc writes (compact, or spaced as jsonb prints it) as
// encoding/json reads it, and reads a document without escapes itself.
func TestDecodeEventsReadsAsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fast := 0
	var buf []ticket.Event // the decoder's buffer, handed from log to log
	for range 2000 {
		var docs [][]byte
		for range r.IntN(12) {
			d, err := eventDoc(randomEvent(r))
			require.NoError(t, err)
			if r.IntN(2) == 0 {
				d = spaced(d)
			}
			docs = append(docs, d)
		}
		arr := append(append([]byte("["), bytes.Join(docs, []byte(", "))...), ']')
		var want []ticket.Event
		require.NoError(t, json.Unmarshal(arr, &want))
		kept := buf[:r.IntN(len(buf)+1)] // events an earlier log still reads
		before := slices.Clone(kept)
		var got []ticket.Event
		var err error
		buf, got, err = decodeEvents(kept, arr, map[string]string{})
		require.NoError(t, err)
		require.Equal(t, want, got, "%s", arr)
		require.Equal(t, before, kept, "the events before the buffer's length are left as they were")
		if !bytes.Contains(arr, []byte(`\`)) {
			d := eventDecoder{b: arr}
			_, ok := d.array(nil)
			require.True(t, ok, "%s", arr)
			fast++
		}
		for _, doc := range docs {
			var one ticket.Event
			require.NoError(t, json.Unmarshal(doc, &one))
			e, err := decodeEvent(doc)
			require.NoError(t, err)
			require.Equal(t, one, e)
		}
	}
	require.Greater(t, fast, 100)
}

// Whatever the text, the decoder gives what encoding/json gives, or both fail.
func FuzzDecodeEvents(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		d, err := eventDoc(randomEvent(r))
		require.NoError(f, err)
		f.Add(append(append([]byte("["), d...), ']'))
		f.Add(spaced(d))
	}
	for _, s := range []string{`[]`, ` [ ] `, `[{}]`, `{"Seq":01}`, `{"Seq":-0}`, `{"Seq":1.5}`, `{"seq":1}`,
		`{"Seq":1,"Seq":2}`, `{"Actor":{"ID":"a"},"Actor":{"Name":"b"}}`, `{"TagsAdded":null}`, `{"Public":tru}`,
		`{"At":"2026-01-02T03:04:05Z"}`, `{"At":"2026-01-02"}`, `{"TicketID":"x"}`, `[{"Kind":"a"},]`, `{"ToLine":9223372036854775808}`,
		`{"Kind":"\u00e9"}`, `{"Kind":"nope"}`, `{"Actor":{"Kind":"robot"}}`, `{"Kind":""}`, "{\"Kind\":\"\xff\"}", `{"CSAT":1}x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []ticket.Event
		werr := json.Unmarshal(data, &want)
		_, got, err := decodeEvents(nil, data, nil)
		if (werr == nil) != (err == nil) {
			t.Fatalf("%q: encoding/json %v, decoder %v", data, werr, err)
		}
		if err == nil {
			require.Equal(t, want, got)
		}
		var one ticket.Event
		werr = json.Unmarshal(data, &one)
		e, err := decodeEvent(data)
		if (werr == nil) != (err == nil) {
			t.Fatalf("%q: encoding/json %v, decoder %v", data, werr, err)
		}
		if err == nil {
			require.Equal(t, one, e)
		}
	})
}

// randomTicket is a ticket with a random subset of its fields set, as randomEvent.
func randomTicket(r *rand.Rand) ticket.Ticket {
	e := randomEvent(r)
	t := ticket.Ticket{ID: e.TicketID, Subject: e.Reason, Channel: e.Channel, Type: e.Type, Priority: e.ToPriority,
		Status: e.ToStatus, Assignee: e.ToAssignee, Group: e.ToGroup, Line: e.ToLine, Tags: e.TagsAdded,
		CreatedAt: e.At, UpdatedAt: e.At, SolvedAt: e.ClampedFrom, Problem: e.Other, CommentCount: e.CSAT, LastEventSeq: e.Seq,
		Requester: ticket.Requester{ID: e.Actor.ID, Name: e.Actor.Name, Email: e.FromValue, Organization: e.FromGroup}}
	if r.IntN(2) == 0 {
		t.Impact, t.Urgency, t.PriorityExplicit = ticket.LevelHigh, ticket.LevelLow, true
	}
	langs := []language.Tag{language.Und, language.English, language.Russian, language.MustParse("pt-BR")}
	t.Language, t.Requester.Language, t.LanguageDetected = langs[r.IntN(4)], langs[r.IntN(4)], r.IntN(2) == 0
	switch r.IntN(3) {
	case 0:
		t.Fields = map[string]string{}
	case 1:
		t.Fields = map[string]string{"plan": e.ToValue, e.Field: e.Reason}
	}
	switch r.IntN(3) {
	case 0:
		t.Links = []ticket.Link{}
	case 1:
		t.Links = []ticket.Link{e.Link, {Kind: ticket.LinkParent, Target: e.CommentID}}
	}
	if r.IntN(2) == 0 {
		t.Satisfaction = ticket.Rating{CSAT: e.CSAT, CES: e.CES, Comment: e.Reason}
	}
	return t
}

// The decoder reads what ticketDoc writes as encoding/json reads it.
func TestDecodeTicketDocReadsAsEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	fast := 0
	for range 2000 {
		doc, err := ticketDoc(randomTicket(r))
		require.NoError(t, err)
		if r.IntN(2) == 0 {
			doc = spaced(doc)
		}
		var want ticket.Ticket
		require.NoError(t, json.Unmarshal(doc, &want))
		got, err := decodeTicketDoc(doc, map[string]string{})
		require.NoError(t, err)
		require.Equal(t, want, got, "%s", doc)
		if !bytes.Contains(doc, []byte(`\`)) {
			d := eventDecoder{b: doc}
			var v ticket.Ticket
			require.True(t, d.ticket(&v) && d.end(), "%s", doc)
			fast++
		}
	}
	require.Greater(t, fast, 100)
}

// Whatever the text, the decoder gives what encoding/json gives, or both fail.
func FuzzDecodeTicketDoc(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 20 {
		d, err := ticketDoc(randomTicket(r))
		require.NoError(f, err)
		f.Add(d)
		f.Add(spaced(d))
	}
	for _, s := range []string{`{}`, `{"Fields":{"a":"1","a":"2"}}`, `{"Fields":null}`, `{"Language":"xx-bogus"}`, `{"Links":[{}]}`,
		`{"Impact":"huge"}`, `{"Satisfaction":{"CSAT":1,"CSAT":2}}`, `{"Version":3,"Tenant":"t"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want ticket.Ticket
		werr := json.Unmarshal(data, &want)
		got, err := decodeTicketDoc(data, map[string]string{})
		if (werr == nil) != (err == nil) {
			t.Fatalf("%q: encoding/json %v, decoder %v", data, werr, err)
		}
		if err == nil {
			require.Equal(t, want, got)
		}
	})
}
