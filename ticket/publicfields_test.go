package ticket_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestPublicFieldsCannotNameBuiltInFields checks that a public field list naming a
// built-in field is refused: a customer's events would otherwise carry the changes of the
// ticket's impact, urgency or problem link, which no custom field can be named after.
func TestPublicFieldsCannotNameBuiltInFields(t *testing.T) {
	for _, name := range []string{"impact", "urgency", "problem", "type", "language", "subject"} {
		_, err := ticket.NewService(nil, ticket.Config{PublicFields: []string{"order", name}})
		assert.ErrorIs(t, err, ticket.ErrInvalid, name)
	}
	_, err := ticket.NewService(nil, ticket.Config{PublicFields: []string{"order"}})
	assert.NoError(t, err)
}

// TestPublicFieldsRefuseNamesNoFieldCanHave checks that a public field list naming what
// no custom field can be called (an empty or blank name, one over 64 characters, one with
// control characters or invalid UTF-8) is refused with a ValidationError naming the entry,
// rather than accepted as a name that never shows anything.
func TestPublicFieldsRefuseNamesNoFieldCanHave(t *testing.T) {
	for _, name := range []string{"", "   ", strings.Repeat("x", 65), "order\x00", "order\r\nid", "a\x7fb", "\xff"} {
		_, err := ticket.NewService(nil, ticket.Config{PublicFields: []string{"order", name}})
		require.ErrorIs(t, err, ticket.ErrInvalid, "%q", name)
		var ve *ticket.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "Config.PublicFields[1]", ve.Field, "%q", name)
	}
	_, err := ticket.NewService(nil, ticket.Config{PublicFields: []string{"order", strings.Repeat("x", 64), "номер заказа"}})
	assert.NoError(t, err, "names a custom field can have")
}
