package lswebhook_test

import (
	"errors"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// The schema policy: a member is required only when an event cannot be
// interpreted without it; other members are typed when present, and those
// Label Studio 1.23 sends but a payload lacks are drift, not errors. These
// tests take real 1.23.2 captures and change them the way other senders
// and releases do.

// capture returns a real 1.23.2 delivery as a generic value.
func capture(t *testing.T, name string) map[string]any {
	t.Helper()
	var m map[string]any
	readJSON(t, "testdata/labelstudio-1.23.2/"+name, &m)
	return m
}

// TestPartialResultItem: Label Studio accepts any list as an annotation's
// result (its own webhook test posts {"value": {"choices": [...]}}) and
// sends it back; the event decodes, with the item kept raw.
func TestPartialResultItem(t *testing.T) {
	m := capture(t, "018-ANNOTATION_CREATED-project.json")
	ann := m["annotation"].(map[string]any)
	results := ann["result"].([]any)
	if len(results) == 0 {
		t.Fatal("the capture has no result")
	}
	results[0] = map[string]any{"value": map[string]any{"choices": []any{"x"}}}
	ev, err := lswebhook.Decode(encode(t, m))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	r := ev.(*lswebhook.AnnotationCreated).Annotation.Result[0]
	if r.Type != "" || r.FromName != "" || string(r.Value) != `{"choices":["x"]}` {
		t.Errorf("partial item decoded as %+v", r)
	}
	// An item without a type has no typed value: lsresult gives it back
	// raw, as Unknown.
	if v, err := lsresult.Parse(&r); err != nil {
		t.Errorf("lsresult.Parse of a partial item: %v", err)
	} else if u, ok := v.(*lsresult.Unknown); !ok || string(u.Value) != `{"choices":["x"]}` {
		t.Errorf("lsresult.Parse of a partial item = %#v, want *lsresult.Unknown with the value", v)
	}
	// Typed when present: a type that is not a string is still refused.
	results[0] = map[string]any{"type": 7, "value": map[string]any{}}
	_, err = lswebhook.Decode(encode(t, m))
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Pointer != "/annotation/result/0/type" {
		t.Errorf("Decode of a numeric result type = %v, want a problem at /annotation/result/0/type", err)
	}
}

// TestDrift: a project without show_ground_truth_first (deprecated in
// favour of annotator_evaluation_enabled) decodes, and the missing member
// is reported as drift; DisallowDrift makes it an error.
func TestDrift(t *testing.T) {
	m := capture(t, "018-ANNOTATION_CREATED-project.json")
	delete(m["project"].(map[string]any), "show_ground_truth_first")
	body := encode(t, m)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := lswebhook.Problem{Pointer: "/project/show_ground_truth_first", Message: "member missing (Label Studio 1.23 sends it)"}
	if d := ev.Drift(); len(d) != 1 || d[0] != want {
		t.Errorf("Drift() = %v, want [%v]", d, want)
	}
	strict := lswebhook.Decoder{DisallowDrift: true}
	_, err = strict.Decode(body)
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0] != want {
		t.Errorf("DisallowDrift: %v, want the drift as the problem", err)
	}
	// The unchanged capture has no drift, even under DisallowDrift.
	orig := readFile(t, "testdata/labelstudio-1.23.2/018-ANNOTATION_CREATED-project.json")
	if ev, err := strict.Decode(orig); err != nil || ev.Drift() != nil {
		t.Errorf("the real capture: %v, drift %v", err, ev.Drift())
	}
}

// TestNullAnnotationIDs: Label Studio 1.7 to 1.13 on SQLite send
// ANNOTATIONS_CREATED from "create annotations from predictions" with
// "id": null on every annotation (bulk_create leaves the keys unset). The
// annotations arrive, with ID 0.
func TestNullAnnotationIDs(t *testing.T) {
	m := capture(t, "035-ANNOTATIONS_CREATED-org.json")
	anns := m["annotation"].([]any)
	for _, a := range anns {
		a.(map[string]any)["id"] = nil
	}
	ev, err := lswebhook.Decode(encode(t, m))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	got := ev.(*lswebhook.AnnotationsCreated).Annotations
	if len(got) != len(anns) || len(got) == 0 {
		t.Fatalf("%d annotations, want %d", len(got), len(anns))
	}
	for i, a := range got {
		if a.ID != 0 || len(a.Result) == 0 {
			t.Errorf("annotation %d: ID %d with %d results, want ID 0 and its results", i, a.ID, len(a.Result))
		}
	}
	// A string id is still refused: null is the one exception.
	anns[0].(map[string]any)["id"] = "7"
	if _, err := lswebhook.Decode(encode(t, m)); err == nil {
		t.Error("Decode accepted a string annotation id")
	}
}
