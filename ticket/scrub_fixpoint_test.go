package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// Erasing an address or a phone number inside a word can leave a neighbour standing as a
// whole word: the scrubbed text still holds none of the person's data, scrubs to itself, and
// a person named like the Erased marker does not make it run on.
func TestScrubLeavesNothingItWouldFindAgain(t *testing.T) {
	s, err := ticket.NewScrubber(ticket.Person{
		IDs: []string{"id-1"}, Emails: []string{"ann@example.com"}, Names: []string{"K"},
		Phones: []string{"+7 (495) 123-45-67"},
	})
	require.NoError(t, err)
	for _, text := range []string{
		"ann@example.comID-1", "k84951234567", "see ann@example.comK and 8 495 123 45 67id-1",
		"ID-1ann@example.com", "plain text",
	} {
		out := s.Scrub(text)
		require.False(t, s.Holds(out), "Scrub(%q) = %q still holds the person", text, out)
		require.Equal(t, out, s.Scrub(out))
	}
	require.Equal(t, "[erased][erased]", s.Scrub("ann@example.comID-1"))

	marker, err := ticket.NewScrubber(ticket.Person{Emails: []string{"x@example.com"}, Names: []string{"erased"}})
	require.NoError(t, err)
	require.Equal(t, "[erased] and [erased]", marker.Scrub("erased and [erased]"))
	require.False(t, marker.Holds(ticket.Erased))
}
