package ticket

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// MemoryStore is the in-memory Store and Eraser: the default, and the reference for the Store
// contract. It is safe for concurrent use. Listing uses indexes on tenant, status, priority,
// assignee, group, requester, organization and tag, so a filtered first page costs about the
// same at any store size; a query with only UpdatedSince walks all the tenant's tickets.
// Every value it returns is a copy. The zero MemoryStore is an empty store, as NewMemoryStore
// returns.
type MemoryStore struct {
	mu       sync.RWMutex
	tickets  map[uuid.UUID]*record
	byNumber map[string]uuid.UUID // tenantKey(tenant, number) -> ID
	byKey    map[string]keyed     // tenantKey(tenant, creation key) -> ticket
	index    map[string]*idSet    // "s:open", "g:network", ... -> IDs (of every tenant)
	tenants  map[string]*idSet    // tenant -> its tickets
	seq      map[string]int64     // tenant -> last number sequence value
	log      []logRef             // the change feed: every committed event in commit order
	changed  chan struct{}        // closed and replaced when events are committed; nil until waited on
	// byMessage maps tenantKey(tenant, email Message-ID) to tickets (MessageIndex); made on
	// first use
	byMessage map[string]uuid.UUID
}

// tenantKey scopes a number or key to a tenant; tenants and keys hold no NUL.
func tenantKey(tenant, k string) string { return tenant + "\x00" + k }

// keyed is the ticket a creation key made, and the fingerprint of the request.
type keyed struct {
	id          uuid.UUID
	fingerprint string
}

type record struct {
	ticket   Ticket
	comments []Comment
	events   []Event
	key      string // tenantKey(tenant, creation key) in byKey; "" for none or once redacted
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	m := &MemoryStore{}
	m.init()
	return m
}

// init makes the maps of a zero MemoryStore; m.mu is held for writing (or m is new).
func (m *MemoryStore) init() {
	if m.tickets != nil {
		return
	}
	m.tickets = make(map[uuid.UUID]*record)
	m.byNumber = make(map[string]uuid.UUID)
	m.byKey = make(map[string]keyed)
	m.index = make(map[string]*idSet)
	m.tenants = make(map[string]*idSet)
	m.seq = make(map[string]int64)
}

var (
	_ Store          = (*MemoryStore)(nil)
	_ LogReader      = (*MemoryStore)(nil)
	_ LogsReader     = (*MemoryStore)(nil)
	_ CommentsReader = (*MemoryStore)(nil)
)

// Create implements Store. A Creation without a Number function gives ErrInvalid.
func (m *MemoryStore) Create(ctx context.Context, c Creation) (Ticket, bool, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, false, err
	}
	if c.Number == nil {
		return Ticket{}, false, invalid("Creation.Number", "nil")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	tenant := c.Ticket.Tenant
	if c.Key != "" {
		if k, ok := m.byKey[tenantKey(tenant, c.Key)]; ok {
			if k.fingerprint != c.Fingerprint {
				return Ticket{}, false, &KeyReuseError{What: "ticket"}
			}
			return m.tickets[k.id].ticket.Clone(), false, nil
		}
	}
	if _, ok := m.tickets[c.Ticket.ID]; ok {
		return Ticket{}, false, &ConflictError{ID: c.Ticket.ID}
	}
	t := c.Ticket.Clone()
	t.Number = c.Number(m.seq[tenant] + 1)
	if _, ok := m.byNumber[tenantKey(tenant, t.Number)]; ok {
		return Ticket{}, false, &ConflictError{ID: t.ID}
	}
	m.seq[tenant]++
	t.Version = 1
	r := &record{ticket: t}
	for _, cm := range c.Comments {
		r.comments = append(r.comments, cm.Clone())
	}
	for _, e := range c.Events {
		r.events = append(r.events, e.Clone())
	}
	m.tickets[t.ID] = r
	m.byNumber[tenantKey(tenant, t.Number)] = t.ID
	if c.Key != "" {
		r.key = tenantKey(tenant, c.Key)
		m.byKey[r.key] = keyed{id: t.ID, fingerprint: c.Fingerprint}
	}
	m.indexAdd(t)
	if m.tenants[tenant] == nil {
		m.tenants[tenant] = &idSet{}
	}
	m.tenants[tenant].add(t.ID)
	m.logEvents(r, 0)
	m.notify()
	return t.Clone(), true, nil
}

// Update implements Store.
func (m *MemoryStore) Update(ctx context.Context, changes ...Change) ([]Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, c := range changes {
		r, ok := m.tickets[c.Ticket.ID]
		if !ok {
			return nil, NotFound(c.Ticket.ID)
		}
		if r.ticket.Version != c.Ticket.Version {
			return nil, &ConflictError{ID: c.Ticket.ID, Have: c.Ticket.Version}
		}
		for _, prev := range changes[:i] {
			if prev.Ticket.ID == c.Ticket.ID {
				return nil, &ConflictError{ID: c.Ticket.ID, Have: c.Ticket.Version}
			}
		}
	}
	out := make([]Ticket, 0, len(changes))
	for _, c := range changes {
		r := m.tickets[c.Ticket.ID]
		t := c.Ticket.Clone()
		t.Number, t.Tenant = r.ticket.Number, r.ticket.Tenant
		t.Version = r.ticket.Version + 1
		m.reindex(r.ticket, t)
		r.ticket = t
		for _, cm := range c.Comments {
			r.comments = append(r.comments, cm.Clone())
		}
		from := len(r.events)
		for _, e := range c.Events {
			r.events = append(r.events, e.Clone())
		}
		m.logEvents(r, from)
		out = append(out, t.Clone())
	}
	m.notify()
	return out, nil
}

// Ticket implements Store.
func (m *MemoryStore) Ticket(ctx context.Context, id uuid.UUID) (Ticket, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.tickets[id]
	if !ok {
		return Ticket{}, NotFound(id)
	}
	return r.ticket.Clone(), nil
}

// TicketByNumber implements Store.
func (m *MemoryStore) TicketByNumber(ctx context.Context, tenant, number string) (Ticket, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	id, ok := m.byNumber[tenantKey(tenant, number)]
	if !ok {
		return Ticket{}, &NotFoundError{What: "ticket", Key: number}
	}
	return m.tickets[id].ticket.Clone(), nil
}

// Comments implements Store.
func (m *MemoryStore) Comments(ctx context.Context, id uuid.UUID) ([]Comment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.tickets[id]
	if !ok {
		return nil, NotFound(id)
	}
	out := make([]Comment, len(r.comments))
	for i, c := range r.comments {
		out[i] = c.Clone()
	}
	return out, nil
}

// CommentsByRef implements CommentsReader.
func (m *MemoryStore) CommentsByRef(ctx context.Context, refs []CommentRef) (map[uuid.UUID]Comment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]Comment, len(refs))
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, ref := range refs {
		r, ok := m.tickets[ref.Ticket]
		if !ok {
			continue
		}
		for _, c := range r.comments {
			if c.ID == ref.Comment {
				out[c.ID] = c.Clone()
				break
			}
		}
	}
	return out, nil
}

// Events implements Store.
func (m *MemoryStore) Events(ctx context.Context, id uuid.UUID, after int64) ([]Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.tickets[id]
	if !ok {
		return nil, NotFound(id)
	}
	i, _ := slices.BinarySearchFunc(r.events, after, func(e Event, after int64) int {
		return cmp.Compare(e.Seq, after+1)
	})
	out := make([]Event, 0, len(r.events)-i)
	for _, e := range r.events[i:] {
		out = append(out, e.Clone())
	}
	return out, nil
}

// TicketLog implements LogReader: the events it returns are the store's own, which the
// store never writes to again (an erasure writes a new copy of the log).
func (m *MemoryStore) TicketLog(ctx context.Context, id uuid.UUID) (Ticket, []Event, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.tickets[id]
	if !ok {
		return Ticket{}, nil, NotFound(id)
	}
	return r.ticket.Clone(), slices.Clip(r.events), nil
}

// TicketLogs implements LogsReader, sharing the events as TicketLog does.
func (m *MemoryStore) TicketLogs(ctx context.Context, ids []uuid.UUID) ([]Log, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ids = slices.Clone(ids)
	slices.SortFunc(ids, compareID)
	ids = slices.Compact(ids)
	out := make([]Log, 0, len(ids))
	m.mu.RLock()
	defer m.mu.RUnlock()
	for _, id := range ids {
		if r, ok := m.tickets[id]; ok {
			out = append(out, Log{Ticket: r.ticket.Clone(), Events: slices.Clip(r.events)})
		}
	}
	return out, nil
}

// List implements Store. It walks the smallest index among the query's tenant and filters
// (a Visibility counts as the union of its indexes) from the cursor and checks the remaining
// filters on each candidate. Limit is capped at 1000.
func (m *MemoryStore) List(ctx context.Context, q Query) (Page, error) {
	if err := ctx.Err(); err != nil {
		return Page{}, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	m.mu.RLock()
	defer m.mu.RUnlock()
	set := m.candidates(q)
	page := Page{Tickets: make([]Ticket, 0, min(limit, set.len()))}
	set.after(q.After, func(id uuid.UUID) bool {
		t := &m.tickets[id].ticket
		if !q.matches(t) {
			return true
		}
		if len(page.Tickets) == limit {
			page.Next = page.Tickets[limit-1].ID
			return false
		}
		page.Tickets = append(page.Tickets, t.Clone())
		return true
	})
	return page, nil
}

// candidates returns the IDs to walk for q: the smallest index among its tenant and filters
// (a filter with several values is the union of their indexes).
func (m *MemoryStore) candidates(q Query) idSets {
	best := idSets{m.tenants[q.Tenant]}
	size := best.len()
	union := func(u idSets, prefix string, values ...string) idSets {
		for _, v := range values {
			if s := m.index[prefix+v]; s != nil {
				u = append(u, s)
			}
		}
		return u
	}
	consider := func(prefix string, values ...string) {
		u := union(nil, prefix, values...)
		if n := u.len(); n < size {
			best, size = u, n
		}
	}
	if v := q.Visible; v != nil {
		u := union(nil, "r:", lowered(v.Requesters)...)
		u = union(u, "o:", v.Organizations...)
		u = union(u, "g:", v.Groups...)
		u = union(u, "a:", v.Assignees...)
		if n := u.len(); n < size {
			best, size = u, n
		}
	}
	if q.Organization != "" {
		consider("o:", q.Organization)
	}
	if len(q.Statuses) > 0 {
		consider("s:", strs(q.Statuses)...)
	}
	if len(q.Priorities) > 0 {
		consider("p:", strs(q.Priorities)...)
	}
	if q.Assignee != "" {
		consider("a:", q.Assignee)
	}
	if q.Group != "" {
		consider("g:", q.Group)
	}
	if q.Requester != "" {
		consider("r:", strings.ToLower(q.Requester))
	}
	if q.Tag != "" {
		consider("t:", q.Tag)
	}
	return best
}

func lowered(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.ToLower(v)
	}
	return out
}

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func indexKeys(t Ticket) []string {
	keys := []string{"s:" + string(t.Status), "p:" + string(t.Priority)}
	if t.Assignee != "" {
		keys = append(keys, "a:"+t.Assignee)
	}
	if t.Group != "" {
		keys = append(keys, "g:"+t.Group)
	}
	if t.Requester.ID != "" {
		keys = append(keys, "r:"+strings.ToLower(t.Requester.ID))
	}
	if t.Requester.Email != "" {
		keys = append(keys, "r:"+strings.ToLower(t.Requester.Email))
	}
	if t.Requester.Organization != "" {
		keys = append(keys, "o:"+t.Requester.Organization)
	}
	for _, tag := range t.Tags {
		keys = append(keys, "t:"+tag)
	}
	return keys
}

func (m *MemoryStore) indexAdd(t Ticket) {
	for _, k := range indexKeys(t) {
		m.indexKey(k, t.ID)
	}
}

// reindex moves a ticket's index entries from its old keys to its new ones, touching only the
// keys that changed.
func (m *MemoryStore) reindex(old, t Ticket) {
	before, after := indexKeys(old), indexKeys(t)
	for _, k := range before {
		if !slices.Contains(after, k) {
			m.unindex(k, t.ID)
		}
	}
	for _, k := range after {
		if !slices.Contains(before, k) {
			m.indexKey(k, t.ID)
		}
	}
}

func (m *MemoryStore) indexKey(k string, id uuid.UUID) {
	s := m.index[k]
	if s == nil {
		s = &idSet{}
		m.index[k] = s
	}
	s.add(id)
}

func (m *MemoryStore) unindex(k string, id uuid.UUID) {
	if s := m.index[k]; s != nil {
		s.remove(id)
		if s.len() == 0 {
			delete(m.index, k)
		}
	}
}

var _ Eraser = (*MemoryStore)(nil)

// Mentioning implements Eraser by reading every ticket of the tenant.
func (m *MemoryStore) Mentioning(ctx context.Context, tenant string, terms []string) ([]uuid.UUID, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []uuid.UUID
	idSets{m.tenants[tenant]}.after(uuid.Nil, func(id uuid.UUID) bool {
		r := m.tickets[id]
		if Mentions(r.ticket, r.comments, r.events, terms) {
			out = append(out, id)
		}
		return true
	})
	return out, nil
}

// Redact implements Eraser; it forgets the ticket's creation key and fingerprint.
func (m *MemoryStore) Redact(ctx context.Context, rd Redaction) (Ticket, error) {
	if err := ctx.Err(); err != nil {
		return Ticket{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.tickets[rd.Ticket.ID]
	if !ok {
		return Ticket{}, NotFound(rd.Ticket.ID)
	}
	ci, ei, err := checkRedaction(rd, r.ticket, r.comments, r.events)
	if err != nil {
		return Ticket{}, err
	}
	t := rd.Ticket.Clone()
	t.Number, t.Tenant = r.ticket.Number, r.ticket.Tenant
	t.Version = r.ticket.Version + 1
	m.reindex(r.ticket, t)
	r.ticket = t
	for i, c := range rd.Comments {
		r.comments[ci[i]] = c.Clone()
	}
	if len(rd.Events) > 0 {
		r.events = slices.Clone(r.events) // TicketLog's readers keep the log they read
	}
	for i, e := range rd.Events {
		r.events[ei[i]] = e.Clone()
	}
	r.events = append(r.events, rd.Erased.Clone())
	if r.key != "" {
		delete(m.byKey, r.key)
		r.key = ""
	}
	m.logEvents(r, len(r.events)-1)
	m.notify()
	return t.Clone(), nil
}
