package postgres

import (
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultSchema is the schema that holds supportkit's tables when Config.Schema is empty.
const DefaultSchema = "supportkit"

// Config configures a store. The zero Config is valid: every field's comment states its
// default.
type Config struct {
	// Schema is the PostgreSQL schema that holds the tables, so that they stay apart from the
	// host's own; Migrate must have been run for it. Letters, digits and underscores, at
	// most 48 bytes, not starting with a digit. Default DefaultSchema.
	Schema string
	// PollInterval is the longest Feed.Wait blocks without a notification before it returns
	// (the reader then calls Changes again); notifications make it return sooner. Default 1s.
	PollInterval time.Duration
}

func (c Config) withDefaults() (Config, error) {
	if c.Schema == "" {
		c.Schema = DefaultSchema
	}
	if err := checkSchemaName(c.Schema); err != nil {
		return c, err
	}
	if c.PollInterval < 0 {
		return c, fmt.Errorf("%w: Config.PollInterval is negative", ErrInvalid)
	}
	if c.PollInterval == 0 {
		c.PollInterval = time.Second
	}
	return c, nil
}

func checkSchemaName(s string) error {
	ok := len(s) > 0 && len(s) <= 48 && !(s[0] >= '0' && s[0] <= '9')
	for _, r := range s {
		ok = ok && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}
	if !ok {
		return fmt.Errorf("%w: schema name %q: want letters, digits and underscores, at most 48 bytes", ErrInvalid, s)
	}
	return nil
}

// quote returns an identifier quoted for SQL.
func quote(name string) string { return pgx.Identifier{name}.Sanitize() }
