package lswebhook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fastAndFull returns the verdicts of the fast path and of jsonschema v5
// for one tree.
func fastAndFull(t testing.TB, a Action, tree any) (fast, full bool) {
	cs := loadSchemas()
	f := cs.fast[a]
	if f == nil {
		t.Fatalf("%s has no fast validator: %v", a, cs.fastErrs[a])
	}
	return f.valid(tree), cs.byAction[a].Validate(tree) == nil
}

func TestFastValidatorCoversEveryAction(t *testing.T) {
	cs := loadSchemas()
	for _, v := range registry {
		if cs.fast[v.action] == nil {
			t.Errorf("%s: no fast validator: %v", v.action, cs.fastErrs[v.action])
		}
	}
}

func testdataTrees(t testing.TB) map[string]any {
	out := map[string]any{}
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if tree, err := parseJSON(b, 0); err == nil {
			out[p] = tree
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFastValidatorAgrees compares the fast path's verdict with
// jsonschema v5's for every payload under testdata, valid and invalid,
// each checked against every action's schema so that both verdicts are
// exercised many times.
func TestFastValidatorAgrees(t *testing.T) {
	valid, invalid := 0, 0
	for p, tree := range testdataTrees(t) {
		for _, v := range registry {
			fast, full := fastAndFull(t, v.action, tree)
			if fast != full {
				t.Errorf("%s against %s: fast path says %v, jsonschema says %v", p, v.schema, fast, full)
			}
			if full {
				valid++
			} else {
				invalid++
			}
		}
	}
	t.Logf("%d valid and %d invalid verdicts compared", valid, invalid)
	if valid < 100 || invalid < 100 {
		t.Errorf("too few verdicts of one kind: %d valid, %d invalid", valid, invalid)
	}
}

// TestFastPathIsUsed checks, by counting allocations, that a valid payload
// does not reach the general validator, which allocates per object.
func TestFastPathIsUsed(t *testing.T) {
	b, err := os.ReadFile("testdata/docs/annotation-updated.json")
	if err != nil {
		t.Fatal(err)
	}
	tree, err := parseJSON(b, 0)
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if ps, err := validateTree(ActionAnnotationUpdated, tree); err != nil || len(ps) > 0 {
			t.Fatalf("validateTree: %v %v", ps, err)
		}
	})
	if allocs > 0 {
		t.Errorf("validating a valid payload allocates %.0f times; the fast path is not used", allocs)
	}
}

// FuzzFastValidator compares the fast path's verdict with jsonschema v5's
// on arbitrary JSON, for every action.
func FuzzFastValidator(f *testing.F) {
	for _, tree := range testdataTrees(f) {
		b := encodeTree(tree)
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := parseJSON(data, 0)
		if err != nil {
			return
		}
		for _, v := range registry {
			if fast, full := fastAndFull(t, v.action, tree); fast != full {
				t.Fatalf("%s: fast path says %v, jsonschema says %v for %s", v.action, fast, full, data)
			}
		}
	})
}
