package bind

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

type stamp struct{ s string }

type inner struct {
	N int64 `json:"n"`
}

type base struct {
	ID int64 `json:"id"`
}

type record struct {
	base
	Name   string                     `json:"name"`
	Score  float64                    `json:"score"`
	On     *bool                      `json:"on"`
	Tags   []string                   `json:"tags"`
	Inner  *inner                     `json:"inner"`
	Counts map[string]int64           `json:"counts"`
	When   stamp                      `json:"when"`
	Data   json.RawMessage            `json:"data"`
	Any    any                        `json:"any"`
	Skip   string                     `json:"-"`
	Extra  map[string]json.RawMessage `json:"-"`
}

var stampHook = &Hook{Want: "stamp string", Keep: true, String: func(dst unsafe.Pointer, s string) error {
	if !strings.HasPrefix(s, "@") {
		return errors.New("stamp " + s + " lacks its @")
	}
	*(*stamp)(dst) = stamp{s}
	return nil
}}

func decode(t *testing.T, b *Binder, keys *jsontape.Keys, doc, skip string, limit int) (record, []jsontape.Problem, int) {
	t.Helper()
	tp, err := jsontape.Parse([]byte(doc), 100, keys)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Release()
	var r record
	ps, total := b.Decode(tp, 0, &r, skip, limit)
	return r, ps, total
}

// TestDecode stores a document in a struct of every supported kind, with
// and without key ids, and checks the values, Extra and the skipped member.
func TestDecode(t *testing.T) {
	doc := `{"kind": "k", "id": 7, "name": "caf\u00e9", "score": 1.5, "on": true, "tags": ["a", "b"], "inner": {"n": -3},
		"counts": {"x": 1}, "when": "@noon", "data": {"k": [1, 2]}, "any": [1, "s", null], "Name": "other", "Skip": "kept"}`
	keys := jsontape.NewKeys(MemberNames(reflect.TypeOf(record{})))
	for _, k := range []*jsontape.Keys{nil, keys} {
		b := New(k, map[reflect.Type]*Hook{reflect.TypeOf(stamp{}): stampHook})
		r, ps, total := decode(t, b, k, doc, "kind", 10)
		if total != 0 || len(ps) != 0 {
			t.Fatalf("problems: %v", ps)
		}
		on := true
		want := record{base: base{ID: 7}, Name: "café", Score: 1.5, On: &on, Tags: []string{"a", "b"}, Inner: &inner{N: -3},
			Counts: map[string]int64{"x": 1}, When: stamp{"@noon"}, Data: json.RawMessage(`{"k": [1, 2]}`),
			Any:   []any{json.Number("1"), "s", nil},
			Extra: map[string]json.RawMessage{"Name": json.RawMessage(`"other"`), "Skip": json.RawMessage(`"kept"`)}}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("keys %v:\ngot  %+v\nwant %+v", k != nil, r, want)
		}
		if !b.HasField(reflect.TypeOf(record{}), "name") || b.HasField(reflect.TypeOf(record{}), "kind") {
			t.Error("HasField is wrong")
		}
		if k != nil && b.plan(reflect.TypeOf(record{})).fieldOfKey == nil {
			t.Error("the plan has no key index though every name has an id")
		}
	}
}

// TestDecodeProblems checks that every value the Go types cannot hold is
// a problem at its pointer, that the limit keeps the first and the total
// counts them all, and that null stores zero values.
func TestDecodeProblems(t *testing.T) {
	b := New(nil, map[reflect.Type]*Hook{reflect.TypeOf(stamp{}): stampHook})
	doc := `{"id": 1.5, "name": 3, "tags": ["a", {}], "inner": {"n": 99999999999999999999}, "when": "noon", "counts": {"a/b": "x"}, "on": 1, "score": null}`
	want := []string{
		"/id: expected integer, but got number",
		"/name: expected string, but got integer",
		"/tags/1: expected string, but got object",
		"/inner/n: integer 99999999999999999999 is out of range for int64",
		"/when: stamp noon lacks its @",
		"/counts/a~1b: expected integer, but got string",
		"/on: expected boolean, but got integer",
	}
	_, ps, total := decode(t, b, nil, doc, "", 100)
	var got []string
	for _, p := range ps {
		got = append(got, p.Pointer+": "+p.Message)
	}
	if total != len(want) || strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("total %d, problems:\n%s\nwant:\n%s", total, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, ps, total := decode(t, b, nil, doc, "", 2); len(ps) != 2 || total != len(want) {
		t.Errorf("limit 2: kept %d of %d", len(ps), total)
	}
	if _, _, total := decode(t, b, nil, `{"when": 5}`, "", 1); total != 1 {
		t.Errorf("a number for the hook type: %d problems", total)
	}
	r, _, total := decode(t, b, nil, `{"id": null, "name": null, "on": null, "tags": null, "inner": null, "when": null, "data": null}`, "", 10)
	if total != 0 || !reflect.DeepEqual(r, record{}) {
		t.Errorf("nulls: %d problems, %+v", total, r)
	}
}
