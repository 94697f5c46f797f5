package routing_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/routing"
)

// Every enumeration the package persists or displays encodes as its name in JSON, decodes
// back to the same value, and rejects names and values it does not know.
func TestEnumerationsEncodeAsReadableText(t *testing.T) {
	type enums struct {
		Presence routing.Presence `json:"presence"`
		Strategy routing.Strategy `json:"strategy"`
		State    routing.State    `json:"state"`
		Reason   routing.Reason   `json:"reason"`
		Channel  routing.Channel  `json:"channel"`
	}
	cases := []struct {
		in   enums
		json string
	}{
		{enums{routing.Available, routing.LongestIdle, routing.Queued, routing.NoCapacity, routing.ChannelEmail},
			`{"presence":"available","strategy":"longest idle","state":"queued","reason":"no capacity","channel":"email"}`},
		{enums{routing.Away, routing.LeastLoaded, routing.Offered, routing.NoSkill, routing.ChannelPhone},
			`{"presence":"away","strategy":"least loaded","state":"offered","reason":"no skill","channel":"phone"}`},
		{enums{routing.Busy, routing.RoundRobin, routing.Assigned, routing.NoLanguage, routing.ChannelWebForm},
			`{"presence":"busy","strategy":"round robin","state":"assigned","reason":"no language","channel":"web"}`},
		{enums{routing.Offline, routing.BestSkill, routing.Completed, routing.NoLine, routing.ChannelSocial},
			`{"presence":"offline","strategy":"best skill","state":"completed","reason":"no line","channel":"social"}`},
		{enums{routing.Offline, routing.HostScore, routing.Cancelled, routing.NoTeam, routing.ChannelMessenger},
			`{"presence":"offline","strategy":"host score","state":"cancelled","reason":"no team","channel":"messenger"}`},
		{enums{routing.Offline, routing.HostScore, routing.Cancelled, routing.AllExcluded, routing.ChannelAPI},
			`{"presence":"offline","strategy":"host score","state":"cancelled","reason":"all excluded","channel":"api"}`},
		{enums{routing.Offline, routing.HostScore, routing.Cancelled, routing.AllOffline, routing.ChannelChat},
			`{"presence":"offline","strategy":"host score","state":"cancelled","reason":"all offline","channel":"chat"}`},
	}
	cases = append(cases, struct {
		in   enums
		json string
	}{enums{routing.Available, routing.LongestIdle, routing.Queued, 0, "voice"},
		`{"presence":"available","strategy":"longest idle","state":"queued","reason":"","channel":"voice"}`})
	for _, tc := range cases {
		b, err := json.Marshal(tc.in)
		require.NoError(t, err)
		assert.JSONEq(t, tc.json, string(b))
		var back enums
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, tc.in, back)
	}

	for _, bad := range []string{
		`{"presence":"Available"}`, `{"presence":"idle"}`, `{"presence":""}`,
		`{"strategy":"longest_idle"}`, `{"strategy":"random"}`,
		`{"state":""}`, `{"state":"done"}`,
		`{"reason":"none"}`, `{"reason":"no capacity "}`,
	} {
		var e enums
		err := json.Unmarshal([]byte(bad), &e)
		assert.ErrorIs(t, err, routing.ErrInvalid, bad)
	}
	for _, v := range []interface{ MarshalText() ([]byte, error) }{
		routing.Presence(4), routing.Strategy(5), routing.State(0), routing.State(6), routing.Reason(8),
	} {
		_, err := v.MarshalText()
		assert.ErrorIs(t, err, routing.ErrInvalid, "%v", v)
	}
}

// Every ticket channel has a routing constant with the same spelling.
func TestChannelsAreTheTicketChannels(t *testing.T) {
	var names []string
	for _, c := range routing.Channels() {
		names = append(names, string(c))
		assert.True(t, c.Standard())
	}
	assert.Equal(t, []string{"email", "phone", "chat", "web", "social", "messenger", "api"}, names)
	assert.False(t, routing.Channel("Web").Standard())
	assert.False(t, routing.Channel("").Standard())
}

// An agent added without a presence was Offline and never got work.
func TestAgentAddedWithoutPresenceGetsWork(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	require.NoError(t, r.AddAgent(routing.Agent{ID: "x", Capacity: map[routing.Channel]int{routing.ChannelEmail: 1}}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "t", Channel: routing.ChannelEmail}))
	assert.Equal(t, []string{"x"}, agentsOf(r.Dispatch(clk.t)))
	info, err := r.Agent("x")
	require.NoError(t, err)
	assert.Equal(t, routing.Available, info.Presence)
}

// An agent without capacity on any channel can never be offered work; Stats lists it.
func TestStatsListAgentsWithoutCapacity(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	zero := chatAgent("zero", nil)
	zero.Capacity[routing.ChannelChat] = 0
	exclusiveOnly := chatAgent("excl", nil)
	exclusiveOnly.Capacity = nil
	exclusiveOnly.Exclusive = []routing.Channel{routing.ChannelPhone}
	addAgents(t, r, routing.Agent{ID: "none"}, zero, exclusiveOnly, chatAgent("ok", nil))
	assert.Equal(t, []string{"excl", "none", "zero"}, r.Stats(clk.t).AgentsWithoutCapacity)
	require.NoError(t, r.UpdateAgent(chatAgent("zero", nil)))
	assert.Equal(t, []string{"excl", "none"}, r.Stats(clk.t).AgentsWithoutCapacity)
	require.NoError(t, r.SetPresence("none", routing.Offline))
	assert.Equal(t, []string{"excl", "none"}, r.Stats(clk.t).AgentsWithoutCapacity, "whatever the presence")
}

// An explanation and the stats encode to JSON whether or not a task is stuck.
func TestExplanationAndStatsEncode(t *testing.T) {
	r, clk := setup(t, routing.Config{})
	addAgents(t, r, chatAgent("x", nil))
	require.NoError(t, r.Enqueue(routing.Task{ID: "ok", Channel: routing.ChannelChat}))
	require.NoError(t, r.Enqueue(routing.Task{ID: "stuck", Channel: routing.ChannelAPI}))
	for _, id := range []string{"ok", "stuck"} {
		ex, err := r.Explain(id, clk.t)
		require.NoError(t, err)
		b, err := json.Marshal(ex)
		require.NoError(t, err)
		var back routing.Explanation
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, ex, back)
	}
	b, err := json.Marshal(r.Stats(clk.t))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"UnservableByReason":{"no capacity":1}`)
	assert.Contains(t, string(b), `"AgentsByPresence":{"available":1}`)
}

// Snapshots written before strategies were encoded by name hold a number; they still decode.
func TestStrategyDecodesTheNumberOfOlderSnapshots(t *testing.T) {
	var ts routing.TaskSnapshot
	require.NoError(t, json.Unmarshal([]byte(`{"strategy":3}`), &ts))
	assert.Equal(t, routing.BestSkill, ts.Strategy)
	for _, bad := range []string{`{"strategy":5}`, `{"strategy":-1}`, `{"strategy":1.5}`, `{"strategy":true}`, `{"strategy":"3"}`} {
		assert.ErrorIs(t, json.Unmarshal([]byte(bad), &ts), routing.ErrInvalid, bad)
	}
}
