package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	"github.com/supportkit/supportkit/ticket"
)

var (
	// ErrInvalid is wrapped by errors about a bad Config or argument.
	ErrInvalid = errors.New("postgres: invalid input")
	// ErrSchemaVersion is wrapped by *SchemaVersionError: the schema is not at the version
	// the code needs.
	ErrSchemaVersion = errors.New("postgres: schema version mismatch")
	// ErrUnavailable is wrapped by errors of a write or read that the database did not
	// complete: a lost connection, a statement timeout, a server shutting down. A write is
	// stored whole or not at all (after a lost connection it may have committed: read before
	// retrying); the next call uses a fresh connection.
	ErrUnavailable = errors.New("postgres: database unavailable")
)

// SQLSTATE codes the schema's fail function raises.
const (
	codeConflict = "SK409"
	codeNotFound = "SK404"
)

// wrap turns an error of the driver into the package's: when ctx has ended, its error (so
// errors.Is(err, context.Canceled) holds); a serialization failure or deadlock, which leave
// nothing written and are worth retrying, wrap ticket.ErrConflict; a lost connection, a
// statement timeout or a server shutting down wrap ErrUnavailable. Every error says what op
// was doing.
func wrap(ctx context.Context, op string, err error) error {
	return wrapAs(ctx, op, err, ticket.ErrConflict)
}

// wrapAs is wrap with conflict, the sentinel a serialization failure or deadlock wraps.
func wrapAs(ctx context.Context, op string, err, conflict error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("postgres: %s: %w (%v)", op, ctx.Err(), err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "40001", "40P01": // serialization_failure, deadlock_detected
			return fmt.Errorf("postgres: %s: %w: %s, nothing was written: %w", op, conflict, pg.Message, err)
		case "57014": // query_canceled: a statement timeout (a cancelled ctx is handled above)
			return fmt.Errorf("postgres: %s: %w: statement cancelled (statement_timeout?), nothing was written: %w", op, ErrUnavailable, err)
		}
		if len(pg.Code) == 5 && (pg.Code[:2] == "08" || pg.Code[:2] == "57" || pg.Code[:2] == "53") {
			return fmt.Errorf("postgres: %s: %w: %w", op, ErrUnavailable, err)
		}
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	if isConnError(err) {
		return fmt.Errorf("postgres: %s: %w: connection lost (a write is stored whole or not at all): %w", op, ErrUnavailable, err)
	}
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// isConnError reports whether err comes from the connection rather than the server.
func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.SafeToRetry(err)
}

// CancelOnServer makes a connection send PostgreSQL a cancel request when a context ends
// during a statement, so that the server stops the statement and rolls its transaction back:
// set it as the pool's ConnConfig.BuildContextWatcherHandler. With pgx's default a cancelled
// context only closes the connection, and a write already received by the server may still
// commit after the call returned the context's error.
func CancelOnServer(c *pgconn.PgConn) ctxwatch.Handler {
	return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: 0, DeadlineDelay: 2 * time.Second}
}
