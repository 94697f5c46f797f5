package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NumberFinder finds a ticket number in text; ticket.PrefixNumbers and any
// ticket.NumberGenerator satisfy it.
type NumberFinder interface {
	// Find returns the first ticket number in text, and whether there was one.
	Find(text string) (string, bool)
}

// Thread is what ties a message to a conversation.
type Thread struct {
	// MessageID is the message's own ID (without angle brackets); "" when it has none.
	MessageID string
	// Parents are the IDs of the messages it answers, nearest first: In-Reply-To, then
	// References from the newest; duplicates removed. Nil for a new conversation.
	Parents []string
	// Number is the ticket number found in the subject after its reply and forward
	// prefixes; "" when the subject names none. Only the subject is read: a number that
	// appears only in the body (quoted history, a signature) never threads.
	Number string
	// Subject is the subject without reply and forward prefixes (see CleanSubject).
	Subject string
}

// ThreadOf returns m's threading keys; numbers may be nil (no subject numbers are looked
// for).
func ThreadOf(m *Message, numbers NumberFinder) Thread {
	if m == nil {
		return Thread{}
	}
	t := Thread{MessageID: m.MessageID, Subject: CleanSubject(m.Subject)}
	for _, id := range m.InReplyTo {
		if !contains(t.Parents, id) && id != m.MessageID {
			t.Parents = append(t.Parents, id)
		}
	}
	for i := len(m.References) - 1; i >= 0; i-- {
		if id := m.References[i]; !contains(t.Parents, id) && id != m.MessageID {
			t.Parents = append(t.Parents, id)
		}
	}
	if numbers != nil {
		if n, ok := numbers.Find(t.Subject); ok {
			t.Number = n
		}
	}
	return t
}

// replyPrefixes are the reply and forward prefixes clients put before a subject, lower
// case, without the colon.
var replyPrefixes = []string{
	"re", "fw", "fwd", "aw", "wg", "sv", "vs", "antw",
	"ответ", "отв", "на", "пересл", "переслать", "пересылка",
}

// CleanSubject returns subject without its leading reply and forward prefixes, in any
// number and mix: "Re:", "RE:", "Fwd:", "FW:", "AW:", "WG:", "Ответ:", "На:", "Пересл:",
// "Отв:", and counted forms such as "Re[2]:" and "Re(3):". Tags in square brackets, such as
// a ticket's "[SUP-12]", are kept.
func CleanSubject(subject string) string {
	s := strings.TrimSpace(subject)
	for range 20 {
		next := strings.TrimSpace(cutPrefix(s))
		if next == s {
			break
		}
		s = next
	}
	return s
}

func cutPrefix(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	word := strings.ToLower(s[:i])
	if word == "" || !contains(replyPrefixes, word) {
		return s
	}
	rest := s[i:]
	if strings.HasPrefix(rest, "[") || strings.HasPrefix(rest, "(") {
		end := strings.IndexAny(rest, "])")
		if end < 0 || end > 5 || strings.Trim(rest[1:end], "0123456789") != "" {
			return s
		}
		rest = rest[end+1:]
	}
	rest = strings.TrimLeft(rest, " ")
	if strings.HasPrefix(rest, ":") {
		return rest[1:]
	}
	if strings.HasPrefix(rest, "：") {
		return rest[len("："):]
	}
	return s
}
