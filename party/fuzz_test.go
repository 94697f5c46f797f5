package party_test

import (
	"testing"

	"github.com/supportkit/supportkit/party"
)

// A normalized value is its own normal form: storing it and looking it up again, however
// often, finds the same record. Normalizing never panics, whatever the input.
func FuzzNormalizeIsIdempotent(f *testing.F) {
	for _, s := range []string{"Ann@Example.COM", "anna@xn--e1afmkfd.xn--p1ai", "ａｎｎａ@пример。рф",
		"Straße@bücher.de", "8 (495) 123-45-67", "+44 20 7946 0018", "x@xn--xn--a-.com", "\xff@a.b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if email, err := party.NormalizeEmail(s); err == nil {
			again, err := party.NormalizeEmail(email)
			if err != nil || again != email {
				t.Fatalf("NormalizeEmail(%q) = %q, then %q, %v", s, email, again, err)
			}
		}
		if phone, err := party.NormalizePhone(s, "7"); err == nil {
			again, err := party.NormalizePhone(phone, "7")
			if err != nil || again != phone {
				t.Fatalf("NormalizePhone(%q) = %q, then %q, %v", s, phone, again, err)
			}
		}
	})
}
