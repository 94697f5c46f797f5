package sla_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/sla"
)

// A content line of exactly 1 MiB on one physical line failed with the scanner's own
// "token too long" (its buffer had no room for the line ending), and a longer one came back
// as that bare error instead of a *LimitError.
func TestParseICSPhysicalLineLimit(t *testing.T) {
	feed := func(n int) string {
		return "BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260101\r\nSUMMARY:" +
			strings.Repeat("x", n-len("SUMMARY:")) + "\r\nEND:VEVENT\r\n"
	}
	for _, n := range []int{1<<20 - 1, 1 << 20} {
		hs, err := sla.ParseICS(strings.NewReader(feed(n)))
		require.NoError(t, err, "a %d-byte line is within the limit", n)
		assert.Len(t, hs, 1)
	}
	_, err := sla.ParseICS(strings.NewReader(feed(1<<20 + 1)))
	var le *sla.LimitError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	assert.ErrorIs(t, err, sla.ErrTooLarge)
	assert.Equal(t, 3, le.Line)

	lf := strings.ReplaceAll(feed(1<<20+1), "\r\n", "\n")
	_, err = sla.ParseICS(strings.NewReader(lf))
	assert.ErrorIs(t, err, sla.ErrTooLarge, "the same line ended by a bare LF")
}
