package email_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// corpusCase is one message of testdata/corpus (a raw .eml file) with what a reader of it
// expects, as listed in testdata/corpus/manifest.json.
type corpusCase struct {
	File        string   `json:"file"`        // the raw message
	Lang        string   `json:"lang"`        // "ru" or "en"
	Client      string   `json:"client"`      // the mail client or server that wrote it
	Case        string   `json:"case"`        // new, reply, forward, interleaved, thread, charset, attachment, automatic, malformed
	Kind        string   `json:"kind"`        // the expected email.Kind
	Number      string   `json:"number"`      // the ticket number its subject names; "" for none
	Parent      string   `json:"parent"`      // the first parent Message-ID; "" when not checked
	NewText     *string  `json:"new_text"`    // the expected email.NewText; nil when not checked
	Failed      []string `json:"failed"`      // a bounce's failed recipients
	Original    string   `json:"original"`    // a bounce's original Message-ID
	Attachments []string `json:"attachments"` // attachment file names in order; nil when not checked
	Inline      []string `json:"inline"`      // Content-IDs of inline attachments
	Subject     string   `json:"subject"`     // the decoded subject; "" when not checked
	FromName    string   `json:"from_name"`   // the decoded sender name; "" when not checked
	Malformed   bool     `json:"malformed"`   // broken on purpose
}

func loadCorpus(t testing.TB) []corpusCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "corpus", "manifest.json"))
	require.NoError(t, err)
	var cases []corpusCase
	require.NoError(t, json.Unmarshal(b, &cases))
	return cases
}

// supNumbers finds "SUP-<digits>" standing on its own, as the desk's default ticket
// numbers are written; it is the test's own reading of the format, independent of package
// ticket.
type supNumbers struct{}

var supRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])SUP-(\d+)(?:$|[^\p{L}\p{N}_])`)

func (supNumbers) Find(text string) (string, bool) {
	m := supRE.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return "SUP-" + strings.TrimLeft(m[1], "0"), true
}

type tally struct{ ok, all int }

func (t *tally) add(ok bool) {
	t.all++
	if ok {
		t.ok++
	}
}

func (t tally) rate() float64 { return float64(t.ok) / float64(t.all) }

// TestCorpus parses every message of the corpus, classifies, threads and strips it, and
// reports accuracy per kind, per client and per check, holding each to a floor.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	require.GreaterOrEqual(t, len(cases), 60)
	kinds := map[string]*tally{}
	clients := map[string]*tally{}
	byLang := map[string]*tally{} // every check of a message in that language
	checks := map[string]*tally{}
	get := func(m map[string]*tally, k string) *tally {
		if m[k] == nil {
			m[k] = &tally{}
		}
		return m[k]
	}
	langs := map[string]int{}
	malformed := 0
	for _, c := range cases {
		langs[c.Lang]++
		if c.Malformed {
			malformed++
		}
		raw, err := os.ReadFile(filepath.Join("testdata", "corpus", c.File))
		require.NoError(t, err)
		m, err := email.Parse(raw)
		if !assertNoErr(t, c.File, err) {
			get(checks, "parse").add(false)
			continue
		}
		get(checks, "parse").add(true)
		cl := email.Classify(m)
		okKind := string(cl.Kind) == c.Kind
		get(kinds, c.Kind).add(okKind)
		get(byLang, c.Lang).add(okKind)
		report(t, okKind, c.File, "kind", cl.Kind, c.Kind)

		th := email.ThreadOf(m, supNumbers{})
		okThread := th.Number == c.Number && (c.Parent == "" || len(th.Parents) > 0 && th.Parents[0] == c.Parent)
		get(checks, "thread").add(okThread)
		get(byLang, c.Lang).add(okThread)
		report(t, okThread, c.File, "thread", fmt.Sprint(th.Number, th.Parents), c.Number+" "+c.Parent)

		if c.NewText != nil {
			got := email.NewText(m)
			ok := got == *c.NewText
			get(checks, "new text").add(ok)
			get(clients, c.Client).add(ok)
			get(byLang, c.Lang).add(ok)
			report(t, ok, c.File, "new text", got, *c.NewText)
		}
		if c.Kind == "bounce" {
			ok := slices.Equal(cl.Failed, c.Failed) || len(cl.Failed) == 0 && len(c.Failed) == 0
			ok = ok && cl.Original == c.Original
			get(checks, "bounce recipient").add(ok)
			report(t, ok, c.File, "failed", fmt.Sprint(cl.Failed, cl.Original), fmt.Sprint(c.Failed, c.Original))
		}
		if c.Attachments != nil {
			var names, inline []string
			for _, a := range m.Attachments {
				names = append(names, a.Filename)
				if a.Inline && a.ContentID != "" {
					inline = append(inline, a.ContentID)
				}
			}
			ok := slices.Equal(names, c.Attachments) && slices.Equal(inline, c.Inline)
			get(checks, "attachments").add(ok)
			report(t, ok, c.File, "attachments", fmt.Sprint(names, inline), fmt.Sprint(c.Attachments, c.Inline))
		}
		if c.Subject != "" {
			ok := m.Subject == c.Subject
			get(checks, "subject").add(ok)
			report(t, ok, c.File, "subject", m.Subject, c.Subject)
		}
		if c.FromName != "" {
			ok := m.From.Name == c.FromName
			get(checks, "from name").add(ok)
			report(t, ok, c.File, "from name", m.From.Name, c.FromName)
		}
	}
	require.GreaterOrEqual(t, langs["ru"], 25)
	require.GreaterOrEqual(t, langs["en"], 25)
	require.GreaterOrEqual(t, malformed, 5)

	floors := map[string]float64{"personal": 0.97, "out-of-office": 0.95, "auto-reply": 0.95, "bounce": 1, "bulk": 1, "list": 1}
	for _, k := range sortedKeys(kinds) {
		t.Logf("kind %-14s %3d/%-3d %.0f%%", k, kinds[k].ok, kinds[k].all, 100*kinds[k].rate())
		if kinds[k].rate() < floors[k] {
			t.Errorf("kind %s: accuracy %.2f below the floor %.2f", k, kinds[k].rate(), floors[k])
		}
	}
	for _, k := range sortedKeys(byLang) {
		t.Logf("language %-10s %3d/%-3d %.0f%% of kind, thread and new-text checks", k, byLang[k].ok, byLang[k].all, 100*byLang[k].rate())
		if byLang[k].rate() < 0.95 {
			t.Errorf("language %s: accuracy %.2f below the floor 0.95", k, byLang[k].rate())
		}
	}
	for _, k := range sortedKeys(clients) {
		t.Logf("new text %-14s %3d/%-3d %.0f%%", k, clients[k].ok, clients[k].all, 100*clients[k].rate())
	}
	checkFloors := map[string]float64{"parse": 1, "thread": 1, "new text": 0.95, "bounce recipient": 1, "attachments": 1, "subject": 1, "from name": 1}
	for _, k := range sortedKeys(checks) {
		t.Logf("check %-16s %3d/%-3d %.0f%%", k, checks[k].ok, checks[k].all, 100*checks[k].rate())
		if checks[k].rate() < checkFloors[k] {
			t.Errorf("check %s: accuracy %.2f below the floor %.2f", k, checks[k].rate(), checkFloors[k])
		}
	}
}

func assertNoErr(t *testing.T, file string, err error) bool {
	if err != nil {
		t.Logf("%s: parse: %v", file, err)
		return false
	}
	return true
}

func report(t *testing.T, ok bool, file, what string, got, want any) {
	if !ok {
		t.Logf("%s: %s: got %q, want %q", file, what, got, want)
	}
}

func sortedKeys(m map[string]*tally) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
