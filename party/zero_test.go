package party_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/supportkit/supportkit/party"
)

// TestServiceNotMadeByNewServiceRefusesEveryCall checks that a Service declared rather than
// made, or a nil one, answers every method with an error wrapping ErrInvalid instead of
// panicking on its missing Directory.
func TestServiceNotMadeByNewServiceRefusesEveryCall(t *testing.T) {
	ctxType := reflect.TypeFor[context.Context]()
	errType := reflect.TypeFor[error]()
	for name, s := range map[string]*party.Service{"zero": {}, "nil": nil} {
		v := reflect.ValueOf(s)
		for i := range v.NumMethod() {
			method, mt := v.Method(i), v.Type().Method(i)
			t.Run(name+"/"+mt.Name, func(t *testing.T) {
				ft := method.Type()
				in := make([]reflect.Value, ft.NumIn())
				for j := range in {
					in[j] = reflect.New(ft.In(j)).Elem()
					if ft.In(j) == ctxType {
						in[j] = reflect.ValueOf(context.Background())
					}
				}
				call := method.Call
				if ft.IsVariadic() {
					call = method.CallSlice
				}
				var out []reflect.Value
				require.NotPanics(t, func() { out = call(in) })
				last := out[len(out)-1]
				if last.Type() != errType {
					return // Directory
				}
				err, _ := last.Interface().(error)
				assert.ErrorIs(t, err, party.ErrInvalid)
			})
		}
	}
	assert.Nil(t, (&party.Service{}).Directory())
}

// TestNilIDFromConfigNewIDIsInvalid checks that a Config.NewID returning the nil UUID stores
// nothing: an organization with the nil ID would be "no organization" to its members.
func TestNilIDFromConfigNewIDIsInvalid(t *testing.T) {
	ctx := context.Background()
	dir := party.NewMemoryDirectory()
	s, err := party.NewService(dir, party.Config{NewID: func() (uuid.UUID, error) { return uuid.Nil, nil }})
	require.NoError(t, err)
	_, err = s.CreateOrganization(ctx, party.NewOrganization{Name: "Acme", Domains: []string{"acme.example"}})
	assert.ErrorIs(t, err, party.ErrInvalid)
	_, _, err = s.CreateCustomer(ctx, party.NewCustomer{Name: "Ann", Emails: []string{"ann@acme.example"}})
	assert.ErrorIs(t, err, party.ErrInvalid)
	_, err = dir.Customer(ctx, party.DefaultTenant, uuid.Nil)
	assert.ErrorIs(t, err, party.ErrNotFound)
	_, err = dir.Organization(ctx, party.DefaultTenant, uuid.Nil)
	assert.ErrorIs(t, err, party.ErrNotFound)
}
