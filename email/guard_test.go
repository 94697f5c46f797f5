package email_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

func refusal(err error) string {
	if re, ok := err.(*email.RefusedError); ok {
		return re.Reason
	}
	return ""
}

func TestGuardNeverAnswersAutomaticMail(t *testing.T) {
	g, err := email.NewGuard(email.GuardConfig{})
	require.NoError(t, err)
	for _, k := range []email.Kind{email.KindAutoReply, email.KindOutOfOffice, email.KindBounce, email.KindBulk, email.KindList} {
		err := g.Allow("ann@example.com", k)
		require.ErrorIs(t, err, email.ErrRefused)
		assert.Equal(t, "automatic mail", refusal(err))
	}
	require.NoError(t, g.Allow("ann@example.com", email.KindPersonal))
}

func TestGuardRefusesOwnAndRobotAddresses(t *testing.T) {
	g, err := email.NewGuard(email.GuardConfig{Own: []string{"Support@Desk.example"}})
	require.NoError(t, err)
	assert.Equal(t, "own address", refusal(g.Allow("support@desk.EXAMPLE", email.KindPersonal)))
	assert.Equal(t, "robot address", refusal(g.Allow("MAILER-DAEMON@mx.example.com", email.KindPersonal)))
	assert.Equal(t, "robot address", refusal(g.Allow("no-reply@shop.example", email.KindPersonal)))
	assert.Equal(t, "no address", refusal(g.Allow("", email.KindPersonal)))
}

// TestGuardRefusesOwnEntriesThatAreNoAddress: an Own entry that could never match a
// sender (a name, a display-name form, an empty string, a header injection) is a config
// error naming the entry, not a desk address silently left unprotected.
func TestGuardRefusesOwnEntriesThatAreNoAddress(t *testing.T) {
	for _, bad := range []string{"", "support", "@desk.example", "support@", "Desk <support@desk.example>",
		"support@desk.example, ann@example.com", "support@desk.example\r\nBcc: x@evil.example",
		" support@desk.example", strings.Repeat("a", 250) + "@d.example"} {
		_, err := email.NewGuard(email.GuardConfig{Own: []string{"help@desk.example", bad}})
		require.ErrorIs(t, err, email.ErrInvalid, "%q", bad)
		var ve *email.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "GuardConfig.Own[1]", ve.Field)
		assert.Contains(t, ve.Reason, fmt.Sprintf("%q", bad))
	}
	_, err := email.NewGuard(email.GuardConfig{Own: []string{"help@desk.example", "Support+desk@Desk.example"}})
	require.NoError(t, err)
}

func TestGuardIsOwnComparesMailboxes(t *testing.T) {
	g, err := email.NewGuard(email.GuardConfig{Own: []string{"Support@Desk.example"}})
	require.NoError(t, err)
	for _, a := range []string{"support@desk.example", "SUPPORT+x@desk.example", " support+a+b@Desk.Example. "} {
		assert.True(t, g.IsOwn(a), a)
		assert.Equal(t, "own address", refusal(g.Allow(a, email.KindPersonal)), "Allow agrees on %s", a)
	}
	for _, a := range []string{"support@other.example", "supportx@desk.example", "+support@desk.example", "", "support"} {
		assert.False(t, g.IsOwn(a), a)
	}
}

func TestGuardCountsRepliesPerAddressOverASlidingWindow(t *testing.T) {
	now := time.Date(2025, 12, 1, 10, 0, 0, 0, time.UTC)
	g, err := email.NewGuard(email.GuardConfig{MaxPerWindow: 3, Now: func() time.Time { return now }})
	require.NoError(t, err)
	for i := range 3 {
		require.NoError(t, g.Allow("Ann@example.com", email.KindPersonal), "reply %d", i+1)
		now = now.Add(10 * time.Minute)
	}
	// 10:30: replies at 10:00, 10:10 and 10:20 are within the hour
	assert.Equal(t, "flood", refusal(g.Allow("ann@example.com", email.KindPersonal)))
	require.NoError(t, g.Allow("bob@example.com", email.KindPersonal), "another address has its own count")
	now = time.Date(2025, 12, 1, 11, 0, 0, 0, time.UTC)
	require.NoError(t, g.Allow("ann@example.com", email.KindPersonal), "10:00 is an hour ago: only 10:10 and 10:20 count (the refused try at 10:30 does not)")
	now = now.Add(time.Second)
	assert.Equal(t, "flood", refusal(g.Allow("ann@example.com", email.KindPersonal)), "10:10, 10:20 and 11:00")
	now = time.Date(2025, 12, 1, 11, 10, 0, 0, time.UTC)
	require.NoError(t, g.Allow("ann@example.com", email.KindPersonal), "10:10 left the window")
}

func TestNewGuardRefusesNegativeLimits(t *testing.T) {
	_, err := email.NewGuard(email.GuardConfig{MaxPerWindow: -1})
	require.ErrorIs(t, err, email.ErrInvalid)
	_, err = email.NewGuard(email.GuardConfig{Window: -time.Second})
	require.ErrorIs(t, err, email.ErrInvalid)
}
