package email

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NewText returns what the sender wrote in m, without the quoted history and the
// signature (see StripText). A message with only an HTML body is read structurally first:
// its blockquotes, gmail_quote and Outlook's divRplyFwdMsg and what follows are left out.
// m.Text keeps the full text.
func NewText(m *Message) string {
	if m == nil {
		return ""
	}
	if m.htmlOnly {
		return StripText(htmlToText(m.HTML, true))
	}
	return StripText(m.Text)
}

// StripText removes quoted history and signatures from a plain-text reply, as mail clients
// in English and Russian write them:
//
//   - history headers cut everything after them: "-----Original Message-----" and
//     "-----Исходное сообщение-----", Outlook's "From:/Sent:" and "От:/Отправлено:" blocks
//     (with their "____" rule), forwarded-message and Apple "Begin forwarded message:"
//     lines, and an attribution ("On ... wrote:", "... написал(а):", Yandex's and
//     Mail.ru's "date, name <address>:") that no quoted lines follow;
//   - quoted lines ("> ...") are dropped with the attribution just before them, so that in
//     an interleaved reply only the new lines stay;
//   - a signature cuts the rest: the "-- " delimiter and mobile lines such as "Sent from my
//     iPhone", "Get Outlook for Android", "Отправлено с iPhone", "Отправлено из мобильной
//     Почты Mail.ru".
//
// Line ends become "\n", blank-line runs shrink to one, and the result is trimmed. It never
// returns more text than it was given.
func StripText(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	var out []string
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		t := strings.TrimSpace(line)
		if isQuoted(t) {
			dropAttribution(&out)
			continue
		}
		if cutsHistory(lines, i) || isSignature(t) {
			break
		}
		if n := attributionLines(lines, i); n > 0 {
			if next := nextNonBlank(lines, i+n); next < len(lines) && isQuoted(strings.TrimSpace(lines[next])) {
				i += n - 1
				continue
			}
			break
		}
		out = append(out, strings.TrimRightFunc(line, unicode.IsSpace))
	}
	return tidy(out)
}

func isQuoted(t string) bool { return strings.HasPrefix(t, ">") || strings.HasPrefix(t, "|>") }

func nextNonBlank(lines []string, i int) int {
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	return i
}

// dropAttribution removes the attribution line that introduced the quote now starting.
func dropAttribution(out *[]string) {
	o := *out
	j := len(o) - 1
	for j >= 0 && strings.TrimSpace(o[j]) == "" {
		j--
	}
	if j < 0 {
		return
	}
	if attributionLines(o, j) > 0 {
		*out = o[:j]
		return
	}
	if j > 0 && attributionLines(o, j-1) == 2 {
		*out = o[:j-1]
	}
}

func tidy(lines []string) string {
	var b strings.Builder
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		blank = 0
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}

// historySeparators start quoted or forwarded history; compared after trimming dashes,
// underscores, spaces and asterisks, case aside.
var historySeparators = []string{
	"original message", "исходное сообщение", "оригинальное сообщение",
	"forwarded message", "пересылаемое сообщение", "перенаправленное сообщение",
	"пересланное сообщение", "begin forwarded message:", "начало переадресованного сообщения:",
	"reply message", "ответное сообщение",
}

func cutsHistory(lines []string, i int) bool {
	raw := strings.TrimSpace(lines[i])
	if raw == "" || !strings.ContainsRune(raw, ':') && strings.IndexByte("-_=*", raw[0]) < 0 {
		return false // every separator and header block starts so or has a colon
	}
	t := strings.ToLower(strings.Trim(raw, "-_=* \t"))
	for _, s := range historySeparators {
		if t == s {
			return true
		}
	}
	if isRule(lines[i]) {
		j := nextNonBlank(lines, i+1)
		return j < len(lines) && headerBlock(lines, j)
	}
	return headerBlock(lines, i)
}

// isRule reports whether line is Outlook's long underscore rule.
func isRule(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= 20 && strings.Trim(t, "_") == ""
}

var (
	fromFields = []string{"from:", "от:", "от кого:", "von:", "de:"}
	sentFields = []string{"sent:", "date:", "отправлено:", "дата:", "gesendet:", "envoyé:"}
	toFields   = []string{"кому:", "to:"}
)

// headerBlock reports whether a quoted message's header block starts at line i: "From: ..."
// then "Sent: ..." within the next three lines, or "To: ..." when the From line holds an
// address. A person's own "From: Moscow" and "To: Paris" lines are no header block.
func headerBlock(lines []string, i int) bool {
	if !hasFieldPrefix(lines[i], fromFields) {
		return false
	}
	address := strings.Contains(lines[i], "@")
	for j := i + 1; j < len(lines) && j <= i+3; j++ {
		if hasFieldPrefix(lines[j], sentFields) || address && hasFieldPrefix(lines[j], toFields) {
			return true
		}
	}
	return false
}

func hasFieldPrefix(line string, fields []string) bool {
	t := strings.ToLower(strings.TrimLeft(strings.TrimSpace(line), "*"))
	t = strings.Replace(t, "*", "", 1)
	for _, f := range fields {
		if strings.HasPrefix(t, f) && len(t) > len(f) {
			return true
		}
	}
	return false
}

// attributionLines reports how many lines (1 or 2; 0 for none) the attribution of a quote
// starting at line i takes. Clients wrap a long attribution, so the line is also tried
// joined with the next.
func attributionLines(lines []string, i int) int {
	t := strings.TrimSpace(lines[i])
	if t == "" || utf8.RuneCountInString(t) > 300 {
		return 0
	}
	if isAttribution(t) {
		return 1
	}
	// a wrapped attribution's first half has its date or ends in the address's "<"; a
	// sentence ("Спасибо!") before an attribution is text
	if i+1 < len(lines) && !strings.ContainsAny(t[len(t)-1:], ".!?") && (strings.ContainsAny(t, "0123456789") || strings.HasSuffix(t, "<")) {
		if n := strings.TrimSpace(lines[i+1]); strings.HasSuffix(n, ":") && isAttribution(t+" "+n) {
			return 2
		}
	}
	return 0
}

var attributionVerbs = []string{
	"wrote:", "writes:", "написал:", "написала:", "написал(а):", "пишет:", "писал:", "писала:",
	"schrieb:", "a écrit :", "a écrit:", "escribió:",
}

// isAttribution reports whether t introduces a quote: "On ... wrote:", "... написал(а):",
// or a date with a sender's address ending in a colon (Yandex, Mail.ru, Gmail in Russian).
func isAttribution(t string) bool {
	if !strings.HasSuffix(t, ":") {
		return false
	}
	low := strings.ToLower(t)
	for _, v := range attributionVerbs {
		if strings.HasSuffix(low, v) {
			return true
		}
	}
	return strings.Contains(t, "@") && strings.ContainsAny(t, "0123456789") &&
		(strings.HasSuffix(t, ">:") || strings.HasSuffix(low, ".ru:") || strings.HasSuffix(low, ".com:")) &&
		utf8.RuneCountInString(t) < 200
}

// signatureStarts are lines that begin a signature, compared case aside after trimming.
var signatureStarts = []string{
	"sent from my ", "sent from mail for windows", "sent from outlook", "sent from yahoo mail",
	"sent from the all new aol app", "sent via the samsung", "get outlook for ios", "get outlook for android",
	"отправлено с iphone", "отправлено с ipad", "отправлено с моего ", "отправлено из мобильной почты mail.ru",
	"отправлено из приложения яндекс", "отправлено из яндекс", "отправлено из мобильной яндекс", "отправлено с мобильного устройства",
	"отправлено из почты для windows", "отправлено из mail.ru для", "sent from mail.ru app",
	"отправлено из mail для", "с уважением, отправлено с", "получить outlook для",
}

// signatureFirst holds the first letters of signatureStarts.
var signatureFirst = func() map[rune]bool {
	m := map[rune]bool{}
	for _, s := range signatureStarts {
		r, _ := utf8.DecodeRuneInString(s)
		m[r] = true
	}
	return m
}()

// isSignature reports whether trimmed line t starts a signature.
func isSignature(t string) bool {
	if t == "--" {
		return true
	}
	if len(t) > 80 || len(t) < 8 {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t); !signatureFirst[unicode.ToLower(r)] {
		return false // no signature line starts so: skip the lower-casing
	}
	low := strings.ToLower(t)
	for _, s := range signatureStarts {
		if strings.HasPrefix(low, s) {
			return true
		}
	}
	return false
}
