package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/supportkit/supportkit/party"
)

// Directory is a party.Directory on PostgreSQL. It is safe for concurrent use by many
// goroutines and many processes sharing one database. Customers and organizations are
// stored whole as jsonb; their keys (emails, phones, external IDs, domains) sit in key
// tables whose primary keys, (tenant, kind, system, value) and (tenant, domain), make each
// key unique within a tenant, so that two processes creating one person at once store one
// customer. An update locks its rows, checks their versions and the keys, and writes the
// records and their keys in one transaction. Text must be valid UTF-8 without NUL bytes
// (PostgreSQL text cannot hold them): other text gives a *party.ValidationError
// (party.ErrInvalid); the party.Service guarantees it.
//
// Errors: besides the party sentinels the Directory contract names, a context's error comes
// back wrapped (errors.Is(err, context.Canceled) holds); a serialization failure or a
// deadlock wraps party.ErrConflict (nothing was written; write again); a lost connection or
// a statement timeout wraps ErrUnavailable.
type Directory struct {
	pool *pgxpool.Pool
	q    directorySQL
}

var _ party.Directory = (*Directory)(nil)

// NewDirectory returns a Directory over the tables Migrate made in cfg.Schema. It does no
// I/O. Config.PollInterval is not used.
func NewDirectory(pool *pgxpool.Pool, cfg Config) (*Directory, error) {
	if pool == nil {
		return nil, fmt.Errorf("%w: nil pool", ErrInvalid)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Directory{pool: pool, q: newDirectorySQL(quote(cfg.Schema))}, nil
}

// keysOf is the unnest of $2..$4 (kinds, systems, values) in their order, n.
const keysOf = `unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(kind, system, value, n)
	JOIN {s}.customer_keys k ON k.tenant = $1 AND k.kind = x.kind AND k.system = x.system AND k.value = x.value`

// directorySQL holds the statements, with the schema filled in.
type directorySQL struct {
	customer, byKey, holder, members, insertCustomer, insertKeys, lock, heldElsewhere,
	dropKeys, updateCustomers, org, orgByDomain, lockOrg, domainHeld, insertOrg, updateOrg,
	dropDomains, insertDomains string
}

func newDirectorySQL(s string) directorySQL {
	r := strings.NewReplacer("{s}", s)
	return directorySQL{
		customer: r.Replace(`SELECT version, data FROM {s}.customers WHERE id = $1 AND tenant = $2`),
		byKey: r.Replace(`SELECT c.version, c.data FROM {s}.customer_keys k JOIN {s}.customers c ON c.id = k.customer
			WHERE k.tenant = $1 AND k.kind = $2 AND k.system = $3 AND k.value = $4`),
		holder: r.Replace(`SELECT c.version, c.data FROM ` + keysOf + `
			JOIN {s}.customers c ON c.id = k.customer ORDER BY x.n LIMIT 1`),
		members: r.Replace(`SELECT version, data FROM {s}.customers WHERE tenant = $1 AND organization = $2 ORDER BY id`),
		insertCustomer: r.Replace(`INSERT INTO {s}.customers (id, tenant, organization, version, data)
			VALUES ($1, $2, $3, 1, $4)`),
		insertKeys: r.Replace(`INSERT INTO {s}.customer_keys (tenant, kind, system, value, customer)
			SELECT DISTINCT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[])
			ORDER BY 1, 2, 3, 4`),
		lock: r.Replace(`SELECT id, tenant, version FROM {s}.customers WHERE id = ANY($1) ORDER BY id FOR UPDATE`),
		heldElsewhere: r.Replace(`SELECT x.kind, k.customer
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS x(tenant, kind, system, value, n)
			JOIN {s}.customer_keys k ON k.tenant = x.tenant AND k.kind = x.kind AND k.system = x.system AND k.value = x.value
			WHERE k.customer <> ALL($5::uuid[]) ORDER BY x.n LIMIT 1`),
		dropKeys: r.Replace(`DELETE FROM {s}.customer_keys WHERE customer = ANY($1)`),
		updateCustomers: r.Replace(`UPDATE {s}.customers c SET version = c.version + 1, organization = x.organization,
			data = x.data::jsonb FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS x(id, organization, data)
			WHERE c.id = x.id`),
		org: r.Replace(`SELECT version, data FROM {s}.organizations WHERE id = $1 AND tenant = $2`),
		orgByDomain: r.Replace(`SELECT o.version, o.data FROM {s}.organization_domains d
			JOIN {s}.organizations o ON o.id = d.organization WHERE d.tenant = $1 AND d.domain = $2`),
		lockOrg: r.Replace(`SELECT tenant, version FROM {s}.organizations WHERE id = $1 FOR UPDATE`),
		domainHeld: r.Replace(`SELECT organization FROM {s}.organization_domains
			WHERE tenant = $1 AND domain = ANY($2) AND organization <> $3 ORDER BY array_position($2, domain) LIMIT 1`),
		insertOrg:   r.Replace(`INSERT INTO {s}.organizations (id, tenant, version, data) VALUES ($1, $2, 1, $3)`),
		updateOrg:   r.Replace(`UPDATE {s}.organizations SET version = version + 1, data = $2 WHERE id = $1`),
		dropDomains: r.Replace(`DELETE FROM {s}.organization_domains WHERE organization = $1`),
		insertDomains: r.Replace(`INSERT INTO {s}.organization_domains (tenant, domain, organization)
			SELECT DISTINCT $1::text, d, $3::uuid FROM unnest($2::text[]) AS d ORDER BY 2`),
	}
}

// keyRetries is how often a write that lost a key to a concurrent write runs again, to
// answer from what that write stored.
const keyRetries = 4

// CreateCustomer implements party.Directory.
func (d *Directory) CreateCustomer(ctx context.Context, c party.Customer) (party.Customer, bool, error) {
	if err := checkCustomer(c); err != nil {
		return party.Customer{}, false, err
	}
	c = c.Clone()
	c.Version = 1
	data, err := json.Marshal(c)
	if err != nil {
		return party.Customer{}, false, fmt.Errorf("postgres: customer: %w", err)
	}
	keys := c.Keys()
	kinds, systems, values := keyColumns(keys)
	for range keyRetries {
		if len(keys) > 0 {
			held, err := d.readCustomer(ctx, d.q.holder, c.Tenant, kinds, systems, values)
			if err == nil {
				return held, false, nil
			}
			if !errors.Is(err, pgx.ErrNoRows) {
				return party.Customer{}, false, err
			}
		}
		b := &pgx.Batch{}
		b.Queue(d.q.insertCustomer, c.ID, c.Tenant, c.Organization, data)
		if len(keys) > 0 {
			b.Queue(d.q.insertKeys, repeat(c.Tenant, len(keys)), kinds, systems, values, repeat(c.ID, len(keys)))
		}
		err := runBatch(ctx, d.pool, b)
		switch {
		case err == nil:
			return c, true, nil
		case isUnique(err, "customers_pkey"):
			return party.Customer{}, false, &party.TakenError{Kind: party.KeyID, Holder: c.ID.String()}
		case !isUnique(err, "customer_keys_unique"):
			return party.Customer{}, false, wrapAs(ctx, "create customer", err, party.ErrConflict)
		}
		// A concurrent write took one of the keys first: look again.
	}
	return party.Customer{}, false, fmt.Errorf("postgres: create customer: %w: its keys kept changing hands", party.ErrConflict)
}

// UpdateCustomers implements party.Directory. The customers' rows are locked in ID order, so
// two updates of the same customers never deadlock on them.
func (d *Directory) UpdateCustomers(ctx context.Context, cs ...party.Customer) ([]party.Customer, error) {
	if len(cs) == 0 {
		return []party.Customer{}, ctx.Err()
	}
	ids := make([]uuid.UUID, len(cs))
	for i, c := range cs {
		if slices.Contains(ids[:i], c.ID) {
			return nil, &party.ValidationError{Field: "customers", Reason: "customer " + c.ID.String() + " is given twice"}
		}
		if err := checkCustomer(c); err != nil {
			return nil, err
		}
		ids[i] = c.ID
	}
	out := make([]party.Customer, len(cs))
	orgs := make([]uuid.UUID, len(cs))
	docs := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Clone()
		out[i].Version++
		data, err := json.Marshal(out[i])
		if err != nil {
			return nil, fmt.Errorf("postgres: customer: %w", err)
		}
		orgs[i], docs[i] = c.Organization, string(data)
	}
	for range keyRetries {
		err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
			if err := d.checkStored(ctx, tx, cs, ids); err != nil {
				return err
			}
			return d.writeCustomers(ctx, tx, cs, ids, orgs, docs)
		})
		if err == nil {
			return out, nil
		}
		if !isUnique(err, "customer_keys_unique") {
			return nil, d.updateError(ctx, err)
		}
		// A concurrent write took one of the keys after the check: check again.
	}
	return nil, fmt.Errorf("postgres: update customers: %w: their keys kept changing hands", party.ErrConflict)
}

// updateError returns the error UpdateCustomers gives for err: the party errors the checks
// made as they are, the driver's wrapped.
func (d *Directory) updateError(ctx context.Context, err error) error {
	var taken *party.TakenError
	var version *party.VersionError
	var missing *party.NotFoundError
	if errors.As(err, &taken) || errors.As(err, &version) || errors.As(err, &missing) {
		return err
	}
	return wrapAs(ctx, "update customers", err, party.ErrConflict)
}

// checkStored locks the rows of cs and returns the error UpdateCustomers gives when one is
// missing from its tenant or is at another version, when two claim one key, or when one
// would take a key of a customer outside the write.
func (d *Directory) checkStored(ctx context.Context, tx pgx.Tx, cs []party.Customer, ids []uuid.UUID) error {
	type row struct {
		tenant  string
		version int64
	}
	stored := make(map[uuid.UUID]row, len(cs))
	rows, err := tx.Query(ctx, d.q.lock, ids)
	if err != nil {
		return err
	}
	var id uuid.UUID
	var r row
	if _, err := pgx.ForEachRow(rows, []any{&id, &r.tenant, &r.version}, func() error {
		stored[id] = r
		return nil
	}); err != nil {
		return err
	}
	for _, c := range cs {
		r, ok := stored[c.ID]
		if !ok || r.tenant != c.Tenant {
			return &party.NotFoundError{What: "customer", ID: c.ID.String()}
		}
		if r.version != c.Version {
			return &party.VersionError{ID: c.ID.String(), Stored: r.version, Given: c.Version}
		}
	}
	if err := claimedTwice(cs); err != nil {
		return err
	}
	tenants, kinds, systems, values, _ := writeKeys(cs)
	var kind string
	var holder uuid.UUID
	err = tx.QueryRow(ctx, d.q.heldElsewhere, tenants, kinds, systems, values, ids).Scan(&kind, &holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &party.TakenError{Kind: party.KeyKind(kind), Holder: holder.String()}
}

// writeCustomers replaces the keys and the rows of cs in one round trip.
func (d *Directory) writeCustomers(ctx context.Context, tx pgx.Tx, cs []party.Customer, ids, orgs []uuid.UUID, docs []string) error {
	b := &pgx.Batch{}
	b.Queue(d.q.dropKeys, ids)
	tenants, kinds, systems, values, holders := writeKeys(cs)
	if len(tenants) > 0 {
		b.Queue(d.q.insertKeys, tenants, kinds, systems, values, holders)
	}
	b.Queue(d.q.updateCustomers, ids, orgs, docs)
	return runBatch(ctx, tx, b)
}

// claimedTwice returns a *party.TakenError when two customers of one write claim one key.
func claimedTwice(cs []party.Customer) error {
	type tenantKey struct {
		tenant string
		key    party.Key
	}
	claimed := make(map[tenantKey]uuid.UUID)
	for _, c := range cs {
		for _, k := range c.Keys() {
			if other, ok := claimed[tenantKey{c.Tenant, k}]; ok && other != c.ID {
				return &party.TakenError{Kind: k.Kind, Holder: other.String()}
			}
			claimed[tenantKey{c.Tenant, k}] = c.ID
		}
	}
	return nil
}

// writeKeys returns the keys of cs as columns: tenant, kind, system, value, holder.
func writeKeys(cs []party.Customer) (tenants, kinds, systems, values []string, holders []uuid.UUID) {
	tenants, kinds, systems, values = []string{}, []string{}, []string{}, []string{}
	for _, c := range cs {
		for _, k := range c.Keys() {
			tenants = append(tenants, c.Tenant)
			kinds = append(kinds, string(k.Kind))
			systems = append(systems, k.System)
			values = append(values, k.Value)
			holders = append(holders, c.ID)
		}
	}
	return tenants, kinds, systems, values, holders
}

// Customer implements party.Directory.
func (d *Directory) Customer(ctx context.Context, tenant string, id uuid.UUID) (party.Customer, error) {
	c, err := d.readCustomer(ctx, d.q.customer, id, tenant)
	if errors.Is(err, pgx.ErrNoRows) {
		return party.Customer{}, &party.NotFoundError{What: "customer", ID: id.String()}
	}
	return c, err
}

// CustomerByKey implements party.Directory.
func (d *Directory) CustomerByKey(ctx context.Context, tenant string, k party.Key) (party.Customer, error) {
	c, err := d.readCustomer(ctx, d.q.byKey, tenant, string(k.Kind), k.System, k.Value)
	if errors.Is(err, pgx.ErrNoRows) {
		return party.Customer{}, &party.NotFoundError{What: string(k.Kind)}
	}
	return c, err
}

// Members implements party.Directory.
func (d *Directory) Members(ctx context.Context, tenant string, org uuid.UUID) ([]party.Customer, error) {
	if storable(tenant) != nil {
		return []party.Customer{}, ctx.Err()
	}
	rows, err := d.pool.Query(ctx, d.q.members, tenant, org)
	if err != nil {
		return nil, wrapAs(ctx, "members", err, party.ErrConflict)
	}
	out := []party.Customer{}
	var version int64
	var data []byte
	_, err = pgx.ForEachRow(rows, []any{&version, &data}, func() error {
		c, err := decodeCustomer(version, data)
		out = append(out, c)
		return err
	})
	if err != nil {
		return nil, wrapAs(ctx, "members", err, party.ErrConflict)
	}
	return out, nil
}

// readCustomer reads one customer by sql; pgx.ErrNoRows when there is none. Arguments that
// PostgreSQL cannot hold give ErrNoRows too: no such text is stored.
func (d *Directory) readCustomer(ctx context.Context, sql string, args ...any) (party.Customer, error) {
	for _, a := range args {
		if s, ok := a.(string); ok && storable(s) != nil {
			return party.Customer{}, orErr(ctx.Err(), pgx.ErrNoRows)
		}
	}
	var version int64
	var data []byte
	if err := d.pool.QueryRow(ctx, sql, args...).Scan(&version, &data); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return party.Customer{}, err
		}
		return party.Customer{}, wrapAs(ctx, "read customer", err, party.ErrConflict)
	}
	return decodeCustomer(version, data)
}

// decodeCustomer rebuilds a customer from its row: the column holds the Version.
func decodeCustomer(version int64, data []byte) (party.Customer, error) {
	var c party.Customer
	if err := json.Unmarshal(data, &c); err != nil {
		return party.Customer{}, fmt.Errorf("postgres: decode customer: %w", err)
	}
	c.Version = version
	return c, nil
}

// PutOrganization implements party.Directory.
func (d *Directory) PutOrganization(ctx context.Context, o party.Organization) (party.Organization, error) {
	if err := checkOrganization(o); err != nil {
		return party.Organization{}, err
	}
	o = o.Clone()
	given := o.Version
	o.Version++
	data, err := json.Marshal(o)
	if err != nil {
		return party.Organization{}, fmt.Errorf("postgres: organization: %w", err)
	}
	domains := o.Domains
	if domains == nil {
		domains = []string{}
	}
	for range keyRetries {
		err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
			if err := d.checkOrganization(ctx, tx, o, given, domains); err != nil {
				return err
			}
			b := &pgx.Batch{}
			if given == 0 {
				b.Queue(d.q.insertOrg, o.ID, o.Tenant, data)
			} else {
				b.Queue(d.q.updateOrg, o.ID, data)
				b.Queue(d.q.dropDomains, o.ID)
			}
			b.Queue(d.q.insertDomains, o.Tenant, domains, o.ID)
			return runBatch(ctx, tx, b)
		})
		var taken *party.TakenError
		var version *party.VersionError
		var missing *party.NotFoundError
		switch {
		case err == nil:
			return o, nil
		case errors.As(err, &taken) || errors.As(err, &version) || errors.As(err, &missing):
			return party.Organization{}, err
		case isUnique(err, "organizations_pkey"):
			return party.Organization{}, &party.TakenError{Kind: party.KeyID, Holder: o.ID.String()}
		case !isUnique(err, "organization_domains_unique"):
			return party.Organization{}, wrapAs(ctx, "put organization", err, party.ErrConflict)
		}
		// A concurrent write took one of the domains after the check: check again.
	}
	return party.Organization{}, fmt.Errorf("postgres: put organization: %w: its domains kept changing hands", party.ErrConflict)
}

// checkOrganization locks o's row and returns the error PutOrganization gives for o.
func (d *Directory) checkOrganization(ctx context.Context, tx pgx.Tx, o party.Organization, given int64, domains []string) error {
	var tenant string
	var stored int64
	err := tx.QueryRow(ctx, d.q.lockOrg, o.ID).Scan(&tenant, &stored)
	exists := err == nil
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	switch {
	case given == 0 && exists:
		return &party.TakenError{Kind: party.KeyID, Holder: o.ID.String()}
	case given != 0 && (!exists || tenant != o.Tenant):
		return &party.NotFoundError{What: "organization", ID: o.ID.String()}
	case given != 0 && stored != given:
		return &party.VersionError{ID: o.ID.String(), Stored: stored, Given: given}
	}
	var holder uuid.UUID
	err = tx.QueryRow(ctx, d.q.domainHeld, o.Tenant, domains, o.ID).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return &party.TakenError{Kind: party.KeyDomain, Holder: holder.String()}
}

// Organization implements party.Directory.
func (d *Directory) Organization(ctx context.Context, tenant string, id uuid.UUID) (party.Organization, error) {
	o, err := d.readOrganization(ctx, d.q.org, id, tenant)
	if errors.Is(err, pgx.ErrNoRows) {
		return party.Organization{}, &party.NotFoundError{What: "organization", ID: id.String()}
	}
	return o, err
}

// OrganizationByDomain implements party.Directory.
func (d *Directory) OrganizationByDomain(ctx context.Context, tenant, domain string) (party.Organization, error) {
	o, err := d.readOrganization(ctx, d.q.orgByDomain, tenant, domain)
	if errors.Is(err, pgx.ErrNoRows) {
		return party.Organization{}, &party.NotFoundError{What: string(party.KeyDomain)}
	}
	return o, err
}

// readOrganization reads one organization by sql, as readCustomer reads a customer.
func (d *Directory) readOrganization(ctx context.Context, sql string, args ...any) (party.Organization, error) {
	for _, a := range args {
		if s, ok := a.(string); ok && storable(s) != nil {
			return party.Organization{}, orErr(ctx.Err(), pgx.ErrNoRows)
		}
	}
	var version int64
	var data []byte
	if err := d.pool.QueryRow(ctx, sql, args...).Scan(&version, &data); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return party.Organization{}, err
		}
		return party.Organization{}, wrapAs(ctx, "read organization", err, party.ErrConflict)
	}
	var o party.Organization
	if err := json.Unmarshal(data, &o); err != nil {
		return party.Organization{}, fmt.Errorf("postgres: decode organization: %w", err)
	}
	o.Version = version
	return o, nil
}

// checkCustomer refuses a customer whose text PostgreSQL cannot hold or jsonb would change.
func checkCustomer(c party.Customer) error {
	fields := []string{"tenant", c.Tenant, "name", c.Name, "time_zone", c.TimeZone, "segment", c.Segment}
	for _, k := range c.Keys() {
		// Apart: two halves of one character are each invalid, and valid together.
		fields = append(fields, string(k.Kind)+" system", k.System, string(k.Kind), k.Value)
	}
	return checkFields(fields)
}

// checkOrganization refuses an organization whose text PostgreSQL cannot hold.
func checkOrganization(o party.Organization) error {
	fields := []string{"tenant", o.Tenant, "name", o.Name, "segment", o.Segment}
	for _, d := range o.Domains {
		fields = append(fields, "domains", d)
	}
	return checkFields(fields)
}

// checkFields checks pairs of field name and text.
func checkFields(pairs []string) error {
	for i := 0; i < len(pairs); i += 2 {
		if err := storable(pairs[i+1]); err != nil {
			return &party.ValidationError{Field: pairs[i], Reason: err.Error()}
		}
	}
	return nil
}

// storable returns an error for text PostgreSQL cannot store as it is: invalid UTF-8 or a
// NUL byte.
func storable(s string) error {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return errors.New("not valid UTF-8, or holds a NUL byte")
	}
	return nil
}

// keyColumns returns keys as columns: kind, system, value.
func keyColumns(keys []party.Key) (kinds, systems, values []string) {
	for _, k := range keys {
		kinds = append(kinds, string(k.Kind))
		systems = append(systems, k.System)
		values = append(values, k.Value)
	}
	return kinds, systems, values
}

// repeat returns n copies of v.
func repeat[T any](v T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// isUnique reports whether err is a unique violation of the named constraint.
func isUnique(err error, constraint string) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == constraint
}

// orErr returns err, or otherwise when err is nil.
func orErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
