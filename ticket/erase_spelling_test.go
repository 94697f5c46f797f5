package ticket_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

// TestEraseFindsEverySpellingOfThePerson checks that erasure finds a person's name, email
// and phone however the text writes them (ё as е, full-width forms, other spaces, upper
// case, phones with dashes, slashes or non-breaking spaces), each on a ticket that holds
// nothing else of theirs, so the store's search has to find it too.
func TestEraseFindsEverySpellingOfThePerson(t *testing.T) {
	b := setup(t, ticket.Config{})
	semen := ticket.Person{
		IDs: []string{"cust-9"}, Emails: []string{"semen.elkin@example.com"},
		Names: []string{"Семён Ёлкин", "Ann Lee"}, Phones: []string{"+7 (495) 123-45-67"},
	}
	bob := ticket.Requester{ID: "cust-2", Name: "Bob", Email: "bob@example.com"}
	cases := map[string]string{
		"Звонил Семен Елкин вчера.":          "Звонил [erased] вчера.",
		"Звонил СЕМЁН  ЁЛКИН вчера.":         "Звонил [erased] вчера.",
		"Пишет ｓｅｍｅｎ．ｅｌｋｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ":      "Пишет [erased]",
		"From SEMEN.ELKIN@EXAMPLE.COM today": "From [erased] today",
		"Ａｎｎ Ｌｅｅ wrote":                      "[erased] wrote",
		"Ann\u00a0Lee wrote":                 "[erased] wrote",
		"phone 495–123–45–67 please":         "phone [erased] please",
		"phone 495\u00a0123\u00a045\u00a067": "phone [erased]",
		"phone 495/123/45/67":                "phone [erased]",
		"phone ８ ４９５ １２３４５６７":                "phone [erased]",
		"Семёнов and Annabel Leeds stay":     "Семёнов and Annabel Leeds stay",
	}
	ids := map[string]ticket.Ticket{}
	for body := range cases {
		tk, err := b.svc.Create(ctx, ticket.NewTicket{Subject: "Printer", Requester: bob, Description: "d"})
		require.NoError(t, err)
		_, err = b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: body})
		require.NoError(t, err)
		ids[body] = tk
	}
	_, err := b.svc.Erase(ctx, ticket.System, semen)
	require.NoError(t, err)
	for body, want := range cases {
		comments, err := b.svc.Comments(ctx, ids[body].ID)
		require.NoError(t, err)
		require.Len(t, comments, 2)
		assert.Equal(t, want, comments[1].Body, "%q", body)
	}
}
