// Package lswebhookcmp provides [github.com/google/go-cmp/cmp] options for
// comparing lswebhook values in tests.
//
// Events keep the bytes they were decoded from in an unexported field, and
// several fields hold raw JSON whose formatting may differ between two
// equal values (a payload as sent, and the same payload after a marshal
// round trip). [Options] makes cmp ignore the former and compare the latter
// by JSON meaning:
//
//	if diff := cmp.Diff(want, got, lswebhookcmp.Options()); diff != "" {
//		t.Errorf("event mismatch (-want +got):\n%s", diff)
//	}
package lswebhookcmp

import (
	"bytes"
	"encoding/json"
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/seed-d2dfa170/lswebhook"
)

// Options returns the options for comparing events and entities: the raw
// bytes of events are ignored, and json.RawMessage values are equal when
// they encode the same JSON value (object key order and white space aside;
// numbers are compared by their literal text).
func Options() cmp.Options {
	return cmp.Options{IgnoreRaw(), RawJSONEqual()}
}

// IgnoreRaw ignores the unexported state of every event type, that is the
// bytes returned by Event.Raw.
func IgnoreRaw() cmp.Option {
	types := []any{&lswebhook.UnknownEvent{}}
	for _, info := range lswebhook.Actions() {
		types = append(types, reflect.New(info.Type.Elem()).Interface())
	}
	for i, t := range types {
		types[i] = reflect.ValueOf(t).Elem().Interface()
	}
	return cmpopts.IgnoreUnexported(types...)
}

// RawJSONEqual compares json.RawMessage values by the JSON value they
// encode. A nil RawMessage equals only another nil one (or an empty one).
func RawJSONEqual() cmp.Option {
	return cmp.Comparer(func(a, b json.RawMessage) bool {
		if len(a) == 0 || len(b) == 0 {
			return len(a) == len(b)
		}
		if bytes.Equal(a, b) {
			return true
		}
		va, errA := decodeAny(a)
		vb, errB := decodeAny(b)
		if errA != nil || errB != nil {
			return false
		}
		return cmp.Equal(va, vb)
	})
}

func decodeAny(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}
