package party_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

// A calling code that is not 1 to 3 digits is refused, as NewService refuses it, rather
// than pasted into a result that is not "+" and digits.
func TestNormalizePhoneRefusesBadCallingCodes(t *testing.T) {
	for _, code := range []string{"\x00", "+7", "0", "07", "1234", "4 4", "x", "٤٤", "７"} {
		_, err := party.NormalizePhone("020 7946 0018", code)
		require.ErrorIs(t, err, party.ErrInvalid, "%q", code)
		_, err = party.NewService(nil, party.Config{CallingCode: code})
		require.ErrorIs(t, err, party.ErrInvalid, "NewService agrees on %q", code)
	}
	got, err := party.NormalizePhone("020 7946 0018", "44")
	require.NoError(t, err)
	require.Equal(t, "+442079460018", got)
}
