package main

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// maxListedIDs is how many ids a summary lists before "...".
const maxListedIDs = 5

// summarize describes a decoded event in one line: the ids and counts of
// its entities, such as "3 tasks (4, 5, 6), project 2".
func summarize(ev lswebhook.Event) string {
	var parts []string
	add := func(s string) { parts = append(parts, s) }
	project := func(p *lswebhook.Project) {
		if p == nil {
			add("no project")
		} else {
			add("project " + strconv.FormatInt(p.ID, 10))
		}
	}
	titled := func(p *lswebhook.Project) {
		if p == nil {
			add("no project")
			return
		}
		s := "project " + strconv.FormatInt(p.ID, 10)
		if p.Title != "" {
			s += " " + quote(p.Title)
		}
		add(s)
	}

	if _, unknown := ev.(*lswebhook.UnknownEvent); unknown {
		// Also when the payload is only the action: the library knows no
		// entity of this action to be left out.
		add("action unknown to this version of lswebhook, not validated (--strict refuses it)")
	} else if actionOnly(ev) {
		add(`action only (the webhook's "send payload" is off)`)
	} else {
		switch ev := ev.(type) {
		case *lswebhook.ProjectCreated:
			titled(ev.Project)
		case *lswebhook.ProjectUpdated:
			titled(ev.Project)
		case *lswebhook.ProjectDeleted:
			if ev.Project == nil {
				add("no project")
			} else {
				add("project " + strconv.FormatInt(ev.Project.ID, 10))
			}
		case *lswebhook.TasksCreated:
			add(list("task", "tasks", ids(ev.Tasks, func(t lswebhook.Task) int64 { return t.ID })))
		case *lswebhook.TasksDeleted:
			add(list("task", "tasks", ids(ev.Tasks, refID)))
		case *lswebhook.AnnotationCreated:
			add(annotation(ev.Annotation))
			add(task(ev.Task))
		case *lswebhook.AnnotationUpdated:
			add(annotation(ev.Annotation))
			add(task(ev.Task))
		case *lswebhook.AnnotationsCreated:
			add(list("annotation", "annotations", ids(ev.Annotations, func(a lswebhook.Annotation) int64 { return a.ID })))
			add(list("task", "tasks", ids(ev.Tasks, func(t lswebhook.Task) int64 { return t.ID })))
		case *lswebhook.AnnotationsDeleted:
			add(list("annotation", "annotations", ids(ev.Annotations, refID)))
		case *lswebhook.LabelLinkCreated:
			add(list("label link", "label links", ids(ev.LabelLinks, func(l lswebhook.LabelLink) int64 { return l.ID })))
		case *lswebhook.LabelLinkUpdated:
			if ev.LabelLink == nil {
				add("no label link")
			} else {
				add(fmt.Sprintf("label link %d (from_name %s)", ev.LabelLink.ID, quote(ev.LabelLink.FromName)))
			}
			if ev.Label != nil {
				add(fmt.Sprintf("label %d", ev.Label.ID))
			}
		case *lswebhook.LabelLinkDeleted:
			if ev.LabelLink == nil {
				add("no label link")
			} else {
				add(fmt.Sprintf("label link %d", ev.LabelLink.ID))
			}
		case *lswebhook.StartTraining:
			titled(ev.Project)
		case *lswebhook.ReviewCreated:
			add(review(ev.Review))
		case *lswebhook.ReviewUpdated:
			add(review(ev.Review))
		case *lswebhook.ReviewsDeleted:
			add(list("review", "reviews", ids(ev.Reviews, refID)))
		}
		switch ev.(type) {
		case *lswebhook.ProjectCreated, *lswebhook.ProjectUpdated, *lswebhook.ProjectDeleted, *lswebhook.StartTraining:
			// The project is the subject, written above.
		default:
			project(eventProject(ev))
		}
	}
	if extra := extraMembers(ev); len(extra) > 0 {
		add("other members: " + strings.Join(extra, " "))
	}
	s := strings.Join(parts, ", ")
	if sent := sentAction(ev); sent != "" && sent != string(ev.Action()) {
		s += " (sent as " + sent + ")"
	}
	return clean(s)
}

func refID(r lswebhook.Ref) int64 { return r.ID }

func ids[T any](xs []T, id func(T) int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

// list writes "3 tasks (4, 5, 6)", "1 task (4)" or "0 tasks", with at most
// maxListedIDs ids.
func list(one, many string, ids []int64) string {
	n := len(ids)
	noun := many
	if n == 1 {
		noun = one
	}
	s := strconv.Itoa(n) + " " + noun
	if n == 0 {
		return s
	}
	var b strings.Builder
	for i, id := range ids {
		if i == maxListedIDs {
			b.WriteString(", ...")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	return s + " (" + b.String() + ")"
}

func annotation(a *lswebhook.Annotation) string {
	if a == nil {
		return "no annotation"
	}
	s := "annotation " + strconv.FormatInt(a.ID, 10)
	switch {
	case a.WasCancelled:
		s += " (skipped)"
	case a.Result == nil:
		s += " (result null)"
	case len(a.Result) == 1:
		s += " (1 result)"
	default:
		s += fmt.Sprintf(" (%d results)", len(a.Result))
	}
	return s
}

func task(t *lswebhook.Task) string {
	if t == nil {
		return "no task"
	}
	return "task " + strconv.FormatInt(t.ID, 10)
}

func review(r *lswebhook.Review) string {
	if r == nil {
		return "no review"
	}
	s := "review " + strconv.FormatInt(r.ID, 10)
	if r.Annotation != 0 {
		s += " of annotation " + strconv.FormatInt(r.Annotation, 10)
	}
	return s
}

// quote quotes a string from a payload, cut to 60 runes.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "..."
	}
	return strconv.Quote(s)
}

// eventFields returns the struct an event points to.
func eventFields(ev lswebhook.Event) reflect.Value {
	v := reflect.ValueOf(ev)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.Elem()
}

// actionOnly reports whether the payload carried nothing but its action,
// as Label Studio sends when a webhook's "send payload" option is off.
func actionOnly(ev lswebhook.Event) bool {
	v := eventFields(ev)
	if !v.IsValid() {
		return false
	}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Name == "Name" || sf.Anonymous {
			continue
		}
		if !v.Field(i).IsZero() {
			return false
		}
	}
	return true
}

// extraMembers returns the sorted names of the top-level members the event
// type does not model.
func extraMembers(ev lswebhook.Event) []string {
	v := eventFields(ev)
	if !v.IsValid() {
		return nil
	}
	f := v.FieldByName("Extra")
	if !f.IsValid() || f.Kind() != reflect.Map {
		return nil
	}
	var names []string
	for _, k := range f.MapKeys() {
		names = append(names, k.String())
	}
	sort.Strings(names)
	return names
}

// sentAction returns the "action" member exactly as the payload spelled it.
func sentAction(ev lswebhook.Event) string { return actionOf(ev.Raw()) }
