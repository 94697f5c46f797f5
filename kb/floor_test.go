package kb_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
)

// floorCounts is how a relevance floor treats first suggestions: the right
// ones it keeps, and the wrong ones it lets through.
type floorCounts struct {
	right, rightKept, wrong, wrongKept int
}

// measureFloor asks SuggestForTicket, as a customer, for each query as a
// ticket subject, once with every public article (a right first suggestion
// counts) and once without the query's relevant articles (whatever comes
// first is wrong).
func measureFloor(t *testing.T, floor float64, heldOut bool) floorCounts {
	t.Helper()
	var articles []ruArticle
	var queries []ruQuery
	var synonyms [][]string
	readJSON(t, "testdata/ru/articles.json", &articles)
	readJSON(t, "testdata/ru/queries.json", &queries)
	readJSON(t, "testdata/ru/synonyms.json", &synonyms)
	build := func(skip []string) *kb.KB {
		k, err := kb.New(nil, kb.Config{SuggestLimit: 1, SuggestFloor: 1e-9, IndexConfig: kb.IndexConfig{Synonyms: synonyms}})
		require.NoError(t, err)
		for _, ra := range articles {
			if ra.Visibility == "internal" || slices.Contains(skip, ra.ID) {
				continue
			}
			require.NoError(t, k.Create(context.Background(), &kb.Article{ID: uuid.New(), Slug: ra.ID, Tags: ra.Tags, Visibility: kb.Public, Status: kb.Published,
				Translations: map[language.Tag]kb.Translation{language.Russian: {Title: ra.Title, Body: ra.Body, Keywords: ra.Keywords}}}))
		}
		return k
	}
	full := build(nil)
	var c floorCounts
	for i, q := range queries {
		if ruHeldOut(i) != heldOut {
			continue
		}
		hits, err := full.SuggestForTicket(context.Background(), q.Query, "", language.Russian, kb.Customer)
		require.NoError(t, err)
		if len(hits) > 0 && slices.Contains(q.Relevant, hits[0].Slug) {
			c.right++
			if hits[0].Relevance >= floor {
				c.rightKept++
			}
		}
		hits, err = build(q.Relevant).SuggestForTicket(context.Background(), q.Query, "", language.Russian, kb.Customer)
		require.NoError(t, err)
		if len(hits) > 0 {
			c.wrong++
			if hits[0].Relevance >= floor {
				c.wrongKept++
			}
		}
	}
	return c
}

// The default floor keeps nearly every right suggestion and withholds a
// good share of the wrong ones, on queries it was not calibrated on.
func TestSuggestFloor(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the collection once per query")
	}
	for _, heldOut := range []bool{false, true} {
		c := measureFloor(t, kb.DefaultSuggestFloor, heldOut)
		t.Logf("held out %v: floor %.2f keeps %d of %d right first suggestions, lets %d of %d wrong ones through",
			heldOut, kb.DefaultSuggestFloor, c.rightKept, c.right, c.wrongKept, c.wrong)
		if heldOut {
			assert.GreaterOrEqual(t, float64(c.rightKept), 0.9*float64(c.right), "right suggestions kept")
			assert.LessOrEqual(t, float64(c.wrongKept), 0.8*float64(c.wrong), "wrong suggestions let through")
		}
	}
	// The second collection's no_answer queries have no right article at
	// all; the floor was not calibrated on them.
	k, _, _, _ := ru2Base(t, kb.Config{})
	_, _, qs := loadCollection(t, "ru2")
	none, asked := 0, 0
	for _, q := range qs {
		if q.Kind != "no_answer" {
			continue
		}
		asked++
		hits, err := k.SuggestForTicket(context.Background(), q.Query, "", language.Russian, kb.Customer)
		require.NoError(t, err)
		if len(hits) == 0 {
			none++
		}
	}
	t.Logf("ru2 no_answer: %d of %d tickets get no suggestion", none, asked)
}

// Regression: a customer whose Excel crashes was offered "VPN is slow".
func TestSuggestForTicketOffersNothingBelowTheFloor(t *testing.T) {
	k, err := kb.New(nil, kb.Config{})
	require.NoError(t, err)
	for slug, tr := range map[string]kb.Translation{
		"vpn-slow":     {Title: "VPN is slow", Body: "Choose the nearest server and restart the VPN client when the connection is slow."},
		"printer-jams": {Title: "Printer jams", Body: "Open the tray and take the paper out."},
		"reset":        {Title: "Reset your password", Body: "Open the sign-in page and click Forgot password."},
	} {
		require.NoError(t, k.Create(context.Background(), &kb.Article{Slug: slug, Visibility: kb.Public, Status: kb.Published,
			Translations: map[language.Tag]kb.Translation{language.English: tr}}))
	}
	hits, err := k.SuggestForTicket(context.Background(), "Excel crashes", "Excel crashes when I open a big spreadsheet, it is slow and then closes.", language.English, kb.Customer)
	require.NoError(t, err)
	assert.Empty(t, hits)
	hits, err = k.SuggestForTicket(context.Background(), "VPN is very slow", "Since this morning the VPN connection is slow.", language.English, kb.Customer)
	require.NoError(t, err)
	require.NotEmpty(t, hits)
	assert.Equal(t, "vpn-slow", hits[0].Slug)
	assert.GreaterOrEqual(t, hits[0].Relevance, kb.DefaultSuggestFloor)
}

func TestSuggestFloorMustBeAShare(t *testing.T) {
	for _, f := range []float64{-0.1, 1.5} {
		_, err := kb.New(nil, kb.Config{SuggestFloor: f})
		assert.ErrorIs(t, err, kb.ErrInvalid, "%v", f)
	}
}
