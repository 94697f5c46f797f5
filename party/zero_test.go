package party_test

import (
	"context"
	"reflect"
	"testing"

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
