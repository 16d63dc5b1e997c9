package lswebhook_test

import (
	"encoding/json"
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

// TestEntityUnmarshalJSON checks that json.Unmarshal into the entity types
// uses the same exact-key reading as Decode.
func TestEntityUnmarshalJSON(t *testing.T) {
	var task lswebhook.Task
	err := json.Unmarshal([]byte(`{"id": 5, "ID": 6, "data": {"text": "a"}, "created_at": "2024-01-02T03:04:05Z", "updated_at": null}`), &task)
	if err != nil {
		t.Fatal(err)
	}
	want := lswebhook.Task{
		ID: 5, Data: raw(`{"text":"a"}`), CreatedAt: tm(t, "2024-01-02T03:04:05Z"),
		Extra: map[string]json.RawMessage{"ID": raw(`6`)},
	}
	if diff := cmp.Diff(want, task, lswebhooktest.CmpOptions()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var a lswebhook.Annotation
	if err := json.Unmarshal([]byte(`{"id": "x"}`), &a); err == nil {
		t.Errorf("json.Unmarshal of a string id into Annotation succeeded")
	}
	var r lswebhook.Ref
	if err := json.Unmarshal([]byte(`{"id": 1, "id": 2}`), &r); err == nil {
		t.Errorf("json.Unmarshal accepted a repeated key")
	}
	var data struct{ Text string }
	if err := task.UnmarshalData(&data); err != nil || data.Text != "a" {
		t.Errorf("UnmarshalData = %+v, %v", data, err)
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
