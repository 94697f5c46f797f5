package supportkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// With Config.Routing and Config.Knowledge the Desk builds the router and the knowledge
// base, and both read the Desk's one clock.
func TestDeskBuildsRouterAndKBOnItsOwnClock(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	d, err := supportkit.New(supportkit.Config{Now: clock.Now,
		Routing: &routing.Config{OfferTimeout: time.Minute}, Knowledge: &kb.Config{SuggestLimit: 2}})
	require.NoError(t, err)
	require.NotNil(t, d.Router())
	require.NotNil(t, d.KB())

	clock.set(start.Add(42 * time.Minute))
	_, err = d.AddAgent(routing.Agent{ID: "a", Teams: []string{"service-desk"},
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}})
	require.NoError(t, err)
	info, err := d.Router().Agent("a")
	require.NoError(t, err)
	assert.Equal(t, start.Add(42*time.Minute), info.PresenceSince, "the router reads Config.Now")

	a := &kb.Article{Slug: "jam", Visibility: kb.Public, Status: kb.Published,
		Translations: map[language.Tag]kb.Translation{language.English: {Title: "Printer jams", Body: "Open the tray."}}}
	require.NoError(t, d.KB().Create(ctx, a))
	assert.Equal(t, start.Add(42*time.Minute), a.Updated, "the knowledge base reads Config.Now")

	tk := newTicket(t, d)
	assert.Equal(t, start.Add(42*time.Minute), tk.CreatedAt, "the ticket service reads Config.Now")
	o := acceptOne(t, d, clock.Now())
	assert.Equal(t, "a", o.AgentID)
	s, err := d.Suggest(ctx, tk.ID, kb.Customer)
	require.NoError(t, err)
	require.NotEmpty(t, s.Hits)
}

// Now is set once: a clock in a part's config, or a part given twice, is rejected.
func TestDeskRejectsASecondClockOrPart(t *testing.T) {
	router, err := routing.New(routing.Config{})
	require.NoError(t, err)
	base, err := kb.New(kb.NewMemoryStore(), kb.Config{})
	require.NoError(t, err)
	for name, cfg := range map[string]supportkit.Config{
		"Tickets.Now":        {Tickets: ticket.Config{Now: time.Now}},
		"Routing.Now":        {Routing: &routing.Config{Now: time.Now}},
		"Router and Routing": {Router: router, Routing: &routing.Config{}},
		"Knowledge.Now":      {Knowledge: &kb.Config{Now: time.Now}},
		"KB and Knowledge":   {KB: base, Knowledge: &kb.Config{}},
	} {
		_, err := supportkit.New(cfg)
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err = supportkit.New(supportkit.Config{Routing: &routing.Config{OfferTimeout: -1}})
	assert.ErrorIs(t, err, routing.ErrInvalid, "routing.New's error")
	_, err = supportkit.New(supportkit.Config{Knowledge: &kb.Config{SuggestLimit: -1}})
	assert.ErrorIs(t, err, kb.ErrInvalid, "kb.New's error")
}
