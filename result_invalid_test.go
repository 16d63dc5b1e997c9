package lswebhook_test

import (
	"errors"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// valuePointer matches the location of a problem inside a result's value.
var valuePointer = regexp.MustCompile(`^/annotation/result/[0-9]+/value(/|$)`)

// parseValueGaps are the fixtures whose fault the bundled value schema
// (schema/result-values.json) finds but lsresult.Parse does not yet: a
// required member missing or null. The test checks that they are still
// accepted, so that the list shrinks when ParseValue learns them.
var parseValueGaps = map[string]bool{
	"chatmessage-role-missing":       true,
	"datetime-missing":               true,
	"ellipse-radius-null":            true,
	"keypoint-missing-y":             true,
	"paragraph-missing-end":          true,
	"rectanglelabels-missing-labels": true,
	"vector-vertex-x-missing":        true,
}

// TestResultValueInvalid decodes every payload under
// testdata/results/invalid, each a valid fixture with one result value
// (or a few) of the wrong shape. Decode accepts it (Label Studio sends
// back whatever results it stored), and ParseValue refuses those values
// with problems located inside them, as listed in NAME.problems.golden
// beside the payload. Run with -update to rewrite the golden files.
func TestResultValueInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/results/invalid/*.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("invalid result fixtures: %d, %v", len(files), err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			ev, err := lswebhook.Decode(readFile(t, path))
			var b strings.Builder
			var ve *lswebhook.ValidationError
			if errors.As(err, &ve) {
				// A value that is not an object at all is refused by
				// Decode: results are typed when present.
				b.WriteString(err.Error() + "\n")
				for _, p := range ve.Problems {
					if !valuePointer.MatchString(p.Pointer) {
						t.Errorf("problem outside a result value: %s", p)
					}
				}
				checkGolden(t, path, b.String())
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			var results []lswebhook.Result
			switch ev := ev.(type) {
			case *lswebhook.AnnotationCreated:
				results = ev.Annotation.Result
			case *lswebhook.AnnotationUpdated:
				results = ev.Annotation.Result
			default:
				t.Fatalf("unexpected %T", ev)
			}
			refused := 0
			for i := range results {
				_, err := lsresult.Parse(&results[i])
				if err == nil {
					continue
				}
				var rve *lsresult.Error
				if !errors.As(err, &rve) {
					t.Fatalf("result %d: %v, want a *ResultValueError", i, err)
				}
				refused++
				b.WriteString("result " + strconv.Itoa(i) + ": " + err.Error() + "\n")
				for _, p := range rve.Problems {
					if !valuePointer.MatchString("/annotation/result/" + strconv.Itoa(i) + p.Pointer) {
						t.Errorf("problem outside the result value: %s", p)
					}
					b.WriteString("  " + p.String() + "\n")
				}
			}
			if parseValueGaps[name] {
				if refused != 0 {
					t.Fatal("ParseValue now refuses this fixture: delete it from parseValueGaps")
				}
				return
			}
			if refused == 0 {
				t.Fatal("ParseValue accepted every result")
			}
			checkGolden(t, path, b.String())
		})
	}
}

// checkGolden compares got with NAME.problems.golden beside the payload
// at path, or writes it with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	file := strings.TrimSuffix(path, ".json") + ".problems.golden"
	if want := golden(t, file, got, "TestResultValueInvalid"); got != want {
		t.Errorf("problems differ from %s\n--- got:\n%s--- want:\n%s", file, got, want)
	}
}
