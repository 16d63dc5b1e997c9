package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	goccy "github.com/goccy/go-json"
	"github.com/minio/simdjson-go"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/valyala/fastjson"
)

// peer is one implementation of the peer benchmark.
type peer struct {
	name string
	// typed says whether it fills Go values (and so must refuse the
	// invalid class) or only checks or parses the syntax.
	typed bool
	// unmarshal, for the peers that fill plain structs, decodes a body
	// into v, a pointer to a plain struct.
	unmarshal func(data []byte, v any) error
	// newDecode, for the others, returns the function that decodes a
	// body. Each benchmark calls it once, so parsers that are meant to be
	// reused are reused within a benchmark.
	newDecode func() func([]byte) error
}

// decoder returns the function the benchmark times for the class whose
// plain struct type is shadow.
func (p peer) decoder(shadow reflect.Type) func([]byte) error {
	if p.unmarshal != nil {
		return func(d []byte) error { return p.unmarshal(d, reflect.New(shadow).Interface()) }
	}
	return p.newDecode()
}

// peers returns the implementations in the order of the table; sonic is
// added where it builds (sonic_test.go).
func peers() []peer {
	skip := lswebhook.Decoder{SkipValidation: true}
	list := []peer{
		{name: "Decode", typed: true, newDecode: func() func([]byte) error {
			return func(d []byte) error { _, err := lswebhook.Decode(d); return err }
		}},
		{name: "SkipValidation", typed: true, newDecode: func() func([]byte) error {
			return func(d []byte) error { _, err := skip.Decode(d); return err }
		}},
		{name: "encoding-json", typed: true, unmarshal: json.Unmarshal},
		{name: "jsonv2", typed: true, unmarshal: func(d []byte, v any) error { return jsonv2.Unmarshal(d, v) }},
		{name: "goccy", typed: true, unmarshal: goccy.Unmarshal},
	}
	list = append(list, sonicPeers...)
	if simdjson.SupportedCPU() {
		list = append(list, peer{name: "simdjson-parse", newDecode: func() func([]byte) error {
			var pj *simdjson.ParsedJson
			return func(d []byte) error {
				var err error
				pj, err = simdjson.Parse(d, pj)
				return err
			}
		}})
	}
	return append(list,
		peer{name: "fastjson-parse", newDecode: func() func([]byte) error {
			var p fastjson.Parser
			return func(d []byte) error { _, err := p.ParseBytes(d); return err }
		}},
		peer{name: "Valid", newDecode: func() func([]byte) error {
			return func(d []byte) error {
				if !json.Valid(d) {
					return errInvalidJSON
				}
				return nil
			}
		}},
	)
}

// errInvalidJSON is the Valid peer's error.
var errInvalidJSON = errors.New("bench: not valid JSON")

// shadowOfClass returns the plain struct type of a class: that of the
// event Decode reads from its body or, for the invalid class (a bulk
// TASKS_CREATED body), from the valid bulk class.
func shadowOfClass(tb testing.TB, p payload) reflect.Type {
	tb.Helper()
	data := p.data
	if !p.valid {
		data = payloadsFor(tb)[3].data
	}
	ev, err := lswebhook.Decode(data)
	if err != nil {
		tb.Fatalf("%s: %v", p.name, err)
	}
	return shadowFor(ev)
}

// TestPeers checks that each peer accepts every valid class, that the
// typed ones refuse the invalid class and the others accept it, and that
// the peers that fill plain structs read the same values as Decode: the
// benchmark compares like with like.
func TestPeers(t *testing.T) {
	list := peers()
	if len(list) < 8 {
		t.Errorf("%d peers, want at least 8", len(list))
	}
	for _, p := range payloadsFor(t) {
		shadow := shadowOfClass(t, p)
		for _, impl := range list {
			err := impl.decoder(shadow)(p.data)
			switch {
			case p.valid && err != nil:
				t.Errorf("%s/%s: %v", p.name, impl.name, err)
			case !p.valid && impl.typed && err == nil:
				t.Errorf("%s/%s: accepted the invalid body", p.name, impl.name)
			case !p.valid && !impl.typed && err != nil:
				t.Errorf("%s/%s: refused a well-formed body: %v", p.name, impl.name, err)
			}
		}
		if !p.valid {
			continue
		}
		ev, err := lswebhook.Decode(p.data)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		want := viaJSON(t, ev)
		// And the other way: the classes hold no member beyond the Go
		// types, so the plain structs must read every value Decode reads
		// but the action, which no struct field holds; a plain struct
		// that skipped an entity would make its peer's work look cheaper.
		wantAll := viaJSON(t, ev)
		delete(wantAll.(map[string]any), "action")
		for _, impl := range list {
			if impl.unmarshal == nil {
				continue
			}
			v := reflect.New(shadow).Interface()
			if err := impl.unmarshal(p.data, v); err != nil {
				continue // reported above
			}
			got := viaJSON(t, v)
			if ptr := notSubset(got, want, ""); ptr != "-" {
				t.Errorf("%s/%s: reads another value than Decode at %q", p.name, impl.name, ptr)
			}
			if ptr := notSubset(wantAll, got, ""); ptr != "-" {
				t.Errorf("%s/%s: does not read the value Decode reads at %q", p.name, impl.name, ptr)
			}
		}
	}
}

// viaJSON returns v marshalled by encoding/json and read back into an any.
func viaJSON(tb testing.TB, v any) any {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// notSubset returns "-" if every value in a (a plain struct's reading,
// which drops unknown members) is in b (Decode's, which keeps them), or
// else the JSON Pointer of the first difference.
func notSubset(a, b any, ptr string) string {
	am, ok1 := a.(map[string]any)
	bm, ok2 := b.(map[string]any)
	if ok1 && ok2 {
		for k, av := range am {
			if p := notSubset(av, bm[k], ptr+"/"+k); p != "-" {
				return p
			}
		}
		return "-"
	}
	aa, ok1 := a.([]any)
	ba, ok2 := b.([]any)
	if ok1 && ok2 && len(aa) == len(ba) {
		for i := range aa {
			if p := notSubset(aa[i], ba[i], fmt.Sprintf("%s/%d", ptr, i)); p != "-" {
				return p
			}
		}
		return "-"
	}
	if reflect.DeepEqual(a, b) {
		return "-"
	}
	return ptr
}
