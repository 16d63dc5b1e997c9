package lswebhook_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

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
