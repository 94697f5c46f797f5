package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/metrics"
	"github.com/supportkit/supportkit/ticket"
)

// visit is a customer's visit to the help center: a search for the VPN error, the first
// result opened.
func visit(t *testing.T, d *supportkit.Desk, session string) {
	t.Helper()
	ctx := context.Background()
	res, err := d.HelpSearch(ctx, session, kb.Query{Text: "ошибка 809"})
	require.NoError(t, err)
	require.NotEmpty(t, res.Hits)
	require.NoError(t, d.HelpOpened(ctx, session, kb.ResultClick{Query: "ошибка 809", ArticleID: res.Hits[0].ArticleID, Position: 1}))
}

func TestSelfServiceReportsDeflection(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)

	visit(t, d, "deflected-1")
	visit(t, d, "deflected-2")
	visit(t, d, "raised-a-ticket")
	clock.set(start.Add(5 * time.Minute))
	tk, err := d.CreateAfterHelp(ctx, "raised-a-ticket", ticket.NewTicket{Subject: "Ошибка 809 осталась", Requester: customer})
	require.NoError(t, err)
	got, err := d.Tickets().Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.Subject, got.Subject, "the ticket is created")

	s, err := d.SelfService(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, s.Searches)
	assert.Zero(t, s.Sessions, "visits are judged once finished")

	clock.set(start.Add(time.Hour))
	s, err = d.SelfService(ctx)
	require.NoError(t, err)
	assert.Equal(t, metrics.SelfService{Searches: 3, Sessions: 3, Deflected: 2, Articles: []metrics.ArticleSelfService{
		{Article: vpnArticle.ID.String(), Impressions: 3, Clicks: 3, Deflected: 2, TicketsAfter: 1}}}, s)
	rate, ok := s.DeflectionRate()
	assert.True(t, ok)
	assert.InDelta(t, 2.0/3, rate, 1e-12)
	eff, ok := s.Articles[0].Effectiveness()
	assert.True(t, ok)
	assert.InDelta(t, 2.0/3, eff, 1e-12)
}

// The help center is the customers': an Audience asking for more is ignored.
func TestHelpSearchIsAlwaysACustomersSearch(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	require.NoError(t, d.KB().Create(ctx, &kb.Article{Slug: "vpn-internal", Visibility: kb.Internal, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.Russian: {Title: "Ошибка 809: сервер L2TP", Body: "Перезапустить сервер L2TP."}}}))
	res, err := d.HelpSearch(ctx, "s", kb.Query{Text: "ошибка 809", Audience: kb.Agent, Visibilities: []kb.Visibility{kb.Internal}})
	require.NoError(t, err)
	assert.Equal(t, []string{"vpn-809"}, slugs(res.Hits))
}

func TestSelfServiceWithoutAKnowledgeBase(t *testing.T) {
	ctx := context.Background()
	store := ticket.NewMemoryStore()
	d, err := supportkit.New(supportkit.Config{Store: store})
	require.NoError(t, err)
	_, err = d.HelpSearch(ctx, "s", kb.Query{Text: "vpn"})
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	assert.ErrorIs(t, d.HelpOpened(ctx, "s", kb.ResultClick{Query: "vpn", ArticleID: uuid.New(), Position: 1}), supportkit.ErrNotConfigured)
	_, err = d.SelfService(ctx)
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = d.CreateAfterHelp(ctx, "s", ticket.NewTicket{Subject: "VPN", Requester: customer})
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	page, err := store.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Empty(t, page.Tickets, "nothing is created")
}

func TestSelfServiceRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	assert.ErrorIs(t, d.HelpOpened(ctx, "s", kb.ResultClick{Query: "vpn", ArticleID: vpnArticle.ID}), kb.ErrInvalid, "no position")
	assert.ErrorIs(t, d.HelpOpened(ctx, "s", kb.ResultClick{Query: "vpn", Position: 1}), kb.ErrInvalid, "no article")
	_, err := d.HelpSearch(ctx, "s", kb.Query{Text: "vpn", Limit: 1000})
	assert.ErrorIs(t, err, kb.ErrInvalid)
	_, err = d.CreateAfterHelp(ctx, "s", ticket.NewTicket{Requester: customer})
	assert.ErrorIs(t, err, ticket.ErrInvalid, "no subject")
	s, err := d.SelfService(ctx)
	require.NoError(t, err)
	assert.Zero(t, s.Searches)
}
