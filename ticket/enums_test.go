package ticket_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// enumCase checks one enumeration: every defined value survives a JSON round trip as its
// own readable text, and unknown spellings are refused.
type enumCase struct {
	name    string
	values  []string
	decode  func(data []byte) (string, error) // decodes a JSON string into a fresh, preset value
	preset  string                            // the value decode starts from
	isValid func(string) bool
}

func enumCaseOf[T interface {
	~string
	Valid() bool
}](name string, preset T, values ...T) enumCase {
	c := enumCase{name: name, preset: string(preset), isValid: func(s string) bool { return T(s).Valid() }}
	for _, v := range values {
		c.values = append(c.values, string(v))
	}
	c.decode = func(data []byte) (string, error) {
		v := preset
		err := json.Unmarshal(data, &v)
		return string(v), err
	}
	return c
}

func enumCases() []enumCase {
	return []enumCase{
		enumCaseOf("Channel", ticket.ChannelChat, ticket.ChannelEmail, ticket.ChannelPhone, ticket.ChannelChat,
			ticket.ChannelWebForm, ticket.ChannelSocial, ticket.ChannelMessenger, ticket.ChannelAPI),
		enumCaseOf("Type", ticket.TypeTask, ticket.TypeQuestion, ticket.TypeIncident, ticket.TypeProblem,
			ticket.TypeServiceRequest, ticket.TypeTask),
		enumCaseOf("Level", ticket.LevelLow, ticket.LevelLow, ticket.LevelMedium, ticket.LevelHigh),
		enumCaseOf("Priority", ticket.PriorityLow, ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityHigh,
			ticket.PriorityUrgent),
		enumCaseOf("Status", ticket.StatusOpen, ticket.StatusNew, ticket.StatusOpen, ticket.StatusPending,
			ticket.StatusOnHold, ticket.StatusSolved, ticket.StatusClosed),
		enumCaseOf("StatusCategory", ticket.CategoryOpen, ticket.CategoryOpen, ticket.CategoryPending,
			ticket.CategoryOnHold, ticket.CategorySolved),
		enumCaseOf("ActorKind", ticket.ActorBot, ticket.ActorCustomer, ticket.ActorAgent, ticket.ActorSystem,
			ticket.ActorBot),
		enumCaseOf("LinkKind", ticket.LinkRelated, ticket.LinkRelated, ticket.LinkDuplicateOf, ticket.LinkDuplicate,
			ticket.LinkCausedBy, ticket.LinkCauses, ticket.LinkParent, ticket.LinkChild, ticket.LinkFollowUpOf,
			ticket.LinkFollowUp, ticket.LinkMergedInto, ticket.LinkMergedFrom),
		enumCaseOf("EventKind", ticket.EventRated, ticket.EventCreated, ticket.EventStatusChanged,
			ticket.EventReopened, ticket.EventPriorityChanged, ticket.EventAssigneeChanged, ticket.EventGroupChanged,
			ticket.EventEscalated, ticket.EventTagsChanged, ticket.EventFieldChanged, ticket.EventCommented,
			ticket.EventMerged, ticket.EventLinked, ticket.EventRated),
		enumCaseOf("CustomerStatus", ticket.CustomerOpen, ticket.CustomerOpen, ticket.CustomerAwaitingReply,
			ticket.CustomerSolved, ticket.CustomerClosed),
	}
}

func TestEnumerationsRoundTripThroughJSONAsReadableText(t *testing.T) {
	for _, c := range enumCases() {
		for _, v := range c.values {
			require.True(t, c.isValid(v), "%s %q", c.name, v)
			data, err := json.Marshal(v)
			require.NoError(t, err)
			got, err := c.decode(data)
			require.NoError(t, err, "%s %s", c.name, data)
			assert.Equal(t, v, got, c.name)
		}
		got, err := c.decode([]byte(`""`))
		require.NoError(t, err, "%s: the empty text is the zero value", c.name)
		assert.Empty(t, got, c.name)
	}
}

// Enumerations decoded from JSON (or a database) took any string, so a "High" priority or
// a misspelt status went through silently.
func TestEnumerationsRejectUnknownSpellings(t *testing.T) {
	for _, c := range enumCases() {
		unknown := []string{"bogus", " " + c.values[0], c.values[0] + " ", strings.ToUpper(c.values[0])}
		if first := c.values[0]; len(first) > 0 {
			unknown = append(unknown, strings.ToUpper(first[:1])+first[1:])
		}
		for _, u := range unknown {
			require.False(t, c.isValid(u), "%s %q", c.name, u)
			data, err := json.Marshal(u)
			require.NoError(t, err)
			got, err := c.decode(data)
			require.ErrorIs(t, err, ticket.ErrInvalid, "%s %q", c.name, u)
			var ve *ticket.ValidationError
			require.ErrorAs(t, err, &ve, "%s %q", c.name, u)
			assert.Contains(t, ve.Reason, u, c.name)
			assert.Equal(t, c.preset, got, "%s: a refused text leaves the value as it was", c.name)
		}
	}
}

// A ticket and its events as the Service stored them come back equal from JSON.
func TestTicketAndEventsRoundTripThroughJSON(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Type: ticket.TypeIncident, Impact: ticket.LevelHigh, Tags: []string{"vpn"},
		Fields: map[string]string{"site": "Moscow"}, Language: language.Russian, Channel: ticket.ChannelEmail})
	tk, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusOnHold)})
	require.NoError(t, err)

	data, err := json.Marshal(tk)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"Status":"on-hold"`, "readable text")
	var back ticket.Ticket
	require.NoError(t, json.Unmarshal(data, &back))
	assert.True(t, tk.CreatedAt.Equal(back.CreatedAt))
	back.CreatedAt, back.UpdatedAt = tk.CreatedAt, tk.UpdatedAt
	assert.Equal(t, tk, back)

	evs := b.events(t, tk.ID)
	data, err = json.Marshal(evs)
	require.NoError(t, err)
	var evsBack []ticket.Event
	require.NoError(t, json.Unmarshal(data, &evsBack))
	require.Len(t, evsBack, len(evs))
	for i := range evs {
		evsBack[i].At = evs[i].At
		assert.Equal(t, evs[i], evsBack[i])
	}

	bad := strings.Replace(string(data), `"Kind":"status_changed"`, `"Kind":"status-changed"`, 1)
	require.NotEqual(t, string(data), bad)
	assert.ErrorIs(t, json.Unmarshal([]byte(bad), &evsBack), ticket.ErrInvalid)
}
