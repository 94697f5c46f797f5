package routing_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// setup returns a Router on a settable clock starting at t0.
func setup(t testing.TB, cfg routing.Config) (*routing.Router, *clock) {
	t.Helper()
	clk := &clock{t: t0}
	cfg.Now = clk.Now
	r, err := routing.New(cfg)
	require.NoError(t, err)
	return r, clk
}

func chatAgent(id string, skills map[string]int) routing.Agent {
	return routing.Agent{ID: id, Skills: skills, Presence: routing.Available,
		Capacity: map[routing.Channel]int{routing.ChannelChat: 3}}
}

func addAgents(t testing.TB, r *routing.Router, agents ...routing.Agent) {
	t.Helper()
	for _, a := range agents {
		require.NoError(t, r.AddAgent(a))
	}
}

func agentsOf(offers []routing.Offer) []string {
	out := make([]string, len(offers))
	for i, o := range offers {
		out[i] = o.AgentID
	}
	return out
}

func tasksOf(offers []routing.Offer) []string {
	out := make([]string, len(offers))
	for i, o := range offers {
		out[i] = o.TaskID
	}
	return out
}
