package lswebhook

import "encoding/json"

// Action names the kind of change a payload reports: the value of its
// top-level "action" member, such as "ANNOTATION_CREATED".
type Action string

// The actions Label Studio sends. [Actions] lists them with their Go types
// and schemas.
const (
	// Sent to organization-level webhooks only.
	ActionProjectCreated Action = "PROJECT_CREATED"
	ActionProjectUpdated Action = "PROJECT_UPDATED"
	// Sent to organization-level webhooks only; carries the id only.
	ActionProjectDeleted Action = "PROJECT_DELETED"

	ActionTasksCreated Action = "TASKS_CREATED"
	ActionTasksDeleted Action = "TASKS_DELETED"

	ActionAnnotationCreated  Action = "ANNOTATION_CREATED"
	ActionAnnotationsCreated Action = "ANNOTATIONS_CREATED"
	ActionAnnotationUpdated  Action = "ANNOTATION_UPDATED"
	ActionAnnotationsDeleted Action = "ANNOTATIONS_DELETED"

	ActionLabelLinkCreated Action = "LABEL_LINK_CREATED"
	ActionLabelLinkUpdated Action = "LABEL_LINK_UPDATED"
	ActionLabelLinkDeleted Action = "LABEL_LINK_DELETED"

	// Sent to an ML backend's /webhook when a user starts training; not a
	// subscribable webhook action.
	ActionStartTraining Action = "START_TRAINING"

	// Sent by Label Studio Enterprise only.
	ActionReviewCreated  Action = "REVIEW_CREATED"
	ActionReviewUpdated  Action = "REVIEW_UPDATED"
	ActionReviewsDeleted Action = "REVIEWS_DELETED"
)

// Event is a decoded webhook payload: one of the pointer types in this
// package named after the actions ([*ProjectCreated], [*TasksCreated],
// [*AnnotationCreated], ...) or [*UnknownEvent]. Use a type switch to reach
// the fields. The set of implementations is closed.
//
// Entity fields of an event are nil when the payload leaves them out, which
// Label Studio does when the webhook's "send payload" option is off (the
// body is then only {"action": "..."}).
type Event interface {
	// Action returns the canonical action. For a payload that used a
	// documentation spelling (TASK_CREATED) it is the real one
	// (TASKS_CREATED); Raw keeps what was sent.
	Action() Action
	// Raw returns the bytes the event was decoded from. The caller must not
	// modify them. It is nil for an event built in Go.
	Raw() json.RawMessage
	// Drift lists the members Label Studio 1.23 sends that this payload
	// lacks, each at the pointer where it would be: older and newer
	// releases send other shapes, and the payload decodes all the same
	// (see the README's schema policy). It is nil for an event built in Go,
	// and [Decoder.DisallowDrift] makes drift an error instead.
	Drift() []Problem

	// setRaw is unexported so that only this package implements Event.
	setRaw(json.RawMessage)
	setDrift([]Problem)
}

// eventMeta is embedded in every event type.
type eventMeta struct {
	// raw is behind a pointer so that fmt, when it prints an event by
	// reflection (%w or %p on a value), shows an address, not the bytes
	// with the project's secrets.
	raw   *json.RawMessage
	drift []Problem
}

// Raw returns the bytes the event was decoded from; nil for an event built
// in Go.
func (m *eventMeta) Raw() json.RawMessage {
	if m.raw == nil {
		return nil
	}
	return *m.raw
}

// Drift returns the members Label Studio 1.23 sends that the payload
// lacked; see [Event].
func (m *eventMeta) Drift() []Problem { return m.drift }

func (m *eventMeta) setRaw(b json.RawMessage) {
	if b == nil {
		m.raw = nil
		return
	}
	m.raw = &b
}

func (m *eventMeta) setDrift(d []Problem) { m.drift = d }

// ProjectCreated is the PROJECT_CREATED event, sent to organization-level
// webhooks when a project is created.
type ProjectCreated struct {
	// Project is the new project; nil when the payload was not sent.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// ProjectUpdated is the PROJECT_UPDATED event, sent when a project's
// settings change. Older Label Studio versions also sent it to ML backends
// to start training.
type ProjectUpdated struct {
	// Project is the project after the change; nil when the payload was not
	// sent.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// ProjectDeleted is the PROJECT_DELETED event, sent to organization-level
// webhooks. It carries the deleted project's id only.
type ProjectDeleted struct {
	// Project holds the deleted project's id; nil when the payload was not
	// sent.
	Project *Ref `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// TasksCreated is the TASKS_CREATED event, sent when tasks are created one
// at a time, imported, or synced from cloud storage. A large import or sync
// may arrive as several events.
type TasksCreated struct {
	// Tasks are the new tasks; nil when the payload was not sent.
	Tasks []Task `json:"tasks,omitempty"`
	// Project is the project the tasks belong to.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// TasksDeleted is the TASKS_DELETED event. It carries the deleted tasks'
// ids only. Deleting all of a project's tasks through the API sends it to
// organization-level webhooks without a project.
type TasksDeleted struct {
	// Tasks hold the deleted tasks' ids.
	Tasks []Ref `json:"tasks,omitempty"`
	// Project is nil when the payload was not sent, and for the
	// delete-all-tasks path.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// AnnotationCreated is the ANNOTATION_CREATED event, sent when a user
// submits an annotation or skips a task (then Annotation.WasCancelled is
// true).
type AnnotationCreated struct {
	// Annotation is the new annotation.
	Annotation *Annotation `json:"annotation,omitempty"`
	// Task is the annotated task. Label Studio's documentation examples
	// leave it out; real servers send it.
	Task *Task `json:"task,omitempty"`
	// Project is the task's project.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// AnnotationsCreated is the ANNOTATIONS_CREATED event, sent when
// annotations are created in bulk, for example from predictions. Its keys
// are singular ("annotation", "task") although they hold lists; Tasks[i] is
// the task of Annotations[i].
type AnnotationsCreated struct {
	// Annotations are the new annotations (JSON key "annotation").
	Annotations []Annotation `json:"annotation,omitempty"`
	// Tasks are their tasks, one per annotation (JSON key "task").
	Tasks []Task `json:"task,omitempty"`
	// Project is the project they belong to.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// AnnotationUpdated is the ANNOTATION_UPDATED event, sent when an
// annotation is changed (PUT or PATCH).
type AnnotationUpdated struct {
	// Annotation is the annotation after the change.
	Annotation *Annotation `json:"annotation,omitempty"`
	// Task is the annotated task.
	Task *Task `json:"task,omitempty"`
	// Project is the task's project.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// AnnotationsDeleted is the ANNOTATIONS_DELETED event, sent for single and
// bulk deletes alike. It carries the deleted annotations' ids only, without
// their tasks.
type AnnotationsDeleted struct {
	// Annotations hold the deleted annotations' ids.
	Annotations []Ref `json:"annotations,omitempty"`
	// Project is the project they belonged to.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// LabelLinkCreated is the LABEL_LINK_CREATED event, sent when labels from
// the label library are linked to a project.
type LabelLinkCreated struct {
	// LabelLinks are the new links (JSON key "label_link", a list).
	LabelLinks []LabelLink `json:"label_link,omitempty"`
	// Project is the linked project.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// LabelLinkUpdated is the LABEL_LINK_UPDATED event.
type LabelLinkUpdated struct {
	// LabelLink is the link after the change.
	LabelLink *LabelLink `json:"label_link,omitempty"`
	// Label is the linked label.
	Label *Label `json:"label,omitempty"`
	// Project is the linked project.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// LabelLinkDeleted is the LABEL_LINK_DELETED event; it carries the link's
// id only.
type LabelLinkDeleted struct {
	// LabelLink holds the deleted link's id.
	LabelLink *Ref `json:"label_link,omitempty"`
	// Project is the project the link belonged to.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// StartTraining is the START_TRAINING event, POSTed by Label Studio to an
// ML backend's /webhook when a user presses "Start Training". It is not a
// webhook action users can subscribe to.
type StartTraining struct {
	// Project is the project to train on.
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// ReviewCreated is the REVIEW_CREATED event of Label Studio Enterprise. Its
// payload layout is not published and no real delivery has been seen:
// the "review" and "project" keys are assumed by analogy with the other
// actions (unverified), and anything else is kept in Extra.
type ReviewCreated struct {
	// Review is the new review (unverified).
	Review *Review `json:"review,omitempty"`
	// Project is the review's project (unverified).
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// ReviewUpdated is the REVIEW_UPDATED event of Label Studio Enterprise; see
// [ReviewCreated] for what is known of its layout.
type ReviewUpdated struct {
	Review  *Review  `json:"review,omitempty"`
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// ReviewsDeleted is the REVIEWS_DELETED event of Label Studio Enterprise;
// the "reviews" id list is assumed by analogy with the other delete events.
type ReviewsDeleted struct {
	Reviews []Ref    `json:"reviews,omitempty"`
	Project *Project `json:"project,omitempty"`
	// Extra holds top-level members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// UnknownEvent is a payload whose action the library does not know, for
// example one added by a newer Label Studio. Decode returns it with a nil
// error unless [Decoder.DisallowUnknownActions] is set.
type UnknownEvent struct {
	// Name is the action as sent.
	Name Action `json:"-"`
	// Extra holds every top-level member other than "action".
	Extra map[string]json.RawMessage `json:"-"`
	eventMeta
}

// Action returns the action as sent.
func (e *UnknownEvent) Action() Action { return e.Name }

// MarshalJSON encodes the event as a payload: the action and the members in
// Extra. Like the other events', its receiver is a value.
func (e UnknownEvent) MarshalJSON() ([]byte, error) {
	return marshalObject(e.Name, struct{}{}, e.Extra)
}
