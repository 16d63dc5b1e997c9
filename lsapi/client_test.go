package lsapi

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func recording(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// replay serves fixed answers in turn, the last one for every further
// request, and counts the requests.
type replay struct {
	answers []answer
	n       atomic.Int64
}

type answer struct {
	status int
	ctype  string
	body   []byte
	header map[string]string
}

func (rp *replay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(rp.n.Add(1)) - 1
	if i >= len(rp.answers) {
		i = len(rp.answers) - 1
	}
	a := rp.answers[i]
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.ctype != "" {
		w.Header().Set("Content-Type", a.ctype)
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// testClient returns a client of srv whose backoff sleeps are recorded, not
// slept.
func testClient(t *testing.T, url string, opts ...Option) (*Client, *[]time.Duration) {
	t.Helper()
	c, err := New(url, LegacyToken("k"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	var slept []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		return ctx.Err()
	}
	return c, &slept
}

const jsonType = "application/json"

func TestClientErrorsFromRecordedAnswers(t *testing.T) {
	tests := []struct {
		name, file, ctype string
		status            int
		detail            string
		bad               bool // ErrBadResponse
		validation        string
	}{
		{"401", "error-401.json", jsonType, 401, "Invalid token.", false, ""},
		{"404", "error-404.json", jsonType, 404, "No Project matches the given query.", false, ""},
		{"400", "error-400.json", jsonType, 400, "Validation error", false, "url"},
		{"404 html", "error-404.html", "text/html; charset=utf-8", 404, "", true, ""},
		{"403", "", jsonType, 403, "You do not have permission to perform this action.", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(`{"id":"x","status_code":403,"version":"1.23.2","detail":"You do not have permission to perform this action.","exc_info":null}`)
			if tt.file != "" {
				body = recording(t, tt.file)
			}
			rp := &replay{answers: []answer{{status: tt.status, ctype: tt.ctype, body: body}}}
			srv := httptest.NewServer(rp)
			defer srv.Close()
			c, slept := testClient(t, srv.URL)
			_, err := c.Project(context.Background(), 7)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v, want *Error", err, err)
			}
			if e.Call != "GET /api/projects/7/" || e.Status != tt.status || e.Detail != tt.detail || errors.Is(err, ErrBadResponse) != tt.bad {
				t.Errorf("got %+v", e)
			}
			if tt.validation != "" && e.ValidationErrors[tt.validation] == nil {
				t.Errorf("validation errors %v, want %q", e.ValidationErrors, tt.validation)
			}
			if rp.n.Load() != 1 || len(*slept) != 0 {
				t.Errorf("%d requests, slept %v: a %d must not be retried", rp.n.Load(), *slept, tt.status)
			}
			if !strings.HasPrefix(err.Error(), "lsapi: GET /api/projects/7/: ") {
				t.Errorf("message %q", err)
			}
		})
	}
}

func TestClientBadSuccessBodies(t *testing.T) {
	full := recording(t, "project.json")
	tests := []struct {
		name  string
		ctype string
		body  []byte
		want  string
	}{
		{"truncated", jsonType, full[:len(full)/2], "truncated"},
		{"html", "text/html", []byte("<!doctype html><p>Bad gateway</p>"), "HTML page"},
		{"empty", jsonType, nil, "empty body"},
		{"wrong shape", jsonType, []byte(`[1,2]`), "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(&replay{answers: []answer{{status: 200, ctype: tt.ctype, body: tt.body}}})
			defer srv.Close()
			c, _ := testClient(t, srv.URL)
			_, err := c.Project(context.Background(), 1)
			if !errors.Is(err, ErrBadResponse) || StatusCode(err) != 200 || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want ErrBadResponse mentioning %q", err, tt.want)
			}
		})
	}
	// The full recording decodes.
	srv := httptest.NewServer(&replay{answers: []answer{{status: 200, ctype: jsonType, body: full}}})
	defer srv.Close()
	c, _ := testClient(t, srv.URL)
	p, err := c.Project(context.Background(), 1)
	if err != nil || p.ID != 1 || p.TaskNumber != 3 {
		t.Fatalf("project %+v %v", p, err)
	}
	wp, err := p.Webhook()
	if err != nil || wp.CreatedBy != 1 || wp.ID != 1 {
		t.Fatalf("webhook form %+v %v, want created_by 1", wp, err)
	}
}

func TestClientRetries(t *testing.T) {
	ok := answer{status: 200, ctype: jsonType, body: recording(t, "project.json")}
	e500 := answer{status: 500, ctype: "text/html", body: []byte("<h1>Server Error (500)</h1>")}
	e429 := answer{status: 429, ctype: jsonType, body: []byte(`{"detail":"slow down"}`), header: map[string]string{"Retry-After": "3"}}
	e503 := answer{status: 503, ctype: jsonType, body: []byte(`{"detail":"busy"}`)}

	t.Run("5xx then success", func(t *testing.T) {
		rp := &replay{answers: []answer{e500, e503, ok}}
		srv := httptest.NewServer(rp)
		defer srv.Close()
		c, slept := testClient(t, srv.URL, WithRetries(4, 100*time.Millisecond))
		if _, err := c.Project(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		if rp.n.Load() != 3 || len(*slept) != 2 {
			t.Fatalf("%d requests, sleeps %v", rp.n.Load(), *slept)
		}
		// 100 ms then 200 ms, each with up to 25% jitter.
		if d := (*slept)[0]; d < 100*time.Millisecond || d > 125*time.Millisecond {
			t.Errorf("first backoff %v", d)
		}
		if d := (*slept)[1]; d < 200*time.Millisecond || d > 250*time.Millisecond {
			t.Errorf("second backoff %v", d)
		}
	})
	t.Run("gives up", func(t *testing.T) {
		rp := &replay{answers: []answer{e500}}
		srv := httptest.NewServer(rp)
		defer srv.Close()
		c, _ := testClient(t, srv.URL, WithRetries(2, time.Millisecond))
		_, err := c.Project(context.Background(), 1)
		var e *Error
		if !errors.As(err, &e) || e.Status != 500 || e.Attempts != 3 || rp.n.Load() != 3 || !errors.Is(err, ErrBadResponse) {
			t.Fatalf("error %+v after %d requests, want 500 after 3 attempts", err, rp.n.Load())
		}
	})
	t.Run("Retry-After", func(t *testing.T) {
		rp := &replay{answers: []answer{e429, ok}}
		srv := httptest.NewServer(rp)
		defer srv.Close()
		c, slept := testClient(t, srv.URL)
		if _, err := c.Project(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		if len(*slept) != 1 || (*slept)[0] != 3*time.Second {
			t.Fatalf("sleeps %v, want [3s]", *slept)
		}
	})
	t.Run("POST not repeated after 500", func(t *testing.T) {
		rp := &replay{answers: []answer{e500, ok}}
		srv := httptest.NewServer(rp)
		defer srv.Close()
		c, _ := testClient(t, srv.URL)
		_, err := c.CreateProject(context.Background(), "x", "<View/>")
		if StatusCode(err) != 500 || rp.n.Load() != 1 {
			t.Fatalf("error %v after %d requests, want one 500", err, rp.n.Load())
		}
	})
	t.Run("POST repeated after 503", func(t *testing.T) {
		rp := &replay{answers: []answer{e503, ok}}
		srv := httptest.NewServer(rp)
		defer srv.Close()
		c, _ := testClient(t, srv.URL)
		if _, err := c.CreateProject(context.Background(), "x", "<View/>"); err != nil || rp.n.Load() != 2 {
			t.Fatalf("error %v after %d requests", err, rp.n.Load())
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		srv := httptest.NewServer(&replay{answers: []answer{ok}})
		url := srv.URL
		srv.Close()
		c, slept := testClient(t, url, WithRetries(3, time.Millisecond))
		_, err := c.CreateProject(context.Background(), "x", "<View/>")
		var e *Error
		if !errors.As(err, &e) || e.Status != 0 || e.Attempts != 4 || len(*slept) != 3 || e.Call != "POST /api/projects/" {
			t.Fatalf("error %+v, sleeps %v; want 4 attempts of a refused POST", err, *slept)
		}
	})
}

func TestClientTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)

	c, slept := testClient(t, srv.URL, WithTimeout(20*time.Millisecond), WithRetries(1, time.Millisecond))
	_, err := c.Project(context.Background(), 1)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, context.DeadlineExceeded) || e.Attempts != 2 || len(*slept) != 1 {
		t.Fatalf("error %+v, want a deadline after 2 attempts", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	c2, slept2 := testClient(t, srv.URL)
	go func() { cancel() }()
	_, err = c2.Project(ctx, 1)
	if !errors.Is(err, context.Canceled) || !errors.As(err, &e) || len(*slept2) != 0 {
		t.Fatalf("error %v, sleeps %v; want context.Canceled without retries", err, *slept2)
	}
}

func TestClientDecodesRecordedPages(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/tasks/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", "Thu, 03 Dec 2026 07:38:00 GMT")
		w.Header().Set("Content-Type", jsonType)
		_, _ = w.Write(recording(t, "tasks-page.json"))
	})
	mux.HandleFunc("/api/webhooks/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonType)
		_, _ = w.Write(recording(t, "webhooks-list.json"))
	})
	mux.HandleFunc("/api/webhooks/info/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonType)
		_, _ = w.Write(recording(t, "webhooks-info.json"))
	})
	mux.HandleFunc("/api/projects/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonType)
		_, _ = w.Write(recording(t, "projects-page.json"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := testClient(t, srv.URL)
	ctx := context.Background()
	page, err := c.TasksAfter(ctx, 1, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Tasks) != 2 || page.Date.IsZero() {
		t.Fatalf("page %+v", page)
	}
	t1 := page.Tasks[0]
	if t1.ID != 1 || string(t1.Data) != `{"text":"one"}` || !t1.IsLabeled || len(t1.Annotations) != 1 ||
		t1.Annotations[0].Task != 1 || t1.Annotations[0].CompletedBy != 1 || t1.TotalAnnotations == nil || *t1.TotalAnnotations != 1 {
		t.Errorf("task 1: %+v", t1)
	}
	hooks, err := c.Webhooks(ctx, 1)
	if err != nil || len(hooks) != 1 || hooks[0].IsActive || len(hooks[0].Actions) != 0 || hooks[0].Headers["X-A"] != "b" {
		t.Errorf("webhooks %+v %v", hooks, err)
	}
	info, err := c.WebhookActions(ctx)
	if err != nil || len(info) < 10 || !info["PROJECT_CREATED"].OrganizationOnly || info["ANNOTATION_CREATED"].OrganizationOnly || info["TASKS_CREATED"].Key != "tasks" {
		t.Errorf("action catalogue %+v %v", info, err)
	}
	ps, err := c.Projects(ctx)
	if err != nil || len(ps) != 1 || ps[0].ID != 1 {
		t.Errorf("projects %+v %v", ps, err)
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "127.0.0.1:8080", "http://"} {
		if _, err := New(u, LegacyToken("k")); err == nil {
			t.Errorf("New(%q): no error", u)
		}
	}
	if _, err := New("http://x", nil); err == nil {
		t.Error("New without a token: no error")
	}
}
