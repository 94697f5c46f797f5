package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

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
