package email_test

import (
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/email"
)

// A pending reminder in Russian: the plural form follows the number of days.
func ExampleRenderer() {
	r, err := email.NewRenderer(email.RendererConfig{
		From:  email.Address{Name: "Служба поддержки", Address: "support@desk.example"},
		Now:   func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) },
		NewID: func() string { return "r1" },
	})
	if err != nil {
		panic(err)
	}
	for _, days := range []int{1, 3, 5} {
		out, err := r.Render(email.Notice{
			Kind: email.NoticeReminder, Language: language.Russian, Number: "SUP-7", Subject: "VPN",
			To: []email.Address{{Address: "ivan@example.ru"}}, Customer: "Иван", Days: days,
		})
		if err != nil {
			panic(err)
		}
		if days == 1 {
			fmt.Println(out.Subject, "|", out.AutoSubmitted, "|", out.MessageID)
		}
		fmt.Println(out.Text[len("Здравствуйте, Иван!\n\n") : len(out.Text)-len("Если вопрос решён, отвечать не нужно: обращение закроется само.\n")-1])
	}
	// Output:
	// [SUP-7] Ждём вашего ответа: VPN | auto-generated | sk.r1@desk.example
	// Мы ждём вашего ответа по обращению SUP-7 уже 1 день.
	// Мы ждём вашего ответа по обращению SUP-7 уже 3 дня.
	// Мы ждём вашего ответа по обращению SUP-7 уже 5 дней.
}

// The guard lets a few acknowledgements a window reach one address, and none to robots.
func ExampleGuard() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	g, err := email.NewGuard(email.GuardConfig{MaxPerWindow: 2, Own: []string{"support@desk.example"}, Now: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}
	fmt.Println(g.Allow("ann@example.com", email.KindPersonal))
	fmt.Println(g.Allow("ann@example.com", email.KindPersonal))
	fmt.Println(g.Allow("ann@example.com", email.KindPersonal))
	fmt.Println(g.Allow("bob@example.com", email.KindOutOfOffice))
	fmt.Println(g.Allow("support@desk.example", email.KindPersonal))
	now = now.Add(time.Hour)
	fmt.Println(g.Allow("ann@example.com", email.KindPersonal))
	// Output:
	// <nil>
	// <nil>
	// email: automatic reply refused: flood
	// email: automatic reply refused: automatic mail
	// email: automatic reply refused: own address
	// <nil>
}

// Stripping keeps only the new lines of an interleaved reply.
func ExampleStripText() {
	fmt.Println(email.StripText(`On Mon, Mar 2, 2026 at 10:15 AM Support <support@desk.example> wrote:
> Which Windows version do you use?

Windows 11.

> Does it happen on other PCs?

Only on mine.

--
Ann`))
	// Output:
	// Windows 11.
	//
	// Only on mine.
}
