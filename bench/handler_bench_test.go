package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// handlerUserAgent is the User-Agent Label Studio's webhooks send.
const handlerUserAgent = "python-requests/2.32.3"

// handlers returns the loopback benchmark's handlers for a body whose
// plain struct type is shadow: lswebhook's Handler with a Mux, the floor
// that reads the body and discards it, and io.ReadAll followed by
// encoding/json into the plain structs.
func handlers(shadow reflect.Type) []struct {
	name string
	h    http.Handler
} {
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error { return nil })
	return []struct {
		name string
		h    http.Handler
	}{
		{"lswebhook", lswebhook.NewHandler(mux.Dispatch)},
		{"read-discard", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusOK)
		})},
		{"readall-unmarshal", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			if err := json.Unmarshal(body, reflect.New(shadow).Interface()); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusOK)
		})},
	}
}

// post delivers body to url as Label Studio does and returns the status.
func post(client *http.Client, url string, body []byte) (int, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", handlerUserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// BenchmarkHandler delivers the 5 KiB annotation over loopback (client,
// net/http server, handler, answer) to each handler, one request at a
// time, and reports requests per second and CPU per request.
func BenchmarkHandler(b *testing.B) {
	p := payloadsFor(b)[1] // annotation-5KiB
	for _, h := range handlers(shadowOfClass(b, p)) {
		b.Run("body="+p.name+"/handler="+h.name, func(b *testing.B) {
			srv := httptest.NewServer(h.h)
			defer srv.Close()
			client := srv.Client()
			b.SetBytes(int64(len(p.data)))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				status, err := post(client, srv.URL, p.data)
				if err != nil {
					b.Fatal(err)
				}
				if status != http.StatusOK {
					b.Fatalf("status %d", status)
				}
			}
			if cpu != 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// TestHandlers checks that each handler of the loopback benchmark answers
// 200 to the annotation, and that lswebhook's refuses a body it must
// refuse: the benchmark times handlers that do their work.
func TestHandlers(t *testing.T) {
	list := payloadsFor(t)
	p := list[1]
	for _, h := range handlers(shadowOfClass(t, p)) {
		srv := httptest.NewServer(h.h)
		status, err := post(srv.Client(), srv.URL, p.data)
		if err != nil || status != http.StatusOK {
			t.Errorf("%s: status %d, error %v", h.name, status, err)
		}
		if h.name == "lswebhook" {
			bad := bytes.Replace(p.data, []byte(`"ANNOTATION_CREATED"`), []byte(`"ANNOTATION_CREATED", "annotation": 1`), 1)
			if status, err := post(srv.Client(), srv.URL, bad); err != nil || status == http.StatusOK {
				t.Errorf("%s: status %d for an invalid body, error %v", h.name, status, err)
			}
		}
		srv.Close()
	}
}
