package party

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits on what a customer or organization holds.
const (
	MaxContacts    = 20  // emails, phones or external IDs of one customer, each
	MaxDomains     = 50  // email domains of one organization
	maxNameRunes   = 200 // a name, an external ID
	maxShortRunes  = 64  // a tenant, a segment, an external system's name
	maxFollowMerge = 64  // hops from a merged customer to its survivor
)

// checkText refuses s when it is not valid UTF-8, is longer than limit runes, or holds a
// control character; required refuses "" too. s has been trimmed by the caller if that is
// wanted.
func checkText(field, s string, limit int, required bool) error {
	switch {
	case required && s == "":
		return invalid(field, "required")
	case !utf8.ValidString(s):
		return invalid(field, "not valid UTF-8")
	case utf8.RuneCountInString(s) > limit:
		return invalid(field, "longer than "+strconv.Itoa(limit)+" characters")
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return invalid(field, "holds a control character")
	}
	return nil
}

// CheckTenant returns a *ValidationError (ErrInvalid) for a tenant name that is not valid
// UTF-8, longer than 64 characters or holds a control character; DefaultTenant ("") is
// valid.
func CheckTenant(tenant string) error { return checkText("tenant", tenant, maxShortRunes, false) }

// normalizeEmails normalizes and deduplicates emails, keeping the first spelling's place.
func normalizeEmails(field string, emails []string) ([]string, error) {
	return normalizeList(field, emails, MaxContacts, NormalizeEmail)
}

func normalizePhones(field string, phones []string, callingCode string) ([]string, error) {
	return normalizeList(field, phones, MaxContacts, func(p string) (string, error) { return NormalizePhone(p, callingCode) })
}

func normalizeDomains(field string, domains []string) ([]string, error) {
	return normalizeList(field, domains, MaxDomains, NormalizeDomain)
}

func normalizeList(field string, in []string, limit int, normalize func(string) (string, error)) ([]string, error) {
	if len(in) > limit {
		return nil, invalid(field, "at most "+strconv.Itoa(limit))
	}
	var out []string
	seen := make(map[string]bool, len(in))
	for i, s := range in {
		n, err := normalize(s)
		if err != nil {
			var ve *ValidationError
			errors.As(err, &ve)
			return nil, invalid(field+"["+strconv.Itoa(i)+"]", ve.Reason)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

func checkExternalIDs(ids map[string]string) error {
	if len(ids) > MaxContacts {
		return invalid("external_ids", "at most "+strconv.Itoa(MaxContacts))
	}
	for system, id := range ids {
		if err := checkText("external_ids", system, maxShortRunes, true); err != nil {
			return invalid("external_ids", "system name: "+err.(*ValidationError).Reason)
		}
		if err := checkText("external_ids["+system+"]", id, maxNameRunes, true); err != nil {
			return err
		}
	}
	return nil
}

func checkTimeZone(zone string) error {
	if zone == "" {
		return nil
	}
	if _, err := time.LoadLocation(zone); err != nil || zone == "Local" {
		return invalid("time_zone", "not an IANA time zone name")
	}
	return nil
}
