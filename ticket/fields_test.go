package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestFieldSetAndRemovedInOneChangeIsRemoved guards Update's one event per changed
// attribute for custom fields: a field both set and removed in one change set is removed
// (as a tag both added and removed is), recorded by one event from its old value, and a
// field that was not there is left out with nothing recorded.
func TestFieldSetAndRemovedInOneChangeIsRemoved(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Fields: map[string]string{"os": "linux"}})
	before := len(b.events(t, tk.ID))
	got, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{
		Fields:       map[string]string{"os": "macos", "order": "A-1"},
		RemoveFields: []string{"os", "order"},
	})
	require.NoError(t, err)
	assert.Nil(t, got.Fields)
	evs := b.events(t, tk.ID)[before:]
	require.Len(t, evs, 1, "one event for the one field that changed")
	assert.Equal(t, ticket.EventFieldChanged, evs[0].Kind)
	assert.Equal(t, "os", evs[0].Field)
	assert.Equal(t, "linux", evs[0].FromValue)
	assert.Equal(t, "", evs[0].ToValue)

	again, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{
		Fields: map[string]string{"order": "A-1"}, RemoveFields: []string{"order"},
	})
	require.NoError(t, err)
	assert.Equal(t, got, again, "a field set and removed that was not there changes nothing")
}

// TestEmptyFieldValueUnsetsTheField guards the log's completeness for custom fields: an
// EventFieldChanged with ToValue "" records a removal, so a field set to "" is removed (and
// one that was not there is not added), at Create as at Update; replaying the log then gives
// the ticket's fields.
func TestEmptyFieldValueUnsetsTheField(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Fields: map[string]string{"os": "linux", "order": ""}})
	assert.Equal(t, map[string]string{"os": "linux"}, tk.Fields)
	got, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Fields: map[string]string{"os": "", "serial": ""}})
	require.NoError(t, err)
	assert.Nil(t, got.Fields)
	var changed []ticket.Event
	for _, e := range b.events(t, tk.ID) {
		if e.Kind == ticket.EventFieldChanged {
			changed = append(changed, e)
		}
	}
	require.Len(t, changed, 2, "os set at creation, then removed")
	assert.Equal(t, [2]string{"", "linux"}, [2]string{changed[0].FromValue, changed[0].ToValue})
	assert.Equal(t, [2]string{"linux", ""}, [2]string{changed[1].FromValue, changed[1].ToValue})
	assert.Equal(t, snapshot(got), replay(b.events(t, tk.ID)))

	again, err := b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Fields: map[string]string{"os": ""}})
	require.NoError(t, err)
	assert.Equal(t, got, again, "unsetting a field that is not there changes nothing")
}
