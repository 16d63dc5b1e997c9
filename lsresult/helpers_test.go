package lsresult_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// The fixtures are the root package's: testdata/results holds one
// annotation per control family, and every valid payload under testdata
// is a source of results.
const testdata = "../testdata"

// Small constructors for expected values.

func i64(n int64) *int64           { return &n }
func f64(f float64) *float64       { return &f }
func boolp(b bool) *bool           { return &b }
func raw(s string) json.RawMessage { return json.RawMessage(s) }

func num(f float64) lsresult.Position { return lsresult.NumberPosition(f) }
func text(s string) lsresult.Position { return lsresult.TextPosition(s) }

func extra(kv ...string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

// rawJSON compares json.RawMessage values by the JSON value they encode,
// so that Extra members compare equal whatever their white space.
var rawJSON = cmp.Comparer(func(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	decode := func(b []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var v any
		err := d.Decode(&v)
		return v, err
	}
	va, errA := decode(a)
	vb, errB := decode(b)
	return errA == nil && errB == nil && cmp.Equal(va, vb)
})

// readFile returns a fixture's bytes.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixture is the path of a file under the root's testdata/results.
func fixture(name string) string { return filepath.Join(testdata, "results", name) }

// validFixtures lists every payload under testdata that must decode:
// the .json files outside the invalid, adversarial, fuzz and golden
// directories.
func validFixtures(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(testdata, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch d.Name() {
		case "fuzz", "golden", "invalid", "adversarial":
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") && d.Name() != "manifest.json" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("fixtures: %d, %v", len(out), err)
	}
	sort.Strings(out)
	return out
}

// annotations returns the annotations an annotation event carries, as
// pointers into the event.
func annotations(ev lswebhook.Event) []*lswebhook.Annotation {
	var out []*lswebhook.Annotation
	switch ev := ev.(type) {
	case *lswebhook.AnnotationCreated:
		out = append(out, ev.Annotation)
	case *lswebhook.AnnotationUpdated:
		out = append(out, ev.Annotation)
	case *lswebhook.AnnotationsCreated:
		for i := range ev.Annotations {
			out = append(out, &ev.Annotations[i])
		}
	}
	if len(out) == 1 && out[0] == nil {
		return nil
	}
	return out
}

// annotationsOf decodes a fixture and returns its annotations, for the
// annotation events.
func annotationsOf(t testing.TB, path string) []*lswebhook.Annotation {
	t.Helper()
	ev, err := lswebhook.Decode(readFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return annotations(ev)
}

// resultsOf returns the results of a fixture's first annotation.
func resultsOf(t testing.TB, path string) []lswebhook.Result {
	t.Helper()
	anns := annotationsOf(t, path)
	if len(anns) == 0 {
		t.Fatalf("%s has no annotation", path)
	}
	return anns[0].Result
}

// parseAll parses every result's value, failing on an error.
func parseAll(t testing.TB, results []lswebhook.Result) []lsresult.Value {
	t.Helper()
	out := make([]lsresult.Value, len(results))
	for i := range results {
		v, err := lsresult.Parse(&results[i])
		if err != nil {
			t.Fatalf("result %d (%s): %v", i, results[i].Type, err)
		}
		out[i] = v
	}
	return out
}

// mustParse parses a result that must give a T.
func mustParse[T lsresult.Value](t testing.TB, r lswebhook.Result) T {
	t.Helper()
	v, err := lsresult.Parse(&r)
	if err != nil {
		t.Fatal(err)
	}
	typed, ok := v.(T)
	if !ok {
		t.Fatalf("%s parsed as %T", r.Type, v)
	}
	return typed
}
