package lsapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// Task is a task as the REST task list returns it, converted to the webhook
// form, with its annotations.
//
// The REST form differs from the webhook [lswebhook.Task]: updated_by is a
// list of users (Task.UpdatedBy is left 0), and there are Data Manager
// columns (annotators, annotations_results, ...) that are dropped, as are
// the annotations' created_username and created_ago. The
// counters (total_annotations, cancelled_annotations, ...) are kept.
type Task struct {
	lswebhook.Task
	// Annotations are the task's annotations, in the webhook form.
	Annotations []lswebhook.Annotation
}

// restTask is the subset of the Data Manager task that Task keeps.
type restTask struct {
	ID                     int64                  `json:"id"`
	Data                   json.RawMessage        `json:"data"`
	Meta                   json.RawMessage        `json:"meta"`
	Project                int64                  `json:"project"`
	CreatedAt              lswebhook.Time         `json:"created_at"`
	UpdatedAt              lswebhook.Time         `json:"updated_at"`
	IsLabeled              bool                   `json:"is_labeled"`
	Overlap                int64                  `json:"overlap"`
	FileUpload             *int64                 `json:"file_upload"`
	InnerID                *int64                 `json:"inner_id"`
	TotalAnnotations       *int64                 `json:"total_annotations"`
	CancelledAnnotations   *int64                 `json:"cancelled_annotations"`
	TotalPredictions       *int64                 `json:"total_predictions"`
	CommentCount           *int64                 `json:"comment_count"`
	UnresolvedCommentCount *int64                 `json:"unresolved_comment_count"`
	LastCommentUpdatedAt   *lswebhook.Time        `json:"last_comment_updated_at"`
	CommentAuthors         []int64                `json:"comment_authors"`
	Annotations            []lswebhook.Annotation `json:"annotations"`
}

// UnmarshalJSON decodes a task of the REST task list.
func (t *Task) UnmarshalJSON(data []byte) error {
	var r restTask
	if err := json.Unmarshal(data, &r); err != nil {
		return err
	}
	*t = Task{
		Task: lswebhook.Task{
			ID:        r.ID,
			Data:      r.Data,
			Project:   r.Project,
			CreatedAt: r.CreatedAt,
			UpdatedAt: r.UpdatedAt,
			IsLabeled: r.IsLabeled,
			Overlap:   r.Overlap,
			TaskCounters: lswebhook.TaskCounters{
				TotalAnnotations:       r.TotalAnnotations,
				CancelledAnnotations:   r.CancelledAnnotations,
				TotalPredictions:       r.TotalPredictions,
				CommentCount:           r.CommentCount,
				UnresolvedCommentCount: r.UnresolvedCommentCount,
			},
			LastCommentUpdatedAt: r.LastCommentUpdatedAt,
			CommentAuthors:       r.CommentAuthors,
		},
		Annotations: r.Annotations,
	}
	for i := range t.Annotations {
		// Members of the REST form only; created_ago changes with time.
		delete(t.Annotations[i].Extra, "created_ago")
		delete(t.Annotations[i].Extra, "created_username")
		if len(t.Annotations[i].Extra) == 0 {
			t.Annotations[i].Extra = nil
		}
	}
	if len(r.Meta) > 0 && string(r.Meta) != "null" {
		t.Meta = r.Meta
	}
	if r.FileUpload != nil {
		t.FileUpload = *r.FileUpload
	}
	if r.InnerID != nil {
		t.InnerID = *r.InnerID
	}
	return nil
}

// TaskPage is one page of a project's tasks in order of id.
type TaskPage struct {
	// Tasks are the tasks with ids above the page's start, at most the
	// page size, in ascending id order.
	Tasks []Task
	// Date is the server's clock when it answered (the HTTP Date header,
	// whole seconds); zero when the header was absent.
	Date time.Time
}

// TasksAfter returns up to size tasks of a project whose id is above
// afterID, in ascending id order, each with its annotations. Paging by id
// (keyset) rather than by page number means a task created or deleted
// while a listing runs neither shifts nor repeats the others. It uses the
// Data Manager's task list (GET /api/tasks/ with fields=all and a query that
// filters and orders by id).
func (c *Client) TasksAfter(ctx context.Context, project, afterID int64, size int) (*TaskPage, error) {
	if size <= 0 {
		size = 100
	}
	query := map[string]any{
		"filters": map[string]any{
			"conjunction": "and",
			"items": []any{map[string]any{
				"filter": "filter:tasks:id", "operator": "greater", "type": "Number", "value": afterID,
			}},
		},
		"ordering": []string{"tasks:id"},
	}
	qb, _ := json.Marshal(query)
	q := url.Values{
		"project":     {strconv.FormatInt(project, 10)},
		"page":        {"1"},
		"page_size":   {strconv.Itoa(size)},
		"fields":      {"all"},
		"resolve_uri": {"false"},
		"query":       {string(qb)},
	}
	var out struct {
		Tasks *[]Task `json:"tasks"`
	}
	date, err := c.callDate(ctx, http.MethodGet, "/api/tasks/", q, nil, &out, true)
	if err != nil {
		return nil, err
	}
	if out.Tasks == nil {
		return nil, &Error{Call: "GET /api/tasks/", Status: http.StatusOK, Err: wrapBad(`no "tasks" member`)}
	}
	return &TaskPage{Tasks: *out.Tasks, Date: date}, nil
}

// Task returns one task (without annotations).
func (c *Client) Task(ctx context.Context, id int64) (*Task, error) {
	return callFor[Task](ctx, c, http.MethodGet, "/api/tasks/"+strconv.FormatInt(id, 10)+"/", nil, nil)
}

// CreateTask creates one task with the given data object. It sends
// TASKS_CREATED.
func (c *Client) CreateTask(ctx context.Context, project int64, data any) (*Task, error) {
	in := map[string]any{"project": project, "data": data}
	return callFor[Task](ctx, c, http.MethodPost, "/api/tasks/", nil, in)
}

// UpdateTaskData replaces a task's data object (PATCH /api/tasks/<id>/).
// Label Studio sends no webhook for it; [Reconciler] reports it as
// [TaskUpdated].
func (c *Client) UpdateTaskData(ctx context.Context, id int64, data any) (*Task, error) {
	return callFor[Task](ctx, c, http.MethodPatch, "/api/tasks/"+strconv.FormatInt(id, 10)+"/", nil, map[string]any{"data": data})
}

// DeleteTask deletes a task. It sends TASKS_DELETED.
func (c *Client) DeleteTask(ctx context.Context, id int64) error {
	return c.call(ctx, http.MethodDelete, "/api/tasks/"+strconv.FormatInt(id, 10)+"/", nil, nil, nil, true)
}

// Annotations returns a task's annotations.
func (c *Client) Annotations(ctx context.Context, task int64) ([]lswebhook.Annotation, error) {
	var out []lswebhook.Annotation
	if err := c.call(ctx, http.MethodGet, "/api/tasks/"+strconv.FormatInt(task, 10)+"/annotations/", nil, nil, &out, true); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateAnnotation adds an annotation with the given result to a task. It
// sends ANNOTATION_CREATED.
func (c *Client) CreateAnnotation(ctx context.Context, task int64, result any) (*lswebhook.Annotation, error) {
	return callFor[lswebhook.Annotation](ctx, c, http.MethodPost, "/api/tasks/"+strconv.FormatInt(task, 10)+"/annotations/", nil, map[string]any{"result": result})
}

// UpdateAnnotation replaces an annotation's result. It sends
// ANNOTATION_UPDATED.
func (c *Client) UpdateAnnotation(ctx context.Context, id int64, result any) (*lswebhook.Annotation, error) {
	return callFor[lswebhook.Annotation](ctx, c, http.MethodPatch, "/api/annotations/"+strconv.FormatInt(id, 10)+"/", nil, map[string]any{"result": result})
}

// DeleteAnnotation deletes an annotation. It sends ANNOTATIONS_DELETED.
func (c *Client) DeleteAnnotation(ctx context.Context, id int64) error {
	return c.call(ctx, http.MethodDelete, "/api/annotations/"+strconv.FormatInt(id, 10)+"/", nil, nil, nil, true)
}
