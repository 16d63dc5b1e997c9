package lswebhooktest_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

func TestEquateRawJSON(t *testing.T) {
	eq := lswebhooktest.EquateRawJSON()
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{`{"a":1,"b":[2]}`, `{ "b": [2], "a": 1 }`, true},
		{`{"a": "\u00e9"}`, `{"a":"é"}`, true},
		{`{"a":1}`, `{"a":1.0}`, false},
		{`{"a":1}`, `{"a":2}`, false},
		{`[1,2]`, `[2,1]`, false},
		{``, ``, true},
		{``, `null`, false},
		{`{"a":`, `{"a":`, true},
		{`{"a":`, `{"a": `, false},
		{`{} {}`, `{}`, false},
	} {
		if got := cmp.Equal(json.RawMessage(tt.a), json.RawMessage(tt.b), eq); got != tt.want {
			t.Errorf("%s vs %s: %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestEquateTimes(t *testing.T) {
	utc := lswebhook.Time{Time: time.Date(2026, 11, 24, 5, 25, 15, 0, time.UTC)}
	paris := lswebhook.Time{Time: utc.In(time.FixedZone("CET", 3600))}
	if reflect.DeepEqual(utc, paris) { // the fields differ
		t.Fatal("the two values are identical")
	}
	if !cmp.Equal(utc, paris, lswebhooktest.EquateTimes()) {
		t.Error("one instant in two zones differs")
	}
	if cmp.Equal(utc, lswebhook.Time{Time: utc.Add(time.Microsecond)}, lswebhooktest.EquateTimes()) {
		t.Error("two instants compare equal")
	}
}

func TestIgnoreOptions(t *testing.T) {
	a := lswebhooktest.AnnotationCreated()
	b := lswebhooktest.AnnotationCreated(lswebhooktest.Seq(1))
	b.Annotation.ID, b.Annotation.Task, b.Task.ID, b.Task.InnerID = a.Annotation.ID, a.Annotation.Task, a.Task.ID, a.Task.InnerID
	b.Annotation.UniqueID, b.Task.Data = a.Annotation.UniqueID, a.Task.Data
	// Now only the times differ.
	if cmp.Equal(a, b, lswebhooktest.CmpOptions()) {
		t.Fatal("events with other times compare equal")
	}
	if diff := cmp.Diff(a, b, lswebhooktest.CmpOptions(), lswebhooktest.IgnoreTimes()); diff != "" {
		t.Errorf("IgnoreTimes: %s", diff)
	}

	c := lswebhooktest.AnnotationCreated()
	c.Extra = map[string]json.RawMessage{"new_member": json.RawMessage(`1`)}
	c.Project.Extra = nil
	c.Annotation.Result[0].Extra = map[string]json.RawMessage{"x": json.RawMessage(`true`)}
	if cmp.Equal(a, c, lswebhooktest.CmpOptions()) {
		t.Fatal("events with other Extra compare equal")
	}
	if diff := cmp.Diff(a, c, lswebhooktest.CmpOptions(), lswebhooktest.IgnoreExtra()); diff != "" {
		t.Errorf("IgnoreExtra: %s", diff)
	}

	// IgnoreRaw: a decoded event has its bytes, a built one has none.
	got, err := lswebhook.Decode(lswebhooktest.Body(a))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Raw()) == 0 || a.Raw() != nil {
		t.Fatal("Raw not set as expected")
	}
	if !cmp.Equal(lswebhook.Event(a), got, lswebhooktest.CmpOptions()) {
		t.Error("built and decoded events differ")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("without IgnoreRaw cmp compared the unexported bytes")
			}
		}()
		cmp.Equal(lswebhook.Event(a), got, lswebhooktest.EquateRawJSON(), lswebhooktest.EquateTimes())
	}()
}
