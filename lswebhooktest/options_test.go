package lswebhooktest_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// TestDeterministic: two builds with the same options give the same bytes.
func TestDeterministic(t *testing.T) {
	for _, info := range lswebhook.Actions() {
		a, _ := lswebhooktest.New(info.Action, lswebhooktest.Seq(3))
		b, _ := lswebhooktest.New(info.Action, lswebhooktest.Seq(3))
		if x, y := lswebhooktest.Body(a), lswebhooktest.Body(b); string(x) != string(y) {
			t.Errorf("%s: two builds differ", info.Action)
		}
	}
}

// TestSeqDistinct: Seq moves the ids of the subject entities and keeps the
// project an event happens in.
func TestSeqDistinct(t *testing.T) {
	a := lswebhooktest.AnnotationCreated()
	b := lswebhooktest.AnnotationCreated(lswebhooktest.Seq(1))
	if a.Annotation.ID == b.Annotation.ID || a.Task.ID == b.Task.ID || a.Annotation.UniqueID == b.Annotation.UniqueID {
		t.Errorf("Seq(1) kept the annotation %d or task %d", b.Annotation.ID, b.Task.ID)
	}
	if b.Annotation.Task != b.Task.ID || b.Annotation.Project != b.Project.ID || b.Task.Project != b.Project.ID {
		t.Errorf("Seq(1): annotation, task and project do not refer to each other: %d/%d %d/%d", b.Annotation.Task, b.Task.ID, b.Annotation.Project, b.Project.ID)
	}
	if a.Project.ID != b.Project.ID {
		t.Errorf("Seq(1) moved the surrounding project: %d, %d", a.Project.ID, b.Project.ID)
	}
	if !b.Annotation.CreatedAt.After(a.Annotation.CreatedAt.Time) {
		t.Errorf("Seq(1) did not move the times")
	}
	if p, q := lswebhooktest.ProjectCreated(), lswebhooktest.ProjectCreated(lswebhooktest.Seq(1)); p.Project.ID == q.Project.ID {
		t.Errorf("Seq(1) kept the id of the created project")
	}
	// Lists of different sequences never share an id.
	seen := map[int64]bool{}
	for n := int64(0); n < 3; n++ {
		for _, task := range lswebhooktest.TasksCreated(lswebhooktest.Seq(n), lswebhooktest.Count(10000)).Tasks {
			if seen[task.ID] {
				t.Fatalf("Seq(%d): task id %d seen before", n, task.ID)
			}
			seen[task.ID] = true
		}
	}
}

// TestCounter hands out sequence numbers from many goroutines (run with
// -race): every annotation id is new.
func TestCounter(t *testing.T) {
	var ids lswebhooktest.Counter
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				ev := lswebhooktest.AnnotationCreated(ids.Next())
				mu.Lock()
				if seen[ev.Annotation.ID] {
					t.Errorf("annotation id %d handed out twice", ev.Annotation.ID)
				}
				seen[ev.Annotation.ID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 400 {
		t.Errorf("%d distinct ids, want 400", len(seen))
	}
}

func TestCountAndSkipped(t *testing.T) {
	if got := len(lswebhooktest.AnnotationsDeleted(lswebhooktest.Count(4)).Annotations); got != 4 {
		t.Errorf("Count(4): %d annotations", got)
	}
	ac := lswebhooktest.AnnotationsCreated(lswebhooktest.Count(3))
	if len(ac.Annotations) != 3 || len(ac.Tasks) != 3 {
		t.Fatalf("Count(3): %d annotations, %d tasks", len(ac.Annotations), len(ac.Tasks))
	}
	for i := range ac.Annotations {
		if ac.Annotations[i].Task != ac.Tasks[i].ID {
			t.Errorf("annotation %d is on task %d, Tasks[%d] is %d", i, ac.Annotations[i].Task, i, ac.Tasks[i].ID)
		}
	}
	s := lswebhooktest.AnnotationCreated(lswebhooktest.Skipped())
	if !s.Annotation.WasCancelled || len(s.Annotation.Result) != 0 || s.Annotation.Result == nil || *s.Task.CancelledAnnotations != 1 || *s.Project.SkippedAnnotationsNumber != 1 {
		t.Errorf("Skipped(): %+v", s.Annotation)
	}
	n := lswebhooktest.TasksCreated(lswebhooktest.NoPayload())
	if n.Tasks != nil || n.Project != nil {
		t.Errorf("NoPayload(): %+v", n)
	}
	if got := string(lswebhooktest.Body(n)); got != `{"action": "TASKS_CREATED"}` {
		t.Errorf("NoPayload() body %s", got)
	}
}

func TestNewRefuses(t *testing.T) {
	for _, tt := range []struct {
		action lswebhook.Action
		opts   []lswebhooktest.Option
		want   string
	}{
		{"NO_SUCH_ACTION", nil, `unknown action "NO_SUCH_ACTION"`},
		{lswebhook.ActionTasksCreated, []lswebhooktest.Option{lswebhooktest.Count(0)}, "Count(0): want 1 to 10000 items"},
		{lswebhook.ActionTasksCreated, []lswebhooktest.Option{lswebhooktest.Count(10001)}, "Count(10001)"},
		{lswebhook.ActionTasksCreated, []lswebhooktest.Option{lswebhooktest.Seq(-1)}, "Seq(-1)"},
		{lswebhook.ActionAnnotationCreated, []lswebhooktest.Option{lswebhooktest.Count(2)}, "Count applies to list actions, not ANNOTATION_CREATED"},
		{lswebhook.ActionProjectCreated, []lswebhooktest.Option{lswebhooktest.Skipped()}, "Skipped applies to ANNOTATION_CREATED and ANNOTATION_UPDATED, not PROJECT_CREATED"},
		{lswebhook.ActionTasksCreated, []lswebhooktest.Option{lswebhooktest.NoPayload(), lswebhooktest.Count(2)}, "NoPayload leaves out"},
		{lswebhook.ActionTasksCreated, []lswebhooktest.Option{{}}, "zero Option"},
	} {
		_, err := lswebhooktest.New(tt.action, tt.opts...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%s, %v): %v, want an error containing %q", tt.action, tt.opts, err, tt.want)
		}
	}
	// A documentation spelling builds the action it stands for.
	if ev, err := lswebhooktest.New(lswebhook.Action("TASK_CREATED")); err != nil || ev.Action() != lswebhook.ActionTasksCreated {
		t.Errorf("New(TASK_CREATED): %v, %v", ev, err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(error).Error(), "Skipped applies") {
			t.Errorf("typed builder: recovered %v, want the New error", r)
		}
	}()
	lswebhooktest.TasksCreated(lswebhooktest.Skipped())
}
