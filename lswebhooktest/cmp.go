package lswebhooktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/seed-d2dfa170/lswebhook"
)

// CmpOptions returns the options for comparing lswebhook events and
// entities with [cmp.Diff] or [cmp.Equal]: [IgnoreRaw], [EquateRawJSON] and
// [EquateTimes]. With them an event built in Go equals the event Decode
// returns for its [Body]:
//
//	if diff := cmp.Diff(want, got, lswebhooktest.CmpOptions()); diff != "" {
//		t.Errorf("event mismatch (-want +got):\n%s", diff)
//	}
//
// Add [IgnoreExtra] to leave out the members the library does not model,
// and [IgnoreTimes] to leave out every time.
func CmpOptions() cmp.Options {
	return cmp.Options{IgnoreRaw(), EquateRawJSON(), EquateTimes()}
}

// eventTypes are the struct types of every event.
func eventTypes() []reflect.Type {
	types := []reflect.Type{reflect.TypeOf(lswebhook.UnknownEvent{})}
	for _, info := range lswebhook.Actions() {
		types = append(types, reflect.TypeOf(info.New()).Elem())
	}
	return types
}

// IgnoreRaw ignores the unexported state of the event types: the bytes an
// event was decoded from (its Raw method), which an event built in Go does
// not have.
func IgnoreRaw() cmp.Option {
	var zeros []any
	for _, t := range eventTypes() {
		zeros = append(zeros, reflect.Zero(t).Interface())
	}
	return cmpopts.IgnoreUnexported(zeros...)
}

// EquateRawJSON compares json.RawMessage values (task data, result values,
// Extra members, ...) by the JSON value they hold, so that
// {"a":1,"b":[2]} equals { "b": [2], "a": 1 }. Numbers are compared by
// their text (1 and 1.0 differ). An empty RawMessage equals only an empty
// one; invalid JSON equals only the same bytes.
func EquateRawJSON() cmp.Option {
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
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errTrailing
	}
	return v, nil
}

var errTrailing = errors.New("lswebhooktest: data after the JSON value")

// EquateTimes compares lswebhook.Time values as instants, so that a time
// read with an offset ("+02:00") equals the same instant in UTC. (Time's
// Equal method does the same; the option states it and keeps it true
// whatever the type's methods.)
func EquateTimes() cmp.Option {
	return cmp.Comparer(func(a, b lswebhook.Time) bool { return a.Time.Equal(b.Time) })
}

// IgnoreTimes ignores every lswebhook.Time and *lswebhook.Time, for
// comparing what two events say regardless of when.
func IgnoreTimes() cmp.Option {
	return cmp.FilterPath(func(p cmp.Path) bool {
		t := p.Last().Type()
		return t == reflect.TypeOf(lswebhook.Time{}) || t == reflect.TypeOf(&lswebhook.Time{})
	}, cmp.Ignore())
}

// IgnoreExtra ignores the Extra field of every event and entity (any
// struct field named Extra of type map[string]json.RawMessage): the
// members the library does not model, which differ between Label Studio
// releases.
func IgnoreExtra() cmp.Option {
	extra := reflect.TypeOf(map[string]json.RawMessage(nil))
	return cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		return ok && sf.Name() == "Extra" && sf.Type() == extra
	}, cmp.Ignore())
}
