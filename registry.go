package lswebhook

// Sender says who sends an action and to whom.
type Sender string

const (
	// SenderWebhook: Label Studio (Community and Enterprise) to the webhooks
	// users register.
	SenderWebhook Sender = "webhook"
	// SenderMLBackend: Label Studio to a connected ML backend's /webhook; not
	// subscribable.
	SenderMLBackend Sender = "ml-backend"
	// SenderEnterprise: Label Studio Enterprise webhooks only.
	SenderEnterprise Sender = "enterprise"
)

// ActionInfo describes one action the library knows.
type ActionInfo struct {
	// Action is the canonical action string.
	Action Action
	// Aliases are documentation spellings that decode as Action.
	Aliases []Action
	// New returns a new, empty event of the Go type Decode returns for the
	// action, such as *lswebhook.TasksCreated; fmt's %T names the type.
	New func() Event
	// Schema is the path of the action's JSON Schema in [Schemas].
	Schema string
	// Sender says who sends the action.
	Sender Sender
	// OrganizationOnly is true for actions only organization-level webhooks
	// receive.
	OrganizationOnly bool
}

// variant is one row of the registry. Everything about actions (constants
// aside) is derived from this table: lookup by name, dispatch to a Go type,
// schema files and the completeness tests.
type variant struct {
	action  Action
	aliases []Action
	new     func() Event
	schema  string
	sender  Sender
	orgOnly bool
}

var registry = []variant{
	{action: ActionProjectCreated, new: func() Event { return new(ProjectCreated) }, schema: "events/project-created.json", sender: SenderWebhook, orgOnly: true},
	{action: ActionProjectUpdated, new: func() Event { return new(ProjectUpdated) }, schema: "events/project-updated.json", sender: SenderWebhook},
	{action: ActionProjectDeleted, new: func() Event { return new(ProjectDeleted) }, schema: "events/project-deleted.json", sender: SenderWebhook, orgOnly: true},
	{action: ActionTasksCreated, aliases: []Action{"TASK_CREATED"}, new: func() Event { return new(TasksCreated) }, schema: "events/tasks-created.json", sender: SenderWebhook},
	{action: ActionTasksDeleted, aliases: []Action{"TASK_DELETED"}, new: func() Event { return new(TasksDeleted) }, schema: "events/tasks-deleted.json", sender: SenderWebhook},
	{action: ActionAnnotationCreated, new: func() Event { return new(AnnotationCreated) }, schema: "events/annotation-created.json", sender: SenderWebhook},
	{action: ActionAnnotationsCreated, new: func() Event { return new(AnnotationsCreated) }, schema: "events/annotations-created.json", sender: SenderWebhook},
	{action: ActionAnnotationUpdated, new: func() Event { return new(AnnotationUpdated) }, schema: "events/annotation-updated.json", sender: SenderWebhook},
	{action: ActionAnnotationsDeleted, aliases: []Action{"ANNOTATION_DELETED"}, new: func() Event { return new(AnnotationsDeleted) }, schema: "events/annotations-deleted.json", sender: SenderWebhook},
	{action: ActionLabelLinkCreated, new: func() Event { return new(LabelLinkCreated) }, schema: "events/label-link-created.json", sender: SenderWebhook},
	{action: ActionLabelLinkUpdated, new: func() Event { return new(LabelLinkUpdated) }, schema: "events/label-link-updated.json", sender: SenderWebhook},
	{action: ActionLabelLinkDeleted, new: func() Event { return new(LabelLinkDeleted) }, schema: "events/label-link-deleted.json", sender: SenderWebhook},
	{action: ActionStartTraining, new: func() Event { return new(StartTraining) }, schema: "events/start-training.json", sender: SenderMLBackend},
	{action: ActionReviewCreated, new: func() Event { return new(ReviewCreated) }, schema: "events/review-created.json", sender: SenderEnterprise},
	{action: ActionReviewUpdated, new: func() Event { return new(ReviewUpdated) }, schema: "events/review-updated.json", sender: SenderEnterprise},
	{action: ActionReviewsDeleted, new: func() Event { return new(ReviewsDeleted) }, schema: "events/reviews-deleted.json", sender: SenderEnterprise},
}

// byAction maps canonical actions and aliases to their registry row.
var byAction = func() map[Action]*variant {
	m := make(map[Action]*variant)
	for i := range registry {
		v := &registry[i]
		m[v.action] = v
		for _, a := range v.aliases {
			m[a] = v
		}
	}
	return m
}()

func (v *variant) info() ActionInfo {
	return ActionInfo{
		Action:           v.action,
		Aliases:          append([]Action(nil), v.aliases...),
		New:              v.new,
		Schema:           v.schema,
		Sender:           v.sender,
		OrganizationOnly: v.orgOnly,
	}
}

// Actions lists every action the library knows, in a fixed order.
func Actions() []ActionInfo {
	out := make([]ActionInfo, len(registry))
	for i := range registry {
		out[i] = registry[i].info()
	}
	return out
}

// LookupAction returns what the library knows of an action, given its
// canonical name or a documentation alias.
func LookupAction(a Action) (ActionInfo, bool) {
	v, ok := byAction[a]
	if !ok {
		return ActionInfo{}, false
	}
	return v.info(), true
}

// Canonical returns the action that a stands for, and whether the library
// knows it. It is the one place that reads the spellings of Label Studio's
// documentation that no server sends (TASK_CREATED, TASK_DELETED,
// ANNOTATION_DELETED): Action("TASK_CREATED").Canonical() is
// ActionTasksCreated. Unknown actions are returned unchanged.
func (a Action) Canonical() (Action, bool) {
	v, ok := byAction[a]
	if !ok {
		return a, false
	}
	return v.action, true
}

// Action returns [ActionProjectCreated].
func (*ProjectCreated) Action() Action { return ActionProjectCreated }

// Action returns [ActionProjectUpdated].
func (*ProjectUpdated) Action() Action { return ActionProjectUpdated }

// Action returns [ActionProjectDeleted].
func (*ProjectDeleted) Action() Action { return ActionProjectDeleted }

// Action returns [ActionTasksCreated].
func (*TasksCreated) Action() Action { return ActionTasksCreated }

// Action returns [ActionTasksDeleted].
func (*TasksDeleted) Action() Action { return ActionTasksDeleted }

// Action returns [ActionAnnotationCreated].
func (*AnnotationCreated) Action() Action { return ActionAnnotationCreated }

// Action returns [ActionAnnotationsCreated].
func (*AnnotationsCreated) Action() Action { return ActionAnnotationsCreated }

// Action returns [ActionAnnotationUpdated].
func (*AnnotationUpdated) Action() Action { return ActionAnnotationUpdated }

// Action returns [ActionAnnotationsDeleted].
func (*AnnotationsDeleted) Action() Action { return ActionAnnotationsDeleted }

// Action returns [ActionLabelLinkCreated].
func (*LabelLinkCreated) Action() Action { return ActionLabelLinkCreated }

// Action returns [ActionLabelLinkUpdated].
func (*LabelLinkUpdated) Action() Action { return ActionLabelLinkUpdated }

// Action returns [ActionLabelLinkDeleted].
func (*LabelLinkDeleted) Action() Action { return ActionLabelLinkDeleted }

// Action returns [ActionStartTraining].
func (*StartTraining) Action() Action { return ActionStartTraining }

// Action returns [ActionReviewCreated].
func (*ReviewCreated) Action() Action { return ActionReviewCreated }

// Action returns [ActionReviewUpdated].
func (*ReviewUpdated) Action() Action { return ActionReviewUpdated }

// Action returns [ActionReviewsDeleted].
func (*ReviewsDeleted) Action() Action { return ActionReviewsDeleted }

// MarshalJSON methods write each event as a payload: "action" first, then
// the entity members that are set, then Extra. They have value receivers,
// so an event marshals the same through a value or a pointer.

// MarshalJSON writes the event as a payload, "action" first.
func (e ProjectCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e ProjectUpdated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e ProjectDeleted) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e TasksCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e TasksDeleted) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e AnnotationCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e AnnotationsCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e AnnotationUpdated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e AnnotationsDeleted) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e LabelLinkCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e LabelLinkUpdated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e LabelLinkDeleted) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e StartTraining) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e ReviewCreated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e ReviewUpdated) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }

// MarshalJSON writes the event as a payload, "action" first.
func (e ReviewsDeleted) MarshalJSON() ([]byte, error) { return marshalEvent(&e, e.Extra) }
