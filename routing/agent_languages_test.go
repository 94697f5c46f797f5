package routing_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/routing"
)

// Speaks tells a host whether routing a task by a language can ever find an agent: some
// agent, present or not, lists a language of the same base.
func TestSpeaksMatchesLanguagesByBase(t *testing.T) {
	r, err := routing.New(routing.Config{})
	require.NoError(t, err)
	assert.False(t, r.Speaks(language.Russian), "no agents")
	require.NoError(t, r.AddAgent(routing.Agent{ID: "a", Presence: routing.Offline,
		Languages: []language.Tag{language.MustParse("ru-RU")}, Capacity: map[routing.Channel]int{routing.ChannelChat: 1}}))
	assert.True(t, r.Speaks(language.Russian))
	assert.True(t, r.Speaks(language.MustParse("ru-BY")))
	assert.False(t, r.Speaks(language.English))
	assert.False(t, r.Speaks(language.Und))
	require.NoError(t, r.RemoveAgent("a"))
	assert.False(t, r.Speaks(language.Russian))
	var zero routing.Router
	assert.False(t, zero.Speaks(language.Russian))
}
