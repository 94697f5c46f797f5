package ticket_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/supportkit/supportkit/ticket"
)

// File incoming mail. The host's mail rules triage a new ticket in the same write that
// creates it, and a detector guesses the language of a sender whose language is unknown; a
// reply that names the ticket's number lands on it as a comment and leaves its triage alone.
func ExampleService_Receive() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	cyrillic := func(subject, description string) language.Tag {
		if strings.ContainsFunc(subject+description, func(r rune) bool { return r >= 'а' && r <= 'я' }) {
			return language.Russian
		}
		return language.Und
	}
	svc, err := ticket.NewService(ticket.NewMemoryStore(), ticket.Config{Now: now, DetectLanguage: cyrillic})
	if err != nil {
		panic(err)
	}
	ivan := ticket.Requester{Name: "Ivan", Email: "ivan@example.com"}
	tk, err := svc.Receive(ctx, ticket.Inbound{
		Key: "<a1@mail.example.com>", From: ivan, Subject: "Не работает VPN", Body: "Ошибка 809 на всём этаже.",
		Type: ticket.TypeIncident, Urgency: ticket.LevelHigh, Group: "network", Tags: []string{"VPN"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tk.Number, tk.Type, tk.Priority, tk.Group, tk.Tags, tk.Language, "version", tk.Version)

	tk, err = svc.Receive(ctx, ticket.Inbound{
		Key: "<a2@mail.example.com>", From: ivan, Subject: "Re: [" + tk.Number + "] Не работает VPN",
		Body: "Уже у всех.", Group: "facilities",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tk.Number, tk.Group, tk.CommentCount, "comments")
	// Output:
	// SUP-1 incident high network [vpn] ru version 1
	// SUP-1 network 2 comments
}
