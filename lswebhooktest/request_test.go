package lswebhooktest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// capturedHeaders returns the request headers the 1.23.2 capture recorded
// for its first delivery of an action, without those that depend on the
// connection or the harness.
func capturedHeaders(t *testing.T, action string) http.Header {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "labelstudio-1.23.2", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		HookHeader string `json:"hook_header"`
		Captures   []struct {
			Action  string            `json:"action"`
			Headers map[string]string `json:"headers"`
		} `json:"captures"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, c := range m.Captures {
		if c.Action != action {
			continue
		}
		h := http.Header{}
		for k, v := range c.Headers {
			switch k {
			case "Host", "Content-Length", m.HookHeader:
			default:
				h.Set(k, v)
			}
		}
		// The callers compare every header in h: an empty h would
		// compare nothing.
		if h.Get("User-Agent") == "" || h.Get("Content-Type") == "" {
			t.Fatalf("the %s capture recorded no User-Agent or Content-Type: %v", action, c.Headers)
		}
		return h
	}
	t.Fatalf("no %s capture", action)
	return nil
}

// relevant keeps the headers a capture recorded.
func relevant(h http.Header, like http.Header) http.Header {
	out := http.Header{}
	for k := range h {
		if _, ok := like[k]; ok {
			out[k] = h[k]
		}
	}
	return out
}

func TestNewRequestLikeCapture(t *testing.T) {
	for _, action := range []string{"ANNOTATION_CREATED", "START_TRAINING"} {
		f, ok := lswebhooktest.LookupFixture("1.23.2", lswebhooktestAction(action))
		if !ok {
			t.Fatalf("no %s fixture", action)
		}
		want := capturedHeaders(t, action)
		r := lswebhooktest.NewRequest("/hook/project", f.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/hook/project" {
			t.Errorf("%s: %s %s", action, r.Method, r.URL)
		}
		got := relevant(r.Header, want)
		for k := range want {
			if got.Get(k) != want.Get(k) {
				t.Errorf("%s: %s: %q, the server sent %q", action, k, got.Get(k), want.Get(k))
			}
		}
		if r.ContentLength != int64(len(f.Body)) || r.Header.Get("Content-Length") != itoa(len(f.Body)) {
			t.Errorf("%s: Content-Length %d %q", action, r.ContentLength, r.Header.Get("Content-Length"))
		}
		b, _ := io.ReadAll(r.Body)
		if string(b) != string(f.Body) {
			t.Errorf("%s: body differs", action)
		}
	}
}

func lswebhooktestAction(s string) lswebhook.Action { return lswebhook.Action(s) }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestNewRequestOptions(t *testing.T) {
	body := lswebhooktest.Body(lswebhooktest.TasksCreated())
	r := lswebhooktest.NewRequest("http://example.com/hook", body,
		lswebhooktest.WithRelease("1.10.1"),
		lswebhooktest.WithHeader("Authorization", "Basic dXNlcjpwYXNz"),
		lswebhooktest.WithHeader("X-Token_2", "s3cret"))
	if got := r.Header.Get("User-Agent"); got != "python-requests/2.31.0" {
		t.Errorf("1.10.1 User-Agent %q", got)
	}
	if r.Header.Get("Authorization") != "Basic dXNlcjpwYXNz" || r.Header.Get("X-Token_2") != "s3cret" || r.Host != "example.com" {
		t.Errorf("headers %v, host %q", r.Header, r.Host)
	}
	// A custom User-Agent replaces the default, as in Label Studio.
	r = lswebhooktest.NewRequest("/", body, lswebhooktest.WithHeader("User-Agent", "mine"))
	if got := r.Header.Get("User-Agent"); got != "mine" {
		t.Errorf("custom User-Agent %q", got)
	}
	// START_TRAINING of a release without a known ML User-Agent keeps
	// python-requests.
	r = lswebhooktest.NewRequest("/", lswebhooktest.Body(lswebhooktest.StartTraining()), lswebhooktest.WithRelease("1.10.1"))
	if got := r.Header.Get("User-Agent"); got != "python-requests/2.31.0" {
		t.Errorf("1.10.1 START_TRAINING User-Agent %q", got)
	}

	eleven := make([]lswebhooktest.RequestOption, 11)
	for i := range eleven {
		eleven[i] = lswebhooktest.WithHeader("X-H"+itoa(i), "v")
	}
	for _, tt := range []struct {
		name string
		opts []lswebhooktest.RequestOption
		want string
	}{
		{"unknown release", []lswebhooktest.RequestOption{lswebhooktest.WithRelease("0.9")}, `unknown release "0.9"`},
		{"bad header name", []lswebhooktest.RequestOption{lswebhooktest.WithHeader("X Token", "v")}, `header name "X Token"`},
		{"11 headers", eleven, "more than 10 headers"},
		{"zero option", []lswebhooktest.RequestOption{{}}, "zero RequestOption"},
		{"zero timeout", []lswebhooktest.RequestOption{lswebhooktest.WithTimeout(0)}, "want a positive duration"},
	} {
		func() {
			defer func() {
				r := recover()
				if err, ok := r.(error); !ok || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "lswebhooktest: ") {
					t.Errorf("%s: recovered %v, want an error containing %q", tt.name, r, tt.want)
				}
			}()
			lswebhooktest.NewRequest("/", body, tt.opts...)
		}()
		if _, err := lswebhooktest.Post(context.Background(), "http://127.0.0.1:1/", body, tt.opts...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Post, %s: %v", tt.name, err)
		}
	}
}

// TestPost delivers to a running server and checks what arrives: the
// capture's headers, the body, one request.
func TestPost(t *testing.T) {
	var hits atomic.Int32
	var got http.Header
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		got = r.Header.Clone()
		gotBody, _ = io.ReadAll(r.Body)
		w.Write([]byte(`{"status": "ok"}`))
	}))
	defer srv.Close()
	f, _ := lswebhooktest.LookupFixture("1.23.2", "ANNOTATION_CREATED")
	resp, err := lswebhooktest.Post(context.Background(), srv.URL+"/hook", f.Body, lswebhooktest.WithHeader("X-Token", "abc"))
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(answer) != `{"status": "ok"}` {
		t.Errorf("answer %d %s", resp.StatusCode, answer)
	}
	want := capturedHeaders(t, "ANNOTATION_CREATED")
	for k := range want {
		if got.Get(k) != want.Get(k) {
			t.Errorf("%s: %q arrived, the server sends %q", k, got.Get(k), want.Get(k))
		}
	}
	if got.Get("X-Token") != "abc" || string(gotBody) != string(f.Body) || hits.Load() != 1 {
		t.Errorf("X-Token %q, body equal %v, %d requests", got.Get("X-Token"), string(gotBody) == string(f.Body), hits.Load())
	}
	st, _ := lswebhooktest.LookupFixture("1.23.2", "START_TRAINING")
	if _, err := lswebhooktest.Post(context.Background(), srv.URL+"/webhook", st.Body); err != nil {
		t.Fatal(err)
	}
	if ua := got.Get("User-Agent"); ua != capturedHeaders(t, "START_TRAINING").Get("User-Agent") {
		t.Errorf("START_TRAINING User-Agent %q", ua)
	}
}

// TestPostTimeoutNoRetry: a receiver that does not answer within the
// timeout fails the delivery; a receiver that fails (500, or a connection
// closed without an answer) gets exactly one request. The blocking handler
// waits until the test releases it, so no outcome depends on the machine's
// speed.
func TestPostTimeoutNoRetry(t *testing.T) {
	body := lswebhooktest.Body(lswebhooktest.TasksDeleted())

	var hits atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		<-release
	}))
	_, err := lswebhooktest.Post(context.Background(), srv.URL, body, lswebhooktest.WithTimeout(50*time.Millisecond))
	close(release)
	srv.Close() // waits for the handler
	if err == nil || !strings.Contains(err.Error(), "delivery failed") {
		t.Errorf("Post to a silent receiver: %v, want a failed delivery", err)
	}
	if n := hits.Load(); n > 1 {
		t.Errorf("%d requests to a silent receiver, want at most 1 (no retry)", n)
	}

	var failed, dropped atomic.Int32
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/drop" {
			dropped.Add(1)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		failed.Add(1)
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer srv.Close()
	resp, err := lswebhooktest.Post(context.Background(), srv.URL+"/fail", body)
	if err != nil || resp.StatusCode != http.StatusInternalServerError || failed.Load() != 1 {
		t.Errorf("500: %v, %v, %d requests, want the 500 answer after 1 request", resp, err, failed.Load())
	}
	if _, err := lswebhooktest.Post(context.Background(), srv.URL+"/drop", body); err == nil || dropped.Load() != 1 {
		t.Errorf("closed connection: %v after %d requests, want an error after 1", err, dropped.Load())
	}
}
