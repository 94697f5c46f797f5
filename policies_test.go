package supportkit_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/sla"
	"github.com/supportkit/supportkit/ticket"
)

func policiesKeyed(t *testing.T, key string, when ...string) *sla.Policies {
	t.Helper()
	ps, err := sla.NewPolicies(sla.Policy{
		Name:    "Standard",
		When:    sla.Condition{Priorities: when},
		Targets: map[string]sla.Targets{key: {FirstResponse: &sla.Target{Within: time.Hour}}},
	})
	require.NoError(t, err)
	return ps
}

func TestNewRejectsPolicyKeyedByUnknownPriority(t *testing.T) {
	_, err := supportkit.New(supportkit.Config{Policies: policiesKeyed(t, "High")})
	require.Error(t, err)
	assert.True(t, errors.Is(err, sla.ErrInvalid))
	var ve *sla.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, `Policies[0].Targets["High"]`, ve.Field)
	assert.Contains(t, ve.Reason, `"Standard"`)
}

func TestNewRejectsConditionOnUnknownPriority(t *testing.T) {
	_, err := supportkit.New(supportkit.Config{Policies: policiesKeyed(t, "", "high", "Urgent")})
	var ve *sla.ValidationError
	require.True(t, errors.As(err, &ve), "got %v", err)
	assert.Equal(t, "Policies[0].When.Priorities[1]", ve.Field)
}

func TestNewAcceptsEveryTicketPriority(t *testing.T) {
	for _, p := range []ticket.Priority{"", ticket.PriorityLow, ticket.PriorityNormal, ticket.PriorityHigh, ticket.PriorityUrgent} {
		var when []string
		if p != "" {
			when = []string{string(p)}
		}
		d, err := supportkit.New(supportkit.Config{Policies: policiesKeyed(t, string(p), when...)})
		require.NoError(t, err, "priority %q", p)
		assert.NotNil(t, d)
	}
}
