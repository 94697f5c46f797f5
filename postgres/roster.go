package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit"
	"github.com/supportkit/supportkit/routing"
)

// Roster is a supportkit.Roster in PostgreSQL: one row per agent with the latest presence
// reported through any Desk over the schema and the instant it was reported, so that the
// dispatching Desk follows agents who signed in elsewhere. SetPresence is one upsert that
// keeps the row with the latest instant. desktest.TestRoster checks it. It is safe for
// concurrent use.
type Roster struct {
	pool     *pgxpool.Pool
	set, all string
}

var _ supportkit.Roster = (*Roster)(nil)

// NewRoster returns the roster of the Desks over cfg.Schema (only Schema is read), whose
// tables Migrate made. It does no I/O. Errors: a nil pool or a bad schema name wrap
// ErrInvalid.
func NewRoster(pool *pgxpool.Pool, cfg Config) (*Roster, error) {
	s, err := deskSchema(pool, cfg)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer("{s}", s)
	return &Roster{
		pool: pool,
		set: r.Replace(`INSERT INTO {s}.desk_roster AS r (agent, presence, at_ns) VALUES ($1, $2, $3)
			ON CONFLICT (agent) DO UPDATE SET presence = excluded.presence, at_ns = excluded.at_ns
			WHERE r.at_ns <= excluded.at_ns`),
		all: r.Replace(`SELECT agent, presence FROM {s}.desk_roster`),
	}, nil
}

// SetPresence implements supportkit.Roster. Of two reports with the same instant the one
// written last wins. Errors: an empty agent ID, one that is not valid UTF-8, holds a NUL
// byte or is over 1024 bytes, or an unknown presence wrap
// ticket.ErrInvalid (and ErrInvalid); the database's are wrapped as the TicketStore's are.
func (r *Roster) SetPresence(ctx context.Context, agent string, p routing.Presence, at time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	text, err := p.MarshalText()
	if agent == "" || indexable(agent) != nil || err != nil {
		return invalidArg("roster: empty agent ID, one not valid UTF-8, holding a NUL byte or over 1024 bytes, or an unknown presence")
	}
	_, err = r.pool.Exec(ctx, r.set, agent, string(text), at.UnixNano())
	return wrap(ctx, "roster set", err)
}

// Presences implements supportkit.Roster.
func (r *Roster) Presences(ctx context.Context) (map[string]routing.Presence, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows, err := r.pool.Query(ctx, r.all)
	if err != nil {
		return nil, wrap(ctx, "roster presences", err)
	}
	out := map[string]routing.Presence{}
	var agent, text string
	_, err = pgx.ForEachRow(rows, []any{&agent, &text}, func() error {
		var p routing.Presence
		if err := p.UnmarshalText([]byte(text)); err != nil {
			return err
		}
		out[agent] = p
		return nil
	})
	if err != nil {
		return nil, wrap(ctx, "roster presences", err)
	}
	return out, nil
}
