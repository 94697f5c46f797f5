package routing_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// badInputWorld has agent x (chat 1, holding accepted task "held"), an offer of "offered" to
// agent y, a queued task "waiting" and an offline agent z.
func badInputWorld(t *testing.T) (*routing.Router, *clock) {
	r, clk := setup(t, routing.Config{})
	x := chatAgent("x", map[string]int{"billing": 3})
	x.Capacity[routing.ChannelChat] = 1
	y := chatAgent("y", nil)
	y.LastWork = t0
	z := chatAgent("z", nil)
	z.Presence = routing.Offline
	addAgents(t, r, x, y, z)
	require.NoError(t, r.Enqueue(routing.Task{ID: "held", Channel: routing.ChannelChat}))
	require.NoError(t, r.Assign("held", "x", false))
	require.NoError(t, r.Enqueue(routing.Task{ID: "offered", Channel: routing.ChannelChat}))
	require.Len(t, r.Dispatch(clk.t), 1)
	require.NoError(t, r.Enqueue(routing.Task{ID: "waiting", Channel: routing.ChannelEmail}))
	return r, clk
}

func TestBadInputReturnsTypedErrorsAndChangesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(r *routing.Router, clk *clock) error
		want error
	}{
		{"unknown agent presence", func(r *routing.Router, _ *clock) error { return r.SetPresence("nobody", routing.Away) }, routing.ErrNotFound},
		{"unknown presence value", func(r *routing.Router, _ *clock) error { return r.SetPresence("x", routing.Presence(9)) }, routing.ErrInvalid},
		{"unknown task accept", func(r *routing.Router, _ *clock) error { return r.Accept("nope", "y") }, routing.ErrNotFound},
		{"accept by unknown agent", func(r *routing.Router, _ *clock) error { return r.Accept("offered", "nobody") }, routing.ErrNotFound},
		{"accept someone else's offer", func(r *routing.Router, _ *clock) error { return r.Accept("offered", "x") }, routing.ErrNotOffered},
		{"accept a waiting task", func(r *routing.Router, _ *clock) error { return r.Accept("waiting", "y") }, routing.ErrNotOffered},
		{"accept an expired offer", func(r *routing.Router, clk *clock) error {
			clk.t = clk.t.Add(30 * time.Second)
			return r.Accept("offered", "y")
		}, routing.ErrOfferExpired},
		{"decline someone else's offer", func(r *routing.Router, _ *clock) error { return r.Decline("offered", "z") }, routing.ErrNotOffered},
		{"complete an offer", func(r *routing.Router, _ *clock) error { _, err := r.Complete("offered"); return err }, routing.ErrNotAssigned},
		{"complete unknown", func(r *routing.Router, _ *clock) error { _, err := r.Complete("nope"); return err }, routing.ErrNotFound},
		{"cancel unknown", func(r *routing.Router, _ *clock) error { _, err := r.Cancel("nope"); return err }, routing.ErrNotFound},
		{"duplicate task", func(r *routing.Router, _ *clock) error {
			return r.Enqueue(routing.Task{ID: "held", Channel: routing.ChannelChat})
		}, routing.ErrDuplicate},
		{"duplicate agent", func(r *routing.Router, _ *clock) error { return r.AddAgent(chatAgent("x", nil)) }, routing.ErrDuplicate},
		{"skill level above 5", func(r *routing.Router, _ *clock) error { return r.AddAgent(chatAgent("n", map[string]int{"sql": 6})) }, routing.ErrInvalid},
		{"skill level below 0", func(r *routing.Router, _ *clock) error {
			return r.UpdateAgent(chatAgent("x", map[string]int{"sql": -1}))
		}, routing.ErrInvalid},
		{"negative capacity", func(r *routing.Router, _ *clock) error {
			return r.AddAgent(routing.Agent{ID: "n", Capacity: map[routing.Channel]int{routing.ChannelChat: -1}})
		}, routing.ErrInvalid},
		{"capacity above the maximum", func(r *routing.Router, _ *clock) error {
			return r.AddAgent(routing.Agent{ID: "n", Capacity: map[routing.Channel]int{routing.ChannelChat: routing.MaxCapacity + 1}})
		}, routing.ErrInvalid},
		{"line 4", func(r *routing.Router, _ *clock) error { return r.AddAgent(routing.Agent{ID: "n", Line: 4}) }, routing.ErrInvalid},
		{"empty agent id", func(r *routing.Router, _ *clock) error { return r.AddAgent(routing.Agent{}) }, routing.ErrInvalid},
		{"update unknown agent", func(r *routing.Router, _ *clock) error { return r.UpdateAgent(chatAgent("nobody", nil)) }, routing.ErrNotFound},
		{"remove unknown agent", func(r *routing.Router, _ *clock) error { return r.RemoveAgent("nobody") }, routing.ErrNotFound},
		{"task without channel", func(r *routing.Router, _ *clock) error { return r.Enqueue(routing.Task{ID: "n"}) }, routing.ErrInvalid},
		{"task requires level 6", func(r *routing.Router, _ *clock) error {
			return r.Enqueue(routing.Task{ID: "n", Channel: routing.ChannelChat, Required: []routing.SkillReq{{Skill: "sql", Level: 6}}})
		}, routing.ErrInvalid},
		{"task lists a skill twice", func(r *routing.Router, _ *clock) error {
			return r.Enqueue(routing.Task{ID: "n", Channel: routing.ChannelChat,
				Required: []routing.SkillReq{{Skill: "sql", Level: 1}, {Skill: "sql", Level: 2}}})
		}, routing.ErrInvalid},
		{"assign to unknown agent", func(r *routing.Router, _ *clock) error { return r.Assign("waiting", "nobody", true) }, routing.ErrNotFound},
		{"assign over capacity", func(r *routing.Router, _ *clock) error {
			return r.Assign("waiting", "x", false) // x has no email capacity
		}, routing.ErrOverCapacity},
		{"assign to offline agent", func(r *routing.Router, _ *clock) error { return r.Assign("waiting", "z", false) }, routing.ErrUnavailable},
		{"restore wrong version", func(r *routing.Router, _ *clock) error { return r.Restore(routing.Snapshot{Version: 99}) }, routing.ErrInvalid},
		{"restore task held by unknown agent", func(r *routing.Router, _ *clock) error {
			s := r.Snapshot()
			s.Tasks[len(s.Tasks)-1].AgentID = "nobody"
			return r.Restore(s)
		}, routing.ErrNotFound},
		{"restore offer held by offline agent", func(r *routing.Router, _ *clock) error {
			s := r.Snapshot()
			for i := range s.Agents {
				if s.Agents[i].Agent.ID == "y" {
					s.Agents[i].Agent.Presence = routing.Offline
				}
			}
			return r.Restore(s)
		}, routing.ErrInvalid},
		{"restore duplicate task", func(r *routing.Router, _ *clock) error {
			s := r.Snapshot()
			s.Tasks = append(s.Tasks, s.Tasks[0])
			return r.Restore(s)
		}, routing.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, clk := badInputWorld(t)
			before := r.Snapshot()
			err := tc.call(r, clk)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			assert.Equal(t, before, r.Snapshot(), "state changed")
			require.NoError(t, routing.CheckIndex(r))
		})
	}
}

func TestValidationErrorNamesTheField(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	err := r.AddAgent(routing.Agent{ID: "n", Capacity: map[routing.Channel]int{routing.ChannelChat: -2}})
	var ve *routing.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "Capacity[chat]", ve.Field)
	assert.Equal(t, "routing: invalid Capacity[chat]: negative capacity -2", err.Error())
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, cfg := range map[string]routing.Config{
		"host score without scorer": {Strategy: routing.HostScore},
		"unknown strategy":          {Strategy: 42},
		"first step after 0":        {Steps: []routing.Step{{After: time.Minute}}},
		"steps out of order":        {Steps: []routing.Step{{}, {After: 2 * time.Minute}, {After: time.Minute}}},
		"lower levels 6":            {Steps: []routing.Step{{LowerLevels: 6}}},
		"negative offer timeout":    {OfferTimeout: -time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := routing.New(cfg)
			assert.ErrorIs(t, err, routing.ErrInvalid)
		})
	}
}

// TestNotFoundNamesWhatIsMissing checks that a lookup of an unknown task or agent gives an
// error that is ErrNotFound and names the kind and ID, as the package's other errors do.
func TestNotFoundNamesWhatIsMissing(t *testing.T) {
	r, _ := setup(t, routing.Config{})
	_, err := r.Task("no-such-task")
	require.ErrorIs(t, err, routing.ErrNotFound)
	assert.Equal(t, routing.ErrNotFound.Error()+`: task "no-such-task"`, err.Error())
	_, err = r.Agent("nobody")
	require.ErrorIs(t, err, routing.ErrNotFound)
	assert.Equal(t, routing.ErrNotFound.Error()+`: agent "nobody"`, err.Error())
}
