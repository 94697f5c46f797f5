package partytest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

// TestDirectory runs the conformance suite against directories made by newDirectory, which
// must return a new, empty Directory for each call (the test it is given may register
// cleanups).
func TestDirectory(t *testing.T, newDirectory func(t *testing.T) party.Directory) {
	t.Helper()
	for _, c := range directoryCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newSetup(t, newDirectory)) })
	}
	for _, c := range serviceCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newSetup(t, newDirectory)) })
	}
	for _, c := range tenantCases {
		t.Run(c.name, func(t *testing.T) { c.run(t, newSetup(t, newDirectory)) })
	}
}

type testCase struct {
	name string
	run  func(t *testing.T, s *setup)
}

// setup is one test's bundle: a fresh directory, a Service over it with a fixed clock.
type setup struct {
	ctx   context.Context
	dir   party.Directory
	svc   *party.Service
	clock *clock
}

func newSetup(t *testing.T, newDirectory func(t *testing.T) party.Directory) *setup {
	dir := newDirectory(t)
	c := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	svc, err := party.NewService(dir, party.Config{Now: c.Now, NewID: c.NewID, CallingCode: "7"})
	require.NoError(t, err)
	return &setup{ctx: context.Background(), dir: dir, svc: svc, clock: c}
}

// clock is a fixed clock that makes distinct, time-ordered version 7 IDs. It is safe for
// concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
	n   atomic.Uint64
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *clock) NewID() (uuid.UUID, error) {
	var id uuid.UUID
	binary.BigEndian.PutUint64(id[0:8], uint64(c.Now().UnixMilli())<<16)
	id[6] = 0x70
	binary.BigEndian.PutUint64(id[8:16], c.n.Add(1))
	id[8] = 0x80
	return id, nil
}

// rawCustomer builds a customer to give the Directory directly, with normalized contacts.
func (s *setup) rawCustomer(t *testing.T, tenant, name string, emails ...string) party.Customer {
	id, err := s.clock.NewID()
	require.NoError(t, err)
	return party.Customer{ID: id, Tenant: tenant, Name: name, Emails: emails, CreatedAt: s.clock.Now(), UpdatedAt: s.clock.Now()}
}

// create stores a new customer through the Service and requires that it was created.
func (s *setup) create(t *testing.T, nc party.NewCustomer) party.Customer {
	c, created, err := s.svc.CreateCustomer(s.ctx, nc)
	require.NoError(t, err)
	require.True(t, created, "a customer with the same contacts already exists")
	return c
}

func emailKey(email string) party.Key { return party.Key{Kind: party.KeyEmail, Value: email} }

func requireNotFound(t *testing.T, err error, msg ...any) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, party.ErrNotFound, msg...)
	var nf *party.NotFoundError
	assert.True(t, errors.As(err, &nf), "not a *party.NotFoundError: %v", err)
}

func requireConflict(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, party.ErrConflict)
}

func name(i int) string { return fmt.Sprintf("Customer %d", i) }
