package lsapi

import (
	"reflect"
	"strconv"

	"github.com/seed-d2dfa170/lswebhook"
)

// Change is one event handed to a receiver's callback: a webhook event
// (delivered, or reconstructed by [Reconciler]) or a derived event.
type Change struct {
	// Key is the event's dedupe key: [DedupeKey] of Event, or Derived's
	// key. Two changes with one key report the same change.
	Key string
	// Action is Event's action, or the derived action
	// ([ActionTaskCompleted], ...).
	Action lswebhook.Action
	// Project is the project id the change belongs to; 0 when unknown.
	Project int64
	// Event is the webhook event; nil for a derived change. A
	// reconstructed event was built in Go, so its Raw method returns nil.
	Event lswebhook.Event
	// Derived is the derived event; nil for a webhook event.
	Derived Derived
	// Reconstructed is true when the server did not deliver the event:
	// [Reconciler] rebuilt it from the REST API.
	Reconstructed bool
}

// Derived actions: events Label Studio never sends, derived by this
// package from deliveries and catch-up.
const (
	// ActionTaskCompleted: a task reached the number of annotations its
	// project requires (Label Studio's is_labeled turned true).
	ActionTaskCompleted lswebhook.Action = "TASK_COMPLETED"
	// ActionProjectCompleted: every task of a project is completed.
	ActionProjectCompleted lswebhook.Action = "PROJECT_COMPLETED"
	// ActionTaskUpdated: a task's data changed (PATCH /api/tasks/<id>/,
	// which sends no webhook). Only catch-up can see it.
	ActionTaskUpdated lswebhook.Action = "TASK_UPDATED"
)

// Derived is a derived event: [*TaskCompleted], [*ProjectCompleted] or
// [*TaskUpdated]. The set is closed.
type Derived interface {
	// Action returns the derived action.
	Action() lswebhook.Action
	// Key returns the dedupe key; the same derived change, whether derived
	// from a delivery or from catch-up, has one key.
	Key() string
	derived()
}

// TaskCompleted is derived when a task becomes labeled. Its key is
// TASK_COMPLETED|t<task>|a<annotation>: the task and the annotation that
// completed it (the one with which the count of distinct annotators of
// non-cancelled annotations reached the task's overlap), so a task that is
// completed again after an annotation was deleted gets a new key.
type TaskCompleted struct {
	Task lswebhook.Task `json:"task"`
	// Annotation is the id of the annotation that completed the task; 0
	// when no annotation explains it.
	Annotation int64 `json:"annotation"`
}

// Action returns [ActionTaskCompleted].
func (*TaskCompleted) Action() lswebhook.Action { return ActionTaskCompleted }

// Key returns TASK_COMPLETED|t<task>|a<annotation>.
func (e *TaskCompleted) Key() string {
	return string(ActionTaskCompleted) + "|t" + strconv.FormatInt(e.Task.ID, 10) + "|a" + strconv.FormatInt(e.Annotation, 10)
}
func (*TaskCompleted) derived() {}

// ProjectCompleted is derived when every task of a project is completed.
// Its key is PROJECT_COMPLETED|p<project>|t<task>, naming the task whose
// completion finished the project, so a project completed again after new
// tasks were added gets a new key.
type ProjectCompleted struct {
	Project int64 `json:"project"`
	// LastTask is the id of the task that completed the project.
	LastTask int64 `json:"last_task"`
	// Tasks is the number of tasks in the project.
	Tasks int64 `json:"tasks"`
}

// Action returns [ActionProjectCompleted].
func (*ProjectCompleted) Action() lswebhook.Action { return ActionProjectCompleted }

// Key returns PROJECT_COMPLETED|p<project>|t<task>.
func (e *ProjectCompleted) Key() string {
	return string(ActionProjectCompleted) + "|p" + strconv.FormatInt(e.Project, 10) + "|t" + strconv.FormatInt(e.LastTask, 10)
}
func (*ProjectCompleted) derived() {}

// TaskUpdated is derived by catch-up when a task's data differs from what
// the previous pass saw. Its key is TASK_UPDATED|t<task>@<updated_at>.
// Several edits between two passes give one TaskUpdated with the latest
// data.
type TaskUpdated struct {
	Task lswebhook.Task `json:"task"`
}

// Action returns [ActionTaskUpdated].
func (*TaskUpdated) Action() lswebhook.Action { return ActionTaskUpdated }

// Key returns TASK_UPDATED|t<task>@<updated_at>.
func (e *TaskUpdated) Key() string {
	k, _ := timedKey(ActionTaskUpdated, 't', e.Task.ID, e.Task.UpdatedAt)
	return k
}
func (*TaskUpdated) derived() {}

// eventChange wraps a webhook event.
func eventChange(ev lswebhook.Event, project int64, reconstructed bool) Change {
	return Change{Key: DedupeKey(ev), Action: ev.Action(), Project: project, Event: ev, Reconstructed: reconstructed}
}

// derivedChange wraps a derived event.
func derivedChange(d Derived, project int64, reconstructed bool) Change {
	return Change{Key: d.Key(), Action: d.Action(), Project: project, Derived: d, Reconstructed: reconstructed}
}

// FromDelivery returns the changes a delivered event stands for: the event
// itself, then the events derived from it. An ANNOTATION_CREATED (or each
// annotation of an ANNOTATIONS_CREATED) whose task is now labeled, whose
// annotation is not cancelled and whose task counts exactly as many
// annotations as its overlap is the one that completed the task:
// [TaskCompleted]; if its project then counts every task finished,
// [ProjectCompleted] follows. The rule reads the counters the payload
// carries (Label Studio 1.10 and later); without them nothing is derived.
// It agrees with catch-up when each annotator submits a task once.
func FromDelivery(ev lswebhook.Event) []Change {
	if ev == nil {
		return nil
	}
	var out []Change
	add := func(a *lswebhook.Annotation, t *lswebhook.Task, p *lswebhook.Project) {
		if a == nil || t == nil || a.WasCancelled || !t.IsLabeled || t.TotalAnnotations == nil {
			return
		}
		if *t.TotalAnnotations != t.Overlap {
			return
		}
		out = append(out, derivedChange(&TaskCompleted{Task: *t, Annotation: a.ID}, t.Project, false))
		if p != nil && p.TaskNumber != nil && p.FinishedTaskNumber != nil && *p.TaskNumber > 0 && *p.FinishedTaskNumber == *p.TaskNumber {
			out = append(out, derivedChange(&ProjectCompleted{Project: p.ID, LastTask: t.ID, Tasks: *p.TaskNumber}, p.ID, false))
		}
	}
	switch e := ev.(type) {
	case *lswebhook.AnnotationCreated:
		add(e.Annotation, e.Task, e.Project)
	case *lswebhook.AnnotationsCreated:
		for i := range e.Annotations {
			if i < len(e.Tasks) {
				add(&e.Annotations[i], &e.Tasks[i], e.Project)
			}
		}
	}
	return append([]Change{eventChange(ev, eventProject(ev), false)}, out...)
}

// eventProject returns the id of the project an event names in its Project
// field (a project or, for PROJECT_DELETED, a reference), or 0.
func eventProject(ev lswebhook.Event) int64 {
	v := reflect.ValueOf(ev)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return 0
	}
	if f := v.Elem().FieldByName("Project"); f.IsValid() {
		switch p := f.Interface().(type) {
		case *lswebhook.Project:
			if p != nil {
				return p.ID
			}
		case *lswebhook.Ref:
			if p != nil {
				return p.ID
			}
		}
	}
	return 0
}
