package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// htCapturedHeaders returns the request headers the recorder saw for each
// captured file, from the capture manifest.
func htCapturedHeaders(t testing.TB) map[string]map[string]string {
	t.Helper()
	var m struct {
		Captures []struct {
			File    string            `json:"file"`
			Headers map[string]string `json:"headers"`
		} `json:"captures"`
	}
	readJSON(t, "testdata/labelstudio-1.23.2/manifest.json", &m)
	out := make(map[string]map[string]string)
	for _, c := range m.Captures {
		out[c.File] = c.Headers
	}
	return out
}

// htRecorder registers a function for every event type on a Mux and
// records which function each event reached.
type htRecorder struct {
	mu  sync.Mutex
	got []htCall
}

type htCall struct {
	fn reflect.Type // the T of the On[T] function that was called
	ev lswebhook.Event
}

func htRecord[T lswebhook.Event](mux *lswebhook.Mux, r *htRecorder) {
	fn := reflect.TypeOf((*T)(nil)).Elem()
	lswebhook.On(mux, func(ctx context.Context, ev T) error {
		if ctx == nil {
			return errors.New("nil context")
		}
		r.mu.Lock()
		r.got = append(r.got, htCall{fn, ev})
		r.mu.Unlock()
		return nil
	})
}

// newHTRecorder returns a Mux with a recording function for every event
// type and the recorder; the Mux's default fails the test.
func newHTRecorder(t testing.TB) (*lswebhook.Mux, *htRecorder) {
	mux := lswebhook.NewMux()
	r := &htRecorder{}
	htRecord[*lswebhook.ProjectCreated](mux, r)
	htRecord[*lswebhook.ProjectUpdated](mux, r)
	htRecord[*lswebhook.ProjectDeleted](mux, r)
	htRecord[*lswebhook.TasksCreated](mux, r)
	htRecord[*lswebhook.TasksDeleted](mux, r)
	htRecord[*lswebhook.AnnotationCreated](mux, r)
	htRecord[*lswebhook.AnnotationsCreated](mux, r)
	htRecord[*lswebhook.AnnotationUpdated](mux, r)
	htRecord[*lswebhook.AnnotationsDeleted](mux, r)
	htRecord[*lswebhook.LabelLinkCreated](mux, r)
	htRecord[*lswebhook.LabelLinkUpdated](mux, r)
	htRecord[*lswebhook.LabelLinkDeleted](mux, r)
	htRecord[*lswebhook.StartTraining](mux, r)
	htRecord[*lswebhook.ReviewCreated](mux, r)
	htRecord[*lswebhook.ReviewUpdated](mux, r)
	htRecord[*lswebhook.ReviewsDeleted](mux, r)
	htRecord[*lswebhook.UnknownEvent](mux, r)
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
		t.Errorf("event %T reached the default function", ev)
		return nil
	})
	return mux, r
}

func (r *htRecorder) take() []htCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.got
	r.got = nil
	return got
}

// htExpectedType is the event type a payload must reach, read from its
// "action" member with encoding/json.
func htExpectedType(t testing.TB, body []byte) reflect.Type {
	t.Helper()
	var v map[string]json.RawMessage // keys matched exactly, unlike struct fields
	var action lswebhook.Action
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(v["action"], &action); err != nil {
		t.Fatal(err)
	}
	if info, ok := lswebhook.LookupAction(action); ok {
		return reflect.TypeOf(info.New())
	}
	return reflect.TypeOf(&lswebhook.UnknownEvent{})
}

// TestHandlerReplay posts every payload file as Label Studio sends it, with
// the captured headers where the capture manifest has them and custom
// headers the handler requires, and checks that each reaches the function
// registered for its type with the bytes sent.
func TestHandlerReplay(t *testing.T) {
	captured := htCapturedHeaders(t)
	mux, rec := newHTRecorder(t)
	h := lswebhook.NewHandler(mux.Dispatch,
		lswebhook.WithRequiredHeader("X-Harness-Hook", "org", "project", "nopayload", "ml"),
		lswebhook.WithBasicAuth("label-studio", "pa55-w0rd"))
	srv := httptest.NewServer(h)
	defer srv.Close()

	seen := map[reflect.Type]int{}
	for _, path := range htFiles(t, htDirs...) {
		body := readFile(t, path)
		header := map[string]string{"X-Harness-Hook": "project"}
		if hdr, ok := captured[filepath.Base(path)]; ok && strings.Contains(path, "labelstudio-") {
			for _, k := range []string{"User-Agent", "Accept", "Accept-Encoding", "Content-Type", "X-Harness-Hook"} {
				if v, ok := hdr[k]; ok {
					header[k] = v
				}
			}
		}
		header["Authorization"] = lswebhook.BasicAuth("label-studio", "pa55-w0rd")
		resp := htPost(t, srv.Client(), srv.URL+"/hook", body, header)
		respBody, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d: %s", path, resp.StatusCode, respBody)
			continue
		}
		if got := resp.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("%s: Content-Type %q", path, got)
		}
		calls := rec.take()
		if len(calls) != 1 {
			t.Errorf("%s: %d calls, want 1", path, len(calls))
			continue
		}
		want := htExpectedType(t, body)
		if calls[0].fn != want {
			t.Errorf("%s: reached the %v function, want %v", path, calls[0].fn, want)
		}
		if !bytes.Equal(calls[0].ev.Raw(), body) {
			t.Errorf("%s: the event's Raw differs from the body sent", path)
		}
		seen[want]++
	}
	// The real captures cover the actions Label Studio Community sends.
	for _, a := range []lswebhook.Action{
		lswebhook.ActionProjectCreated, lswebhook.ActionProjectUpdated, lswebhook.ActionProjectDeleted,
		lswebhook.ActionTasksCreated, lswebhook.ActionTasksDeleted, lswebhook.ActionAnnotationCreated,
		lswebhook.ActionAnnotationsCreated, lswebhook.ActionAnnotationUpdated, lswebhook.ActionAnnotationsDeleted,
		lswebhook.ActionLabelLinkUpdated, lswebhook.ActionLabelLinkDeleted, lswebhook.ActionStartTraining,
	} {
		info, _ := lswebhook.LookupAction(a)
		if seen[reflect.TypeOf(info.New())] == 0 {
			t.Errorf("no payload reached the %v function", reflect.TypeOf(info.New()))
		}
	}
}

// TestHandlerAllTypesRegistered checks that the recorder used above covers
// every type the registry knows.
func TestHandlerAllTypesRegistered(t *testing.T) {
	mux, rec := newHTRecorder(t)
	for _, info := range lswebhook.Actions() {
		ev := reflect.New(reflect.TypeOf(info.New()).Elem()).Interface().(lswebhook.Event)
		if err := mux.Dispatch(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		calls := rec.take()
		if len(calls) != 1 || calls[0].fn != reflect.TypeOf(info.New()) {
			t.Errorf("%s: calls %v", info.Action, calls)
		}
	}
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

// TestHandlerStatus covers every status the handler answers with.
func TestHandlerStatus(t *testing.T) {
	const valid = `{"action": "PROJECT_DELETED", "project": {"id": 1}}`
	const auth = "Basic bGFiZWw6c3R1ZGlv"
	secret := errors.New("database password is hunter2")
	var called atomic.Int32
	fn := func(ctx context.Context, ev lswebhook.Event) error {
		called.Add(1)
		if ev.Action() == "FAIL_PLEASE" {
			return secret
		}
		return nil
	}
	opts := []lswebhook.Option{
		lswebhook.WithRequiredHeader("Authorization", auth),
		lswebhook.WithRequiredHeader("X-Webhook-Token", "new-token", "old-token"),
		lswebhook.WithMaxBodyBytes(1024),
	}
	h := lswebhook.NewHandler(fn, opts...)
	strict := lswebhook.NewHandler(fn, append(opts, lswebhook.WithDecoder(&lswebhook.Decoder{DisallowUnknownActions: true}))...)
	ok := []string{"Authorization", auth, "X-Webhook-Token", "new-token"}
	with := func(extra ...string) []string { return append(append([]string{}, ok...), extra...) }

	bigBody := `{"action": "PROJECT_UPDATED"}` + strings.Repeat(" ", 1024)
	tests := []struct {
		name    string
		handler http.Handler
		req     *http.Request
		status  int
		typ     string // problem type; "" for a 200
		called  bool
		check   func(t *testing.T, resp *http.Response, p htProblem)
	}{
		{name: "ok", req: htRequest("POST", valid, ok...), status: 200, called: true},
		{name: "old token still accepted", req: htRequest("POST", valid, with("X-Webhook-Token", "old-token")...), status: 200, called: true},
		{name: "charset utf-8", req: htRequest("POST", valid, with("Content-Type", "application/json; charset=utf-8")...), status: 200, called: true},
		{name: "charset UTF-8 upper case", req: htRequest("POST", valid, with("Content-Type", "Application/JSON;charset=UTF-8")...), status: 200, called: true},
		{name: "identity coding", req: htRequest("POST", valid, with("Content-Encoding", "identity")...), status: 200, called: true},
		{name: "action only", req: htRequest("POST", `{"action":"TASKS_CREATED"}`, ok...), status: 200, called: true},
		{name: "unknown action", req: htRequest("POST", `{"action":"FUTURE_THING","x":1}`, ok...), status: 200, called: true},

		{name: "GET", req: htRequest("GET", "", ok...), status: 405, typ: "about:blank", check: func(t *testing.T, resp *http.Response, p htProblem) {
			if got := resp.Header.Get("Allow"); got != "POST" {
				t.Errorf("Allow = %q", got)
			}
		}},
		{name: "PUT", req: htRequest("PUT", valid, ok...), status: 405, typ: "about:blank"},
		{name: "HEAD", req: htRequest("HEAD", "", ok...), status: 405, typ: "about:blank"},

		{name: "no Authorization", req: htRequest("POST", valid, with("Authorization", "")...), status: 401, typ: "about:blank", check: func(t *testing.T, resp *http.Response, p htProblem) {
			if got := resp.Header.Get("WWW-Authenticate"); got != `Basic realm="Label Studio webhook"` {
				t.Errorf("WWW-Authenticate = %q", got)
			}
		}},
		{name: "wrong Authorization", req: htRequest("POST", valid, with("Authorization", auth+"x")...), status: 401, typ: "about:blank"},
		{name: "prefix of Authorization", req: htRequest("POST", valid, with("Authorization", auth[:len(auth)-1])...), status: 401, typ: "about:blank"},
		{name: "no token", req: htRequest("POST", valid, with("X-Webhook-Token", "")...), status: 401, typ: "about:blank"},
		{name: "wrong token", req: htRequest("POST", valid, with("X-Webhook-Token", "new-tokeN")...), status: 401, typ: "about:blank"},
		{name: "no headers at all", req: htRequest("POST", valid), status: 401, typ: "about:blank"},
		{name: "401 before 415", req: htRequest("POST", valid, "Content-Type", "text/plain"), status: 401, typ: "about:blank"},

		{name: "text/plain", req: htRequest("POST", valid, with("Content-Type", "text/plain")...), status: 415, typ: "about:blank"},
		{name: "no Content-Type", req: htRequest("POST", valid, with("Content-Type", "")...), status: 415, typ: "about:blank"},
		{name: "form", req: htRequest("POST", "action=X", with("Content-Type", "application/x-www-form-urlencoded")...), status: 415, typ: "about:blank"},
		{name: "latin1", req: htRequest("POST", valid, with("Content-Type", "application/json; charset=latin1")...), status: 415, typ: "about:blank"},
		{name: "bad media type", req: htRequest("POST", valid, with("Content-Type", "application/json; charset")...), status: 415, typ: "about:blank"},
		{name: "gzip", req: htRequest("POST", valid, with("Content-Encoding", "gzip")...), status: 415, typ: "about:blank", check: func(t *testing.T, resp *http.Response, p htProblem) {
			if got := resp.Header.Get("Accept-Encoding"); got != "identity" {
				t.Errorf("Accept-Encoding = %q", got)
			}
		}},

		{name: "too large by Content-Length", req: htRequest("POST", bigBody, ok...), status: 413, typ: "about:blank", check: func(t *testing.T, resp *http.Response, p htProblem) {
			if p.MaxBytes != 1024 {
				t.Errorf("max_bytes = %d", p.MaxBytes)
			}
		}},
		{name: "too large while read", req: func() *http.Request {
			r := htRequest("POST", "", ok...)
			r.Body = io.NopCloser(chunked{strings.NewReader(bigBody)})
			r.ContentLength = -1
			return r
		}(), status: 413, typ: "about:blank"},
		{name: "unreadable body", req: func() *http.Request {
			r := htRequest("POST", "", ok...)
			r.Body = io.NopCloser(failingBody{})
			r.ContentLength = -1
			return r
		}(), status: 400, typ: "about:blank"},

		{name: "empty body", req: htRequest("POST", "", ok...), status: 400, typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#SyntaxError"},
		{name: "malformed JSON", req: htRequest("POST", `{"action": "TASKS_CREATED", "tasks": [}`, ok...), status: 400,
			typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#SyntaxError", check: func(t *testing.T, resp *http.Response, p htProblem) {
				if p.Offset == nil || *p.Offset == 0 || p.Pointer == nil {
					t.Errorf("offset %v pointer %v", p.Offset, p.Pointer)
				}
			}},
		{name: "array", req: htRequest("POST", `[{"action": "TASKS_CREATED"}]`, ok...), status: 400, typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#ErrNotObject"},
		{name: "no action", req: htRequest("POST", `{"project": {"id": 1}}`, ok...), status: 400, typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#ErrMissingAction"},
		{name: "invalid payload", req: htRequest("POST", `{"action": "ANNOTATION_CREATED", "annotation": {"id": "seven", "result": []}}`, ok...), status: 400,
			typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#ValidationError", check: func(t *testing.T, resp *http.Response, p htProblem) {
				if p.Action != "ANNOTATION_CREATED" || len(p.Errors) == 0 {
					t.Fatalf("action %q errors %v", p.Action, p.Errors)
				}
				found := false
				for _, e := range p.Errors {
					if e.Pointer == "/annotation/id" && e.Message != "" {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem at /annotation/id in %v", p.Errors)
				}
			}},
		{name: "unknown action refused by a strict decoder", handler: strict, req: htRequest("POST", `{"action":"FUTURE_THING"}`, ok...), status: 400,
			typ: "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#ErrUnknownAction"},

		{name: "function error", req: htRequest("POST", `{"action":"FAIL_PLEASE"}`, ok...), status: 500, typ: "about:blank", called: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			handler := tt.handler
			if handler == nil {
				handler = h
			}
			called.Store(0)
			resp, body := htDo(handler, tt.req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if got := called.Load() == 1; got != tt.called {
				t.Errorf("function called: %v, want %v", got, tt.called)
			}
			var p htProblem
			if tt.typ == "" {
				if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				if string(body) != "{\"status\":\"ok\"}\n" {
					t.Errorf("body %q", body)
				}
			} else {
				if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q", ct)
				}
				if tt.req.Method != "HEAD" {
					dec := json.NewDecoder(bytes.NewReader(body))
					dec.DisallowUnknownFields()
					if err := dec.Decode(&p); err != nil {
						t.Fatalf("problem body %s: %v", body, err)
					}
					if p.Type != tt.typ || p.Status != tt.status || p.Title == "" || p.Detail == "" {
						t.Errorf("problem %+v, want type %s status %d with title and detail", p, tt.typ, tt.status)
					}
					if p.Type == "about:blank" && p.Title != http.StatusText(tt.status) {
						t.Errorf("title %q for about:blank, want %q", p.Title, http.StatusText(tt.status))
					}
				}
			}
			if strings.Contains(string(body), "hunter2") || strings.Contains(string(body), "new-token") || strings.Contains(string(body), auth) {
				t.Errorf("the body leaks a secret: %s", body)
			}
			if tt.check != nil {
				tt.check(t, resp, p)
			}
		})
	}
}

// TestHandler401Uniform checks that a 401 says nothing about which header
// failed or how much of it matched.
func TestHandler401Uniform(t *testing.T) {
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithRequiredHeader("X-A", "alpha-secret"),
		lswebhook.WithRequiredHeader("X-B", "bravo-secret"))
	var bodies []string
	for _, hdr := range [][]string{
		{},
		{"X-A", "alpha-secret"},
		{"X-B", "bravo-secret"},
		{"X-A", "alpha-secreT", "X-B", "bravo-secret"},
		{"X-A", "a", "X-B", "bravo-secret"},
		{"X-A", "alpha-secret-and-more", "X-B", "bravo-secret"},
	} {
		resp, body := htDo(h, htRequest("POST", `{"action":"X"}`, hdr...))
		if resp.StatusCode != 401 {
			t.Fatalf("%v: status %d", hdr, resp.StatusCode)
		}
		bodies = append(bodies, string(body))
	}
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Errorf("401 bodies differ:\n%s\n%s", bodies[0], b)
		}
	}
	if resp, _ := htDo(h, htRequest("POST", `{"action":"X"}`, "X-A", "alpha-secret", "X-B", "bravo-secret")); resp.StatusCode != 200 {
		t.Errorf("both headers right: status %d", resp.StatusCode)
	}
	// Header names are case-insensitive; values around spaces are trimmed
	// by HTTP and in the configuration alike.
	h2 := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithRequiredHeader("x-webhook-token", "  tok "))
	if resp, _ := htDo(h2, htRequest("POST", `{"action":"X"}`, "X-Webhook-Token", "tok")); resp.StatusCode != 200 {
		t.Errorf("canonical name and trimmed value: status %d", resp.StatusCode)
	}
}

// TestHandlerBodyCap checks that a body exactly at the limit is accepted
// and one byte more is refused with 413, whether the length is announced
// or not, for a small limit and for the default.
func TestHandlerBodyCap(t *testing.T) {
	for _, limit := range []int64{4096, lswebhook.DefaultMaxBodyBytes} {
		var opts []lswebhook.Option
		if limit != lswebhook.DefaultMaxBodyBytes {
			opts = append(opts, lswebhook.WithMaxBodyBytes(limit))
		}
		h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil }, opts...)
		srv := httptest.NewServer(h)
		for _, n := range []int64{limit, limit + 1} {
			for _, announce := range []bool{true, false} {
				body := htPadded(int(n))
				req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
				if !announce {
					req.Body = io.NopCloser(chunked{bytes.NewReader(body)})
					req.ContentLength = -1
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := srv.Client().Do(req)
				if err != nil {
					t.Fatalf("limit %d, %d bytes, announced %v: %v", limit, n, announce, err)
				}
				respBody, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := 200
				if n > limit {
					want = 413
				}
				if resp.StatusCode != want {
					t.Errorf("limit %d, %d bytes, announced %v: status %d, want %d: %s", limit, n, announce, resp.StatusCode, want, respBody)
				}
			}
		}
		srv.Close()
	}
}

// TestHandlerLargeTasksCreated checks that a 5,000-task TASKS_CREATED (the
// batch size of Label Studio) with 4 KB of text per task fits the default
// limit and reaches its function.
func TestHandlerLargeTasksCreated(t *testing.T) {
	if testing.Short() {
		t.Skip("large body")
	}
	body := htTasksCreated(t, 5000, 4000)
	t.Logf("5,000-task TASKS_CREATED with 4 KB of text per task: %d bytes (%.1f MiB)", len(body), float64(len(body))/(1<<20))
	if int64(len(body)) > lswebhook.DefaultMaxBodyBytes {
		t.Fatalf("%d bytes exceed the default limit", len(body))
	}
	var got int
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
		got = len(ev.Tasks)
		return nil
	})
	srv := httptest.NewServer(lswebhook.NewHandler(mux.Dispatch))
	defer srv.Close()
	resp := htPost(t, srv.Client(), srv.URL, body, nil)
	resp.Body.Close()
	if resp.StatusCode != 200 || got != 5000 {
		t.Errorf("status %d, %d tasks", resp.StatusCode, got)
	}
}

// TestHandlerConcurrent delivers every payload from many goroutines at once
// (run with -race) and checks that each reached its function once.
func TestHandlerConcurrent(t *testing.T) {
	files := htFiles(t, htDirs...)
	bodies := make([][]byte, len(files))
	want := map[reflect.Type]int64{}
	const rounds = 4
	for i, f := range files {
		bodies[i] = readFile(t, f)
		want[htExpectedType(t, bodies[i])] += rounds
	}
	var mu sync.Mutex
	got := map[reflect.Type]int64{}
	count := func(ctx context.Context, ev lswebhook.Event) error {
		if len(ev.Raw()) == 0 {
			return errors.New("no raw bytes")
		}
		mu.Lock()
		got[reflect.TypeOf(ev)]++
		mu.Unlock()
		return nil
	}
	mux := lswebhook.NewMux()
	mux.Default(count)
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error { return count(ctx, ev) })
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error { return count(ctx, ev) })
	srv := httptest.NewServer(lswebhook.NewHandler(mux.Dispatch, lswebhook.WithRequiredHeader("X-Token", "t0ken"),
		lswebhook.WithLogger(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug})))))
	defer srv.Close()

	var wg sync.WaitGroup
	errs := make(chan error, len(bodies)*rounds)
	sem := make(chan struct{}, 32)
	for r := 0; r < rounds; r++ {
		for i := range bodies {
			wg.Add(1)
			sem <- struct{}{}
			go func(body []byte) {
				defer wg.Done()
				defer func() { <-sem }()
				req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("User-Agent", htUserAgent)
				req.Header.Set("X-Token", "t0ken")
				resp, err := srv.Client().Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
			}(bodies[i])
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deliveries by type:\n got %v\nwant %v", got, want)
	}
}

// TestHandlerLogging checks the records WithLogger writes, and that they
// hold no secret.
func TestHandlerLogging(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
		if _, ok := ev.(*lswebhook.ProjectDeleted); ok {
			return errors.New("store down")
		}
		return nil
	}, lswebhook.WithLogger(logger), lswebhook.WithRequiredHeader("X-Token", "hdr-secret-9c1"))

	project := htWithSecrets(t, readFile(t, htCapture(t, "PROJECT_UPDATED-project")))
	htDo(h, htRequest("POST", string(project), "X-Token", "hdr-secret-9c1"))
	htDo(h, htRequest("POST", string(project), "X-Token", "hdr-secret-9c2"))
	htDo(h, htRequest("POST", `{"action":"PROJECT_DELETED","project":{"id":4}}`, "X-Token", "hdr-secret-9c1"))

	var records []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		records = append(records, rec)
	}
	if len(records) != 3 {
		t.Fatalf("%d records:\n%s", len(records), buf.String())
	}
	for i, want := range []struct {
		level, msg string
		status     float64
	}{
		{"DEBUG", "lswebhook: event handled", 200},
		{"WARN", "lswebhook: delivery refused", 401},
		{"ERROR", "lswebhook: event function failed", 500},
	} {
		r := records[i]
		if r["level"] != want.level || r["msg"] != want.msg || r["status"] != want.status {
			t.Errorf("record %d: %v", i, r)
		}
	}
	if ev, _ := records[0]["event"].(map[string]any); ev["action"] != "PROJECT_UPDATED" {
		t.Errorf("first record's event: %v", records[0]["event"])
	}
	if records[2]["error"] != "store down" {
		t.Errorf("error not logged: %v", records[2])
	}
	htAssertNoSecret(t, "the log", buf.String())
	if strings.Contains(buf.String(), "hdr-secret-9c") {
		t.Errorf("the log shows the required header's value: %s", buf.String())
	}
}
