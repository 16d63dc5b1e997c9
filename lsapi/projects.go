package lsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/seed-d2dfa170/lswebhook"
)

// Project is a project as the REST API returns it. It differs from the
// webhook [lswebhook.Project]: created_by is a user object rather than an
// id, there is no updated_at (so a missed PROJECT_UPDATED cannot be
// reconstructed), and there are extra members such as "queue_total". Raw
// keeps the whole answer; [Project.Webhook] converts it.
type Project struct {
	ID                 int64  `json:"id"`
	Title              string `json:"title"`
	MaximumAnnotations int64  `json:"maximum_annotations"`
	// TaskNumber and FinishedTaskNumber count the project's tasks and
	// those done (labeled).
	TaskNumber         int64          `json:"task_number"`
	FinishedTaskNumber int64          `json:"finished_task_number"`
	CreatedAt          lswebhook.Time `json:"created_at"`
	// Raw is the project object as sent.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a project and keeps its bytes in Raw.
func (p *Project) UnmarshalJSON(data []byte) error {
	type plain Project
	var v plain
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*p = Project(v)
	p.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// Webhook converts the REST project to the webhook payload's form:
// created_by becomes the user's id; members the webhook form does not model
// go to Extra.
func (p *Project) Webhook() (*lswebhook.Project, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p.Raw, &m); err != nil {
		return nil, fmt.Errorf("lsapi: project %d: %w", p.ID, err)
	}
	if cb, ok := m["created_by"]; ok {
		var user struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(cb, &user) == nil && user.ID != 0 {
			m["created_by"] = json.RawMessage(strconv.FormatInt(user.ID, 10))
		} else {
			m["created_by"] = json.RawMessage("null")
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("lsapi: project %d: %w", p.ID, err)
	}
	var wp lswebhook.Project
	if err := json.Unmarshal(b, &wp); err != nil {
		return nil, fmt.Errorf("lsapi: project %d: %w", p.ID, err)
	}
	return &wp, nil
}

type projectPage struct {
	Count   int64     `json:"count"`
	Next    *string   `json:"next"`
	Results []Project `json:"results"`
}

// Projects lists every project the token's user can see, page by page.
func (c *Client) Projects(ctx context.Context) ([]Project, error) {
	var all []Project
	for page := 1; ; page++ {
		var p projectPage
		q := url.Values{"page": {strconv.Itoa(page)}, "page_size": {"100"}}
		if err := c.call(ctx, http.MethodGet, "/api/projects/", q, nil, &p, true); err != nil {
			return nil, err
		}
		all = append(all, p.Results...)
		if p.Next == nil || len(p.Results) == 0 {
			return all, nil
		}
	}
}

// Project returns one project.
func (c *Client) Project(ctx context.Context, id int64) (*Project, error) {
	return callFor[Project](ctx, c, http.MethodGet, "/api/projects/"+strconv.FormatInt(id, 10)+"/", nil, nil)
}

// CreateProject creates a project with a title and a labeling
// configuration.
func (c *Client) CreateProject(ctx context.Context, title, labelConfig string) (*Project, error) {
	in := map[string]string{"title": title, "label_config": labelConfig}
	return callFor[Project](ctx, c, http.MethodPost, "/api/projects/", nil, in)
}

// ImportTasks imports tasks (each the task's data object, or {"data":
// {...}} with annotations or predictions) into a project in one call and
// returns the new tasks' ids. It sends TASKS_CREATED.
func (c *Client) ImportTasks(ctx context.Context, project int64, tasks []any) ([]int64, error) {
	var out struct {
		TaskIDs []int64 `json:"task_ids"`
	}
	q := url.Values{"return_task_ids": {"true"}}
	if err := c.call(ctx, http.MethodPost, "/api/projects/"+strconv.FormatInt(project, 10)+"/import", q, tasks, &out, true); err != nil {
		return nil, err
	}
	return out.TaskIDs, nil
}
