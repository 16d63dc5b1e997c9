package validate

import (
	"errors"
	"io/fs"
	"os"
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
