package bench

import (
	"encoding/json"
	"reflect"
	"sync"

	"github.com/seed-d2dfa170/lswebhook"
)

// The peers that fill structs decode into "plain structs": the library's
// event structs rebuilt with reflect.StructOf, with the same exported
// fields and json tags but no methods (the library's structs have
// UnmarshalJSON methods that route through its own reader), and
// timestamps and secrets as strings. That is what a hand-written struct
// set costs.

var (
	shadowMu    sync.Mutex
	shadowTypes = map[reflect.Type]reflect.Type{}
	timeType    = reflect.TypeOf(lswebhook.Time{})
	secretType  = reflect.TypeOf(lswebhook.Secret{})
	rawType     = reflect.TypeOf(json.RawMessage(nil))
)

// shadowOf returns the plain counterpart of t; shadowMu must be held.
func shadowOf(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Pointer:
		return reflect.PointerTo(shadowOf(t.Elem()))
	case reflect.Slice:
		if t == rawType {
			return t
		}
		return reflect.SliceOf(shadowOf(t.Elem()))
	case reflect.Map:
		return reflect.MapOf(t.Key(), shadowOf(t.Elem()))
	case reflect.Struct:
		if t == timeType || t == secretType {
			return reflect.TypeOf("")
		}
		if s, ok := shadowTypes[t]; ok {
			return s
		}
		var fields []reflect.StructField
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fields = append(fields, reflect.StructField{Name: f.Name, Type: shadowOf(f.Type), Tag: f.Tag, Anonymous: f.Anonymous})
		}
		s := reflect.StructOf(fields)
		shadowTypes[t] = s
		return s
	default:
		return t
	}
}

// shadowFor returns the plain struct type of an event's Go type.
func shadowFor(ev lswebhook.Event) reflect.Type {
	shadowMu.Lock()
	defer shadowMu.Unlock()
	return shadowOf(reflect.TypeOf(ev).Elem())
}
