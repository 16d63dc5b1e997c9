package lswebhook_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// outcome describes what Decode does with an adversarial payload.
func outcome(ev lswebhook.Event, err error) string {
	switch kind := errorKind(err); {
	case err == nil:
		return "accepted " + reflect.TypeOf(ev).String()
	case errors.Is(err, lswebhook.ErrTooDeep):
		return "ErrTooDeep"
	case errors.Is(err, lswebhook.ErrNumberLimit):
		return "ErrNumberLimit"
	case kind != "":
		return kind
	default:
		return fmt.Sprintf("untyped %T", err)
	}
}

// adversarialOutcomes is the documented outcome of every file under
// testdata/adversarial (see its README).
var adversarialOutcomes = map[string]string{
	"deep-nesting-10.json":             "accepted *lswebhook.TasksCreated",
	"deep-nesting-1000.json":           "ErrTooDeep",
	"number-exponent-huge.json":        "ErrNumberLimit",
	"number-exponent-tiny.json":        "ErrNumberLimit",
	"number-1000-digits-id.json":       "ValidationError",
	"number-1000-digits-in-data.json":  "accepted *lswebhook.TasksCreated",
	"number-negative-zero-id.json":     "accepted *lswebhook.TasksDeleted",
	"number-nan-string-id.json":        "ValidationError",
	"number-nan-literal.json":          "SyntaxError",
	"number-infinity-literal.json":     "SyntaxError",
	"number-leading-plus.json":         "SyntaxError",
	"number-hex.json":                  "SyntaxError",
	"duplicate-key-top.json":           "SyntaxError",
	"duplicate-key-nested.json":        "SyntaxError",
	"duplicate-key-escaped.json":       "SyntaxError",
	"case-folded-action-key.json":      "ErrMissingAction",
	"case-folded-entity-key.json":      "accepted *lswebhook.TasksDeleted",
	"case-folded-action-value.json":    "accepted *lswebhook.UnknownEvent",
	"invalid-utf8.json":                "SyntaxError",
	"overlong-utf8.json":               "SyntaxError",
	"utf8-encoded-surrogate.json":      "SyntaxError",
	"lone-surrogate-escape.json":       "SyntaxError",
	"invalid-utf8-in-key.json":         "SyntaxError",
	"bom.json":                         "SyntaxError",
	"trailing-data.json":               "SyntaxError",
	"trailing-comma.json":              "SyntaxError",
	"nul-byte-after.json":              "SyntaxError",
	"action-nested.json":               "ErrMissingAction",
	"action-number.json":               "ErrMissingAction",
	"action-array.json":                "ErrMissingAction",
	"action-object.json":               "ErrMissingAction",
	"action-bool.json":                 "ErrMissingAction",
	"action-padded.json":               "accepted *lswebhook.UnknownEvent",
	"action-only-whitespace-body.json": "SyntaxError",
	"top-level-array.json":             "ErrNotObject",
	"top-level-string.json":            "ErrNotObject",
	"null-entity.json":                 "ValidationError",
	"null-in-list.json":                "ValidationError",
}

func TestAdversarialFiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/adversarial/*.json")
	if len(files) != len(adversarialOutcomes) {
		t.Errorf("%d files, %d documented outcomes", len(files), len(adversarialOutcomes))
	}
	for _, path := range files {
		name := filepath.Base(path)
		want, ok := adversarialOutcomes[name]
		if !ok {
			t.Errorf("%s has no documented outcome", name)
			continue
		}
		ev, err := lswebhook.Decode(readFile(t, path))
		if got := outcome(ev, err); got != want {
			t.Errorf("%s: %s (%v), want %s", name, got, err, want)
		}
	}
	// The case-folded key is kept, not read as the real one.
	ev, _ := lswebhook.Decode(readFile(t, "testdata/adversarial/case-folded-entity-key.json"))
	if td := ev.(*lswebhook.TasksDeleted); td.Tasks != nil || td.Extra["Tasks"] == nil {
		t.Errorf("case-folded key: Tasks = %v, Extra = %v", td.Tasks, td.Extra)
	}
}

// allocatedBy returns the bytes allocated while f runs.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestAdversarialGenerated covers inputs too large to commit: they are
// refused or accepted as documented, and the memory Decode allocates stays
// linear in the input.
func TestAdversarialGenerated(t *testing.T) {
	task := func(data string) []byte {
		return []byte(`{"action": "TASKS_CREATED", "tasks": [{"id": 1, "data": ` + data + `, "meta": {}, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "is_labeled": false, "overlap": 1, "project": 2, "file_upload": null}]}`)
	}
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"deep-nesting-100000-arrays", []byte(`{"action": "TASKS_CREATED", "tasks": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`), "ErrTooDeep"},
		{"deep-nesting-100000-objects", []byte(strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)), "ErrTooDeep"},
		{"huge-string-8MiB", task(`{"text": "` + strings.Repeat("x", 8<<20) + `"}`), "accepted *lswebhook.TasksCreated"},
		{"huge-escaped-string-1MiB", task(`{"text": "` + strings.Repeat(`\u00e9`, 1<<20) + `"}`), "accepted *lswebhook.TasksCreated"},
		{"huge-array-1M", task(`{"n": [` + strings.Repeat("1,", 1<<20) + `1]}`), "accepted *lswebhook.TasksCreated"},
		{"many-keys-100k", task(`{` + manyKeys(100000) + `}`), "accepted *lswebhook.TasksCreated"},
		{"many-tasks-ids-100k", []byte(`{"action": "TASKS_DELETED", "tasks": [` + strings.TrimSuffix(strings.Repeat(`{"id": 1},`, 100000), ",") + `]}`), "accepted *lswebhook.TasksDeleted"},
		{"unterminated-string-1MiB", []byte(`{"action": "` + strings.Repeat("A", 1<<20)), "SyntaxError"},
	}
	for _, tc := range cases {
		var ev lswebhook.Event
		var err error
		alloc := allocatedBy(func() { ev, err = lswebhook.Decode(tc.data) })
		if got := outcome(ev, err); got != tc.want {
			t.Errorf("%s: %s (%.200v), want %s", tc.name, got, err, tc.want)
		}
		ratio := float64(alloc) / float64(len(tc.data))
		t.Logf("%s: %d bytes in, %d bytes allocated (%.1fx)", tc.name, len(tc.data), alloc, ratio)
		if alloc > 64*uint64(len(tc.data))+1<<20 {
			t.Errorf("%s: allocated %d bytes for %d bytes of input", tc.name, alloc, len(tc.data))
		}
	}
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"k%d": %d`, i, i)
	}
	return b.String()
}

// TestTruncationAtEveryByte cuts a real payload at every byte: every
// prefix is refused with a typed error.
func TestTruncationAtEveryByte(t *testing.T) {
	data := readFile(t, "testdata/docs/annotation-updated.json")
	data = bytes.TrimSpace(data)
	for i := 0; i < len(data); i++ {
		ev, err := lswebhook.Decode(data[:i])
		if got := outcome(ev, err); got != "SyntaxError" {
			t.Fatalf("prefix of %d bytes: %s (%v)", i, got, err)
		}
	}
}

// TestNullInEveryPosition replaces each value of a valid payload, one at
// a time, by null: each result is either accepted or a *ValidationError
// naming that position, never a panic or an untyped error.
func TestNullInEveryPosition(t *testing.T) {
	data := readFile(t, "testdata/valid/annotations-created.json")
	var doc any
	if err := jsonUnmarshalNumber(data, &doc); err != nil {
		t.Fatal(err)
	}
	accepted, refused := 0, 0
	walkPositions(doc, "", func(ptr string, set func(any)) {
		set(nil)
		defer set(restoreMarker)
		ev, err := lswebhook.Decode(encode(t, doc))
		switch got := outcome(ev, err); {
		case err == nil:
			accepted++
		case got == "ValidationError" || got == "ErrMissingAction":
			refused++
			// Some problem lies in the object or array holding the null.
			var ve *lswebhook.ValidationError
			if errors.As(err, &ve) {
				parent := ptr[:strings.LastIndex(ptr, "/")]
				near := false
				for _, p := range ve.Problems {
					near = near || strings.HasPrefix(p.Pointer, parent)
				}
				if !near {
					t.Errorf("null at %s: problems at %v", ptr, ve.Problems)
				}
			}
		default:
			t.Errorf("null at %s: %s (%v)", ptr, got, err)
		}
	})
	t.Logf("%d positions accept null, %d refuse it", accepted, refused)
	if accepted == 0 || refused == 0 {
		t.Errorf("expected both outcomes, got %d accepted and %d refused", accepted, refused)
	}
}

// restoreMarker tells a setter from walkPositions to put the original
// value back.
var restoreMarker = new(int)

// walkPositions calls f for every value position below the top level, with
// its JSON Pointer and a setter; set(restoreMarker) restores the original.
func walkPositions(v any, ptr string, f func(ptr string, set func(any))) {
	// visit calls f for the value e at p, which put replaces, and walks e.
	visit := func(p string, e any, put func(any)) {
		f(p, func(n any) {
			if n == restoreMarker {
				put(e)
			} else {
				put(n)
			}
		})
		walkPositions(e, p, f)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			visit(ptr+"/"+k, e, func(n any) { x[k] = n })
		}
	case []any:
		for i, e := range x {
			visit(ptr+"/"+strconv.Itoa(i), e, func(n any) { x[i] = n })
		}
	}
}
