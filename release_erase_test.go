package supportkit_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/kb"
	"github.com/supportkit/supportkit/ticket"
)

// The Desk lets go of a closed ticket, what it taught the knowledge base included; erasing
// the customer of closed tickets still takes their words out of the knowledge base.
func TestEraseReachesTheWordsOfClosedTickets(t *testing.T) {
	ctx := context.Background()
	w := newEraseWorld(t)
	d := w.desk(t)
	zoya := ticket.Requester{Name: "Zoya Vishnevetskaya", Email: "zoya@example.com"}
	for range 2 {
		tk := w.solve(t, d, zoya, "Vishnevetskaya: internet gone", "Thunderclap last night, modem dead.", "", 0)
		_, err := d.Tickets().Close(ctx, agent, tk.ID)
		require.NoError(t, err)
	}
	found := func(q string) int {
		res, err := d.KB().Search(ctx, kb.Query{Text: q, Audience: kb.Agent, Language: language.English})
		require.NoError(t, err)
		return res.Total
	}
	require.Equal(t, 1, found("thunderclap"), "learned from her closed tickets")
	customer, err := w.people.FindByEmail(ctx, "", zoya.Email)
	require.NoError(t, err)
	_, err = d.EraseCustomer(ctx, ticket.System, customer.ID)
	require.NoError(t, err)
	assert.Zero(t, found("thunderclap"))
	assert.Zero(t, found("vishnevetskaya"))
}
