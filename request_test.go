package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

func postJSON(body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

func TestDecodeRequest(t *testing.T) {
	body := readFile(t, "testdata/docs/annotation-created.json")
	r := postJSON(string(body))
	r.Header.Set("Authorization", lswebhook.BasicAuth("u", "p"))
	ev, err := lswebhook.DecodeRequest(r, lswebhook.WithBasicAuth("u", "p"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ev.(*lswebhook.AnnotationCreated); !ok {
		t.Fatalf("got %T, want *AnnotationCreated", ev)
	}
	if !bytes.Equal(ev.Raw(), body) {
		t.Error("Raw() differs from the body")
	}
}

func TestReadRequestRefusals(t *testing.T) {
	valid := `{"action":"PROJECT_DELETED"}`
	tests := []struct {
		name   string
		req    func() *http.Request
		opts   []lswebhook.Option
		status int
		header string // a header the answer must carry
	}{
		{"method", func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }, nil, 405, "Allow"},
		{"auth", func() *http.Request { return postJSON(valid) }, []lswebhook.Option{lswebhook.WithBasicAuth("u", "p")}, 401, "Www-Authenticate"},
		{"content type", func() *http.Request {
			r := postJSON(valid)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, nil, 415, ""},
		{"coding", func() *http.Request {
			r := postJSON(valid)
			r.Header.Set("Content-Encoding", "gzip")
			return r
		}, nil, 415, "Accept-Encoding"},
		{"length", func() *http.Request { return postJSON(valid) }, []lswebhook.Option{lswebhook.WithMaxBodyBytes(5)}, 413, ""},
		{"unannounced length", func() *http.Request {
			r := postJSON(valid)
			r.ContentLength = -1
			return r
		}, []lswebhook.Option{lswebhook.WithMaxBodyBytes(5)}, 413, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := lswebhook.ReadRequest(tt.req(), tt.opts...)
			var re *lswebhook.RequestError
			if !errors.As(err, &re) {
				t.Fatalf("ReadRequest = %q, %v; want a *RequestError", body, err)
			}
			if re.Status != tt.status {
				t.Errorf("Status = %d, want %d", re.Status, tt.status)
			}
			w := httptest.NewRecorder()
			lswebhook.WriteError(w, err)
			if w.Code != tt.status {
				t.Errorf("WriteError wrote %d, want %d", w.Code, tt.status)
			}
			if tt.header != "" && w.Header().Get(tt.header) == "" {
				t.Errorf("the answer lacks %s", tt.header)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestDecodeRequestInvalidBody(t *testing.T) {
	_, err := lswebhook.DecodeRequest(postJSON(`{"action":"TASKS_CREATED","tasks":"x"}`))
	var re *lswebhook.RequestError
	var ve *lswebhook.ValidationError
	if !errors.As(err, &re) || re.Status != 400 || !errors.As(err, &ve) {
		t.Fatalf("err = %v; want a 400 *RequestError wrapping a *ValidationError", err)
	}
	w := httptest.NewRecorder()
	lswebhook.WriteError(w, err)
	var doc struct {
		Status int               `json:"status"`
		Errors []json.RawMessage `json:"errors"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Status != 400 || len(doc.Errors) == 0 {
		t.Errorf("problem document %s: want status 400 and its problems", w.Body)
	}
}

func TestReadRequestKeepsInvalidBody(t *testing.T) {
	const body = `{"action":"TASKS_CREATED","tasks":"x"}`
	got, err := lswebhook.ReadRequest(postJSON(body))
	if err != nil || string(got) != body {
		t.Fatalf("ReadRequest = %q, %v; want the body as sent", got, err)
	}
}

func TestWriteErrorOther(t *testing.T) {
	w := httptest.NewRecorder()
	lswebhook.WriteError(w, errors.New("secret database password in here"))
	if w.Code != 500 || strings.Contains(w.Body.String(), "secret") {
		t.Errorf("WriteError(other) = %d %s; want 500 without the error's text", w.Code, w.Body)
	}
}

// TestMaxBodyBytesExtremes checks that no limit value makes a request
// panic, and that the limit still holds.
func TestMaxBodyBytesExtremes(t *testing.T) {
	for _, n := range []int64{math.MaxInt64, math.MaxInt64 - 1, 1 << 40, -1, 0, math.MinInt64, 1} {
		h := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error { return nil }, lswebhook.WithMaxBodyBytes(n))
		for _, cl := range []int64{-1, 30} {
			r := postJSON(`{"action":"PROJECT_DELETED"}`)
			r.ContentLength = cl
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			want := 200
			if n == 1 {
				want = 413
			}
			if w.Code != want {
				t.Errorf("limit %d, Content-Length %d: status %d, want %d", n, cl, w.Code, want)
			}
		}
	}
}
