package email_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/supportkit/supportkit/email"
)

func TestStripText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"a sentence before an unquoted attribution is kept",
			"Проверил.\nСпасибо!\n01.12.2025, 10:15, \"Служба\" <s@desk.example>:\nстарый текст", "Проверил.\nСпасибо!"},
		{"Outlook mobile in Russian",
			"Да.\n\nПолучить Outlook для iOS<https://aka.ms/o0ukef>\n________________________________\nОт: S <s@d.example>\nОтправлено: 1 декабря 2025 г. 10:15\n", "Да."},
		{"a two-line Gmail attribution",
			"Ok.\n\nOn Mon, Dec 1, 2025 at 4:02 PM Very Long Team Name <\nsupport@desk.example> wrote:\n\n> q\n", "Ok."},
		{"a quoted line in the middle is dropped, the reply around it kept",
			"See:\n> the old text\nis wrong.", "See:\nis wrong."},
		{"a colon at the end of a plain sentence is not an attribution",
			"Here are the steps I tried:\n1. restart\n2. reinstall", "Here are the steps I tried:\n1. restart\n2. reinstall"},
		{"a From: line in the text without a Sent: line is text",
			"From: the logs I see an error.\nPlease check.", "From: the logs I see an error.\nPlease check."},
		{"a person's own From: and To: lines are text",
			"Please book:\nFrom: Moscow\nTo: Paris\nOn 5 March, two seats.", "Please book:\nFrom: Moscow\nTo: Paris\nOn 5 March, two seats."},
		{"Russian ones too",
			"Нужен пропуск:\nОт: проходной 2\nКому: Иванову\nНа 5 марта.", "Нужен пропуск:\nОт: проходной 2\nКому: Иванову\nНа 5 марта."},
		{"a From: line with an address and a To: line is a header block",
			"Yes.\n\nFrom: Support <s@desk.example>\nTo: Ann\nSubject: x\n\nold", "Yes."},
		{"nothing but history", "-----Original Message-----\nFrom: a\nSent: b\n", ""},
		{"CRLF and blank runs", "a\r\n\r\n\r\n\r\nb\r\n", "a\n\nb"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, email.StripText(c.in), c.name)
	}
}

func TestCleanSubject(t *testing.T) {
	cases := map[string]string{
		"Re: Fwd: RE: hello":      "hello",
		"AW: WG: [SUP-70] Zugang": "[SUP-70] Zugang",
		"Ответ: На: Пересл: Отв: Re[3]: Привет": "Привет",
		"Re(2): x":              "x",
		"Reply needed":          "Reply needed",
		"Regarding: invoice":    "Regarding: invoice",
		"На складе: нет бумаги": "На складе: нет бумаги",
		"Re:":                   "",
	}
	for in, want := range cases {
		assert.Equal(t, want, email.CleanSubject(in), in)
	}
}
