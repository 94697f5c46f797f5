package party_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

// An "xn--" label longer than a DNS label is refused before it is decoded: Punycode
// decoding takes time quadratic in the label, and a hostile From of a few hundred
// kilobytes must not take seconds.
func TestLongPunycodeLabelsAreRefusedQuickly(t *testing.T) {
	label := "xn--a-" + strings.Repeat("99a", 100_000)
	start := time.Now()
	_, err := party.NormalizeDomain(label + ".com")
	require.ErrorIs(t, err, party.ErrInvalid)
	_, err = party.NormalizeEmail("ann@" + label + ".com")
	require.ErrorIs(t, err, party.ErrInvalid)
	require.Less(t, time.Since(start), 500*time.Millisecond)

	got, err := party.NormalizeDomain("xn--e1afmkfd.xn--p1ai")
	require.NoError(t, err)
	require.Equal(t, "пример.рф", got)
}
