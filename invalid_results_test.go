package lswebhook_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// valuePointer matches the location of a problem inside a result's value.
var valuePointer = regexp.MustCompile(`^/annotation/result/[0-9]+/value(/|$)`)

// TestResultValueInvalid decodes every payload under
// testdata/results/invalid, each a valid fixture with one result value
// (or a few) of the wrong shape. Decode must refuse it with problems
// located inside the values, as listed in NAME.problems.golden beside the
// payload. Run with -update to rewrite the golden files.
func TestResultValueInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/results/invalid/*.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("invalid result fixtures: %d, %v", len(files), err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			ev, err := lswebhook.Decode(readFile(t, path))
			var ve *lswebhook.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Decode = %T, %v; want a *ValidationError", ev, err)
			}
			var b strings.Builder
			b.WriteString(err.Error() + "\n")
			for _, p := range ve.Problems {
				if !valuePointer.MatchString(p.Pointer) {
					t.Errorf("problem outside a result value: %s", p)
				}
				b.WriteString(p.String() + "\n")
			}
			got := b.String()
			golden := strings.TrimSuffix(path, ".json") + ".problems.golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestResultValueInvalid -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("problems differ from %s\n--- got:\n%s--- want:\n%s", golden, got, want)
			}
		})
	}
}
