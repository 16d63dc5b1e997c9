package validate

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

func dateTime(s string) error {
	if len(s) < 10 || s[4] != '-' {
		return errors.New("not a date-time")
	}
	return nil
}

// TestBundledSchemasIndexed compiles every bundled event schema with the
// keys of their member names, and checks that every object keyword is
// indexed by key id, so that checking an object never hashes a name.
func TestBundledSchemasIndexed(t *testing.T) {
	fsys := os.DirFS("../../schema")
	keys := jsontape.NewKeys(MemberNames(fsys))
	c := NewCompiler(fsys, keys, dateTime)
	paths, err := fs.Glob(fsys, "events/*.json")
	if err != nil || len(paths) < 16 {
		t.Fatalf("found %d event schemas: %v", len(paths), err)
	}
	seen := map[*Schema]bool{}
	var walk func(n *Schema)
	walk = func(n *Schema) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if len(n.slots) > 0 && n.slotOfKey == nil {
			t.Errorf("a schema node with slots %v has no key index", n.slots)
		}
		for _, c := range n.properties {
			walk(c)
		}
		for _, c := range [][]*Schema{n.anyOf, n.allOf, n.oneOf} {
			for _, e := range c {
				walk(e)
			}
		}
		for _, c := range []*Schema{n.additional, n.items, n.ref, n.ifNode, n.then, n.elseNd, n.not} {
			walk(c)
		}
	}
	for _, p := range paths {
		s, err := c.Compile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		walk(s)
	}
	t.Logf("%d schemas, %d nodes", len(paths), len(seen))
}

var testFS = fstest.MapFS{
	"item.json": {Data: []byte(`{"type": "object", "required": ["id"], "x-expected": ["when"],
		"properties": {"id": {"type": "integer"}, "when": {"type": "string", "format": "date-time"},
		"tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}}}`)},
	"list.json": {Data: []byte(`{"type": "array", "items": {"$ref": "item.json"}}`)},
	"bad.json":  {Data: []byte(`{"type": "object", "uniqueItems": true}`)},
}

func check(t *testing.T, keys *jsontape.Keys, schema, doc string, limit int) (Result, bool) {
	t.Helper()
	s, err := NewCompiler(testFS, keys, dateTime).Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	tp, perr := jsontape.Parse([]byte(doc), 100, keys)
	if perr != nil {
		t.Fatal(perr)
	}
	defer tp.Release()
	return Validate(tp, s, limit)
}

// TestValidate checks verdicts, problems in document order, the limit,
// the total and the drift, with and without key ids.
func TestValidate(t *testing.T) {
	doc := `[{"id": 1, "when": "2026-01-01T00:00:00Z"}, {"id": "x", "tags": ["a", 2, "b"]}, {"when": "yesterday"}, {"id": 4}]`
	want := []string{
		"/1/id: expected integer, but got string",
		"/1/tags: expected at most 2 items, but got 3",
		"/1/tags/1: expected string, but got integer",
		"/2/when: not a date-time",
		"/2/id: required property is missing", // after the members: where the member goes
	}
	for _, keys := range []*jsontape.Keys{nil, jsontape.NewKeys(MemberNames(testFS))} {
		res, ok := check(t, keys, "list.json", doc, 100)
		if ok || res.Total != len(want) {
			t.Fatalf("ok %v, total %d, want false, %d: %v", ok, res.Total, len(want), res.Problems)
		}
		var got []string
		for _, p := range res.Problems {
			got = append(got, p.Pointer+": "+p.Message)
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if len(res.Drift) != 2 || res.Drift[0].Pointer != "/1/when" || res.Drift[1].Pointer != "/3/when" {
			t.Errorf("drift %v, want /1/when and /3/when", res.Drift)
		}
		res, _ = check(t, keys, "list.json", doc, 2)
		if len(res.Problems) != 2 || res.Total != len(want) {
			t.Errorf("limit 2: kept %d of %d", len(res.Problems), res.Total)
		}
		if res, ok := check(t, keys, "list.json", `[{"id": 1, "when": "2026-01-01", "tags": []}]`, 0); !ok || res.Total != 0 || len(res.Drift) != 0 {
			t.Errorf("valid document: ok %v %v", ok, res)
		}
	}
}

// TestCompileRefuses checks that a schema with a keyword outside the
// supported set does not compile, and that date-time needs a checker.
func TestCompileRefuses(t *testing.T) {
	if _, err := NewCompiler(testFS, nil, dateTime).Compile("bad.json"); err == nil || !strings.Contains(err.Error(), "uniqueItems") {
		t.Errorf("uniqueItems compiled: %v", err)
	}
	if _, err := NewCompiler(testFS, nil, nil).Compile("item.json"); err == nil {
		t.Error("format date-time compiled without a checker")
	}
	if _, err := NewCompiler(testFS, nil, dateTime).Compile("missing.json"); err == nil {
		t.Error("a missing document compiled")
	}
}

// TestSurelyFloat64 checks the validator's shortcut against
// strconv.ParseFloat: it may answer false for a number in range, never
// true for one out of it.
func TestSurelyFloat64(t *testing.T) {
	var cases []string
	for _, mant := range []string{"0", "1", "9", "1.5", "0.0001", "179769313486231570", "18", "000"} {
		for _, sign := range []string{"", "-"} {
			cases = append(cases, sign+mant)
			for _, e := range []string{"e", "E", "e+", "e-", "E-"} {
				for _, x := range []string{"0", "1", "290", "291", "306", "307", "308", "309", "310", "999", "0308", "1000", "99999"} {
					cases = append(cases, sign+mant+e+x)
				}
			}
		}
	}
	cases = append(cases, "1"+strings.Repeat("0", 307), "1"+strings.Repeat("0", 308), "9"+strings.Repeat("9", 308)+".5", "0."+strings.Repeat("0", 400)+"1e300")
	fast := 0
	for _, c := range cases {
		_, err := strconv.ParseFloat(c, 64)
		if surelyFloat64([]byte(c)) {
			fast++
			if err != nil {
				t.Errorf("surelyFloat64(%s) = true, but ParseFloat says %v", c, err)
			}
		}
	}
	if fast < len(cases)/2 {
		t.Errorf("the shortcut answered only %d of %d cases", fast, len(cases))
	}
}

// TestTypeOK checks typeOKTape's table of kinds against the rules of
// JSON Schema's "type" for every set of types and every kind of value.
func TestTypeOK(t *testing.T) {
	literals := []string{"null", "true", "false", "0", "-7", "1.0", "1.5", "1e2", "2.5e-1", `"s"`, "[]", "{}"}
	want := func(types uint8, lit string) bool {
		var v any
		if err := json.Unmarshal([]byte(lit), &v); err != nil {
			t.Fatal(err)
		}
		switch x := v.(type) {
		case nil:
			return types&tNull != 0
		case bool:
			return types&tBool != 0
		case string:
			return types&tString != 0
		case []any:
			return types&tArray != 0
		case map[string]any:
			return types&tObject != 0
		case float64:
			return types&tNumber != 0 || (types&tInteger != 0 && x == math.Trunc(x))
		}
		t.Fatalf("%s: unexpected %T", lit, v)
		return false
	}
	all := uint8(tNull | tBool | tInteger | tNumber | tString | tArray | tObject)
	for types := uint8(1); types <= all; types++ {
		if types&^all != 0 {
			continue
		}
		n := &Schema{types: types, kinds: kindsOf(types)}
		for _, lit := range literals {
			tp, err := jsontape.Parse([]byte(lit), 4, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := n.typeOKTape(tp, &tp.Nodes[0]); got != want(types, lit) {
				t.Errorf("types %s, %s: typeOKTape = %v", typeList(types), lit, got)
			}
			tp.Release()
		}
	}
}
