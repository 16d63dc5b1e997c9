package lswebhooktest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// builder makes one action's default event.
type builder struct {
	// list is true for actions that carry a list (Count applies).
	list bool
	// annotation is true for actions that carry one annotation (Skipped
	// applies).
	annotation bool
	make       func(c *config) lswebhook.Event
}

var builders = map[lswebhook.Action]builder{
	lswebhook.ActionProjectCreated: {make: func(c *config) lswebhook.Event {
		return &lswebhook.ProjectCreated{Project: c.project(true, counters{})}
	}},
	lswebhook.ActionProjectUpdated: {make: func(c *config) lswebhook.Event {
		p := c.project(true, counters{tasks: 1, finished: 1, annotations: 1, withAnnotations: 1, useful: 1})
		p.UpdatedAt = c.at(taskUpdated, 0)
		return &lswebhook.ProjectUpdated{Project: p}
	}},
	lswebhook.ActionProjectDeleted: {make: func(c *config) lswebhook.Event {
		return &lswebhook.ProjectDeleted{Project: &lswebhook.Ref{ID: c.id(0)}}
	}},
	lswebhook.ActionTasksCreated: {list: true, make: func(c *config) lswebhook.Event {
		ev := &lswebhook.TasksCreated{Project: c.project(false, counters{tasks: int64(c.count)})}
		for i := 0; i < c.count; i++ {
			t := c.task(i, false, taskCounts{}, taskCreated.Add(29*time.Microsecond))
			t.UpdatedBy = 0
			ev.Tasks = append(ev.Tasks, t)
		}
		return ev
	}},
	lswebhook.ActionTasksDeleted: {list: true, make: func(c *config) lswebhook.Event {
		return &lswebhook.TasksDeleted{Tasks: refs(c, c.count), Project: c.project(false, counters{})}
	}},
	lswebhook.ActionAnnotationCreated: {annotation: true, make: func(c *config) lswebhook.Event {
		a, t, p := c.annotated()
		return &lswebhook.AnnotationCreated{Annotation: a, Task: t, Project: p}
	}},
	lswebhook.ActionAnnotationsCreated: {list: true, make: func(c *config) lswebhook.Event {
		n := int64(c.count)
		ev := &lswebhook.AnnotationsCreated{Project: c.project(false, counters{tasks: n, finished: n, annotations: n, withAnnotations: n, useful: n, predictions: n})}
		for i := 0; i < c.count; i++ {
			// Bulk annotations made from predictions, as Label Studio
			// sends them: a scored result, the parent prediction, no lead
			// time, result_count 0.
			a := c.annotation(i)
			a.Result[0].Origin = ""
			a.Result[0].Score = ptr(0.9)
			a.UpdatedBy = 0
			a.LeadTime = nil
			a.ResultCount = 0
			a.ParentPrediction = a.ID
			ev.Annotations = append(ev.Annotations, a)
			ev.Tasks = append(ev.Tasks, c.task(i, true, taskCounts{annotations: 1, predictions: 1}, taskUpdated))
		}
		return ev
	}},
	lswebhook.ActionAnnotationUpdated: {annotation: true, make: func(c *config) lswebhook.Event {
		a, t, p := c.annotated()
		a.UpdatedAt = c.at(taskUpdated.Add(200*time.Millisecond), 0)
		t.UpdatedAt = c.at(taskUpdated.Add(210*time.Millisecond), 0)
		return &lswebhook.AnnotationUpdated{Annotation: a, Task: t, Project: p}
	}},
	lswebhook.ActionAnnotationsDeleted: {list: true, make: func(c *config) lswebhook.Event {
		n := int64(c.count)
		return &lswebhook.AnnotationsDeleted{Annotations: refs(c, c.count), Project: c.project(false, counters{tasks: n})}
	}},
	lswebhook.ActionLabelLinkCreated: {list: true, make: func(c *config) lswebhook.Event {
		ev := &lswebhook.LabelLinkCreated{Project: c.project(false, counters{})}
		for i := 0; i < c.count; i++ {
			ev.LabelLinks = append(ev.LabelLinks, c.labelLink(i))
		}
		return ev
	}},
	lswebhook.ActionLabelLinkUpdated: {make: func(c *config) lswebhook.Event {
		l := c.labelLink(0)
		return &lswebhook.LabelLinkUpdated{LabelLink: &l, Label: c.label(), Project: c.project(false, counters{})}
	}},
	lswebhook.ActionLabelLinkDeleted: {make: func(c *config) lswebhook.Event {
		return &lswebhook.LabelLinkDeleted{LabelLink: &lswebhook.Ref{ID: c.id(0)}, Project: c.project(false, counters{})}
	}},
	lswebhook.ActionStartTraining: {make: func(c *config) lswebhook.Event {
		n := counters{tasks: 1, finished: 1, annotations: 1, withAnnotations: 1, useful: 1}
		return &lswebhook.StartTraining{Project: c.project(true, n)}
	}},
	lswebhook.ActionReviewCreated: {make: func(c *config) lswebhook.Event {
		return &lswebhook.ReviewCreated{Review: c.review(), Project: c.project(false, annotatedCounters(c))}
	}},
	lswebhook.ActionReviewUpdated: {make: func(c *config) lswebhook.Event {
		r := c.review()
		r.Accepted = ptr(false)
		return &lswebhook.ReviewUpdated{Review: r, Project: c.project(false, annotatedCounters(c))}
	}},
	lswebhook.ActionReviewsDeleted: {list: true, make: func(c *config) lswebhook.Event {
		return &lswebhook.ReviewsDeleted{Reviews: refs(c, c.count), Project: c.project(false, annotatedCounters(c))}
	}},
}

// annotatedCounters are the counters of a project with one task and one
// annotation, submitted or skipped.
func annotatedCounters(c *config) counters {
	if c.skipped {
		return counters{tasks: 1, finished: 1, annotations: 1, skipped: 1}
	}
	return counters{tasks: 1, finished: 1, annotations: 1, withAnnotations: 1, useful: 1}
}

// annotated returns the annotation, task and project of the single
// annotation events.
func (c *config) annotated() (*lswebhook.Annotation, *lswebhook.Task, *lswebhook.Project) {
	a := c.annotation(0)
	counts := taskCounts{annotations: 1}
	if c.skipped {
		counts = taskCounts{cancelled: 1}
	}
	t := c.task(0, !c.skipped, counts, taskUpdated)
	return &a, &t, c.project(false, annotatedCounters(c))
}

// New returns the default event of an action (canonical or a
// documentation spelling such as TASK_CREATED), changed by the options. It
// returns an error for an action the library does not know and for options
// that do not apply to the action.
func New(action lswebhook.Action, opts ...Option) (lswebhook.Event, error) {
	canonical, known := action.Canonical()
	b, ok := builders[canonical]
	if !known || !ok {
		return nil, fmt.Errorf("lswebhooktest: unknown action %q", action)
	}
	c := config{count: 1}
	var names []string
	for _, o := range opts {
		if o.apply == nil {
			return nil, errors.New("lswebhooktest: zero Option")
		}
		o.apply(&c)
		names = append(names, o.name)
	}
	problems := c.errs
	if c.countSet && !b.list {
		problems = append(problems, fmt.Sprintf("Count applies to list actions, not %s", canonical))
	}
	if c.skipped && !b.annotation {
		problems = append(problems, fmt.Sprintf("Skipped applies to ANNOTATION_CREATED and ANNOTATION_UPDATED, not %s", canonical))
	}
	if c.noPayload && (c.countSet || c.skipped) {
		problems = append(problems, "NoPayload leaves out the entities that Count and Skipped shape")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("lswebhooktest: %s(%s): %s", canonical, strings.Join(names, ", "), strings.Join(problems, "; "))
	}
	if c.noPayload {
		return noPayload(canonical), nil
	}
	return b.make(&c), nil
}

// noPayload returns the event of an action with its entities left out.
func noPayload(a lswebhook.Action) lswebhook.Event {
	info, _ := lswebhook.LookupAction(a)
	return info.New()
}

// build is New for the typed builders: it panics on an error.
func build[T lswebhook.Event](action lswebhook.Action, opts []Option) T {
	ev, err := New(action, opts...)
	if err != nil {
		panic(err)
	}
	return ev.(T)
}

// ProjectCreated returns a PROJECT_CREATED event: a new project without
// tasks. It panics if an option does not apply.
func ProjectCreated(opts ...Option) *lswebhook.ProjectCreated {
	return build[*lswebhook.ProjectCreated](lswebhook.ActionProjectCreated, opts)
}

// ProjectUpdated returns a PROJECT_UPDATED event: a project with one
// annotated task. It panics if an option does not apply.
func ProjectUpdated(opts ...Option) *lswebhook.ProjectUpdated {
	return build[*lswebhook.ProjectUpdated](lswebhook.ActionProjectUpdated, opts)
}

// ProjectDeleted returns a PROJECT_DELETED event, which carries the
// project's id only. It panics if an option does not apply.
func ProjectDeleted(opts ...Option) *lswebhook.ProjectDeleted {
	return build[*lswebhook.ProjectDeleted](lswebhook.ActionProjectDeleted, opts)
}

// TasksCreated returns a TASKS_CREATED event: [Count] new image tasks
// (default 1) and their project. It panics if an option does not apply.
func TasksCreated(opts ...Option) *lswebhook.TasksCreated {
	return build[*lswebhook.TasksCreated](lswebhook.ActionTasksCreated, opts)
}

// TasksDeleted returns a TASKS_DELETED event: the ids of [Count] tasks
// (default 1) and their project. It panics if an option does not apply.
func TasksDeleted(opts ...Option) *lswebhook.TasksDeleted {
	return build[*lswebhook.TasksDeleted](lswebhook.ActionTasksDeleted, opts)
}

// AnnotationCreated returns an ANNOTATION_CREATED event: an annotation
// with one rectangle labelled "Cat" (or, with [Skipped], a skipped task),
// its task and its project. It panics if an option does not apply.
func AnnotationCreated(opts ...Option) *lswebhook.AnnotationCreated {
	return build[*lswebhook.AnnotationCreated](lswebhook.ActionAnnotationCreated, opts)
}

// AnnotationsCreated returns an ANNOTATIONS_CREATED event: [Count]
// annotations (default 1) made in bulk from predictions, their tasks and
// their project. It panics if an option does not apply.
func AnnotationsCreated(opts ...Option) *lswebhook.AnnotationsCreated {
	return build[*lswebhook.AnnotationsCreated](lswebhook.ActionAnnotationsCreated, opts)
}

// AnnotationUpdated returns an ANNOTATION_UPDATED event, like
// [AnnotationCreated] with later update times. It panics if an option does
// not apply.
func AnnotationUpdated(opts ...Option) *lswebhook.AnnotationUpdated {
	return build[*lswebhook.AnnotationUpdated](lswebhook.ActionAnnotationUpdated, opts)
}

// AnnotationsDeleted returns an ANNOTATIONS_DELETED event: the ids of
// [Count] annotations (default 1) and their project. It panics if an option
// does not apply.
func AnnotationsDeleted(opts ...Option) *lswebhook.AnnotationsDeleted {
	return build[*lswebhook.AnnotationsDeleted](lswebhook.ActionAnnotationsDeleted, opts)
}

// LabelLinkCreated returns a LABEL_LINK_CREATED event: [Count] links
// (default 1) of library labels to the project's "label" control. It
// panics if an option does not apply.
func LabelLinkCreated(opts ...Option) *lswebhook.LabelLinkCreated {
	return build[*lswebhook.LabelLinkCreated](lswebhook.ActionLabelLinkCreated, opts)
}

// LabelLinkUpdated returns a LABEL_LINK_UPDATED event: a link, its label
// "Cat" and the project. It panics if an option does not apply.
func LabelLinkUpdated(opts ...Option) *lswebhook.LabelLinkUpdated {
	return build[*lswebhook.LabelLinkUpdated](lswebhook.ActionLabelLinkUpdated, opts)
}

// LabelLinkDeleted returns a LABEL_LINK_DELETED event: the link's id and
// the project. It panics if an option does not apply.
func LabelLinkDeleted(opts ...Option) *lswebhook.LabelLinkDeleted {
	return build[*lswebhook.LabelLinkDeleted](lswebhook.ActionLabelLinkDeleted, opts)
}

// StartTraining returns a START_TRAINING event, which Label Studio posts
// to an ML backend: the project to train on. It panics if an option does
// not apply.
func StartTraining(opts ...Option) *lswebhook.StartTraining {
	return build[*lswebhook.StartTraining](lswebhook.ActionStartTraining, opts)
}

// ReviewCreated returns a REVIEW_CREATED event (Label Studio Enterprise,
// whose layout is not published: see [lswebhook.ReviewCreated]): an
// accepted review and the project. It panics if an option does not apply.
func ReviewCreated(opts ...Option) *lswebhook.ReviewCreated {
	return build[*lswebhook.ReviewCreated](lswebhook.ActionReviewCreated, opts)
}

// ReviewUpdated returns a REVIEW_UPDATED event (Label Studio Enterprise): a
// review changed to rejected, and the project. It panics if an option does
// not apply.
func ReviewUpdated(opts ...Option) *lswebhook.ReviewUpdated {
	return build[*lswebhook.ReviewUpdated](lswebhook.ActionReviewUpdated, opts)
}

// ReviewsDeleted returns a REVIEWS_DELETED event (Label Studio Enterprise):
// the ids of [Count] reviews (default 1) and the project. It panics if an
// option does not apply.
func ReviewsDeleted(opts ...Option) *lswebhook.ReviewsDeleted {
	return build[*lswebhook.ReviewsDeleted](lswebhook.ActionReviewsDeleted, opts)
}
