package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
)

// fakeHooks is a minimal Label Studio answering the webhook calls like
// 1.23.2 does, including its PATCH quirk (is_active alone empties the
// actions).
type fakeHooks struct {
	mu    sync.Mutex
	hooks []map[string]any
	auth  []string
}

func (f *fakeHooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/api/projects/":
		_, _ = w.Write([]byte(`{"count":2,"next":null,"previous":null,"results":[{"id":1,"title":"a"},{"id":2,"title":"b"}]}`))
	case r.URL.Path == "/api/webhooks/" && r.Method == http.MethodGet:
		out := []map[string]any{}
		for _, h := range f.hooks {
			if r.URL.Query().Get("project") == "" || jsonNumber(h["project"]) == r.URL.Query().Get("project") {
				out = append(out, h)
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	case r.URL.Path == "/api/webhooks/" && r.Method == http.MethodPost:
		var h map[string]any
		_ = json.NewDecoder(r.Body).Decode(&h)
		h["id"] = float64(len(f.hooks) + 1)
		f.hooks = append(f.hooks, h)
		w.WriteHeader(201)
		_ = json.NewEncoder(w).Encode(h)
	case strings.HasPrefix(r.URL.Path, "/api/webhooks/") && r.Method == http.MethodPatch:
		id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/webhooks/"), "/")
		for _, h := range f.hooks {
			if jsonNumber(h["id"]) == id {
				var in map[string]any
				_ = json.NewDecoder(r.Body).Decode(&in)
				if _, ok := in["actions"]; !ok {
					h["actions"] = []any{}
				}
				for k, v := range in {
					h[k] = v
				}
				_ = json.NewEncoder(w).Encode(h)
				return
			}
		}
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"detail":"Not found."}`))
	default:
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"detail":"Not found."}`))
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func runAPI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runContext(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHooksEnsureTwice(t *testing.T) {
	f := &fakeHooks{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	args := []string{"hooks", "ensure", "--url", srv.URL, "--token", "legacy123", "--hook-url", "http://127.0.0.1:9090/hook",
		"--actions", "ANNOTATION_CREATED,TASKS_DELETED", "--header", "X-Secret=s3cret"}
	code, out, errs := runAPI(t, args...)
	if code != exitOK || out != "project 1: webhook 1 created\nproject 2: webhook 2 created\n" {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runAPI(t, args...)
	if code != exitOK || out != "project 1: webhook 1 unchanged\nproject 2: webhook 2 unchanged\n" {
		t.Fatalf("second run: exit %d\n%s", code, out)
	}
	// Switched off through a PATCH of is_active alone: the actions go.
	f.mu.Lock()
	f.hooks[0]["is_active"], f.hooks[0]["actions"] = false, []any{}
	f.mu.Unlock()
	code, out, _ = runAPI(t, append(args, "--project", "1")...)
	if code != exitOK || out != "project 1: webhook 1 re-enabled (is_active, actions)\n" {
		t.Fatalf("third run: exit %d\n%s", code, out)
	}
	if f.hooks[0]["is_active"] != true || len(f.hooks[0]["actions"].([]any)) != 2 {
		t.Errorf("hook after re-enabling: %v", f.hooks[0])
	}
	if f.auth[0] != "Token legacy123" {
		t.Errorf("Authorization %q", f.auth[0])
	}
	// list prints header names, never values.
	code, out, _ = runAPI(t, "hooks", "list", "--url", srv.URL, "--token", "legacy123")
	if code != exitOK || strings.Count(out, "\n") != 2 || !strings.Contains(out, "headers=[X-Secret]") || strings.Contains(out, "s3cret") ||
		!strings.Contains(out, "actions [ANNOTATION_CREATED TASKS_DELETED]") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
}

func TestHooksUsage(t *testing.T) {
	t.Setenv("LABEL_STUDIO_URL", "")
	t.Setenv("LABEL_STUDIO_API_KEY", "")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"hooks"}, exitUsage, "want a subcommand"},
		{[]string{"hooks", "frob"}, exitUsage, "want a subcommand"},
		{[]string{"hooks", "list"}, exitUsage, "no server URL"},
		{[]string{"hooks", "list", "--url", "http://x"}, exitUsage, "no token"},
		{[]string{"hooks", "ensure", "--url", "http://x", "--token", "t"}, exitUsage, "--hook-url is required"},
		{[]string{"hooks", "list", "--url", "http://x", "--token", "t", "--project", "a"}, exitUsage, "not a project id"},
		{[]string{"catchup", "--url", "http://x", "--token", "t", "--since", "yesterday"}, exitUsage, "neither an RFC 3339"},
		{[]string{"hooks", "--help"}, exitOK, "is_active"},
		{[]string{"catchup", "--help"}, exitOK, "watermark"},
	}
	for _, tt := range tests {
		code, out, errs := runAPI(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errs, tt.want) {
			t.Errorf("%v: exit %d, want %d with %q\n%s%s", tt.args, code, tt.code, tt.want, out, errs)
		}
	}
}

func TestHooksServerError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(401)
		_, _ = w.Write([]byte(`{"detail":"Invalid token."}`))
	}))
	defer srv.Close()
	os.Setenv("LABEL_STUDIO_URL", srv.URL)
	t.Setenv("LABEL_STUDIO_URL", srv.URL)
	t.Setenv("LABEL_STUDIO_API_KEY", "bad")
	code, _, errs := runAPI(t, "hooks", "list")
	if code != exitFail || !strings.Contains(errs, "401 Unauthorized: Invalid token.") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
