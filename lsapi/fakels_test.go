package lsapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// fakeLS is an in-memory stand-in for the parts of Label Studio's REST API
// the package uses, answering in the shapes recorded from a real 1.23.2
// (testdata/*.json). The live tests run the same code against the real
// server.
type fakeLS struct {
	mu       sync.Mutex
	clock    time.Time
	projects map[int64]*fakeProject
	tasks    map[int64]*fakeTask
	hooks    map[int64]*Webhook
	next     int64
	requests int
	srv      *httptest.Server
}

type fakeProject struct {
	id      int64
	created time.Time
}

type fakeTask struct {
	id, project      int64
	data             string
	created, updated time.Time
	overlap          int64
	anns             []*fakeAnn
}

type fakeAnn struct {
	id, user         int64
	cancelled        bool
	created, updated time.Time
}

func newFakeLS(t testing.TB) *fakeLS {
	f := &fakeLS{
		clock:    time.Date(2026, 11, 24, 5, 0, 0, 0, time.UTC),
		projects: map[int64]*fakeProject{},
		tasks:    map[int64]*fakeTask{},
		hooks:    map[int64]*Webhook{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeLS) client(t testing.TB) *Client {
	c, err := New(f.srv.URL, LegacyToken("test"), WithRetries(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tick advances the fake clock by a second and returns it.
func (f *fakeLS) tick() time.Time {
	f.clock = f.clock.Add(time.Second)
	return f.clock
}

func (f *fakeLS) id() int64 { f.next++; return f.next }

func (f *fakeLS) addProject() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := &fakeProject{id: f.id(), created: f.tick()}
	f.projects[p.id] = p
	return p.id
}

func (f *fakeLS) addTasks(project int64, n int) []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.tick()
	var ids []int64
	for i := 0; i < n; i++ {
		id := f.id()
		f.tasks[id] = &fakeTask{id: id, project: project, data: `{"text":"task ` + strconv.FormatInt(id, 10) + `"}`, created: now, updated: now, overlap: 1}
		ids = append(ids, id)
	}
	return ids
}

func (f *fakeLS) annotate(task, user int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.tick()
	a := &fakeAnn{id: f.id(), user: user, created: now, updated: now.Add(40 * time.Microsecond)}
	t := f.tasks[task]
	t.anns = append(t.anns, a)
	t.updated = now
	return a.id
}

func (f *fakeLS) updateAnnotation(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.tick()
	for _, t := range f.tasks {
		for _, a := range t.anns {
			if a.id == id {
				a.updated = now
				t.updated = now
			}
		}
	}
}

func (f *fakeLS) deleteAnnotation(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.tick()
	for _, t := range f.tasks {
		t.anns = slices.DeleteFunc(t.anns, func(a *fakeAnn) bool {
			if a.id == id {
				t.updated = now
				return true
			}
			return false
		})
	}
}

func (f *fakeLS) editTask(id int64, data string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := f.tasks[id]
	t.data, t.updated = data, f.tick()
}

func (f *fakeLS) deleteTask(id int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tick()
	delete(f.tasks, id)
}

func (t *fakeTask) labeled() bool {
	users := map[int64]bool{}
	for _, a := range t.anns {
		if !a.cancelled {
			users[a.user] = true
		}
	}
	return int64(len(users)) >= t.overlap
}

func ts(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func (f *fakeLS) taskJSON(t *fakeTask) map[string]any {
	var anns []any
	cancelled := 0
	for _, a := range t.anns {
		if a.cancelled {
			cancelled++
		}
		anns = append(anns, map[string]any{
			"id": a.id, "result": []any{}, "created_username": " admin@example.com, 1", "created_ago": "0 minutes",
			"completed_by": a.user, "was_cancelled": a.cancelled, "ground_truth": false,
			"created_at": ts(a.created), "updated_at": ts(a.updated), "draft_created_at": nil, "lead_time": nil,
			"import_id": nil, "last_action": nil, "bulk_created": false, "task": t.id, "project": t.project,
			"updated_by": a.user, "parent_prediction": nil, "parent_annotation": nil, "last_created_by": nil,
		})
	}
	if anns == nil {
		anns = []any{}
	}
	return map[string]any{
		"id": t.id, "predictions": []any{}, "annotations": anns, "drafts": []any{}, "annotators": []any{},
		"inner_id": t.id, "cancelled_annotations": cancelled, "total_annotations": len(t.anns) - cancelled,
		"total_predictions": 0, "completed_at": nil, "annotations_results": "", "predictions_results": "",
		"predictions_score": nil, "file_upload": nil, "storage_filename": nil, "annotations_ids": "",
		"predictions_model_versions": "", "avg_lead_time": nil, "draft_exists": false,
		"updated_by": []any{map[string]any{"user_id": 1}}, "data": json.RawMessage(t.data), "meta": map[string]any{},
		"created_at": ts(t.created), "updated_at": ts(t.updated), "is_labeled": t.labeled(), "overlap": t.overlap,
		"comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": nil,
		"project": t.project, "comment_authors": []any{},
	}
}

func (f *fakeLS) projectJSON(p *fakeProject) map[string]any {
	n, done := 0, 0
	for _, t := range f.tasks {
		if t.project == p.id {
			n++
			if t.labeled() {
				done++
			}
		}
	}
	return map[string]any{
		"id": p.id, "title": "project " + strconv.FormatInt(p.id, 10), "description": "", "label_config": "<View></View>",
		"created_by": map[string]any{"id": 1, "first_name": "", "last_name": "", "email": "admin@example.com", "avatar": nil},
		"created_at": ts(p.created), "maximum_annotations": 1, "task_number": n, "finished_task_number": done,
		"organization": 1, "queue_total": n, "queue_done": done, "color": "#FFFFFF",
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, 404, map[string]any{"id": "x", "status_code": 404, "version": "1.23.2", "detail": "Not found.", "exc_info": nil})
}

func (f *fakeLS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	w.Header().Set("Date", f.clock.Format(http.TimeFormat))
	p := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(p, "/")
	switch {
	case p == "api/projects" && r.Method == http.MethodGet:
		var res []any
		ids := make([]int64, 0, len(f.projects))
		for id := range f.projects {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			res = append(res, f.projectJSON(f.projects[id]))
		}
		writeJSON(w, 200, map[string]any{"count": len(res), "next": nil, "previous": nil, "results": res})
	case len(parts) == 3 && parts[1] == "projects" && r.Method == http.MethodGet:
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		pr := f.projects[id]
		if pr == nil {
			notFound(w)
			return
		}
		writeJSON(w, 200, f.projectJSON(pr))
	case p == "api/tasks" && r.Method == http.MethodGet:
		f.serveTasks(w, r)
	case p == "api/webhooks" && r.Method == http.MethodGet:
		proj, _ := strconv.ParseInt(r.URL.Query().Get("project"), 10, 64)
		out := []Webhook{}
		ids := make([]int64, 0, len(f.hooks))
		for id := range f.hooks {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			if h := f.hooks[id]; proj == 0 || h.Project == proj {
				out = append(out, *h)
			}
		}
		writeJSON(w, 200, out)
	case p == "api/webhooks" && r.Method == http.MethodPost:
		var h Webhook
		if err := json.NewDecoder(r.Body).Decode(&h); err != nil || h.URL == "" {
			writeJSON(w, 400, map[string]any{"detail": "Validation error", "validation_errors": map[string]any{"url": []string{"Enter a valid URL."}}})
			return
		}
		h.ID, h.Organization = f.id(), 1
		f.hooks[h.ID] = &h
		writeJSON(w, 201, h)
	case len(parts) == 3 && parts[1] == "webhooks" && (r.Method == http.MethodPatch || r.Method == http.MethodGet):
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		h := f.hooks[id]
		if h == nil {
			notFound(w)
			return
		}
		if r.Method == http.MethodPatch {
			var m map[string]json.RawMessage
			_ = json.NewDecoder(r.Body).Decode(&m)
			if _, ok := m["actions"]; !ok {
				h.Actions = []lswebhook.Action{} // what 1.23.2 does
			}
			b, _ := json.Marshal(m)
			_ = json.Unmarshal(b, h)
		}
		writeJSON(w, 200, h)
	default:
		notFound(w)
	}
}

// serveTasks answers the Data Manager task list with the keyset query the
// client sends: id greater than a value, ordered by id.
func (f *fakeLS) serveTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	proj, _ := strconv.ParseInt(q.Get("project"), 10, 64)
	size, _ := strconv.Atoi(q.Get("page_size"))
	var query struct {
		Filters struct {
			Items []struct {
				Filter   string `json:"filter"`
				Operator string `json:"operator"`
				Value    int64  `json:"value"`
			} `json:"items"`
		} `json:"filters"`
		Ordering []string `json:"ordering"`
	}
	if err := json.Unmarshal([]byte(q.Get("query")), &query); err != nil || len(query.Filters.Items) != 1 ||
		query.Filters.Items[0].Filter != "filter:tasks:id" || query.Filters.Items[0].Operator != "greater" ||
		!slices.Equal(query.Ordering, []string{"tasks:id"}) || q.Get("fields") != "all" {
		writeJSON(w, 400, map[string]any{"detail": "unexpected query " + q.Get("query")})
		return
	}
	after := query.Filters.Items[0].Value
	var ids []int64
	for id, t := range f.tasks {
		if t.project == proj && id > after {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) > size {
		ids = ids[:size]
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		out = append(out, f.taskJSON(f.tasks[id]))
	}
	writeJSON(w, 200, map[string]any{"total_annotations": 0, "total_predictions": 0, "total": len(ids), "tasks": out})
}
