package party_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/party"
)

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Ann@Example.COM":            "ann@example.com",
		"  ann@example.com  ":        "ann@example.com",
		"ann+billing@example.com":    "ann+billing@example.com",
		"ann@example.com.":           "ann@example.com",
		"Анна@ПРИМЕР.РФ":             "анна@пример.рф",
		"anna@xn--e1afmkfd.xn--p1ai": "anna@пример.рф",
		"anna@XN--E1AFMKFD.xn--p1ai": "anna@пример.рф",
		"ａｎｎａ@example。com":           "anna@example.com",
		"Straße@bücher.de":           "strasse@bücher.de",
		"anna@ｘｎ－－e1afmkfd.рф":       "anna@пример.рф",
		"x@xn--xn--a-.com":           "",
		"x@xn--abc.com":              "",
		"user@xn--bcher-kva.de":      "user@bücher.de",
		"o'brien@example.co.uk":      "o'brien@example.co.uk",
		"\"quoted\"@example.com ":    "",
		"ann":                        "",
		"@example.com":               "",
		"ann@":                       "",
		"ann@localhost":              "",
		"ann smith@example.com":      "",
		"ann@exa mple.com":           "",
		"ann@-example.com":           "",
		"ann@example..com":           "",
		".ann@example.com":           "",
		"ann@xn--99999999999999.com": "",
		"Ann Lee <ann@example.com>":  "",
		"ann@example.com\x00":        "",
		"ann@\xff.com":               "",
	} {
		got, err := party.NormalizeEmail(in)
		if want == "" {
			var ve *party.ValidationError
			assert.True(t, errors.As(err, &ve), "%q: %v", in, err)
			assert.ErrorIs(t, err, party.ErrInvalid, in)
			continue
		}
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	for _, c := range []struct{ in, code, want string }{
		{"+7 (495) 123-45-67", "", "+74951234567"},
		{"+7 (495) 123-45-67", "7", "+74951234567"},
		{"8 (495) 123-45-67", "7", "+74951234567"},
		{"84951234567", "7", "+74951234567"},
		{"7 495 123 45 67", "7", "+74951234567"},
		{"(495) 123-45-67", "7", "+74951234567"},
		{"8-800-555-35-35", "7", "+78005553535"},
		{"00 7 495 123 45 67", "", "+74951234567"},
		{"+４９ ３０ １２３４５６７", "", "+49301234567"},
		{"020 7946 0018", "44", "+442079460018"},
		{"+44 20 7946 0018", "7", "+442079460018"},
		{"030/1234567", "49", "+49301234567"},
		{"84951234567", "", ""},   // national number without a calling code
		{"8 495 123 45", "7", ""}, // too short for Russia
		{"+7 495 123 45 67 ext 5", "", ""},
		{"+1234", "", ""},             // too short
		{"+1234567890123456", "", ""}, // longer than E.164
		{"+0 495 123 45 67", "", ""},
		{"+7 495 12+3", "", ""},
		{"", "7", ""},
	} {
		got, err := party.NormalizePhone(c.in, c.code)
		if c.want == "" {
			assert.ErrorIs(t, err, party.ErrInvalid, c.in)
			continue
		}
		if assert.NoError(t, err, c.in) {
			assert.Equal(t, c.want, got, c.in)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	got, err := party.NormalizeDomain("XN--E1AFMKFD.xn--P1AI.")
	assert.NoError(t, err)
	assert.Equal(t, "пример.рф", got)
	for _, bad := range []string{"", "com", "a..com", "-a.com", "a_b.com", "xn--.com"} {
		_, err := party.NormalizeDomain(bad)
		assert.ErrorIs(t, err, party.ErrInvalid, bad)
	}
}

func TestNewServiceRefusesABadCallingCode(t *testing.T) {
	for _, code := range []string{"+7", "0", "1234", "7a"} {
		_, err := party.NewService(nil, party.Config{CallingCode: code})
		assert.ErrorIs(t, err, party.ErrInvalid, code)
	}
	_, err := party.NewService(nil, party.Config{CallingCode: "44"})
	assert.NoError(t, err)
}
