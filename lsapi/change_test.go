package lsapi

import (
	"encoding/json"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

func TestFromDeliveryDerivesTaskCompleted(t *testing.T) {
	// A real ANNOTATION_CREATED whose task became labeled (1 annotation,
	// overlap 1) while the project has tasks left.
	ev := capture(t, "017-ANNOTATION_CREATED-org.json").(*lswebhook.AnnotationCreated)
	cs := FromDelivery(ev)
	if len(cs) != 2 {
		t.Fatalf("%d changes, want the event and TASK_COMPLETED: %+v", len(cs), cs)
	}
	if cs[0].Event != ev || cs[0].Key != DedupeKey(ev) || cs[0].Reconstructed || cs[0].Project != ev.Project.ID {
		t.Errorf("event change %+v", cs[0])
	}
	tc, ok := cs[1].Derived.(*TaskCompleted)
	if !ok || tc.Task.ID != ev.Task.ID || tc.Annotation != ev.Annotation.ID || cs[1].Action != ActionTaskCompleted {
		t.Fatalf("derived %+v", cs[1])
	}
	if want := "TASK_COMPLETED|t1|a2"; cs[1].Key != want || tc.Key() != want {
		t.Errorf("key %q, want %q", cs[1].Key, want)
	}

	// The same delivery when it completes the project.
	done := *ev.Project
	n := int64(9)
	done.TaskNumber, done.FinishedTaskNumber = &n, &n
	ev2 := *ev
	ev2.Project = &done
	cs = FromDelivery(&ev2)
	if len(cs) != 3 || cs[2].Action != ActionProjectCompleted || cs[2].Key != "PROJECT_COMPLETED|p1|t1" {
		t.Fatalf("changes %+v, want PROJECT_COMPLETED|p1|t1 last", cs)
	}

	// A skip (cancelled annotation), a task not labeled, and a payload
	// without entities derive nothing.
	skip := *ev
	ann := *ev.Annotation
	ann.WasCancelled = true
	skip.Annotation = &ann
	if cs := FromDelivery(&skip); len(cs) != 1 {
		t.Errorf("skip: %d changes", len(cs))
	}
	bare := capture(t, "019-ANNOTATION_CREATED-nopayload.json")
	if cs := FromDelivery(bare); len(cs) != 1 || cs[0].Key != "" {
		t.Errorf("no payload: %+v", cs)
	}
	if FromDelivery(nil) != nil {
		t.Error("nil event")
	}
}

func TestFromDeliveryAgreesWithCatchUp(t *testing.T) {
	// Catch-up derives the completion of the task of capture 017 from the
	// task's annotations; the delivery derives it from the counters. One
	// key.
	ev := capture(t, "017-ANNOTATION_CREATED-org.json").(*lswebhook.AnnotationCreated)
	task := Task{Task: *ev.Task, Annotations: []lswebhook.Annotation{*ev.Annotation}}
	id, at := completingAnnotation(&task)
	if !at.Equal(ev.Annotation.CreatedAt.Time) {
		t.Errorf("completion time %v, want the annotation's creation", at)
	}
	want := (&TaskCompleted{Task: task.Task, Annotation: id}).Key()
	if got := FromDelivery(ev)[1].Key; got != want {
		t.Errorf("delivery %s, catch-up %s", got, want)
	}
}

func TestFromDeliveryBulkCreateCarriesStaleTasks(t *testing.T) {
	// Measured on 1.23.2: ANNOTATIONS_CREATED carries its tasks as they
	// were before the annotations (is_labeled false, no annotations
	// counted), so nothing can be derived from it; catch-up reports those
	// completions.
	ev := capture(t, "035-ANNOTATIONS_CREATED-org.json").(*lswebhook.AnnotationsCreated)
	for _, tk := range ev.Tasks {
		if tk.IsLabeled {
			t.Fatalf("fixture changed: task %d labeled", tk.ID)
		}
	}
	if cs := FromDelivery(ev); len(cs) != 1 {
		t.Errorf("%d changes, want the event alone", len(cs))
	}
}

// TestFromDeliveryProject checks, for every action, that the change of a
// delivered event carries the project id its payload names.
func TestFromDeliveryProject(t *testing.T) {
	for _, info := range lswebhook.Actions() {
		ev, err := lswebhooktest.New(info.Action)
		if err != nil {
			t.Fatal(err)
		}
		var payload struct {
			Project *struct {
				ID int64 `json:"id"`
			} `json:"project"`
		}
		if err := json.Unmarshal(lswebhooktest.Body(ev), &payload); err != nil {
			t.Fatal(err)
		}
		if payload.Project == nil || payload.Project.ID == 0 {
			t.Fatalf("%s: the built payload names no project", info.Action)
		}
		if got := FromDelivery(ev)[0].Project; got != payload.Project.ID {
			t.Errorf("%s: Project %d, the payload names %d", info.Action, got, payload.Project.ID)
		}
	}
	if got := FromDelivery(&lswebhook.UnknownEvent{Name: "X"})[0].Project; got != 0 {
		t.Errorf("unknown event: Project %d, want 0", got)
	}
	if got := FromDelivery(&lswebhook.TasksCreated{})[0].Project; got != 0 {
		t.Errorf("TASKS_CREATED without its project: Project %d, want 0", got)
	}
}
