package bind

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

type mapRecord struct {
	Raw     map[string]json.RawMessage `json:"raw"`
	Strings map[string]string          `json:"strings"`
	Floats  map[string]float64         `json:"floats"`
	Ints    map[string]int64           `json:"ints"`
	Plain   map[string]int             `json:"plain"`
	Bools   map[string]bool            `json:"bools"`
	Anys    map[string]any             `json:"anys"`
	Inners  map[string]inner           `json:"inners"`
	Ptrs    map[string]*inner          `json:"ptrs"`
	Lists   map[string][]string        `json:"lists"`
	Stamps  map[string]stamp           `json:"stamps"`
}

// mapDocs cover every element plan, escaped keys, empty objects, null,
// null elements and elements the Go type cannot hold.
var mapDocs = []string{
	`{"raw": {"a": [1, {"b": null}], "b": "x\u00e9", "c\u00e9": 1.5e3, "d": null}, "strings": {"k": "v", "\n": "\"q\"", "e": null},
	  "floats": {"w": 1.0, "z": -0.5e-3, "n": null}, "ints": {"i": 9007199254740993, "j": -1}, "plain": {"p": 3},
	  "bools": {"t": true, "f": false}, "anys": {"a": [1, "s", null], "o": {"x": {}}},
	  "inners": {"x": {"n": 1}, "y": {"n": 2}, "z": null}, "ptrs": {"x": {"n": 3}, "nil": null},
	  "lists": {"l": ["a", "b"], "e": [], "n": null}, "stamps": {"s": "@one", "n": null}}`,
	`{"raw": {}, "strings": {}, "floats": {}, "ints": {}, "plain": {}, "bools": {}, "anys": {}, "inners": {}, "ptrs": {}, "lists": {}, "stamps": {}}`,
	`{"raw": null, "strings": null, "floats": null, "ints": null, "plain": null, "bools": null, "anys": null, "inners": null, "ptrs": null, "lists": null, "stamps": null}`,
	`{"strings": {"a": 1, "b": "ok"}, "floats": {"a": "x", "b": 1e999}, "ints": {"a/b": 1.5, "c~d": 99999999999999999999},
	  "plain": {"p": true}, "bools": {"b": 0}, "inners": {"x": {"n": "s"}, "y": 3}, "ptrs": {"p": []}, "lists": {"l": [1]},
	  "stamps": {"s": "nope", "t": 5}, "raw": []}`,
}

// TestMapsTypedMatchReflect decodes documents into maps of every element
// plan twice: with the typed code ([Map] and the built-in map types) and
// with reflect alone, and requires the same values and the same problems
// at the same pointers.
func TestMapsTypedMatchReflect(t *testing.T) {
	hooks := map[reflect.Type]*Hook{reflect.TypeOf(stamp{}): stampHook}
	typed := New(nil, hooks, Map[inner](), Map[*inner](), Map[[]string](), Map[stamp]())
	untyped := New(nil, hooks)
	untyped.maps = nil // no typed code at all: every map by reflect
	ty := reflect.TypeOf(mapRecord{})
	for i := range ty.NumField() {
		f := ty.Field(i)
		if typed.plan(f.Type).fill == nil {
			t.Errorf("%s: no typed code for %v", f.Name, f.Type)
		}
		if untyped.plan(f.Type).fill != nil {
			t.Errorf("%s: typed code in the reflect binder", f.Name)
		}
	}
	for k, doc := range mapDocs {
		tp, err := jsontape.Parse([]byte(doc), 100, nil)
		if err != nil {
			t.Fatalf("doc %d: %v", k, err)
		}
		var a, b mapRecord
		pa, ta := typed.Decode(tp, 0, &a, "", 100)
		pb, tb := untyped.Decode(tp, 0, &b, "", 100)
		tp.Release()
		if !reflect.DeepEqual(a, b) {
			t.Errorf("doc %d: typed %+v\nreflect %+v", k, a, b)
		}
		if ta != tb || !reflect.DeepEqual(pa, pb) {
			t.Errorf("doc %d: typed problems %d %v\nreflect %d %v", k, ta, pa, tb, pb)
		}
		if k == 0 && (a.Ints["i"] != 9007199254740993 || a.Strings["\n"] != `"q"` || string(a.Raw["cé"]) != "1.5e3" ||
			a.Ptrs["x"].N != 3 || a.Ptrs["nil"] != nil || a.Inners["y"].N != 2 || a.Stamps["s"].s != "@one" || len(a.Floats) != 3) {
			t.Errorf("doc 0: wrong values %+v", a)
		}
		if k == 3 && ta != 14 {
			t.Errorf("doc 3: %d problems, want 14: %v", ta, pa)
		}
	}
}

// TestMapsPointersDistinct checks that the elements of a typed map of
// pointers or slices share no memory: the typed code decodes each element
// into one variable and copies it into the map.
func TestMapsPointersDistinct(t *testing.T) {
	b := New(nil, nil, Map[*inner](), Map[[]string]())
	tp, err := jsontape.Parse([]byte(`{"ptrs": {"a": {"n": 1}, "b": {"n": 2}}, "lists": {"a": ["x"], "b": ["y", "z"]}}`), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Release()
	var r mapRecord
	if _, total := b.Decode(tp, 0, &r, "", 10); total != 0 {
		t.Fatalf("%d problems", total)
	}
	if r.Ptrs["a"] == r.Ptrs["b"] || r.Ptrs["a"].N != 1 || r.Ptrs["b"].N != 2 {
		t.Errorf("pointers: %v %v", r.Ptrs["a"], r.Ptrs["b"])
	}
	if !reflect.DeepEqual(r.Lists, map[string][]string{"a": {"x"}, "b": {"y", "z"}}) {
		t.Errorf("lists: %v", r.Lists)
	}
}
