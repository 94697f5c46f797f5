package supportkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
	"github.com/supportkit/supportkit/ticket"
)

// offeredTo creates an email ticket with tags on a desk of two free agents, John (idle
// longest, no skills) and Anna (busy a minute ago, skilled in vpn), and returns whom the
// desk offers it to.
func offeredTo(t *testing.T, task func(ticket.Ticket) (routing.Task, bool), tags []string) string {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	desk, err := supportkit.New(supportkit.Config{Now: func() time.Time { return now }, Routing: &routing.Config{}, Task: task})
	require.NoError(t, err)
	email := map[routing.Channel]int{routing.ChannelEmail: 5}
	_, err = desk.AddAgent(routing.Agent{ID: "john", Capacity: email, LastWork: now.Add(-time.Hour)})
	require.NoError(t, err)
	_, err = desk.AddAgent(routing.Agent{ID: "anna", Capacity: email, LastWork: now.Add(-time.Minute), Skills: map[string]int{"vpn": 3}})
	require.NoError(t, err)
	_, err = desk.Create(ctx, ticket.NewTicket{Subject: "VPN down", Requester: ticket.Requester{Email: "a@example.com"},
		Channel: ticket.ChannelEmail, Tags: tags})
	require.NoError(t, err)
	offers, err := desk.Dispatch(ctx, now)
	require.NoError(t, err)
	require.Len(t, offers, 1)
	return offers[0].AgentID
}

func TestTagSkillsTaskPrefersAgentsSkilledInTheTicketsTags(t *testing.T) {
	assert.Equal(t, "john", offeredTo(t, supportkit.DefaultTask, []string{"vpn"}), "DefaultTask: the longest idle")
	assert.Equal(t, "anna", offeredTo(t, supportkit.TagSkillsTask, []string{"vpn"}))
	assert.Equal(t, "john", offeredTo(t, supportkit.TagSkillsTask, []string{"printers"}), "nobody has the skill: as DefaultTask")
}

// A ticket may carry more tags than a task may list skills: the first MaxTaskSkills of its
// tags (which a ticket keeps sorted) count, and the ticket is still routed.
func TestTagSkillsTaskKeepsToTheSkillLimit(t *testing.T) {
	topics := func(prefix string) []string {
		var tags []string
		for i := range routing.MaxTaskSkills + 8 {
			tags = append(tags, fmt.Sprintf("%s%02d", prefix, i))
		}
		return append(tags, "vpn")
	}
	task, ok := supportkit.TagSkillsTask(ticket.Ticket{Tags: topics("a")})
	require.True(t, ok)
	assert.Len(t, task.Preferred, routing.MaxTaskSkills)
	assert.Equal(t, "john", offeredTo(t, supportkit.TagSkillsTask, topics("a")), "vpn sorts past the limit")
	assert.Equal(t, "anna", offeredTo(t, supportkit.TagSkillsTask, topics("z")), "vpn sorts first")
}
