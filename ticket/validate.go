package ticket

import (
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Limits on free-text inputs that have no Config field.
const (
	maxNameRunes = 200
	maxTagRunes  = 64 // after normalization
	// maxTagInputRunes bounds a tag before normalization, which never shrinks text 16-fold.
	maxTagInputRunes = 16 * maxTagRunes
	maxFieldRunes    = 4096
	maxKeyRunes      = 64
	maxTags          = 100
	maxFields        = 100
	maxAttach        = 100
)

// checkText validates a single-line text: valid UTF-8, no control characters, at most max
// runes, and not empty when required.
func checkText(field, s string, max int, required bool) error {
	if !utf8.ValidString(s) {
		return invalid(field, "not valid UTF-8")
	}
	if required && strings.TrimSpace(s) == "" {
		return invalid(field, "empty")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return invalid(field, "longer than "+strconv.Itoa(max)+" characters")
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return invalid(field, "contains control characters")
	}
	return nil
}

// checkBody validates a comment body: valid UTF-8, non-empty, at most max bytes. Line breaks
// and tabs are allowed.
func checkBody(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return invalid(field, "not valid UTF-8")
	}
	if strings.TrimSpace(s) == "" {
		return invalid(field, "empty")
	}
	if len(s) > max {
		return invalid(field, "longer than "+strconv.Itoa(max)+" bytes")
	}
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	}) {
		return invalid(field, "contains control characters")
	}
	return nil
}

func checkEmail(field, s string) error {
	if err := checkText(field, s, 254, true); err != nil {
		return err
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s, "@") {
		return invalid(field, "not an email address")
	}
	return nil
}

func checkRequester(field string, r Requester) error {
	if r.ID == "" && r.Email == "" {
		return invalid(field, "needs an ID or an email")
	}
	if err := checkText(field+".id", r.ID, maxKeyRunes*2, false); err != nil {
		return err
	}
	if err := checkText(field+".name", r.Name, maxNameRunes, false); err != nil {
		return err
	}
	if err := checkText(field+".organization", r.Organization, maxKeyRunes*2, false); err != nil {
		return err
	}
	if r.Email != "" {
		return checkEmail(field+".email", r.Email)
	}
	return nil
}

func checkActor(field string, a Actor) error {
	if !a.Kind.Valid() {
		return invalid(field+".kind", "unknown actor kind "+strconv.Quote(string(a.Kind)))
	}
	if err := checkText(field+".id", a.ID, maxKeyRunes*2, false); err != nil {
		return err
	}
	return checkText(field+".name", a.Name, maxNameRunes, false)
}

func checkAttachments(field string, as []Attachment) error {
	if len(as) > maxAttach {
		return invalid(field, "more than "+strconv.Itoa(maxAttach)+" attachments")
	}
	for i, a := range as {
		f := field + "[" + strconv.Itoa(i) + "]"
		if err := checkText(f+".name", a.Name, 255, true); err != nil {
			return err
		}
		if a.Size < 0 {
			return invalid(f+".size", "negative")
		}
		if err := checkText(f+".content_type", a.ContentType, 255, false); err != nil {
			return err
		}
		if err := checkText(f+".url", a.URL, 2048, false); err != nil {
			return err
		}
	}
	return nil
}

var folder = cases.Fold()

// NormalizeTag returns tag trimmed, NFKC-normalized and case-folded, or a *ValidationError
// when it is empty, not UTF-8, holds control characters or spaces inside, or is longer than
// 64 characters once normalized (the limit applies to the result: "ﬃ" counts as the three
// characters "ffi" it becomes).
func NormalizeTag(tag string) (string, error) {
	// Normalizing can grow and shrink text; input far beyond any acceptable result is refused
	// before doing the work.
	if utf8.RuneCountInString(tag) > maxTagInputRunes {
		return "", invalid("tag", "longer than "+strconv.Itoa(maxTagRunes)+" characters")
	}
	if err := checkText("tag", tag, maxTagInputRunes, true); err != nil {
		return "", err
	}
	t := norm.NFKC.String(folder.String(norm.NFKC.String(strings.TrimSpace(tag))))
	if utf8.RuneCountInString(t) > maxTagRunes {
		return "", invalid("tag", "longer than "+strconv.Itoa(maxTagRunes)+" characters once normalized")
	}
	if strings.ContainsFunc(t, unicode.IsSpace) {
		return "", invalid("tag", "contains spaces")
	}
	return t, nil
}

// normalizeTags normalizes, deduplicates and sorts tags; no tags give nil.
func normalizeTags(field string, tags []string) ([]string, error) {
	if len(tags) > maxTags {
		return nil, invalid(field, "more than "+strconv.Itoa(maxTags)+" tags")
	}
	out := make([]string, 0, len(tags))
	for i, tag := range tags {
		t, err := NormalizeTag(tag)
		if err != nil {
			return nil, invalid(field+"["+strconv.Itoa(i)+"]", err.(*ValidationError).Reason)
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, nil
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// reservedFields are the built-in names EventFieldChanged uses; custom fields cannot take them.
var reservedFields = map[string]bool{"subject": true, "type": true, "impact": true, "urgency": true, "language": true, "problem": true}

func checkFields(field string, fields map[string]string) error {
	if len(fields) > maxFields {
		return invalid(field, "more than "+strconv.Itoa(maxFields)+" fields")
	}
	for k, v := range fields {
		if err := checkText(field+" name", k, maxKeyRunes, true); err != nil {
			return err
		}
		if reservedFields[k] {
			return invalid(field+" name", quote(k)+" is a built-in field")
		}
		if err := checkText(field+"["+k+"]", v, maxFieldRunes, false); err != nil {
			return err
		}
	}
	return nil
}

// checkTotals refuses a ticket that changes have left with more tags or custom fields than
// one request may carry: the per-request limits alone would let repeated changes grow a
// ticket, and every copy and event of it, without bound.
func checkTotals(t *Ticket) error {
	if len(t.Tags) > maxTags {
		return invalid("tags", "a ticket holds at most "+strconv.Itoa(maxTags)+" tags")
	}
	if len(t.Fields) > maxFields {
		return invalid("fields", "a ticket holds at most "+strconv.Itoa(maxFields)+" fields")
	}
	return nil
}

func requesterMatches(r Requester, key string) bool {
	return r.ID == key || (r.Email != "" && strings.EqualFold(r.Email, key))
}
