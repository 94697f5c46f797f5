package ticket_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/ticket"
)

var (
	bob   = ticket.Requester{ID: "cust-2", Name: "Bob Roe", Email: "bob@example.com"}
	bobAc = ticket.Actor{Kind: ticket.ActorCustomer, ID: "cust-2", Name: "Bob Roe"}
)

// requireKeyReuse checks that err is a *KeyReuseError wrapping ErrConflict whose text holds
// none of secrets.
func requireKeyReuse(t *testing.T, err error, secrets ...string) {
	t.Helper()
	require.ErrorIs(t, err, ticket.ErrConflict)
	var kr *ticket.KeyReuseError
	require.ErrorAs(t, err, &kr)
	for _, s := range secrets {
		assert.NotContains(t, err.Error(), s)
	}
}

// TestCommentKeyOfAnInternalNoteIsNotAReplysDuplicate guards fault 1: a customer's public
// reply whose key equals an agent's internal note's key was dropped with a nil error and the
// call returned the note (body, author) to the customer's caller.
func TestCommentKeyOfAnInternalNoteIsNotAReplysDuplicate(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	note := ticket.NewComment{Body: "Customer owes us 3 invoices.", Key: "k-1"}
	n, err := b.svc.Comment(ctx, agent, tk.ID, note)
	require.NoError(t, err)

	reply := ticket.NewComment{Public: true, Body: "Any news?", Key: "k-1"}
	got, err := b.svc.Comment(ctx, annAc, tk.ID, reply)
	requireKeyReuse(t, err, note.Body, agent.ID, agent.Name, n.ID.String())
	assert.Zero(t, got, "nothing of the note comes back")

	// Same author, other visibility; same author and visibility, other body.
	_, err = b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Public: true, Body: note.Body, Key: "k-1"})
	requireKeyReuse(t, err, note.Body)
	_, err = b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "Something else.", Key: "k-1"})
	requireKeyReuse(t, err, note.Body)
	// Another agent with the same words.
	other := ticket.Actor{Kind: ticket.ActorAgent, ID: "agent-8", Name: "Alex"}
	_, err = b.svc.Comment(ctx, other, tk.ID, ticket.NewComment{Body: note.Body, Key: "k-1"})
	requireKeyReuse(t, err)

	again, err := b.svc.Comment(ctx, agent, tk.ID, note)
	require.NoError(t, err, "a true redelivery")
	assert.Equal(t, n, again)
	cs, err := b.svc.Comments(ctx, tk.ID)
	require.NoError(t, err)
	assert.Len(t, cs, 2, "the description and the note; nothing else was added")
	now, err := b.svc.Get(ctx, tk.ID)
	require.NoError(t, err)
	assert.Equal(t, ticket.StatusNew, now.Status, "the refused reply changed nothing")
}

// TestReceiveWithANotesKeyIsAConflict guards fault 1 through Receive: an email whose
// Message-ID equals an internal note's key was dropped and the ticket returned as if filed.
func TestReceiveWithANotesKeyIsAConflict(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	_, err := b.svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "VIP, handle with care.", Key: "<m9@example.com>"})
	require.NoError(t, err)
	got, err := b.svc.Receive(ctx, ticket.Inbound{Key: "<m9@example.com>", From: ann, Subject: "Re: [" + tk.Number + "] Printer", Body: "Still broken."})
	requireKeyReuse(t, err, "VIP")
	assert.Zero(t, got)
}

// TestCreateKeyIsScopedToTheRequester guards fault 2: Bob's Create with a key Alice had used
// returned Alice's ticket (subject, email, number) and stored nothing of Bob's request.
func TestCreateKeyIsScopedToTheRequester(t *testing.T) {
	b := setup(t, ticket.Config{})
	alice := b.create(t, ticket.NewTicket{Key: "form-1", Subject: "My salary slip", Description: "Private."})

	bobs, err := b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Printer", Description: "Jams.", Requester: bob})
	require.NoError(t, err)
	assert.NotEqual(t, alice.ID, bobs.ID, "Bob gets a ticket of his own")
	assert.Equal(t, bob, bobs.Requester)
	assert.Equal(t, "Printer", bobs.Subject)

	// By email only: the scope is the address, compared case-insensitively.
	byMail := ticket.Requester{Email: "Carol@Example.com"}
	c1, err := b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Wi-Fi", Requester: byMail})
	require.NoError(t, err)
	c2, err := b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Wi-Fi", Requester: byMail})
	require.NoError(t, err)
	assert.Equal(t, c1.ID, c2.ID)
	_, err = b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Wi-Fi", Requester: ticket.Requester{Email: "carol@example.com"}})
	requireKeyReuse(t, err) // the same scope, another payload (the address as written)
	assert.NotContains(t, []string{alice.ID.String(), bobs.ID.String()}, c1.ID.String())

	again, err := b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Printer", Description: "Jams.", Requester: bob})
	require.NoError(t, err)
	assert.Equal(t, bobs, again, "the same requester, key and payload: the first ticket")

	other, err := b.svc.Create(ctx, ticket.NewTicket{Key: "form-1", Subject: "Printer", Description: "Smokes.", Requester: bob})
	requireKeyReuse(t, err, "Jams", bobs.Number, bobs.ID.String())
	assert.Zero(t, other)

	page, err := b.svc.List(ctx, ticket.Query{})
	require.NoError(t, err)
	assert.Len(t, page.Tickets, 3)
}

// TestReceiveRedeliveryWithAnotherBodyIsAConflict guards the payload check on Receive's
// creation path: one Message-ID with another body is not the same email.
func TestReceiveRedeliveryWithAnotherBodyIsAConflict(t *testing.T) {
	b := setup(t, ticket.Config{})
	m := ticket.Inbound{Key: "<m1@example.com>", From: ann, Subject: "Printer", Body: "It jams."}
	first, err := b.svc.Receive(ctx, m)
	require.NoError(t, err)
	again, err := b.svc.Receive(ctx, m)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	m.Body = "It smokes."
	_, err = b.svc.Receive(ctx, m)
	requireKeyReuse(t, err, "jams")
	m.From = bob
	bobs, err := b.svc.Receive(ctx, m)
	require.NoError(t, err, "another sender's Message-ID scope is his own")
	assert.Equal(t, bob, bobs.Requester)
}

// TestFollowUpKeyReusedByAnotherReplyIsAConflict guards the follow-up's internal key: a
// second reply with the first reply's key to the same closed ticket, by someone else or with
// other words, must not be handed the first reply's follow-up.
func TestFollowUpKeyReusedByAnotherReplyIsAConflict(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{Assignee: "agent-7", Status: ticket.StatusSolved})
	_, err := b.svc.Close(ctx, agent, tk.ID)
	require.NoError(t, err)
	first, err := b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "It is back.", Key: "r-1"})
	require.NoError(t, err)
	got, err := b.svc.Comment(ctx, bobAc, tk.ID, ticket.NewComment{Public: true, Body: "Me too.", Key: "r-1"})
	requireKeyReuse(t, err, "It is back", first.TicketID.String())
	assert.Zero(t, got)
	_, err = b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "Other words.", Key: "r-1"})
	requireKeyReuse(t, err, "It is back")
	var kr *ticket.KeyReuseError
	require.ErrorAs(t, err, &kr)
	assert.Equal(t, "comment", kr.What)
	again, err := b.svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "It is back.", Key: "r-1"})
	require.NoError(t, err)
	assert.Equal(t, first, again)
}

// TestKeyReuseIsNotRetried guards the retry loop: a reused comment key is not a lost race,
// so it is returned at once instead of after MaxRetries waits.
func TestKeyReuseIsNotRetried(t *testing.T) {
	store := &countingStore{MemoryStore: ticket.NewMemoryStore()}
	svc, err := ticket.NewService(store, ticket.Config{MaxRetries: 1000})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "s", Requester: ann})
	require.NoError(t, err)
	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "note", Key: "k"})
	require.NoError(t, err)
	reads := store.reads.Load()
	_, err = svc.Comment(ctx, annAc, tk.ID, ticket.NewComment{Public: true, Body: "reply", Key: "k"})
	requireKeyReuse(t, err)
	assert.Equal(t, int64(1), store.reads.Load()-reads, "one read of the ticket, no retries")
}

func TestKeyReuseErrorNamesOnlyWhatTheKeyWasFor(t *testing.T) {
	err := &ticket.KeyReuseError{What: "comment"}
	assert.Equal(t, "ticket: idempotency key already used for a different comment request", err.Error())
	assert.True(t, strings.HasPrefix(err.Error(), "ticket: "))
}

// TestCommentRedeliveryMustCarryTheSameAttachments guards the payload check of comment keys
// on attachments: the same words with other files (or none) are another comment.
func TestCommentRedeliveryMustCarryTheSameAttachments(t *testing.T) {
	b := setup(t, ticket.Config{})
	tk := b.create(t, ticket.NewTicket{})
	photo := ticket.Attachment{Name: "photo.jpg", Size: 10, ContentType: "image/jpeg", URL: "https://files.example.com/1"}
	nc := ticket.NewComment{Public: true, Body: "See attached.", Attachments: []ticket.Attachment{photo}, Key: "m-1"}
	first, err := b.svc.Comment(ctx, annAc, tk.ID, nc)
	require.NoError(t, err)
	other := photo
	other.URL = "https://files.example.com/2"
	for _, atts := range [][]ticket.Attachment{nil, {other}, {photo, photo}} {
		c := nc
		c.Attachments = atts
		_, err := b.svc.Comment(ctx, annAc, tk.ID, c)
		requireKeyReuse(t, err, "files.example.com")
	}
	again, err := b.svc.Comment(ctx, annAc, tk.ID, nc)
	require.NoError(t, err)
	assert.Equal(t, first, again)
}

// TestCreateRedeliveryMustCarryTheSameAttachments guards the creation fingerprint on
// attachments: a form resubmitted with other files is another request, while no files
// given as nil or as an empty list are the same.
func TestCreateRedeliveryMustCarryTheSameAttachments(t *testing.T) {
	b := setup(t, ticket.Config{})
	photo := ticket.Attachment{Name: "photo.jpg", Size: 10, ContentType: "image/jpeg", URL: "https://files.example.com/1"}
	nt := ticket.NewTicket{Key: "form-7", Subject: "Broken screen", Requester: ann, Attachments: []ticket.Attachment{photo}}
	first, err := b.svc.Create(ctx, nt)
	require.NoError(t, err)
	other := nt
	other.Attachments = []ticket.Attachment{photo, photo}
	_, err = b.svc.Create(ctx, other)
	requireKeyReuse(t, err, "files.example.com")
	again, err := b.svc.Create(ctx, nt)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)

	bare := ticket.NewTicket{Key: "form-8", Subject: "No files", Description: "Text only.", Requester: ann}
	a, err := b.svc.Create(ctx, bare)
	require.NoError(t, err)
	bare.Attachments = []ticket.Attachment{}
	c, err := b.svc.Create(ctx, bare)
	require.NoError(t, err, "an empty list is no files, as nil is")
	assert.Equal(t, a.ID, c.ID)
}
