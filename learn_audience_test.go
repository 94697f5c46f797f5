package supportkit_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// everyday are ordinary words customers write; secrets are made of random letters, so that
// no article and no customer ever writes one.
var everyday = strings.Fields("интернет роутер пропал сигнал оплата карта списали деньги доставка курьер опоздал пароль забыл вход приложение вылетает телефон")

func secretWord(r *rand.Rand) string {
	const letters = "бвгджзклмнпрстфхцчшщ"
	var b strings.Builder
	for range 9 {
		b.WriteString(string([]rune(letters)[r.IntN(len([]rune(letters)))]))
	}
	return b.String()
}

func phrase(r *rand.Rand, words []string, n int) string {
	out := make([]string, n)
	for i := range out {
		out[i] = words[r.IntN(len(words))]
	}
	return strings.Join(out, " ")
}

// leakDesk runs one random desk: public articles and an internal one, tickets in everyday
// words solved with them, and secret words in the internal notes (and in the internal
// article, and in the public text of its tickets); inPublic moves the notes' secrets into
// the customers' descriptions instead, the control that shows the check can fail.
func leakDesk(t *testing.T, seed uint64, inPublic bool) (*supportkit.Desk, []string) {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 1))
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Knowledge: &kb.Config{}})
	require.NoError(t, err)
	secrets := []string{secretWord(r), secretWord(r), secretWord(r)}
	var public []uuid.UUID
	for i := range 3 {
		a := &kb.Article{Slug: "public-" + string(rune('a'+i)), Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.Russian: {Title: phrase(r, everyday, 3), Body: phrase(r, everyday, 12)}}}
		require.NoError(t, d.KB().Create(ctx, a))
		public = append(public, a.ID)
	}
	internal := &kb.Article{Slug: "internal", Visibility: kb.Internal, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: phrase(r, everyday, 2) + " " + secrets[2], Body: phrase(r, everyday, 8)}}}
	require.NoError(t, d.KB().Create(ctx, internal))

	for i := range 6 + r.IntN(10) {
		clock.set(start.Add(time.Duration(i) * time.Hour))
		article, description := public[r.IntN(len(public))], phrase(r, everyday, 6)
		note := "проверил " + secrets[0] + " " + secrets[1]
		if i%4 == 3 {
			article, description = internal.ID, description+" "+secrets[2]
		}
		if inPublic {
			description += " " + note
		}
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: phrase(r, everyday, 3), Description: description,
			Requester: customer, Assignee: agent.ID, Language: language.Russian})
		require.NoError(t, err)
		_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Body: note})
		require.NoError(t, err)
		_, err = d.SolveWith(ctx, agent, tk.ID, article)
		require.NoError(t, err)
	}
	return d, secrets
}

// leaks returns what a customer can reach of the secrets: search hits, respellings and
// suggestions for each of them, and any text of a hit that holds one.
func leaks(t *testing.T, d *supportkit.Desk, secrets []string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	check := func(what string, hits []kb.Hit) {
		for _, h := range hits {
			if h.Visibility != kb.Public {
				out = append(out, what+": internal article "+h.Slug)
			}
			for _, s := range secrets {
				if strings.Contains(h.Title+h.Snippet.Text, s) {
					out = append(out, what+": text of "+h.Slug)
				}
			}
		}
	}
	for _, s := range secrets {
		for _, text := range []string{s, s[:len(s)-2], s + " " + everyday[0]} {
			res, err := d.HelpSearch(ctx, "", kb.Query{Text: text, Highlight: true})
			require.NoError(t, err)
			check("search "+text, res.Hits)
			if text != s+" "+everyday[0] && len(res.Hits) > 0 {
				out = append(out, "search "+text+": found")
			}
			if res.DidYouMean != "" || res.Corrected != "" {
				out = append(out, "search "+text+": respelled")
			}
		}
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: s, Description: s + " " + s, Requester: customer, Language: language.Russian})
		require.NoError(t, err)
		sug, err := d.Suggest(ctx, tk.ID, kb.Customer)
		require.NoError(t, err)
		check("suggest "+s, sug.Hits)
		if len(sug.Hits) > 0 {
			out = append(out, "suggest "+s+": found")
		}
	}
	for _, w := range everyday {
		res, err := d.HelpSearch(ctx, "", kb.Query{Text: w, Highlight: true, Limit: 100})
		require.NoError(t, err)
		check("search "+w, res.Hits)
	}
	return out
}

// Nothing of an internal note, nor of an internal article or what its tickets taught, ever
// reaches a customer after the Desk learned from solved tickets, on random desks.
func TestNothingLearnedFromInternalTextReachesCustomers(t *testing.T) {
	for seed := range uint64(20) {
		d, secrets := leakDesk(t, seed, false)
		assert.Empty(t, leaks(t, d, secrets[:2]), "seed %d: the notes' words", seed)
		assert.Empty(t, leaks(t, d, secrets[2:]), "seed %d: the internal article's words", seed)
	}
	d, secrets := leakDesk(t, 1, true)
	assert.NotEmpty(t, leaks(t, d, secrets[:2]), "control: the same words in public text are learned")
}
