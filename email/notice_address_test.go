package email_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/email"
)

// A recipient's Address goes raw into the To header and the SMTP envelope: anything but one
// bare address is refused.
func TestRenderRefusesRecipientsThatAreNotAddresses(t *testing.T) {
	r, err := email.NewRenderer(email.RendererConfig{From: email.Address{Address: "desk@example.com"}})
	require.NoError(t, err)
	for _, addr := range []string{
		"c@example.com\r\nBcc: x@evil.com", "c@ex\nample.com", "", "not an address",
		"a@b.c>, <evil@x.y", "Ann <ann@example.com>", strings.Repeat("a", 250) + "@example.com",
	} {
		_, err := r.Render(email.Notice{Kind: email.NoticeSolved, To: []email.Address{{Address: addr}}, Number: "SUP-1"})
		require.ErrorIs(t, err, email.ErrInvalid, "%q", addr)
		var ve *email.ValidationError
		require.True(t, errors.As(err, &ve) && ve.Field == "Notice.To", "%q: %v", addr, err)
	}
}

// Display names of any length keep every header line within RFC 5322's 998 characters (and
// within 78 here) and read back as they were.
func TestRenderFoldsLongDisplayNames(t *testing.T) {
	for _, name := range []string{
		strings.Repeat("é", 200), strings.Repeat("a", 1200), strings.Repeat("Иван ", 300),
		strings.Repeat("日本", 150), "Ann Smith",
	} {
		r, err := email.NewRenderer(email.RendererConfig{From: email.Address{Name: name, Address: "desk@example.com"}})
		require.NoError(t, err)
		to := email.Address{Name: name, Address: "c@example.com"}
		out, err := r.Render(email.Notice{Kind: email.NoticeSolved, To: []email.Address{to, {Address: "d@example.com"}}, Number: "SUP-1"})
		require.NoError(t, err)
		raw := out.Bytes()
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for line := range bytes.SplitSeq(head, []byte("\r\n")) {
			require.LessOrEqual(t, len(line), 998, "%.60q", line)
		}
		m, err := email.Parse(raw)
		require.NoError(t, err)
		require.Equal(t, []email.Address{to, {Address: "d@example.com"}}, m.To)
		require.Equal(t, name, m.From.Name)
	}
}

// TestRendererMadeKnowsItsOwnMessageIDs checks that a Renderer tells the Message-IDs it
// gives from others, so that its notifications are known when they come back.
func TestRendererMadeKnowsItsOwnMessageIDs(t *testing.T) {
	r, err := email.NewRenderer(email.RendererConfig{From: email.Address{Address: "support@desk.example"}})
	require.NoError(t, err)
	out, err := r.Render(email.Notice{Kind: email.NoticeAcknowledgement, To: []email.Address{{Address: "ann@example.com"}}, Number: "SUP-1", Subject: "x"})
	require.NoError(t, err)
	assert.True(t, r.Made(out.MessageID))
	for _, id := range []string{"a1@desk.example", "sk.1@other.example", "sk.@desk.example", "sk.1@desk.example.evil", ""} {
		assert.False(t, r.Made(id), id)
	}
	assert.True(t, r.Made("sk.abc@DESK.example"))
	var none *email.Renderer
	assert.False(t, none.Made(out.MessageID))
}
