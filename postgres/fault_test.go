package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/postgres"
	"github.com/supportkit/supportkit/ticket"
)

// faults installs a trigger on the events table that, for an event whose Reason is "sleep",
// sleeps 1 second and, for "serialize", fails with a serialization failure; and one on the
// comments table that fails the first comment whose Body is "serialize-once" the same way.
// The ticket row is written before comments and events, so each fault strikes in the middle
// of a write.
func faults(t *testing.T, st setup) {
	t.Helper()
	_, err := st.pool.Exec(context.Background(), strings.ReplaceAll(`
		CREATE SEQUENCE {s}.faults_once;
		CREATE FUNCTION {s}.fault_once() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.data->>'Body' = 'serialize-once' AND nextval('{s}.faults_once') = 1 THEN
				RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'could not serialize access (injected once)';
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER fault_once BEFORE INSERT ON {s}.comments FOR EACH ROW EXECUTE FUNCTION {s}.fault_once();
		CREATE FUNCTION {s}.fault() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.data->>'Reason' = 'sleep' THEN PERFORM pg_sleep(1); END IF;
			IF NEW.data->>'Reason' = 'serialize' THEN
				RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = 'could not serialize access (injected)';
			END IF;
			RETURN NEW;
		END $$;
		CREATE TRIGGER fault BEFORE INSERT ON {s}.events FOR EACH ROW EXECUTE FUNCTION {s}.fault();`,
		"{s}", st.schema))
	require.NoError(t, err)
}

// assertNothingOf checks that nothing of c was stored, and that the store still works.
func assertNothingOf(t *testing.T, st setup, c ticket.Creation) {
	t.Helper()
	ctx := context.Background()
	_, err := st.store.Ticket(ctx, c.Ticket.ID)
	assert.ErrorIs(t, err, ticket.ErrNotFound)
	for _, table := range []string{"comments", "events"} {
		var n int
		require.NoError(t, st.pool.QueryRow(ctx, "SELECT count(*) FROM "+st.schema+"."+table+" WHERE ticket_id = $1", c.Ticket.ID).Scan(&n))
		assert.Zero(t, n, "%s of the failed write", table)
	}
	next := creation("")
	_, created, err := st.store.Create(ctx, next)
	require.NoError(t, err, "the next call works")
	assert.True(t, created)
}

func TestBackendKilledMidTransaction(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, func(c *pgxpool.Config) { c.ConnConfig.RuntimeParams["application_name"] = "sk-kill" })
	faults(t, st)
	c := creation("sleep")
	done := make(chan error, 1)
	go func() { _, _, err := st.store.Create(ctx, c); done <- err }()
	killed := false
	for deadline := time.Now().Add(5 * time.Second); !killed && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		err := st.pool.QueryRow(ctx, `SELECT coalesce(bool_or(pg_terminate_backend(pid)), false) FROM pg_stat_activity
			WHERE application_name = 'sk-kill' AND wait_event = 'PgSleep' AND datname = current_database()`).Scan(&killed)
		require.NoError(t, err)
	}
	require.True(t, killed, "found the sleeping backend")
	err := <-done
	require.ErrorIs(t, err, postgres.ErrUnavailable)
	t.Log(err)
	assertNothingOf(t, st, c)
}

// TestCancelledContext cancels a write in the middle. The pool sends a cancel request to the
// server on cancellation (pgconn.CancelRequestContextWatcherHandler), so the server stops the
// write and rolls it back; see the package doc.
func TestCancelledContext(t *testing.T) {
	st := newSetup(t, func(c *pgxpool.Config) {
		c.ConnConfig.BuildContextWatcherHandler = postgres.CancelOnServer
	})
	faults(t, st)
	c := creation("sleep")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _, err := st.store.Create(ctx, c)
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
	t.Log(err)
	time.Sleep(1500 * time.Millisecond) // long enough for an uncancelled write to have committed
	assertNothingOf(t, st, c)
}

func TestStatementTimeout(t *testing.T) {
	st := newSetup(t, func(c *pgxpool.Config) { c.ConnConfig.RuntimeParams["statement_timeout"] = "300" })
	faults(t, st)
	c := creation("sleep")
	_, _, err := st.store.Create(context.Background(), c)
	require.ErrorIs(t, err, postgres.ErrUnavailable)
	var pg *pgconn.PgError
	require.ErrorAs(t, err, &pg)
	assert.Equal(t, "57014", pg.Code)
	t.Log(err)
	assertNothingOf(t, st, c)
}

// TestSerializationFailure checks that a serialization failure wraps ticket.ErrConflict (so a
// Service retries it) and leaves nothing.
func TestSerializationFailure(t *testing.T) {
	st := newSetup(t, nil)
	faults(t, st)
	c := creation("serialize")
	_, _, err := st.store.Create(context.Background(), c)
	require.ErrorIs(t, err, ticket.ErrConflict)
	assert.Contains(t, err.Error(), "nothing was written")
	t.Log(err)
	assertNothingOf(t, st, c)
}

// TestServiceRetriesASerializationFailure checks that a Service retries a write that failed
// with a serialization failure, as it retries a stale version: the comment lands once.
func TestServiceRetriesASerializationFailure(t *testing.T) {
	ctx := context.Background()
	st := newSetup(t, nil)
	faults(t, st)
	svc, err := ticket.NewService(st.store, ticket.Config{})
	require.NoError(t, err)
	tk, err := svc.Create(ctx, ticket.NewTicket{Subject: "Printer jams", Requester: ticket.Requester{ID: "cust-1"}})
	require.NoError(t, err)
	_, err = svc.Comment(ctx, agent, tk.ID, ticket.NewComment{Body: "serialize-once"})
	require.NoError(t, err)
	comments, err := st.store.Comments(ctx, tk.ID)
	require.NoError(t, err)
	require.Len(t, comments, 1)
	assert.Equal(t, "serialize-once", comments[0].Body)
	var failures int
	require.NoError(t, st.pool.QueryRow(ctx, "SELECT last_value FROM "+st.schema+".faults_once").Scan(&failures))
	assert.Equal(t, 2, failures, "the first try failed, the second landed")
}
