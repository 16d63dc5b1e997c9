package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/internal/startwatch"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// deliverTimeout bounds a delivery in these tests. Label Studio waits 1 s
// (lswebhooktest.WebhookTimeout); a loaded test machine may need longer, and
// no test here is about the timeout.
const deliverTimeout = time.Minute

// post delivers a payload as Label Studio does, with the webhook's custom
// headers given as name, value pairs.
func post(t *testing.T, url string, body []byte, header ...string) *http.Response {
	t.Helper()
	opts := []lswebhooktest.RequestOption{lswebhooktest.WithTimeout(deliverTimeout)}
	for i := 0; i+1 < len(header); i += 2 {
		opts = append(opts, lswebhooktest.WithHeader(header[i], header[i+1]))
	}
	resp, err := lswebhooktest.Post(context.Background(), url, body, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// capture returns the first real 1.23.2 delivery of an action embedded in
// lswebhooktest that was sent to the given hook ("org", "project",
// "nopayload", "ml"), or to any hook if hook is "".
func capture(t *testing.T, action lswebhook.Action, hook string) []byte {
	t.Helper()
	for _, f := range lswebhooktest.FixturesFor(lswebhooktest.DefaultRelease, action) {
		if hook == "" || f.Hook == hook {
			return f.Body
		}
	}
	t.Fatalf("no %s delivery to the %q hook", action, hook)
	return nil
}

// member reads a number or string at a path of keys with encoding/json.
func member(t *testing.T, body []byte, keys ...any) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	if f, ok := v.(float64); ok {
		return int64(f)
	}
	if l, ok := v.([]any); ok {
		return len(l)
	}
	return v
}

// TestHandlerLines checks the line printed for some payloads: real
// deliveries, and built ones.
func TestHandlerLines(t *testing.T) {
	tasksDeleted := lswebhooktest.TasksDeleted(lswebhooktest.Count(3))
	tasksDeleted.Project.ID = 7
	type want func(b []byte) string
	for _, tt := range []struct {
		name string
		body []byte
		line want
	}{
		{"PROJECT_CREATED", capture(t, lswebhook.ActionProjectCreated, "org"), func(b []byte) string {
			return fmt.Sprintf("PROJECT_CREATED project=%d title=%q", member(t, b, "project", "id"), member(t, b, "project", "title"))
		}},
		{"PROJECT_UPDATED nopayload", capture(t, lswebhook.ActionProjectUpdated, "nopayload"), func([]byte) string { return "PROJECT_UPDATED (no payload)" }},
		{"TASKS_CREATED", capture(t, lswebhook.ActionTasksCreated, "org"), func(b []byte) string {
			return fmt.Sprintf("TASKS_CREATED project=%d tasks=%d", member(t, b, "project", "id"), member(t, b, "tasks"))
		}},
		{"ANNOTATION_CREATED", capture(t, lswebhook.ActionAnnotationCreated, "org"), func(b []byte) string {
			return fmt.Sprintf("ANNOTATION_CREATED project=%d annotation=%d results=%d task=%d", member(t, b, "project", "id"),
				member(t, b, "annotation", "id"), member(t, b, "annotation", "result"), member(t, b, "task", "id"))
		}},
		{"START_TRAINING", capture(t, lswebhook.ActionStartTraining, "ml"), func(b []byte) string {
			return fmt.Sprintf("START_TRAINING project=%d", member(t, b, "project", "id"))
		}},
		{"built TASKS_DELETED", lswebhooktest.Body(tasksDeleted), func([]byte) string { return "TASKS_DELETED project=7 tasks=3" }},
		{"built skipped ANNOTATION_UPDATED", lswebhooktest.Body(lswebhooktest.AnnotationUpdated(lswebhooktest.Skipped(), lswebhooktest.Seq(2))), func([]byte) string {
			return "ANNOTATION_UPDATED project=1 annotation=20001 results=0 skipped task=20001"
		}},
	} {
		var out bytes.Buffer
		rec := httptest.NewRecorder()
		newHandler(&out).ServeHTTP(rec, lswebhooktest.NewRequest("/", tt.body))
		if rec.Code != 200 {
			t.Errorf("%s: status %d", tt.name, rec.Code)
		}
		if got, want := strings.TrimSuffix(out.String(), "\n"), tt.line(tt.body); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, want)
		}
	}
}

// TestHandlerEveryPayload delivers every real delivery lswebhooktest
// embeds and a built event of every action, with and without payload;
// each prints one line that starts with its action.
func TestHandlerEveryPayload(t *testing.T) {
	var out bytes.Buffer
	h := newHandler(&out, lswebhook.WithRequiredHeader("X-Token", "abc"))
	var bodies [][]byte
	for f := range lswebhooktest.Fixtures() {
		bodies = append(bodies, f.Body)
	}
	for _, info := range lswebhook.Actions() {
		for _, opts := range [][]lswebhooktest.Option{nil, {lswebhooktest.NoPayload()}} {
			ev, err := lswebhooktest.New(info.Action, opts...)
			if err != nil {
				t.Fatal(err)
			}
			bodies = append(bodies, lswebhooktest.Body(ev))
		}
	}
	for _, body := range bodies {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, lswebhooktest.NewRequest("/", body, lswebhooktest.WithHeader("X-Token", "abc")))
		if rec.Code != 200 {
			t.Errorf("status %d for %.80s", rec.Code, body)
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(bodies) || len(bodies) < 50 {
		t.Fatalf("%d payloads, %d lines", len(bodies), len(lines))
	}
	for _, l := range lines {
		if !regexp.MustCompile(`^[A-Z_]+( |$)`).MatchString(l) {
			t.Errorf("line %q", l)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, lswebhooktest.NewRequest("/", bodies[0]))
	if rec.Code != 401 {
		t.Errorf("without the header: status %d", rec.Code)
	}
}

func TestHeaderFlag(t *testing.T) {
	var h headerFlag
	for _, s := range []string{"x-token=one", "X-Token=two", "Authorization=Basic dXNlcjpwYXNz"} {
		if err := h.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"X-Token", "=v", "X-Token="} {
		if err := h.Set(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if got := h.String(); got != "X-Token,Authorization" {
		t.Errorf("String() = %q (must not show values)", got)
	}
	if got := h.values["X-Token"]; !sortedEqual(got, []string{"one", "two"}) {
		t.Errorf("X-Token values %v", got)
	}
	if len(h.options()) != 2 {
		t.Errorf("%d options", len(h.options()))
	}
}

func sortedEqual(a, b []string) bool {
	a, b = append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(a)
	sort.Strings(b)
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestServerTimeouts(t *testing.T) {
	srv := newServer("127.0.0.1:0", http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts not all set: %+v", srv)
	}
	if srv.WriteTimeout < srv.ReadTimeout {
		t.Errorf("WriteTimeout %v shorter than ReadTimeout %v", srv.WriteTimeout, srv.ReadTimeout)
	}
}

// TestRun starts the program on a free port, delivers an event, and stops
// it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := startwatch.New()
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-header", "X-Token=abc", "-header", "X-Token=def", "-v"}, &stdout, stderr)
	}()
	url := stderr.URL(t, done)
	body := capture(t, lswebhook.ActionAnnotationCreated, "")
	if resp := post(t, url+"hook", body, "X-Token", "def"); resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if resp := post(t, url, body, "X-Token", "xyz"); resp.StatusCode != 401 {
		t.Errorf("wrong token: status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop")
	}
	if got := stdout.String(); !regexp.MustCompile(`^ANNOTATION_CREATED project=\d+ annotation=\d+ results=\d+ task=\d+\n$`).MatchString(got) {
		t.Errorf("stdout %q", got)
	}
	log := stderr.String()
	for _, want := range []string{"lswebhook: event handled", "lswebhook: delivery refused", "status=401"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"abc", "def", "xyz"} {
		if strings.Contains(log, "="+secret) || strings.Contains(log, " "+secret) {
			t.Errorf("the log shows a header value %q:\n%s", secret, log)
		}
	}
}

func TestRunBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-header", "novalue"}, {"extra"}, {"-addr", "256.0.0.1:bad"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
