package email_test

import (
	"fmt"
	"strings"

	"github.com/supportkit/supportkit/email"
)

// A customer's reply from Outlook in windows-1251: the subject is decoded, the ticket
// number found after the "RE:" prefix, and the new text kept without Outlook's quoted
// "Исходное сообщение".
func ExampleParse() {
	raw := strings.Join([]string{
		"From: =?windows-1251?B?zuv84+A=?= <olga@example.ru>",
		"To: support@desk.example",
		"Subject: =?windows-1251?B?UkU6IFtTVVAtMjFdIM/w6O3y5fA=?=",
		"Message-ID: <0001@example.ru>",
		"In-Reply-To: <sk.21@desk.example>",
		"Content-Type: text/plain; charset=windows-1251",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"=C2=F1=B8 =E5=F9=B8 =ED=E5 =EF=E5=F7=E0=F2=E0=E5=F2.",
		"",
		"-----=C8=F1=F5=EE=E4=ED=EE=E5 =F1=EE=EE=E1=F9=E5=ED=E8=E5-----",
		"=CE=F2: support@desk.example",
		"=CF=F0=EE=E2=E5=F0=FC=F2=E5 =EB=EE=F2=EE=EA. [SUP-99]",
		"",
	}, "\r\n")
	m, err := email.Parse([]byte(raw))
	if err != nil {
		fmt.Println(err)
		return
	}
	th := email.ThreadOf(m, numbers{})
	fmt.Println(m.From.Name, m.From.Address)
	fmt.Println(m.Subject)
	fmt.Println(email.Classify(m).Kind, th.Number, th.Parents)
	fmt.Println(email.NewText(m))
	// Output:
	// Ольга olga@example.ru
	// RE: [SUP-21] Принтер
	// personal SUP-21 [sk.21@desk.example]
	// Всё ещё не печатает.
}

// An out-of-office notice without any machine header is still automatic.
func ExampleClassify() {
	raw := "From: ivan@example.ru\r\nSubject: Re: [SUP-30] 1C\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Добрый день! Я нахожусь в отпуске до 12 декабря, с ограниченным доступом к почте.\r\n"
	m, _ := email.Parse([]byte(raw))
	c := email.Classify(m)
	fmt.Println(c.Kind, c.Kind.Automatic())
	// Output: out-of-office true
}

// numbers finds "SUP-<n>" as the desk's default ticket numbers are written.
type numbers struct{}

func (numbers) Find(text string) (string, bool) { return supNumbers{}.Find(text) }
