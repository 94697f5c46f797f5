package party

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

const (
	maxEmailBytes  = 254 // RFC 5321's limit on a forward path, in bytes
	maxLocalBytes  = 64  // RFC 5321's limit on a local part
	maxLabelBytes  = 63  // a DNS label
	minPhoneDigits = 7   // the shortest subscriber numbers with a country code
	maxPhoneDigits = 15  // E.164
)

var (
	folder = cases.Fold()
	// fullStops are the dots IDNA reads as label separators.
	fullStops = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".")
)

// fold returns s in the form two strings that differ only in Unicode compatibility
// forms or case share: NFKC, case folded, NFKC again (folding may denormalize). ASCII
// text is its own NFKC form, and folds as it lower-cases.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	return norm.NFKC.String(folder.String(norm.NFKC.String(s)))
}

// NormalizeEmail returns the form in which two addresses of one mailbox compare equal, or
// a *ValidationError (ErrInvalid) for something that is not a bare address
// ("ann@example.com", no display name or angle brackets).
//
// Both parts are NFKC-normalized and case-folded: "Ann@Example.COM" and "ann@example.com"
// are one customer, as every help desk treats them, though RFC 5321 lets a server tell
// local parts apart by case. The domain is kept in Unicode: a label written in Punycode
// ("xn--e1afmkfd") is decoded, and the ideographic and full-width full stops separate labels,
// so "anna@xn--e1afmkfd.xn--p1ai" and "Anna@ПРИМЕР.РФ" are both "anna@пример.рф". Dots and
// "+tags" in the local part are kept: only the mail provider knows whether they matter.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", invalid("email", "not an email address: no @")
	}
	local, err := normalizeLocal(s[:at])
	if err != nil {
		return "", err
	}
	domain, err := NormalizeDomain(s[at+1:])
	if err != nil {
		return "", invalid("email", "domain: "+err.(*ValidationError).Reason)
	}
	email := local + "@" + domain
	if len(email) > maxEmailBytes {
		return "", invalid("email", "longer than 254 bytes")
	}
	return email, nil
}

func normalizeLocal(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", invalid("email", "not valid UTF-8")
	}
	s = fold(s)
	switch {
	case s == "":
		return "", invalid("email", "empty local part")
	case len(s) > maxLocalBytes:
		return "", invalid("email", "local part longer than 64 bytes")
	case strings.HasPrefix(s, ".") || strings.HasSuffix(s, ".") || strings.Contains(s, ".."):
		return "", invalid("email", "misplaced dot in the local part")
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`"(),:;<>@[\]`, r) {
			return "", invalid("email", "the local part holds "+runeName(r))
		}
	}
	return s, nil
}

// NormalizeDomain returns a domain name in the form two spellings of it compare equal:
// labels separated by ".", each NFKC-normalized and case-folded, then decoded from
// Punycode when it starts with "xn--" (and folded again); a final dot is dropped. It returns a *ValidationError
// (ErrInvalid) for a name with fewer than two labels, an empty or over-long label, a label
// starting or ending with "-", an "xn--" label that is not Punycode of a non-ASCII name, or a character other than a letter, digit, mark or "-".
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", invalid("domain", "not valid UTF-8")
	}
	s = fullStops.Replace(s)
	s = strings.TrimSuffix(s, ".")
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return "", invalid("domain", "needs at least two labels, as in example.com")
	}
	for i, l := range labels {
		l, err := normalizeLabel(l)
		if err != nil {
			return "", err
		}
		labels[i] = l
	}
	return strings.Join(labels, "."), nil
}

func normalizeLabel(l string) (string, error) {
	l = fold(l)
	if rest, ok := strings.CutPrefix(l, "xn--"); ok {
		if len(l) > maxLabelBytes { // checked before decoding, which takes time quadratic in the length
			return "", invalid("domain", "a label is longer than 63 bytes")
		}
		u, ok := decodePunycode(rest)
		if !ok || isASCII(u) {
			return "", invalid("domain", "a label is not valid Punycode")
		}
		l = fold(u)
	}
	switch {
	case l == "":
		return "", invalid("domain", "empty label")
	case len(l) > maxLabelBytes:
		return "", invalid("domain", "a label is longer than 63 bytes")
	case strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-"):
		return "", invalid("domain", "a label starts or ends with -")
	}
	for _, r := range l {
		if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			return "", invalid("domain", "a label holds "+runeName(r))
		}
	}
	return l, nil
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// EmailDomain returns the normalized domain of a normalized email address.
func EmailDomain(email string) string {
	return email[strings.LastIndexByte(email, '@')+1:]
}

func runeName(r rune) string {
	if unicode.IsPrint(r) && !unicode.IsSpace(r) {
		return "the character " + string(r)
	}
	return "a space or control character"
}

// NormalizePhone returns a phone number as "+" and its digits, country code first (E.164,
// "+74951234567"), or a *ValidationError (ErrInvalid).
//
// Spaces, "-", ".", "/", "(" and ")" are dropped, full-width digits read as digits; any
// other character (letters, an extension) is refused. A number starting with "+" or with
// the international prefix "00" already carries its country code. Any other number is
// national and takes callingCode (the country calling code without "+", such as "7" or
// "44"); a national number with an empty callingCode is refused, since no country can be
// assumed, and so is one with a callingCode that is not 1 to 3 digits (the first not 0).
// The trunk prefix is dropped: for callingCode "7" (Russia and Kazakhstan), an
// 11-digit national number starting with 8 (or 7, as people also write) loses that digit
// and the rest must be 10 digits, so "8 (495) 123-45-67", "+7 (495) 123-45-67" and
// "(495) 123-45-67" are all "+74951234567"; for any other code one leading 0 is dropped
// ("020 7946 0018" with "44" is "+442079460018"). The result has 7 to 15 digits.
func NormalizePhone(s, callingCode string) (string, error) {
	digits, international, err := phoneDigits(s)
	if err != nil {
		return "", err
	}
	if !international {
		if digits, err = nationalToInternational(digits, callingCode); err != nil {
			return "", err
		}
	}
	if len(digits) < minPhoneDigits || len(digits) > maxPhoneDigits {
		return "", invalid("phone", "needs 7 to 15 digits with the country code")
	}
	if digits[0] == '0' {
		return "", invalid("phone", "a country code never starts with 0")
	}
	return "+" + digits, nil
}

// phoneDigits returns the digits of s and whether it was written with its country code.
func phoneDigits(s string) (digits string, international bool, err error) {
	s = norm.NFKC.String(strings.TrimSpace(s))
	if rest, ok := strings.CutPrefix(s, "+"); ok {
		s, international = rest, true
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" -./()", r):
		default:
			return "", false, invalid("phone", "holds "+runeName(r))
		}
	}
	digits = b.String()
	if rest, ok := strings.CutPrefix(digits, "00"); ok && !international {
		digits, international = rest, true
	}
	return digits, international, nil
}

func nationalToInternational(digits, callingCode string) (string, error) {
	if callingCode == "" {
		return "", invalid("phone", "a number without a country code needs Config.CallingCode")
	}
	if !goodCallingCode(callingCode) {
		return "", invalid("calling_code", "1 to 3 digits, not starting with 0")
	}
	if callingCode == "7" {
		if len(digits) == 11 && (digits[0] == '8' || digits[0] == '7') {
			digits = digits[1:]
		}
		if len(digits) != 10 {
			return "", invalid("phone", "a Russian national number has 10 digits after 8")
		}
		return callingCode + digits, nil
	}
	return callingCode + strings.TrimPrefix(digits, "0"), nil
}

// goodCallingCode reports whether code is a country calling code: 1 to 3 digits, the first
// not 0.
func goodCallingCode(code string) bool {
	return code != "" && len(code) <= 3 && strings.Trim(code, "0123456789") == "" && code[0] != '0'
}

// decodePunycode decodes the part of a label after "xn--" (RFC 3492); ok is false for
// input that is not valid Punycode.
func decodePunycode(s string) (string, bool) {
	const (
		base, tmin, tmax = 36, 1, 26
		maxInt           = 1<<31 - 1
	)
	var out []rune
	if b := strings.LastIndexByte(s, '-'); b >= 0 {
		for _, c := range s[:b] {
			if c >= utf8.RuneSelf {
				return "", false
			}
			out = append(out, c)
		}
		s = s[b+1:]
	}
	n, i, bias := 128, 0, 72
	for pos := 0; pos < len(s); {
		oldi, w := i, 1
		for k := base; ; k += base {
			if pos >= len(s) {
				return "", false
			}
			digit := punyDigit(s[pos])
			pos++
			if digit < 0 || digit > (maxInt-i)/w {
				return "", false
			}
			i += digit * w
			t := min(max(k-bias, tmin), tmax)
			if digit < t {
				break
			}
			if w > maxInt/(base-t) {
				return "", false
			}
			w *= base - t
		}
		size := len(out) + 1
		bias = punyAdapt(i-oldi, size, oldi == 0)
		if i/size > maxInt-n {
			return "", false
		}
		n += i / size
		i %= size
		if n > unicode.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
			return "", false
		}
		out = append(out[:i], append([]rune{rune(n)}, out[i:]...)...)
		i++
	}
	return string(out), true
}

func punyDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c-'0') + 26
	case c >= 'a' && c <= 'z':
		return int(c - 'a')
	case c >= 'A' && c <= 'Z':
		return int(c - 'A')
	}
	return -1
}

func punyAdapt(delta, points int, first bool) int {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	if first {
		delta /= damp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (base-tmin)*tmax/2 {
		delta /= base - tmin
		k += base
	}
	return k + (base-tmin+1)*delta/(delta+skew)
}
