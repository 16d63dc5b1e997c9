package lswebhook_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// describeError renders an error from Decode for golden files: its message,
// the typed error or sentinel it carries, and one line per problem.
func describeError(err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "error: %v\n", err)
	var se *lswebhook.SyntaxError
	var ve *lswebhook.ValidationError
	switch {
	case errors.As(err, &se):
		fmt.Fprintf(&b, "kind: *lswebhook.SyntaxError offset=%d pointer=%q\n", se.Offset, se.Pointer)
		for _, s := range []error{lswebhook.ErrTooDeep, lswebhook.ErrNumberLimit} {
			if errors.Is(err, s) {
				fmt.Fprintf(&b, "wraps: %v\n", s)
			}
		}
	case errors.As(err, &ve):
		fmt.Fprintf(&b, "kind: *lswebhook.ValidationError action=%s\n", ve.Action)
		for _, p := range ve.Problems {
			fmt.Fprintf(&b, "%s\n", p)
		}
	case errorKind(err) != "":
		b.WriteString("kind: " + errorKind(err) + "\n") // a sentinel
	default:
		fmt.Fprintf(&b, "kind: untyped %T\n", err)
	}
	return b.String()
}

// TestInvalidGolden decodes every payload under testdata/invalid and
// compares the error with testdata/golden/NAME.txt. Run with -update to
// rewrite the golden files after a deliberate change.
func TestInvalidGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no invalid fixtures: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			ev, err := lswebhook.Decode(readFile(t, path))
			if err == nil {
				t.Fatalf("Decode accepted an invalid payload as %T", ev)
			}
			if ev != nil {
				t.Errorf("Decode returned a non-nil event %T with an error", ev)
			}
			if !strings.HasPrefix(err.Error(), "lswebhook: ") {
				t.Errorf("error %q does not start with \"lswebhook: \"", err)
			}
			got := describeError(err)
			if strings.Contains(got, "kind: untyped") {
				t.Errorf("error is neither typed nor a sentinel: %s", got)
			}
			file := filepath.Join("testdata", "golden", name+".txt")
			if want := golden(t, file, got, "TestInvalidGolden"); got != want {
				t.Errorf("error for %s differs from %s\n--- got:\n%s--- want:\n%s", path, file, got, want)
			}
		})
	}
}
