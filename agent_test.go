package supportkit_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// An agent declared once, to the router through the Desk, is the actor tickets are written
// as and the assignee routing gives them to.
func TestAgentDeclaredOnceIsTheTicketActor(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{now: start}
	router, err := routing.New(routing.Config{Now: clock.Now})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Now: clock.Now, Router: router})
	require.NoError(t, err)
	alex, err := d.AddAgent(routing.Agent{ID: "agent-1", Name: "Alex Kim", Teams: []string{"service-desk"},
		Capacity: map[routing.Channel]int{routing.ChannelEmail: 2}})
	require.NoError(t, err)
	assert.Equal(t, ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-1", Name: "Alex Kim"}, alex)
	got, err := d.Agent("agent-1")
	require.NoError(t, err)
	assert.Equal(t, alex, got)
	_, err = router.Agent("agent-1")
	require.NoError(t, err, "added to the router")

	tk := newTicket(t, d)
	o := acceptOne(t, d, clock.Now())
	assert.Equal(t, alex.ID, o.AgentID)
	_, err = d.Tickets().Comment(ctx, alex, tk.ID, ticket.NewComment{Body: "On it.", Public: true})
	require.NoError(t, err)
}

func TestAgentErrors(t *testing.T) {
	d, err := supportkit.New(supportkit.Config{})
	require.NoError(t, err)
	_, err = d.Agent("x")
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)
	_, err = d.AddAgent(routing.Agent{ID: "x"})
	assert.ErrorIs(t, err, supportkit.ErrNotConfigured)

	router, err := routing.New(routing.Config{})
	require.NoError(t, err)
	d, err = supportkit.New(supportkit.Config{Router: router})
	require.NoError(t, err)
	_, err = d.Agent("nobody")
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	assert.ErrorIs(t, err, routing.ErrNotFound)
	_, err = d.AddAgent(routing.Agent{})
	assert.ErrorIs(t, err, routing.ErrInvalid)
	_, err = d.AddAgent(routing.Agent{ID: "a"})
	require.NoError(t, err)
	_, err = d.AddAgent(routing.Agent{ID: "a"})
	assert.ErrorIs(t, err, routing.ErrDuplicate)
}

// TestAgentNotFoundSaysSoOnce guards the error of Agent for an unknown or empty ID: one
// plain message naming the ID (it used to repeat "not found" from both packages), still
// matching both sentinels.
func TestAgentNotFoundSaysSoOnce(t *testing.T) {
	router, err := routing.New(routing.Config{})
	require.NoError(t, err)
	d, err := supportkit.New(supportkit.Config{Router: router})
	require.NoError(t, err)
	for id, msg := range map[string]string{
		"":       "supportkit: agent not found: empty agent ID",
		"nobody": `supportkit: agent "nobody" not found`,
	} {
		_, err := d.Agent(id)
		require.Error(t, err)
		assert.Equal(t, msg, err.Error())
		assert.Equal(t, 1, strings.Count(err.Error(), "not found"), err.Error())
		assert.ErrorIs(t, err, ticket.ErrNotFound)
		assert.ErrorIs(t, err, routing.ErrNotFound)
	}
}
