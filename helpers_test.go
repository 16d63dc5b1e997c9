package lswebhook_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// Small constructors for expected values.

func i64(n int64) *int64           { return &n }
func f64(f float64) *float64       { return &f }
func boolp(b bool) *bool           { return &b }
func raw(s string) json.RawMessage { return json.RawMessage(s) }

func tm(t *testing.T, s string) lswebhook.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad time in test: %v", err)
	}
	return lswebhook.Time{Time: v}
}

func tmp(t *testing.T, s string) *lswebhook.Time {
	v := tm(t, s)
	return &v
}

// readFile returns a fixture's bytes.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// stringAt reads one string from a fixture with encoding/json, an
// implementation independent of the package, for long values such as label
// configurations that would be unreadable written out in a test.
func stringAt(t *testing.T, path string, keys ...string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(readFile(t, path), &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %v is not an object", path, keys)
		}
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: %v is not a string", path, keys)
	}
	return s
}

// jsonFiles lists the .json files under dir, recursively, skipping
// directories named fuzz and golden and files named manifest.json.
func jsonFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "fuzz" || d.Name() == "golden") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") && d.Name() != "manifest.json" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// validFixtures lists every payload under testdata that must decode.
func validFixtures(t testing.TB) []string {
	var out []string
	for _, p := range jsonFiles(t, "testdata") {
		if !strings.Contains(filepath.ToSlash(p), "/invalid/") && !strings.Contains(filepath.ToSlash(p), "/adversarial/") &&
			!isKnownRefusedFixture(p) { // captures_test.go: legacy training bodies, knownRefused
			out = append(out, p)
		}
	}
	return out
}
