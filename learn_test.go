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
	"github.com/supportkit/supportkit/ticket"
)

// vpnArticle is the one article of learning's tests; its words are not the customers'.
var vpnArticle = kb.Article{ID: uuid.MustParse("0192f0c6-0000-7000-8000-000000000809"), Slug: "vpn-809",
	Visibility: kb.Public, Status: kb.Published,
	Translations: map[language.Tag]kb.Translation{language.Russian: {
		Title: "Ошибка 809 при подключении VPN",
		Body:  "Клиент VPN сообщает об ошибке 809, когда брандмауэр блокирует протокол L2TP. Разрешите порты 500 и 4500."}}}

// customersWords is how customers describe the problem: no word of it is in the article.
const customersWords = "удалёнка сломалась, корпоративная почта недоступна из квартиры"

// learningDesk is a Desk over store with its own knowledge base holding vpnArticle.
func learningDesk(t *testing.T, store ticket.Store, clock *fakeClock) *supportkit.Desk {
	t.Helper()
	d, err := supportkit.New(supportkit.Config{Store: store, Now: clock.Now, Knowledge: &kb.Config{}})
	require.NoError(t, err)
	a := vpnArticle
	require.NoError(t, d.KB().Create(context.Background(), &a))
	return d
}

// solvedTicket creates a ticket in the customers' words, assigned, and solves it with
// vpnArticle; note, when set, is an internal note written before the solve.
func solvedTicket(t *testing.T, d *supportkit.Desk, subject, description, note string) ticket.Ticket {
	t.Helper()
	ctx := context.Background()
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: subject, Description: description,
		Requester: customer, Assignee: agent.ID, Language: language.Russian})
	require.NoError(t, err)
	if note != "" {
		_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Body: note})
		require.NoError(t, err)
	}
	tk, err = d.SolveWith(ctx, agent, tk.ID, vpnArticle.ID)
	require.NoError(t, err)
	return tk
}

// finds reports whether a customer's help-center search of text returns vpnArticle first.
func finds(t *testing.T, d *supportkit.Desk, text string) bool {
	t.Helper()
	res, err := d.HelpSearch(context.Background(), "", kb.Query{Text: text})
	require.NoError(t, err)
	return len(res.Hits) > 0 && res.Hits[0].ArticleID == vpnArticle.ID
}

func TestSolveWithTeachesTheKnowledgeBaseTheCustomersWords(t *testing.T) {
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	require.False(t, finds(t, d, customersWords), "the article does not use the customers' words")

	tk := solvedTicket(t, d, "Удалёнка сломалась", "Корпоративная почта недоступна из квартиры", "")
	assert.Equal(t, ticket.StatusSolved, tk.Status)
	assert.Equal(t, vpnArticle.ID.String(), tk.Fields[supportkit.SolvedWithField])
	assert.False(t, finds(t, d, customersWords), "one ticket's words are not learned (kb's MinTickets)")

	clock.set(start.Add(time.Hour))
	solvedTicket(t, d, "Почта недоступна", "Удалёнка сломалась: из квартиры корпоративная почта не открывается", "")
	assert.True(t, finds(t, d, customersWords), "two tickets in the same words teach them")
}

// A ticket solved, reopened and solved again is one customer's words, not two tickets'.
func TestATicketSolvedTwiceIsLearnedOnce(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	tk := solvedTicket(t, d, "Удалёнка сломалась", "Корпоративная почта недоступна из квартиры", "")
	_, err := d.Tickets().Reopen(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = d.SolveWith(ctx, agent, tk.ID, vpnArticle.ID)
	require.NoError(t, err)
	assert.False(t, finds(t, d, customersWords))
}

// A host may name the article itself: in the fields of a ticket solved at first contact, or
// with Update. The Desk reads the field as it stood at the solve.
func TestTheDeskReadsTheSolvingArticleFromTheTicket(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	_, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Удалёнка сломалась", Description: "Корпоративная почта недоступна из квартиры",
		Requester: customer, Assignee: agent.ID, Status: ticket.StatusSolved, Language: language.Russian,
		Fields: map[string]string{supportkit.SolvedWithField: vpnArticle.ID.String()}})
	require.NoError(t, err)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Удалёнка сломалась", Description: "Корпоративная почта недоступна из квартиры",
		Requester: customer, Assignee: agent.ID, Language: language.Russian})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err)
	_, err = d.Tickets().Update(ctx, agent, tk.ID, ticket.Changes{Fields: map[string]string{supportkit.SolvedWithField: vpnArticle.ID.String()}})
	require.NoError(t, err)
	assert.False(t, finds(t, d, customersWords), "the second ticket was solved before it named the article")

	tk, err = d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Удалёнка сломалась", Description: "Корпоративная почта недоступна из квартиры",
		Requester: customer, Assignee: agent.ID, Language: language.Russian, Fields: map[string]string{supportkit.SolvedWithField: "not a uuid"}})
	require.NoError(t, err)
	_, err = d.Tickets().Solve(ctx, agent, tk.ID)
	require.NoError(t, err, "a field that names no article is no error: nothing is learned")
	assert.False(t, finds(t, d, customersWords))

	tk, err = d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Удалёнка сломалась", Description: "Корпоративная почта недоступна из квартиры",
		Requester: customer, Assignee: agent.ID, Language: language.Russian})
	require.NoError(t, err)
	solved := ticket.StatusSolved
	_, err = d.Tickets().Update(ctx, agent, tk.ID, ticket.Changes{Status: &solved,
		Fields: map[string]string{supportkit.SolvedWithField: vpnArticle.ID.String()}})
	require.NoError(t, err)
	assert.True(t, finds(t, d, customersWords))
}

// What the knowledge base learned lives in memory: a Desk restarted over the same store
// learns it again on Load, at the solves' times.
func TestLoadReplaysWhatTheKnowledgeBaseLearned(t *testing.T) {
	store := ticket.NewMemoryStore()
	clock := &fakeClock{now: start}
	d := learningDesk(t, store, clock)
	solvedTicket(t, d, "Удалёнка сломалась", "Корпоративная почта недоступна из квартиры", "")
	solvedTicket(t, d, "Почта недоступна", "Удалёнка сломалась: из квартиры корпоративная почта не открывается", "")
	require.True(t, finds(t, d, customersWords))

	clock.set(start.Add(24 * time.Hour))
	restarted := learningDesk(t, store, clock)
	assert.False(t, finds(t, restarted, customersWords), "a new knowledge base knows nothing")
	require.NoError(t, restarted.Load(context.Background()))
	assert.True(t, finds(t, restarted, customersWords))
	require.NoError(t, restarted.Load(context.Background()), "a second Load applies nothing new")
	assert.True(t, finds(t, restarted, customersWords))
}

// The customer's later public replies teach too; an agent's replies are not the customer's
// words and teach nothing.
func TestTheCustomersRepliesTeachAndTheAgentsDoNot(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	ann := ticket.Actor{Kind: ticket.ActorCustomer, ID: "ann@example.com"}
	for range 2 {
		tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "Вопрос", Requester: customer, Assignee: agent.ID, Language: language.Russian})
		require.NoError(t, err)
		_, err = d.Tickets().Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Проверьте гирлянду телевизора"})
		require.NoError(t, err)
		_, err = d.Tickets().Comment(ctx, ann, tk.ID, ticket.NewComment{Public: true, Body: customersWords})
		require.NoError(t, err)
		_, err = d.SolveWith(ctx, agent, tk.ID, vpnArticle.ID)
		require.NoError(t, err)
	}
	assert.True(t, finds(t, d, customersWords))
	assert.False(t, finds(t, d, "гирлянда телевизора"))
}

// Desks over one store learn what the others solve, through the change feed.
func TestDesksSharingAFeedLearnWhatTheOthersSolve(t *testing.T) {
	store := ticket.NewMemoryStore()
	clock := &fakeClock{now: start}
	desk := func() *supportkit.Desk {
		d, err := supportkit.New(supportkit.Config{Store: store, Feed: store, Now: clock.Now, Knowledge: &kb.Config{}})
		require.NoError(t, err)
		a := vpnArticle
		require.NoError(t, d.KB().Create(context.Background(), &a))
		return d
	}
	one, other := desk(), desk()
	solvedTicket(t, one, "Удалёнка сломалась", "Корпоративная почта недоступна из квартиры", "")
	solvedTicket(t, one, "Почта недоступна", "Удалёнка сломалась: из квартиры корпоративная почта не открывается", "")
	require.True(t, finds(t, one, customersWords))
	assert.False(t, finds(t, other, customersWords))
	require.NoError(t, other.Follow(context.Background()))
	assert.True(t, finds(t, other, customersWords))
}

func TestSolveWithRejectsBadInputWithoutWriting(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d := learningDesk(t, ticket.NewMemoryStore(), clock)
	tk, err := d.Tickets().Create(ctx, ticket.NewTicket{Subject: "VPN", Requester: customer, Assignee: agent.ID})
	require.NoError(t, err)

	_, err = d.SolveWith(ctx, agent, tk.ID, uuid.Nil)
	assert.ErrorIs(t, err, ticket.ErrInvalid)
	_, err = d.SolveWith(ctx, agent, tk.ID, uuid.New())
	assert.ErrorIs(t, err, kb.ErrNotFound)
	_, err = d.SolveWith(ctx, agent, uuid.New(), vpnArticle.ID)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	got, err := d.Tickets().Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, tk.Version, got.Version, "nothing was written")

	bare, err := supportkit.New(supportkit.Config{Now: clock.Now})
	require.NoError(t, err)
	_, err = bare.SolveWith(ctx, agent, tk.ID, vpnArticle.ID)
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
}
