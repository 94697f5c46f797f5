package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/ticket"
)

// TicketStore is a ticket.Store on PostgreSQL, with the optional abilities ticket.Feed,
// ticket.FeedMarker, ticket.Eraser, ticket.MessageIndex, ticket.LogReader, ticket.LogsReader
// and ticket.CommentsReader (a ticket with its log, the logs of many tickets, or chosen
// comments of many tickets, in one statement). It is safe for concurrent use by many goroutines and many processes sharing
// one database. Every write is one transaction sent in one round trip (a pipelined batch that
// PostgreSQL runs as one implicit transaction); Create takes one more to draw the ticket's
// number. A ticket is stored as columns for what Query filters on plus the whole ticket as
// jsonb, so every field comes back exactly; comments are jsonb rows, events json rows (the
// text the store wrote, which a read sends as it is and decodes without reflection). Ticket
// numbers come from one sequence that every tenant draws from, so each tenant's numbers are
// distinct and increasing, with gaps. The change feed covers every tenant. Text must be
// valid UTF-8 without NUL bytes (PostgreSQL text cannot hold them); the Service guarantees
// both.
//
// Errors: besides the ticket sentinels the Store contract names, a context's error comes
// back wrapped (errors.Is(err, context.Canceled) holds); a serialization failure or a
// deadlock wraps ticket.ErrConflict (the Service retries it); a lost connection or a
// statement timeout wraps ErrUnavailable. A write that fails stores nothing, and the next
// call gets a healthy connection from the pool.
type TicketStore struct {
	pool    *pgxpool.Pool
	cfg     Config
	q       ticketSQL
	channel string
	writer  int32 // the advisory lock key, with writerClass, that every write takes shared
}

var (
	_ ticket.Store            = (*TicketStore)(nil)
	_ ticket.Feed             = (*TicketStore)(nil)
	_ ticket.FeedMarker       = (*TicketStore)(nil)
	_ ticket.Eraser           = (*TicketStore)(nil)
	_ ticket.LogReader        = (*TicketStore)(nil)
	_ ticket.LogsReader       = (*TicketStore)(nil)
	_ ticket.LogsBufferReader = (*TicketStore)(nil)
	_ ticket.CommentsReader   = (*TicketStore)(nil)
)

// NewTicketStore returns a store over the tables Migrate made in cfg.Schema. It does no I/O.
func NewTicketStore(pool *pgxpool.Pool, cfg Config) (*TicketStore, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: nil pool", ErrInvalid)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &TicketStore{pool: pool, cfg: cfg, q: newTicketSQL(quote(cfg.Schema)), channel: "skfeed_" + cfg.Schema,
		writer: writerKey(cfg.Schema)}, nil
}

// ticketSQL holds the statements, with the schema filled in.
type ticketSQL struct {
	schema, lookup, lookupKey, insert, update, comments, events, get, byNumber,
	listComments, listEvents, addMessage, byMessage, logs, commentsByRef string
}

func newTicketSQL(s string) ticketSQL {
	r := strings.NewReplacer("{s}", s)
	return ticketSQL{
		schema: s,
		lookup: r.Replace(`SELECT nextval('{s}.ticket_numbers'), k.number, k.version, k.fingerprint, k.data
			FROM (SELECT 1) one LEFT JOIN {s}.tickets k ON k.tenant = $1 AND k.key_hash = $2 AND k.key = $3`),
		lookupKey: r.Replace(`SELECT number, version, fingerprint, data FROM {s}.tickets
			WHERE tenant = $1 AND key_hash = $2 AND key = $3`),
		insert: r.Replace(`INSERT INTO {s}.tickets (id, tenant, number, version, key_hash, key, fingerprint,
			status, priority, assignee, grp, requester_id, requester_email, organization, tags, updated_ns, data)
			VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`),
		update: r.Replace(`WITH u AS (UPDATE {s}.tickets SET version = version + 1, status = $3, priority = $4,
				assignee = $5, grp = $6, requester_id = $7, requester_email = $8, organization = $9, tags = $10,
				updated_ns = $11, data = $12
				WHERE id = $1 AND version = $2 RETURNING version, number, tenant)
			SELECT CASE WHEN EXISTS (SELECT 1 FROM u) THEN (SELECT version FROM u)
				WHEN EXISTS (SELECT 1 FROM {s}.tickets WHERE id = $1) THEN {s}.fail('` + codeConflict + `', 'stale version')
				ELSE {s}.fail('` + codeNotFound + `', 'no such ticket') END,
				(SELECT number FROM u), (SELECT tenant FROM u)`),
		comments: r.Replace(`INSERT INTO {s}.comments (ticket_id, seq, data)
			SELECT $1, x.seq, x.data::jsonb FROM unnest($2::integer[], $3::text[]) AS x(seq, data)`),
		events: r.Replace(`INSERT INTO {s}.events (ticket_id, seq, data)
			SELECT $1, x.seq, x.data::json FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS x(seq, data, o)
			ORDER BY x.o`),
		get:      r.Replace(`SELECT tenant, number, version, data FROM {s}.tickets WHERE id = $1`),
		byNumber: r.Replace(`SELECT tenant, number, version, data FROM {s}.tickets WHERE tenant = $1 AND number = $2`),
		listComments: r.Replace(`SELECT c.data FROM {s}.tickets t LEFT JOIN {s}.comments c ON c.ticket_id = t.id
			WHERE t.id = $1 ORDER BY c.seq`),
		listEvents: r.Replace(`SELECT e.data FROM {s}.tickets t LEFT JOIN {s}.events e ON e.ticket_id = t.id AND e.seq > $2
			WHERE t.id = $1 ORDER BY e.seq`),
		logs: r.Replace(`SELECT t.tenant, t.number, t.version, t.data,
				(SELECT coalesce(json_agg(e.data ORDER BY e.seq), '[]') FROM {s}.events e WHERE e.ticket_id = t.id)
			FROM {s}.tickets t WHERE t.id = ANY($1::uuid[]) ORDER BY t.id`),
		commentsByRef: r.Replace(`SELECT c.data FROM unnest($1::uuid[], $2::text[]) AS x(ticket_id, id)
			JOIN {s}.comments c ON c.ticket_id = x.ticket_id AND c.data->>'ID' = x.id`),
		addMessage: r.Replace(`WITH t AS (SELECT id, tenant FROM {s}.tickets WHERE id = $1),
			ins AS (INSERT INTO {s}.message_ids (tenant, message_id, ticket_id) SELECT tenant, $2, id FROM t
				ON CONFLICT DO NOTHING)
			SELECT EXISTS (SELECT 1 FROM t)`),
		byMessage: r.Replace(`SELECT k.tenant, k.number, k.version, k.data FROM {s}.message_ids m
			JOIN {s}.tickets k ON k.id = m.ticket_id WHERE m.tenant = $1 AND m.message_id = $2`),
	}
}

// querier is what a write runs on: the pool, or a transaction held open.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Create implements ticket.Store. A Creation without a Number function gives an error
// wrapping ticket.ErrInvalid.
func (s *TicketStore) Create(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	t, created, err := s.create(ctx, s.pool, c)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == "tickets_key" {
		// Another Create with the key committed first.
		return s.existing(ctx, c)
	}
	return t, created, err
}

// create runs a Create on q. A unique violation of the key comes back as the driver's error.
// On the pool, the lookup and the write are two transactions and the write takes the
// writers' lock first; on a transaction, the caller must have taken the lock before, since
// drawing a number may give the transaction its ID.
func (s *TicketStore) create(ctx context.Context, q querier, c ticket.Creation) (ticket.Ticket, bool, error) {
	if c.Number == nil {
		return ticket.Ticket{}, false, &ticket.ValidationError{Field: "Creation.Number", Reason: "nil"}
	}
	tenant := c.Ticket.Tenant
	hash := keyHash(c.Key)
	var seq int64
	var number *string
	var version *int64
	var fingerprint *string
	var data []byte
	err := q.QueryRow(ctx, s.q.lookup, tenant, hash, c.Key).Scan(&seq, &number, &version, &fingerprint, &data)
	if err != nil {
		return ticket.Ticket{}, false, wrap(ctx, "create", err)
	}
	if number != nil {
		return keyed(c, *number, *version, *fingerprint, tenant, data)
	}
	t := c.Ticket.Clone()
	t.Number, t.Version = c.Number(seq), 1
	cols, err := columns(t)
	if err != nil {
		return ticket.Ticket{}, false, err
	}
	b := &pgx.Batch{}
	s.queueWriter(b)
	b.Queue(s.q.insert, t.ID, tenant, t.Number, hash, nullable(c.Key), c.Fingerprint, cols.status, cols.priority,
		t.Assignee, t.Group, t.Requester.ID, cols.email, t.Requester.Organization, cols.tags, cols.updated, cols.data)
	if err := s.queueAppends(b, t.ID, c.Comments, c.Events); err != nil {
		return ticket.Ticket{}, false, err
	}
	s.queueNotify(b)
	if err := runBatch(ctx, q, b); err != nil {
		var pg *pgconn.PgError
		if errors.As(err, &pg) && pg.Code == "23505" {
			if pg.ConstraintName == "tickets_key" {
				return ticket.Ticket{}, false, err
			}
			return ticket.Ticket{}, false, fmt.Errorf("postgres: create: %w", &ticket.ConflictError{ID: t.ID})
		}
		return ticket.Ticket{}, false, wrap(ctx, "create", err)
	}
	return t, true, nil
}

// existing returns the ticket created with c's key.
func (s *TicketStore) existing(ctx context.Context, c ticket.Creation) (ticket.Ticket, bool, error) {
	var number, fingerprint string
	var version int64
	var data []byte
	err := s.pool.QueryRow(ctx, s.q.lookupKey, c.Ticket.Tenant, keyHash(c.Key), c.Key).Scan(&number, &version, &fingerprint, &data)
	if err != nil {
		return ticket.Ticket{}, false, wrap(ctx, "create", err)
	}
	return keyed(c, number, version, fingerprint, c.Ticket.Tenant, data)
}

// keyed answers a Create whose key is taken: the stored ticket when the fingerprints match.
func keyed(c ticket.Creation, number string, version int64, fingerprint, tenant string, data []byte) (ticket.Ticket, bool, error) {
	if fingerprint != c.Fingerprint {
		return ticket.Ticket{}, false, &ticket.KeyReuseError{What: "ticket"}
	}
	t, err := decodeTicket(tenant, number, version, data)
	return t, false, err
}

// Update implements ticket.Store. The tickets are updated in ID order, so that two Updates
// of the same tickets never deadlock; comments and events follow in the order of changes.
func (s *TicketStore) Update(ctx context.Context, changes ...ticket.Change) ([]ticket.Ticket, error) {
	order := make([]int, len(changes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return compareIDs(changes[a].Ticket.ID, changes[b].Ticket.ID) })
	b := &pgx.Batch{}
	s.queueWriter(b)
	for k, i := range order {
		c := changes[i]
		if k > 0 && changes[order[k-1]].Ticket.ID == c.Ticket.ID {
			return nil, fmt.Errorf("postgres: update: %w", &ticket.ConflictError{ID: c.Ticket.ID, Have: c.Ticket.Version})
		}
		cols, err := columns(c.Ticket)
		if err != nil {
			return nil, err
		}
		b.Queue(s.q.update, c.Ticket.ID, c.Ticket.Version, cols.status, cols.priority, c.Ticket.Assignee,
			c.Ticket.Group, c.Ticket.Requester.ID, cols.email, c.Ticket.Requester.Organization, cols.tags, cols.updated, cols.data)
	}
	events := false
	for _, c := range changes {
		if err := s.queueAppends(b, c.Ticket.ID, c.Comments, c.Events); err != nil {
			return nil, err
		}
		events = events || len(c.Events) > 0
	}
	if events {
		s.queueNotify(b)
	}
	if len(changes) == 0 {
		return []ticket.Ticket{}, ctx.Err()
	}
	out := make([]ticket.Ticket, len(changes))
	br := s.pool.SendBatch(ctx, b)
	err := func() error {
		if _, err := br.Exec(); err != nil {
			return wrap(ctx, "update", err)
		}
		for _, i := range order {
			t := changes[i].Ticket.Clone()
			if err := br.QueryRow().Scan(&t.Version, &t.Number, &t.Tenant); err != nil {
				return updateError(ctx, changes[i].Ticket, err)
			}
			out[i] = t
		}
		for range b.Len() - 1 - len(changes) {
			if _, err := br.Exec(); err != nil {
				return updateError(ctx, ticket.Ticket{}, err)
			}
		}
		return nil
	}()
	if cerr := br.Close(); err == nil && cerr != nil {
		err = wrap(ctx, "update", cerr)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// updateError turns the error of one change's statements into the Store's.
func updateError(ctx context.Context, t ticket.Ticket, err error) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == codeNotFound:
			return fmt.Errorf("postgres: update: %w", ticket.NotFound(t.ID))
		case pg.Code == codeConflict, pg.Code == "23505":
			return fmt.Errorf("postgres: update: %w", &ticket.ConflictError{ID: t.ID, Have: t.Version})
		}
	}
	return wrap(ctx, "update", err)
}

// queueAppends queues the inserts of comments and events. A write that appends events also
// queues notify, a notification of the feed's readers that PostgreSQL delivers when the
// transaction commits.
func (s *TicketStore) queueAppends(b *pgx.Batch, id uuid.UUID, comments []ticket.Comment, events []ticket.Event) error {
	if len(comments) > 0 {
		seqs := make([]int32, len(comments))
		docs := make([]string, len(comments))
		for i, c := range comments {
			d, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("postgres: comment: %w", err)
			}
			seqs[i], docs[i] = int32(c.Seq), string(d)
		}
		b.Queue(s.q.comments, id, seqs, docs)
	}
	if len(events) > 0 {
		seqs := make([]int64, len(events))
		docs := make([]string, len(events))
		for i, e := range events {
			d, err := eventDoc(e)
			if err != nil {
				return err
			}
			seqs[i], docs[i] = e.Seq, string(d)
		}
		b.Queue(s.q.events, id, seqs, docs)
	}
	return nil
}

// queueNotify queues the notification of the feed's readers, which PostgreSQL delivers when
// the transaction commits.
func (s *TicketStore) queueNotify(b *pgx.Batch) { b.Queue("SELECT pg_notify($1, '')", s.channel) }

// runBatch sends b and reads every result; the first error wins.
func runBatch(ctx context.Context, q querier, b *pgx.Batch) error {
	br := q.SendBatch(ctx, b)
	var err error
	for range b.Len() {
		if _, err = br.Exec(); err != nil {
			break
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// Ticket implements ticket.Store.
func (s *TicketStore) Ticket(ctx context.Context, id uuid.UUID) (ticket.Ticket, error) {
	t, err := s.one(ctx, s.q.get, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return ticket.Ticket{}, ticket.NotFound(id)
	}
	return t, err
}

// TicketByNumber implements ticket.Store.
func (s *TicketStore) TicketByNumber(ctx context.Context, tenant, number string) (ticket.Ticket, error) {
	if storable(tenant) != nil || storable(number) != nil {
		// No stored ticket has such a number.
		return ticket.Ticket{}, orErr(ctx.Err(), &ticket.NotFoundError{What: "ticket", Key: number})
	}
	t, err := s.one(ctx, s.q.byNumber, tenant, number)
	if errors.Is(err, pgx.ErrNoRows) {
		return ticket.Ticket{}, &ticket.NotFoundError{What: "ticket", Key: number}
	}
	return t, err
}

func (s *TicketStore) one(ctx context.Context, sql string, args ...any) (ticket.Ticket, error) {
	var tenant, number string
	var version int64
	var data []byte
	err := s.pool.QueryRow(ctx, sql, args...).Scan(&tenant, &number, &version, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return ticket.Ticket{}, err
	}
	if err != nil {
		return ticket.Ticket{}, wrap(ctx, "read ticket", err)
	}
	return decodeTicket(tenant, number, version, data)
}

// Comments implements ticket.Store.
func (s *TicketStore) Comments(ctx context.Context, id uuid.UUID) ([]ticket.Comment, error) {
	return docs[ticket.Comment](ctx, s.pool, "read comments", id, s.q.listComments, id)
}

// Events implements ticket.Store.
func (s *TicketStore) Events(ctx context.Context, id uuid.UUID, after int64) ([]ticket.Event, error) {
	return docs[ticket.Event](ctx, s.pool, "read events", id, s.q.listEvents, id, after)
}

// TicketLog implements ticket.LogReader: one statement reads the ticket and its events.
func (s *TicketStore) TicketLog(ctx context.Context, id uuid.UUID) (ticket.Ticket, []ticket.Event, error) {
	logs, err := s.TicketLogs(ctx, []uuid.UUID{id})
	if err != nil {
		return ticket.Ticket{}, nil, err
	}
	if len(logs) == 0 {
		return ticket.Ticket{}, nil, ticket.NotFound(id)
	}
	return logs[0].Ticket, logs[0].Events, nil
}

// TicketLogs implements ticket.LogsReader: one statement reads every ticket asked for with
// its events, so that all of them are read at one instant.
func (s *TicketStore) TicketLogs(ctx context.Context, ids []uuid.UUID) ([]ticket.Log, error) {
	logs, _, err := s.TicketLogsInto(ctx, ids, nil)
	return logs, err
}

// TicketLogsInto implements ticket.LogsBufferReader: TicketLogs with the events decoded
// into buf's array.
func (s *TicketStore) TicketLogsInto(ctx context.Context, ids []uuid.UUID, buf []ticket.Event) ([]ticket.Log, []ticket.Event, error) {
	out := make([]ticket.Log, 0, len(ids))
	if len(ids) == 0 {
		return out, buf, ctx.Err()
	}
	rows, err := s.pool.Query(ctx, s.q.logs, uuidArray(ids))
	if err != nil {
		return nil, buf, wrap(ctx, "read logs", err)
	}
	var tenant, number string
	var version int64
	var data, events pgtype.DriverBytes // the row's own bytes, decoded before the next row is read
	intern := make(map[string]string)
	buf = buf[:0]
	_, err = pgx.ForEachRow(rows, []any{&tenant, &number, &version, &data, &events}, func() error {
		t, err := decodeTicketIn(intern, tenant, number, version, data)
		if err != nil {
			return err
		}
		l := ticket.Log{Ticket: t}
		if buf, l.Events, err = decodeEvents(buf, events, intern); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	})
	if err != nil {
		return nil, buf, wrap(ctx, "read logs", err)
	}
	return out, buf, nil
}

// CommentsByRef implements ticket.CommentsReader in one statement.
func (s *TicketStore) CommentsByRef(ctx context.Context, refs []ticket.CommentRef) (map[uuid.UUID]ticket.Comment, error) {
	out := make(map[uuid.UUID]ticket.Comment, len(refs))
	if len(refs) == 0 {
		return out, ctx.Err()
	}
	tickets := make([][16]byte, len(refs))
	ids := make([]string, len(refs))
	for i, r := range refs {
		tickets[i], ids[i] = r.Ticket, r.Comment.String()
	}
	rows, err := s.pool.Query(ctx, s.q.commentsByRef, tickets, ids)
	if err != nil {
		return nil, wrap(ctx, "read comments", err)
	}
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&data}, func() error {
		var c ticket.Comment
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("decode comment: %w", err)
		}
		out[c.ID] = c
		return nil
	})
	if err != nil {
		return nil, wrap(ctx, "read comments", err)
	}
	return out, nil
}

// docs reads the jsonb column of a ticket's rows from a LEFT JOIN of tickets: no row means
// no ticket, one NULL row no documents.
func docs[T any](ctx context.Context, pool *pgxpool.Pool, op string, id uuid.UUID, sql string, args ...any) ([]T, error) {
	rows, err := pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, wrap(ctx, op, err)
	}
	found := false
	out := []T{}
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&data}, func() error {
		found = true
		if data == nil {
			return nil
		}
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, wrap(ctx, op, err)
	}
	if !found {
		return nil, ticket.NotFound(id)
	}
	return out, nil
}

// cols are a ticket's values in the columns that listing filters on.
type cols struct {
	status, priority, email string
	tags                    []string
	updated                 int64
	data                    []byte
}

func columns(t ticket.Ticket) (cols, error) {
	data, err := ticketDoc(t)
	if err != nil {
		return cols{}, err
	}
	tags := t.Tags
	if tags == nil {
		tags = []string{}
	}
	return cols{
		status: string(t.Status), priority: string(t.Priority), email: strings.ToLower(t.Requester.Email),
		tags: tags, updated: nanos(t.UpdatedAt), data: data,
	}, nil
}

// decodeTicket rebuilds a ticket from its row: the columns hold what the store owns.
func decodeTicket(tenant, number string, version int64, data []byte) (ticket.Ticket, error) {
	return decodeTicketIn(nil, tenant, number, version, data)
}

// decodeTicketIn is decodeTicket sharing short texts through intern (see decodeEvents).
func decodeTicketIn(intern map[string]string, tenant, number string, version int64, data []byte) (ticket.Ticket, error) {
	t, err := decodeTicketDoc(data, intern)
	if err != nil {
		return ticket.Ticket{}, err
	}
	t.Tenant, t.Number, t.Version = tenant, number, version
	return t, nil
}

// nanos is t in Unix nanoseconds, clamped to the int64 range, so that comparing nanos
// compares instants.
func nanos(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// keyHash is the indexed digest of a creation key; nil for none.
func keyHash(key string) []byte {
	if key == "" {
		return nil
	}
	h := sha256.Sum256([]byte(key))
	return h[:]
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// uuidArray is ids as pgx encodes a uuid[] parameter directly (uuid.UUID it encodes through
// its text).
func uuidArray(ids []uuid.UUID) [][16]byte {
	out := make([][16]byte, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func compareIDs(a, b uuid.UUID) int { return strings.Compare(string(a[:]), string(b[:])) }
