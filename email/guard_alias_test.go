package email_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// TestGuardSeesThroughSubaddresses checks that tagging an address ("ann+1@", "Ann+2@")
// neither escapes the flood limit, nor disguises the desk's own address (a loop through a
// tagged alias) or a robot's (a VERP bounce address such as "bounces+123@").
func TestGuardSeesThroughSubaddresses(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	g, err := email.NewGuard(email.GuardConfig{Own: []string{"Support@Desk.example"}, MaxPerWindow: 3, Now: func() time.Time { return now }})
	require.NoError(t, err)
	for i := range 3 {
		assert.NoError(t, g.Allow(fmt.Sprintf("victim+%d@example.com", i), email.KindPersonal))
	}
	for _, a := range []string{"victim+99@example.com", "VICTIM@example.com", "victim@example.com."} {
		assert.ErrorIs(t, g.Allow(a, email.KindPersonal), email.ErrRefused, a)
	}
	for _, a := range []string{"support+loop@desk.example", "bounces+123-abc@mailer.example", "noreply+x@shop.example"} {
		assert.ErrorIs(t, g.Allow(a, email.KindPersonal), email.ErrRefused, a)
	}
	assert.NoError(t, g.Allow("+tagonly@example.com", email.KindPersonal), "a local part that starts with + is kept whole")
}
