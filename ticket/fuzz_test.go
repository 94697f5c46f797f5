package ticket_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// FuzzCreateValidation feeds arbitrary input to Create: it either stores a ticket whose
// fields are valid, or returns a *ValidationError / *TransitionError and stores nothing.
func FuzzCreateValidation(f *testing.F) {
	f.Add("Printer", "It jams.", "ann@example.com", "email", "incident", "high", "vip", "new")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("Re: [SUP-1]", "\xff", "not-an-email", "fax", "x", "huge", "bad\x00tag", "closed")
	f.Add("Принтер", "Не печатает", "иван@пример.рф", "chat", "question", "low", " Ｔag ", "solved")
	f.Add("a\nb", "ok", "a@b.c", "api", "task", "medium", "", "pending")
	f.Add("Tags", "", "a@b.c", "email", "question", "low", strings.Repeat("ﬃ", 64), "new")
	f.Add("Tags", "ok", "a@b.c", "email", "question", "low", strings.Repeat("ﬃ", 21)+"a", "new")
	f.Fuzz(func(t *testing.T, subject, body, email, channel, typ, impact, tag, status string) {
		store := ticket.NewMemoryStore()
		svc, err := ticket.NewService(store, ticket.Config{})
		require.NoError(t, err)
		tk, err := svc.Create(ctx, ticket.NewTicket{
			Subject: subject, Description: body, Requester: ticket.Requester{Email: email},
			Channel: ticket.Channel(channel), Type: ticket.Type(typ), Impact: ticket.Level(impact),
			Tags: []string{tag}, Status: ticket.Status(status),
		})
		page, lerr := svc.List(ctx, ticket.Query{})
		require.NoError(t, lerr)
		if err != nil {
			var ve *ticket.ValidationError
			var te *ticket.TransitionError
			require.True(t, errors.As(err, &ve) || errors.As(err, &te), "untyped error %v", err)
			require.Empty(t, page.Tickets)
			return
		}
		require.Len(t, page.Tickets, 1)
		require.True(t, tk.Channel.Valid() && tk.Type.Valid() && tk.Impact.Valid() && tk.Status.Valid())
		for _, tg := range tk.Tags {
			norm, err := ticket.NormalizeTag(tg)
			require.NoError(t, err)
			require.Equal(t, tg, norm, "stored tags are normalized")
			require.LessOrEqual(t, utf8.RuneCountInString(tg), 64, "stored tags are at most 64 characters")
		}
	})
}
