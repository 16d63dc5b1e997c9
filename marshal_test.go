package lswebhook_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// TestRoundTrip decodes every valid payload, marshals the event, and
// decodes the result again with validation on: the two events must be
// equal, and the marshalled form must be stable.
func TestRoundTrip(t *testing.T) {
	files := validFixtures(t)
	if len(files) < 40 {
		t.Fatalf("only %d valid fixtures found", len(files))
	}
	for _, path := range files {
		t.Run(path, func(t *testing.T) {
			first, err := lswebhook.Decode(readFile(t, path))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			out, err := json.Marshal(first)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			second, err := lswebhook.Decode(out)
			if err != nil {
				t.Fatalf("Decode of marshalled event: %v\n%s", err, out)
			}
			if diff := cmp.Diff(first, second, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("round trip changed the event (-first +second):\n%s", diff)
			}
			again, err := json.Marshal(second)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(out) {
				t.Errorf("marshalling is not stable:\n%s\n%s", out, again)
			}
		})
	}
}

// TestMarshalExtraInvalid checks that an Extra member holding invalid JSON
// is an error, not a corrupt payload.
func TestMarshalExtraInvalid(t *testing.T) {
	ev := &lswebhook.TasksDeleted{Tasks: []lswebhook.Ref{{ID: 1}}, Extra: map[string]json.RawMessage{"x": raw(`{`)}}
	if b, err := json.Marshal(ev); err == nil {
		t.Errorf("Marshal = %s, want an error", b)
	}
	p := lswebhook.Project{ID: 1, Extra: map[string]json.RawMessage{"y": raw(`nope`)}}
	if b, err := json.Marshal(p); err == nil {
		t.Errorf("Marshal = %s, want an error", b)
	}
}

// TestRoundTripEverything is the round trip as a property: for every JSON
// file under testdata that Decode accepts (valid fixtures, real captures,
// result payloads, adversarial and fuzz-found cases alike), json.Marshal
// of the event gives bytes that Decode accepts and that decode to an equal
// event, reporting the same drift. FuzzDecode checks the same property on
// mutations of these files.
func TestRoundTripEverything(t *testing.T) {
	accepted := 0
	for _, path := range jsonFiles(t, "testdata") {
		first, err := lswebhook.Decode(readFile(t, path))
		if err != nil {
			continue
		}
		accepted++
		byPointer, err1 := json.Marshal(first)
		byValue, err2 := json.Marshal(reflect.ValueOf(first).Elem().Interface())
		if err1 != nil || err2 != nil || string(byPointer) != string(byValue) {
			t.Errorf("%s: json.Marshal of the pointer and of the value differ:\n%s\n%s", path, byPointer, byValue)
		}
		for _, v := range []any{first, reflect.ValueOf(first).Elem().Interface()} {
			out, err := json.Marshal(v)
			if err != nil {
				t.Errorf("%s: Marshal(%T): %v", path, v, err)
				continue
			}
			second, err := lswebhook.Decode(out)
			if err != nil {
				t.Errorf("%s: Decode of Marshal(%T): %v\n%s", path, v, err, out)
				continue
			}
			if diff := cmp.Diff(first, second, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("%s: Marshal(%T) changed the event (-first +second):\n%s", path, v, diff)
			}
			if !reflect.DeepEqual(first.Drift(), second.Drift()) {
				t.Errorf("%s: Marshal(%T) changed the drift from %v to %v", path, v, first.Drift(), second.Drift())
			}
		}
	}
	if accepted < 150 {
		t.Errorf("only %d payloads accepted under testdata", accepted)
	}
	t.Logf("%d payloads round-tripped", accepted)
}
