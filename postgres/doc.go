// Package postgres keeps supportkit's data in PostgreSQL: TicketStore is a ticket.Store with
// the optional ticket.Feed (the change feed) and ticket.FeedMarker, ticket.Eraser,
// ticket.MessageIndex, and the bulk readers ticket.LogReader, ticket.LogsReader and
// ticket.CommentsReader with which a restarted Desk reads a page of tickets in one round
// trip; Directory is a party.Directory of customers and organizations, ArticleStore is a
// kb.Store of knowledge-base articles, and Ledger, Lease, Roster and ClockIndex make a
// durable Desk (see below), for hosts that run several processes over one database or must
// not lose tickets when a process restarts.
//
// # Setup
//
// Migrate creates or upgrades the tables in a schema of their own (Config.Schema, default
// "supportkit"), under an advisory lock, so every process may call it at start:
//
//	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
//	...
//	if _, err := postgres.Migrate(ctx, pool, ""); err != nil { ... }
//	store, err := postgres.NewTicketStore(pool, postgres.Config{})
//	svc, err := ticket.NewService(store, ticket.Config{})
//	dir, err := postgres.NewDirectory(pool, postgres.Config{})
//	people, err := party.NewService(dir, party.Config{})
//
// The migrations are SQL files embedded in the package, numbered from 1; the schema's
// migrations table records which ran. A schema that newer code migrated gives a
// *SchemaVersionError rather than being touched. Migrate a pool before the stores use it: a
// migration that changes a column's type (migration 6 stores events as json) makes the
// statements a connection prepared before it fail once, so a pool that was in use when it
// migrated is renewed first (pgxpool.Pool.Reset).
//
// # Writes
//
// Every write is one transaction: the statements are pipelined in one batch that PostgreSQL
// runs as one implicit transaction, so an Update (tickets, comments, events and the feed's
// notification) costs one round trip and a Create two. Versions are checked in the UPDATE
// itself: a stale write fails inside the transaction and writes nothing.
//
// Cancellation: with pgx's default, a context that ends during a write closes the connection
// but does not stop the server, which may still commit the write it has received. Set
// CancelOnServer as the pool's BuildContextWatcherHandler to have the server cancel and roll
// it back.
//
// # The change feed
//
// Each event row carries the ID of the transaction that wrote it and a position; the feed is
// ordered by both, and a reader reads only below the oldest running transaction that may
// write events, so it never passes a position a running transaction can still fill (the bug
// that made event stores on PostgreSQL skip events). Every write takes a shared advisory
// lock of the schema before anything else, which tells the store's transactions from other
// applications' on the same server: those never hold the feed back. A write of the store
// held open holds the feed's readers back until it ends; it never loses them an event.
// Feed.Wait listens for the notification each write sends on commit.
//
// # The durable Desk
//
// Several Desks (supportkit.Desk) over one schema, in one process or many, act as one with
// the Desk's durable parts from this package, all in tables of migration 4:
//
//   - Ledger, the hook ledger (supportkit.Ledger): one row per hook occurrence, so that no
//     Desk calls a hook again for an occurrence any of them delivered, across restarts.
//     DoneTx records a delivery in the host's own transaction, for exactly-once delivery.
//     As a supportkit.BatchLedger it claims the warnings of one CheckClocks in one
//     statement and records them in another, committed without waiting for the disk (see
//     Ledger for what a server crash may then repeat).
//   - Lease, the dispatch lease (supportkit.Lease): one row naming the Desk that offers
//     tickets to agents, until when; it lapses Config.LeaseFor after its holder's last
//     renewal, so a crashed holder is replaced within 4/3 LeaseFor (the others try every
//     third of it).
//   - Roster, agents' presence (supportkit.Roster), reported through any Desk.
//   - ClockIndex (supportkit.ClockIndex): each Desk's next look per ticket, read by an
//     index, so that CheckClocks reads only the tickets that are due.
//
// Instants in these tables are the Desks' own clocks (the contracts take them as
// arguments, so that a simulation can drive them): the hosts' clocks must agree to well
// within Config.LeaseFor and RetryPolicy.ClaimFor. Each part passes its desktest suite.
//
// # Customers and Message-IDs
//
// Directory keeps each customer's and organization's keys (emails, phones, external IDs,
// domains) in key tables whose primary keys make a key unique within a tenant, so processes
// creating one person at once store one customer; an update locks its rows in ID order,
// checks versions and keys, and writes records and keys in one transaction. TicketStore keeps
// Message-IDs as bytes keyed by (tenant, Message-ID), so any header value is compared
// exactly and the first ticket to record one keeps it.
package postgres
