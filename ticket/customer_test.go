package ticket_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

func TestCustomerViewNeverShowsInternalData(t *testing.T) {
	const secret = "SECRET-7f3a"
	b := setup(t, ticket.Config{PublicFields: []string{"order"}})
	tk := b.create(t, ticket.NewTicket{
		Assignee: "agent-" + secret, Group: "group-" + secret, Tags: []string{"tag-" + secret},
		Fields: map[string]string{"order": "A-100", "internal_" + secret: secret},
	})
	_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "note " + secret})
	require.NoError(t, err)
	_, err = b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: "Please try again."})
	require.NoError(t, err)
	_, err = b.svc.Update(ctx, agent, tk.ID, ticket.Changes{Status: ticket.Ptr(ticket.StatusPending)})
	require.NoError(t, err)

	v, err := b.svc.CustomerView(ctx, tk.ID)
	require.NoError(t, err)
	blob, err := json.Marshal(v)
	require.NoError(t, err)
	assert.NotContains(t, string(blob), secret)
	assert.Equal(t, map[string]string{"order": "A-100"}, v.Fields)
	assert.Equal(t, ticket.CustomerAwaitingReply, v.Status)
	require.Len(t, v.Comments, 2)
	assert.Equal(t, "It jams on every page.", v.Comments[0].Body)
	assert.Equal(t, "Please try again.", v.Comments[1].Body)
	assert.Equal(t, "Alex", v.Comments[1].AuthorName)

	// The view's types have no field that could carry an internal note or internal field.
	for _, typ := range []reflect.Type{reflect.TypeOf(ticket.CustomerTicket{}), reflect.TypeOf(ticket.PublicComment{})} {
		for i := range typ.NumField() {
			switch typ.Field(i).Name {
			case "Public", "Assignee", "Group", "Tags", "Line", "Priority", "Links", "Author":
				t.Errorf("%s has internal field %s", typ.Name(), typ.Field(i).Name)
			}
		}
	}
}

func TestCustomerViewOfMissingTicket(t *testing.T) {
	b := setup(t, ticket.Config{})
	_, err := b.svc.CustomerView(ctx, uuidFor(5))
	assert.ErrorIs(t, err, ticket.ErrNotFound)
}
