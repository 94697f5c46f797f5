package postgres

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

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
		got, err := decodeEvents(arr)
		require.NoError(t, err)
		require.Equal(t, want, got, "%s", arr)
		if !bytes.Contains(arr, []byte(`\`)) {
			d := eventDecoder{b: arr}
			_, ok := d.array()
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
		got, err := decodeEvents(data)
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
