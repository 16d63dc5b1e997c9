package lsapi

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// collect runs one pass and returns the changes as "KEY" strings, sorted.
func collect(t *testing.T, r *Reconciler, w *Watermark) []string {
	t.Helper()
	var keys []string
	r.Emit = func(_ context.Context, cs []Change) error {
		for _, c := range cs {
			if !c.Reconstructed || c.Key == "" {
				t.Errorf("change %+v: want reconstructed with a key", c)
			}
			keys = append(keys, c.Key)
		}
		return nil
	}
	if _, err := r.Run(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	sort.Strings(keys)
	return keys
}

func prefixes(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k[:strings.IndexAny(k, "|")]
	}
	return out
}

func TestReconcilerFindsEveryKindOfChange(t *testing.T) {
	f := newFakeLS(t)
	p := f.addProject()
	tasks := f.addTasks(p, 5)
	a1 := f.annotate(tasks[0], 1)
	f.annotate(tasks[3], 1)
	a3 := f.annotate(tasks[4], 1)
	r := &Reconciler{Client: f.client(t), Projects: []int64{p}, PageSize: 2}
	w := &Watermark{}

	// First pass from the zero time: everything is new.
	got := prefixes(collect(t, r, w))
	want := []string{
		"ANNOTATION_CREATED", "ANNOTATION_CREATED", "ANNOTATION_CREATED",
		"TASKS_CREATED", "TASKS_CREATED", "TASKS_CREATED", "TASKS_CREATED", "TASKS_CREATED",
		"TASK_COMPLETED", "TASK_COMPLETED", "TASK_COMPLETED",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("first pass: %v, want %v", got, want)
	}
	if w.Since.IsZero() || w.Project != 0 || w.Pending != nil || len(w.Projects[p].Tasks) != 5 {
		t.Fatalf("watermark after the pass: %+v", w)
	}

	// Nothing changed: nothing to report.
	if got := collect(t, r, w); len(got) != 0 {
		t.Fatalf("unchanged pass: %v", got)
	}

	// Every kind of change, then one pass.
	f.clock = f.clock.Add(10 * 60e9) // beyond the overlap
	nt := f.addTasks(p, 2)
	f.editTask(tasks[1], `{"text":"edited"}`)
	f.annotate(tasks[1], 1)
	f.updateAnnotation(a1)
	f.deleteAnnotation(a3)
	f.deleteTask(tasks[3]) // with its annotation: only TASKS_DELETED
	got = collect(t, r, w)
	want = []string{
		"ANNOTATIONS_DELETED|a" + itoa(a3),
		"ANNOTATION_CREATED|a",
		"ANNOTATION_UPDATED|a" + itoa(a1) + "@",
		"TASKS_CREATED|t" + itoa(nt[0]) + "@",
		"TASKS_CREATED|t" + itoa(nt[1]) + "@",
		"TASKS_DELETED|t" + itoa(tasks[3]),
		"TASK_COMPLETED|t" + itoa(tasks[1]) + "|a",
		"TASK_UPDATED|t" + itoa(tasks[1]) + "@",
	}
	if len(got) != len(want) {
		t.Fatalf("changes %v, want %v", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("change %d: %s, want %s...", i, got[i], want[i])
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestReconcilerProjectCompleted(t *testing.T) {
	f := newFakeLS(t)
	p := f.addProject()
	tasks := f.addTasks(p, 3)
	r := &Reconciler{Client: f.client(t), Projects: []int64{p}, PageSize: 2}
	w := &Watermark{}
	collect(t, r, w)
	f.annotate(tasks[0], 1)
	f.annotate(tasks[1], 1)
	if got := collect(t, r, w); slices.ContainsFunc(got, func(k string) bool { return strings.HasPrefix(k, "PROJECT_COMPLETED") }) {
		t.Fatalf("project completed with a task left: %v", got)
	}
	f.annotate(tasks[2], 1)
	got := collect(t, r, w)
	want := "PROJECT_COMPLETED|p" + itoa(p) + "|t" + itoa(tasks[2])
	if !slices.Contains(got, want) {
		t.Fatalf("changes %v, want %s", got, want)
	}
	if got := collect(t, r, w); len(got) != 0 {
		t.Fatalf("pass after completion: %v, want nothing", got)
	}
}

func TestReconcilerKeysMatchDeliveries(t *testing.T) {
	// Catch-up's events must have the key a real delivery of the same
	// change has: rebuild the events of the captured deliveries' entities
	// and compare.
	f := newFakeLS(t)
	p := f.addProject()
	tasks := f.addTasks(p, 1)
	f.annotate(tasks[0], 1)
	r := &Reconciler{Client: f.client(t), Projects: []int64{p}}
	var got []Change
	r.Emit = func(_ context.Context, cs []Change) error { got = append(got, cs...); return nil }
	if _, err := r.Run(context.Background(), &Watermark{}); err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if c.Event == nil {
			continue
		}
		// Encode the rebuilt event as a webhook body, decode it as a
		// delivery would be, and compare the keys. (Validation is off: the
		// REST project has no updated_at, so a rebuilt event's project is
		// not a complete webhook project.)
		b, err := json.Marshal(c.Event)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := (&lswebhook.Decoder{SkipValidation: true}).Decode(b)
		if err != nil {
			t.Fatalf("%s: rebuilt event does not decode as a delivery: %v\n%s", c.Key, err, b)
		}
		if k := DedupeKey(ev); k != c.Key {
			t.Errorf("delivered form has key %s, rebuilt %s", k, c.Key)
		}
	}
}

func TestReconcilerWatermarkMovesOnlyAfterEmit(t *testing.T) {
	f := newFakeLS(t)
	p := f.addProject()
	f.addTasks(p, 7)
	var saved []Watermark
	var accepted []string
	calls := 0
	r := &Reconciler{Client: f.client(t), Projects: []int64{p}, PageSize: 2,
		Emit: func(_ context.Context, cs []Change) error {
			calls++
			if calls == 3 {
				return errors.New("disk full")
			}
			for _, c := range cs {
				accepted = append(accepted, c.Key)
			}
			return nil
		},
		Save: func(_ context.Context, w *Watermark) error {
			b, _ := json.Marshal(w)
			var cp Watermark
			_ = json.Unmarshal(b, &cp)
			saved = append(saved, cp)
			return nil
		}}
	w := &Watermark{}
	_, err := r.Run(context.Background(), w)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run: %v, want the callback's error", err)
	}
	if len(saved) != 2 || saved[1].AfterTask == 0 || len(saved[1].Pending.Tasks) != 4 {
		t.Fatalf("saved %d watermarks, last %+v; want 2, the last after 4 tasks", len(saved), saved[len(saved)-1])
	}
	// Resume from the stored watermark, as after a crash: the refused page
	// is done again, nothing is lost, and nothing accepted is repeated.
	resumed := saved[len(saved)-1]
	if _, err := r.Run(context.Background(), &resumed); err != nil {
		t.Fatal(err)
	}
	// Resume from the in-memory watermark too: it was left as stored.
	calls = 100
	accepted2 := len(accepted)
	if _, err := r.Run(context.Background(), w); err != nil {
		t.Fatal(err)
	}
	created := map[string]int{}
	for _, k := range accepted[:accepted2] {
		created[k]++
	}
	if len(created) != 7 {
		t.Fatalf("%d distinct tasks created, want 7: %v", len(created), accepted[:accepted2])
	}
	for k, n := range created {
		if n != 1 {
			t.Errorf("%s accepted %d times", k, n)
		}
	}
	if got := len(accepted) - accepted2; got != 3 {
		t.Errorf("in-memory resume emitted %d changes, want the 3 of the refused page and after", got)
	}
}

func TestReconcilerAllProjects(t *testing.T) {
	f := newFakeLS(t)
	p1 := f.addProject()
	f.addTasks(p1, 1)
	r := &Reconciler{Client: f.client(t)}
	w := &Watermark{}
	if got := prefixes(collect(t, r, w)); !slices.Equal(got, []string{"PROJECT_CREATED", "TASKS_CREATED"}) {
		t.Fatalf("first pass: %v", got)
	}
	f.clock = f.clock.Add(600e9)
	p2 := f.addProject()
	f.mu.Lock()
	delete(f.projects, p1)
	f.mu.Unlock()
	got := collect(t, r, w)
	want := []string{"PROJECT_CREATED|p" + itoa(p2) + "@", "PROJECT_DELETED|p" + itoa(p1)}
	if len(got) != 2 || !strings.HasPrefix(got[0], want[0]) || got[1] != want[1] {
		t.Fatalf("changes %v, want %v", got, want)
	}
	if _, ok := w.Projects[p1]; ok {
		t.Error("deleted project still in the watermark")
	}
}

func TestWatermarkFileRoundTrip(t *testing.T) {
	path := t.TempDir() + "/wm.json"
	w, err := LoadWatermark(path, f0)
	if err != nil || !w.Since.Equal(f0) {
		t.Fatalf("missing file: %+v %v", w, err)
	}
	w.Projects = map[int64]*ProjectState{3: {Tasks: []TaskState{{ID: 1, Data: 42, Labeled: true}}, Annotations: []AnnotationState{{ID: 9, Task: 1}}}}
	if err := SaveWatermark(path, w); err != nil {
		t.Fatal(err)
	}
	back, err := LoadWatermark(path, f0.Add(1))
	if err != nil {
		t.Fatal(err)
	}
	if !back.Since.Equal(f0) || back.Projects[3].Tasks[0] != w.Projects[3].Tasks[0] || back.Projects[3].Annotations[0].Task != 1 {
		t.Fatalf("round trip: %+v", back)
	}
}

var f0 = mustTime("2026-11-24T05:25:14.850879Z")
