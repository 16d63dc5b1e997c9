package lsapi

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// Reconciler reconstructs the webhook events a receiver missed. A pass
// lists every task of each project, in pages ordered by id, each task with
// its annotations, and compares them with the [Watermark]:
//
//   - a task or annotation that is new (not in the previous pass, or created
//     after Since on a first pass) gives TASKS_CREATED or
//     ANNOTATION_CREATED;
//   - an annotation updated after Since, later than its creation by more
//     than CreateSlack, gives ANNOTATION_UPDATED (several updates between
//     two passes give one, with the latest state);
//   - an id of the previous pass that is gone gives TASKS_DELETED or
//     ANNOTATIONS_DELETED, one id per event (the annotations of a deleted
//     task are not reported: the server sends no event for them either);
//   - with Projects empty, a project created after Since gives
//     PROJECT_CREATED and a project that is gone gives PROJECT_DELETED;
//   - a task whose data hash changed gives the derived [TaskUpdated], a
//     task that became labeled [TaskCompleted], and a project whose tasks
//     are now all labeled [ProjectCompleted].
//
// Each event is a [Change] with Reconstructed set and the [DedupeKey] a
// real delivery of the same change has, so a change both delivered and
// reconstructed is handled once. Deleted ids can only be found by
// comparison: the first pass from a new watermark finds none, and later
// passes find those deleted since the previous pass.
//
// The reconciler hands each page's changes to Emit and, once Emit returned
// nil, advances the watermark and calls Save: a crash repeats at most the
// page it was on, and loses nothing. Memory is one page plus the watermark.
// PROJECT_UPDATED and label link events cannot be reconstructed: the REST
// project has no updated_at and label links no times.
type Reconciler struct {
	Client *Client
	// Projects are the project ids; empty means every project the token's
	// user can see.
	Projects []int64
	// PageSize is the number of tasks per request (default 100).
	PageSize int
	// CreateSlack is how much later than its creation an annotation's
	// updated_at must be to count as updated (default 100 ms). Label
	// Studio sets both times in one save, some microseconds apart.
	CreateSlack time.Duration
	// Overlap is subtracted from a pass's start time to give the next
	// Since (default 5 s), so that a change made during a pass is seen
	// again rather than missed; the keys make the repeats harmless.
	Overlap time.Duration
	// Emit receives the changes of one page, in order. An error stops the
	// pass without advancing the watermark.
	Emit func(ctx context.Context, changes []Change) error
	// Save stores the watermark after each page whose changes Emit
	// accepted; nil to keep it in memory only.
	Save func(ctx context.Context, w *Watermark) error
}

// PassStats counts what a pass did.
type PassStats struct {
	Projects, Pages, Tasks, Annotations int
	// Changes counts the changes emitted, per action.
	Changes map[lswebhook.Action]int
}

// Run makes one pass (or finishes an interrupted one) and updates w. It
// returns what it did, and the first error of the server, Emit or Save.
func (r *Reconciler) Run(ctx context.Context, w *Watermark) (PassStats, error) {
	st := PassStats{Changes: map[lswebhook.Action]int{}}
	if r.Client == nil || r.Emit == nil {
		return st, errors.New("lsapi: reconciler: Client and Emit are required")
	}
	if w.Projects == nil {
		w.Projects = map[int64]*ProjectState{}
	}
	ids, projectEvents, err := r.projects(ctx, w)
	if err != nil {
		return st, err
	}
	if len(projectEvents) > 0 && w.Project == 0 && w.AfterTask == 0 && w.Pending == nil {
		if err := r.emit(ctx, &st, projectEvents); err != nil {
			return st, err
		}
	}
	for _, id := range ids {
		if id < w.Project {
			continue // done earlier in this pass
		}
		if err := r.project(ctx, w, id, &st); err != nil {
			return st, err
		}
		st.Projects++
	}
	// The pass is complete.
	start := w.PassStart
	if start.IsZero() {
		start = r.Client.now()
	}
	overlap := r.Overlap
	if overlap == 0 {
		overlap = 5 * time.Second
	}
	w.Since = start.Add(-overlap).UTC()
	w.PassStart, w.Project, w.AfterTask, w.Pending = time.Time{}, 0, 0, nil
	if len(r.Projects) == 0 {
		for id := range w.Projects {
			if !slices.Contains(ids, id) {
				delete(w.Projects, id)
			}
		}
	}
	if r.Save != nil {
		if err := r.Save(ctx, w); err != nil {
			return st, err
		}
	}
	return st, nil
}

// projects returns the sorted project ids to visit and, when listing all
// projects, the PROJECT_CREATED and PROJECT_DELETED events.
func (r *Reconciler) projects(ctx context.Context, w *Watermark) ([]int64, []Change, error) {
	if len(r.Projects) > 0 {
		ids := slices.Clone(r.Projects)
		slices.Sort(ids)
		return slices.Compact(ids), nil, nil
	}
	ps, err := r.Client.Projects(ctx)
	if err != nil {
		return nil, nil, err
	}
	var ids []int64
	var out []Change
	seen := map[int64]bool{}
	for i := range ps {
		p := &ps[i]
		ids = append(ids, p.ID)
		seen[p.ID] = true
		if _, known := w.Projects[p.ID]; known || !p.CreatedAt.After(w.Since) {
			continue
		}
		wp, err := p.Webhook()
		if err != nil {
			return nil, nil, err
		}
		out = append(out, eventChange(&lswebhook.ProjectCreated{Project: wp}, p.ID, true))
	}
	var gone []int64
	for id := range w.Projects {
		if !seen[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		out = append(out, eventChange(&lswebhook.ProjectDeleted{Project: &lswebhook.Ref{ID: id}}, id, true))
	}
	slices.Sort(ids)
	return ids, out, nil
}

func (r *Reconciler) emit(ctx context.Context, st *PassStats, changes []Change) error {
	if len(changes) == 0 {
		return nil
	}
	if err := r.Emit(ctx, changes); err != nil {
		return fmt.Errorf("lsapi: catch-up: callback refused %d changes: %w", len(changes), err)
	}
	for _, c := range changes {
		st.Changes[c.Action]++
	}
	return nil
}

// project walks one project's tasks from the watermark's position.
func (r *Reconciler) project(ctx context.Context, w *Watermark, id int64, st *PassStats) error {
	size := r.PageSize
	if size <= 0 {
		size = 100
	}
	slack := r.CreateSlack
	if slack == 0 {
		slack = 100 * time.Millisecond
	}
	if w.Project != id || w.Pending == nil {
		w.Project, w.AfterTask, w.Pending = id, 0, &ProjectState{}
	}
	old, baseline := w.Projects[id]
	if old == nil {
		old = &ProjectState{}
	}
	rp, err := r.Client.Project(ctx, id)
	if err != nil {
		return err
	}
	wp, err := rp.Webhook()
	if err != nil {
		return err
	}
	since := w.Since
	pend := w.Pending
	for {
		page, err := r.Client.TasksAfter(ctx, id, w.AfterTask, size)
		if err != nil {
			return err
		}
		if w.PassStart.IsZero() {
			w.PassStart = page.Date
			if w.PassStart.IsZero() {
				w.PassStart = r.Client.now()
			}
		}
		st.Pages++
		// saved restores pend if Emit refuses the page: appends beyond its
		// lengths and reassigned slices leave it intact.
		saved := *pend
		var changes []Change
		// j walks the previous pass's tasks above the cursor.
		j := sort.Search(len(old.Tasks), func(i int) bool { return old.Tasks[i].ID > w.AfterTask })
		last := w.AfterTask
		for ti := range page.Tasks {
			t := &page.Tasks[ti]
			st.Tasks++
			st.Annotations += len(t.Annotations)
			for j < len(old.Tasks) && old.Tasks[j].ID < t.ID {
				changes = append(changes, deletedTask(old.Tasks[j].ID, wp))
				pend.DeletedTasks = append(pend.DeletedTasks, old.Tasks[j].ID)
				j++
			}
			var prev *TaskState
			if j < len(old.Tasks) && old.Tasks[j].ID == t.ID {
				prev = &old.Tasks[j]
				j++
			}
			changes = r.task(changes, t, prev, baseline, since, slack, old, pend, wp)
			last = t.ID
		}
		end := len(page.Tasks) < size
		if end {
			for ; j < len(old.Tasks); j++ {
				changes = append(changes, deletedTask(old.Tasks[j].ID, wp))
				pend.DeletedTasks = append(pend.DeletedTasks, old.Tasks[j].ID)
			}
			changes = append(changes, r.finishProject(id, old, pend, baseline, since, wp)...)
		}
		if err := r.emit(ctx, st, changes); err != nil {
			*pend = saved
			return err
		}
		w.AfterTask = last
		if end {
			w.Projects[id] = pend
			w.Pending = nil
			w.Project, w.AfterTask = id+1, 0
		}
		if r.Save != nil {
			if err := r.Save(ctx, w); err != nil {
				return err
			}
		}
		if end {
			return nil
		}
	}
}

func deletedTask(id int64, wp *lswebhook.Project) Change {
	return eventChange(&lswebhook.TasksDeleted{Tasks: []lswebhook.Ref{{ID: id}}, Project: wp}, wp.ID, true)
}

// task compares one task with the previous pass and appends its changes.
func (r *Reconciler) task(changes []Change, t *Task, prev *TaskState, baseline bool, since time.Time, slack time.Duration, old, pend *ProjectState, wp *lswebhook.Project) []Change {
	fp := dataHash(t.Data)
	created := prev == nil && (baseline || t.CreatedAt.After(since))
	task := t.Task
	if created {
		changes = append(changes, eventChange(&lswebhook.TasksCreated{Tasks: []lswebhook.Task{task}, Project: wp}, wp.ID, true))
	} else if prev != nil && prev.Data != fp {
		changes = append(changes, derivedChange(&TaskUpdated{Task: task}, wp.ID, true))
	}
	for ai := range t.Annotations {
		a := t.Annotations[ai]
		pend.Annotations = append(pend.Annotations, AnnotationState{ID: a.ID, Task: t.ID})
		known := baseline && hasAnnotation(old.Annotations, a.ID)
		if !known && (baseline || a.CreatedAt.After(since)) {
			ac := a
			tc := task
			changes = append(changes, eventChange(&lswebhook.AnnotationCreated{Annotation: &ac, Task: &tc, Project: wp}, wp.ID, true))
		}
		if a.UpdatedAt.After(since) && a.UpdatedAt.Sub(a.CreatedAt.Time) > slack {
			au := a
			tu := task
			changes = append(changes, eventChange(&lswebhook.AnnotationUpdated{Annotation: &au, Task: &tu, Project: wp}, wp.ID, true))
		}
	}
	pend.Tasks = append(pend.Tasks, TaskState{ID: t.ID, Data: fp, Labeled: t.IsLabeled})
	pend.Count++
	if t.IsLabeled {
		pend.Labeled++
		by, at := completingAnnotation(t)
		if at.After(pend.LastCompletion) || pend.LastCompletionTask == 0 {
			pend.LastCompletion, pend.LastCompletionTask = at, t.ID
		}
		newly := false
		switch {
		case prev != nil:
			newly = !prev.Labeled
		case baseline:
			newly = true
		default:
			newly = at.After(since)
		}
		if newly {
			changes = append(changes, derivedChange(&TaskCompleted{Task: task, Annotation: by}, wp.ID, true))
		}
	}
	return changes
}

// finishProject returns the annotation deletions and the project
// completion found at the end of a project's pass, and sorts the pending
// annotations.
func (r *Reconciler) finishProject(id int64, old, pend *ProjectState, baseline bool, since time.Time, wp *lswebhook.Project) []Change {
	var out []Change
	anns := slices.Clone(pend.Annotations)
	slices.SortFunc(anns, func(a, b AnnotationState) int { return cmpInt(a.ID, b.ID) })
	pend.Annotations = slices.CompactFunc(anns, func(a, b AnnotationState) bool { return a.ID == b.ID })
	deletedTasks := slices.Clone(pend.DeletedTasks)
	slices.Sort(deletedTasks)
	pend.DeletedTasks = nil
	if baseline {
		for _, a := range old.Annotations {
			if hasAnnotation(pend.Annotations, a.ID) {
				continue
			}
			if _, gone := slices.BinarySearch(deletedTasks, a.Task); gone {
				continue
			}
			out = append(out, eventChange(&lswebhook.AnnotationsDeleted{Annotations: []lswebhook.Ref{{ID: a.ID}}, Project: wp}, id, true))
		}
	}
	pend.Complete = pend.Count > 0 && pend.Labeled == pend.Count
	if pend.Complete {
		newly := false
		if baseline {
			newly = !old.Complete || old.LastCompletionTask != pend.LastCompletionTask
		} else {
			newly = pend.LastCompletion.After(since)
		}
		if newly {
			out = append(out, derivedChange(&ProjectCompleted{Project: id, LastTask: pend.LastCompletionTask, Tasks: pend.Count}, id, true))
		}
	}
	return out
}

func hasAnnotation(s []AnnotationState, id int64) bool {
	_, ok := slices.BinarySearchFunc(s, id, func(a AnnotationState, id int64) int { return cmpInt(a.ID, id) })
	return ok
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// completingAnnotation returns the annotation that made a labeled task
// labeled, and its creation time: walking the non-cancelled annotations in
// order of creation, the one with which the number of distinct annotators
// reached the task's overlap (Label Studio's rule). When none does, the
// latest annotation; 0 and the task's update time when there is none.
func completingAnnotation(t *Task) (int64, time.Time) {
	as := make([]*lswebhook.Annotation, 0, len(t.Annotations))
	for i := range t.Annotations {
		if !t.Annotations[i].WasCancelled {
			as = append(as, &t.Annotations[i])
		}
	}
	sort.Slice(as, func(i, j int) bool {
		if !as[i].CreatedAt.Equal(as[j].CreatedAt) {
			return as[i].CreatedAt.Before(as[j].CreatedAt.Time)
		}
		return as[i].ID < as[j].ID
	})
	need := t.Overlap
	if need < 1 {
		need = 1
	}
	users := map[int64]bool{}
	for _, a := range as {
		users[a.CompletedBy] = true
		if int64(len(users)) >= need {
			return a.ID, a.CreatedAt.Time
		}
	}
	if len(as) > 0 {
		a := as[len(as)-1]
		return a.ID, a.CreatedAt.Time
	}
	return 0, t.UpdatedAt.Time
}

// dataHash is the FNV-1a hash of a task's data as the server wrote it.
func dataHash(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}
