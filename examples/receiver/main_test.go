package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

const testdata = "../../testdata"

// post sends a payload as Label Studio does.
func post(t *testing.T, url string, body []byte, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "python-requests/2.32.3")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata, path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// capture returns the path, under testdata, of the first captured payload
// whose name ends in "-"+suffix+".json" (the numbering changes between
// harness runs).
func capture(t *testing.T, suffix string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(testdata, "labelstudio-1.23.2", "*-"+suffix+".json"))
	if len(files) == 0 {
		t.Fatalf("no captured %s payload", suffix)
	}
	sort.Strings(files)
	rel, _ := filepath.Rel(testdata, files[0])
	return rel
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

// TestHandlerLines checks the line printed for some payloads.
func TestHandlerLines(t *testing.T) {
	type want func(b []byte) string
	for _, tt := range []struct {
		file string
		line want
	}{
		{capture(t, "PROJECT_CREATED-org"), func(b []byte) string {
			return fmt.Sprintf("PROJECT_CREATED project=%d title=%q", member(t, b, "project", "id"), member(t, b, "project", "title"))
		}},
		{capture(t, "PROJECT_UPDATED-nopayload"), func([]byte) string { return "PROJECT_UPDATED (no payload)" }},
		{capture(t, "TASKS_CREATED-project"), func(b []byte) string {
			return fmt.Sprintf("TASKS_CREATED project=%d tasks=%d", member(t, b, "project", "id"), member(t, b, "tasks"))
		}},
		{capture(t, "ANNOTATION_CREATED-project"), func(b []byte) string {
			return fmt.Sprintf("ANNOTATION_CREATED project=%d annotation=%d results=%d task=%d", member(t, b, "project", "id"),
				member(t, b, "annotation", "id"), member(t, b, "annotation", "result"), member(t, b, "task", "id"))
		}},
		{capture(t, "START_TRAINING-ml"), func(b []byte) string {
			return fmt.Sprintf("START_TRAINING project=%d", member(t, b, "project", "id"))
		}},
		{"docs/tasks-deleted.json", func(b []byte) string {
			return fmt.Sprintf("TASKS_DELETED project=%d tasks=%d", member(t, b, "project", "id"), member(t, b, "tasks"))
		}},
	} {
		body := read(t, tt.file)
		var out bytes.Buffer
		srv := httptest.NewServer(newHandler(&out))
		resp := post(t, srv.URL, body)
		srv.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: status %d", tt.file, resp.StatusCode)
		}
		if got, want := strings.TrimSuffix(out.String(), "\n"), tt.line(body); got != want {
			t.Errorf("%s:\n got %s\nwant %s", tt.file, got, want)
		}
	}
}

// TestHandlerEveryPayload posts every payload; each prints one line that
// starts with its action.
func TestHandlerEveryPayload(t *testing.T) {
	var out bytes.Buffer
	var mu sync.Mutex
	srv := httptest.NewServer(newHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return out.Write(p)
	}), lswebhook.WithRequiredHeader("X-Token", "abc")))
	defer srv.Close()
	n := 0
	for _, dir := range []string{"docs", "labelstudio-1.23.2", "valid"} {
		files, _ := filepath.Glob(filepath.Join(testdata, dir, "*.json"))
		for _, f := range files {
			if filepath.Base(f) == "manifest.json" {
				continue
			}
			rel, _ := filepath.Rel(testdata, f)
			if resp := post(t, srv.URL, read(t, rel), "X-Token", "abc"); resp.StatusCode != 200 {
				t.Errorf("%s: status %d", rel, resp.StatusCode)
			}
			n++
		}
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != n || n < 100 {
		t.Fatalf("%d payloads, %d lines", n, len(lines))
	}
	for _, l := range lines {
		if !regexp.MustCompile(`^[A-Z_]+( |$)`).MatchString(l) {
			t.Errorf("line %q", l)
		}
	}
	if resp := post(t, srv.URL, read(t, "docs/tasks-deleted.json")); resp.StatusCode != 401 {
		t.Errorf("without the header: status %d", resp.StatusCode)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

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

// watcher is a writer that reports the address of the "listening on" line.
type watcher struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
	sent bool
}

var listening = regexp.MustCompile(`listening on (http://\S+/)`)

func (w *watcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if m := listening.FindStringSubmatch(w.buf.String()); m != nil && !w.sent {
		w.sent = true
		w.addr <- m[1]
	}
	return len(p), nil
}

func (w *watcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestRun starts the program on a free port, delivers an event, and stops
// it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &watcher{addr: make(chan string, 1)}
	var stdout syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-header", "X-Token=abc", "-header", "X-Token=def", "-v"}, &stdout, stderr)
	}()
	var url string
	select {
	case url = <-stderr.addr:
	case err := <-done:
		t.Fatalf("run returned %v:\n%s", err, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("run did not start")
	}
	body := read(t, capture(t, "ANNOTATION_CREATED-project"))
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
