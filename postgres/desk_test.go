package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/party"
	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// openDesk opens a Desk, its Directory and its ticket store on the schema of s, as a process
// starting over an existing database does.
func openDesk(t *testing.T, s setup, now func() time.Time) (*supportkit.Desk, *party.Service, *postgres.TicketStore) {
	t.Helper()
	store, err := postgres.NewTicketStore(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	dir, err := postgres.NewDirectory(s.pool, postgres.Config{Schema: s.schema})
	require.NoError(t, err)
	people, err := party.NewService(dir, party.Config{Now: now})
	require.NoError(t, err)
	desk, err := supportkit.New(supportkit.Config{Store: store, Directory: people, Now: now})
	require.NoError(t, err)
	return desk, people, store
}

// A Desk on PostgreSQL with a Directory: senders are filed under Directory customers, a reply
// whose subject lost the number threads by References through the store's Message-ID index,
// a process started later reads the history of a merged customer from the Directory, and
// erasing the customer leaves no trace in any table.
func TestADeskRunsOnPostgreSQLWithADirectoryAndAMessageIndex(t *testing.T) {
	ctx := context.Background()
	s := newSetup(t, nil)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return at }
	desk, people, _ := openDesk(t, s, now)
	acme, err := people.CreateOrganization(ctx, party.NewOrganization{Name: "Acme", Domains: []string{"acme.com"}})
	require.NoError(t, err)

	first, err := desk.Receive(ctx, ticket.Inbound{Key: "m1@mail.acme.com", Subject: "VPN is down",
		Body: "Since this morning.", From: ticket.Requester{Name: "Bob Stone", Email: "Bob@Acme.com"}})
	require.NoError(t, err)
	bob, err := people.FindByEmail(ctx, "", "bob@acme.com")
	require.NoError(t, err)
	assert.Equal(t, bob.ID.String(), first.Requester.ID, "the sender is filed under a Directory customer")
	assert.Equal(t, acme.ID.String(), first.Requester.Organization, "who joined Acme by the domain")

	at = at.Add(time.Hour)
	reply, err := desk.Receive(ctx, ticket.Inbound{Key: "m2@mail.acme.com", Subject: "Re: still broken",
		Body: "Still down.", From: ticket.Requester{Email: "bob@acme.com"},
		References: []string{"unknown@elsewhere.example", "m1@mail.acme.com"}})
	require.NoError(t, err)
	assert.Equal(t, first.ID, reply.ID, "a reply whose subject lost the number threads by References")
	comments, err := desk.Tickets().Comments(ctx, first.ID)
	require.NoError(t, err)
	assert.Len(t, comments, 2)

	at = at.Add(time.Hour)
	other, err := desk.Receive(ctx, ticket.Inbound{Key: "h1@home.example", Subject: "Invoice",
		Body: "Where is it?", From: ticket.Requester{Email: "bob@home.example"}})
	require.NoError(t, err)
	require.NotEqual(t, bob.ID.String(), other.Requester.ID, "another address is another customer until merged")
	absorbed, err := uuid.Parse(other.Requester.ID)
	require.NoError(t, err)
	_, err = people.Merge(ctx, "", bob.ID, absorbed)
	require.NoError(t, err)

	// A process started afterwards reads everything from the database.
	desk, _, store := openDesk(t, s, now)
	byReply, err := store.TicketByMessageID(ctx, "", "m2@mail.acme.com")
	require.NoError(t, err)
	assert.Equal(t, first.ID, byReply.ID, "the reply's own Message-ID is recorded for later replies")
	history, err := desk.History(ctx, bob.ID)
	require.NoError(t, err)
	var ids []uuid.UUID
	for _, tk := range history {
		ids = append(ids, tk.ID)
	}
	assert.Equal(t, []uuid.UUID{other.ID, first.ID}, ids, "the history follows the merge the Directory stored")
	_, err = desk.History(ctx, uuid.Must(uuid.NewV7()))
	assert.ErrorIs(t, err, party.ErrNotFound)

	traces := func(text string) int {
		var rows int
		err := s.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM `+s.schema+`.tickets WHERE lower(data::text) LIKE '%' || $1 || '%')
			+ (SELECT count(*) FROM `+s.schema+`.comments WHERE lower(data::text) LIKE '%' || $1 || '%')
			+ (SELECT count(*) FROM `+s.schema+`.events WHERE lower(data::text) LIKE '%' || $1 || '%')
			+ (SELECT count(*) FROM `+s.schema+`.customers WHERE lower(data::text) LIKE '%' || $1 || '%')
			+ (SELECT count(*) FROM `+s.schema+`.customer_keys WHERE lower(value) LIKE '%' || $1 || '%')`, text).Scan(&rows)
		require.NoError(t, err)
		return rows
	}
	persons := []string{"bob@acme.com", "bob@home.example", "bob stone"}
	for _, text := range persons {
		require.NotZero(t, traces(text), "%q is stored before the erasure", text)
	}
	report, err := desk.EraseCustomer(ctx, ticket.Actor{Kind: ticket.ActorAgent, ID: "dpo"}, bob.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, report.Tickets)
	for _, text := range persons {
		assert.Zero(t, traces(text), "rows holding %q after the erasure", text)
	}
	_, created, err := people.CreateCustomer(ctx, party.NewCustomer{Emails: []string{"bob@acme.com"}})
	require.NoError(t, err)
	assert.True(t, created, "an erased customer's address is free again")
}
