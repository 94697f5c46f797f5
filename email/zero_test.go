package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// TestZeroParserParsesWithDefaults checks that a Parser declared rather than made parses as
// NewParser(Config{}) does, instead of refusing every message as too large.
func TestZeroParserParsesWithDefaults(t *testing.T) {
	raw := "From: Ann <ann@example.com>\r\nSubject: Printer\r\n\r\nIt does not print.\r\n"
	var p email.Parser
	m, err := p.Parse(context.Background(), strings.NewReader(raw))
	require.NoError(t, err)
	assert.Equal(t, "Printer", m.Subject)
	assert.Equal(t, "It does not print.", strings.TrimSpace(m.Text))
}

// TestZeroGuardGuardsWithDefaults checks that a Guard declared rather than made guards as
// NewGuard(GuardConfig{}) does: it answers a person, refuses automatic mail and robots, and
// stops a flood after five replies, instead of panicking.
func TestZeroGuardGuardsWithDefaults(t *testing.T) {
	var g email.Guard
	for range 5 {
		require.NoError(t, g.Allow("ann@example.com", email.KindPersonal))
	}
	assert.ErrorIs(t, g.Allow("ann@example.com", email.KindPersonal), email.ErrRefused, "flood")
	assert.ErrorIs(t, g.Allow("bob@example.com", email.KindAutoReply), email.ErrRefused)
	assert.ErrorIs(t, g.Allow("mailer-daemon@example.com", email.KindPersonal), email.ErrRefused)
	assert.False(t, g.IsOwn("ann@example.com"))
}

// TestZeroRendererRefusesToRender checks that a Renderer declared rather than made, which
// has no From address, returns ErrInvalid instead of panicking.
func TestZeroRendererRefusesToRender(t *testing.T) {
	var r email.Renderer
	_, err := r.Render(email.Notice{Kind: email.NoticeAcknowledgement, To: []email.Address{{Address: "ann@example.com"}}, Number: "SUP-1"})
	assert.ErrorIs(t, err, email.ErrInvalid)
}
