package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// BenchmarkLoopback measures a delivery end to end over loopback (client,
// net/http server, handler, answer) for the lswebhook Handler with a Mux
// and a required header, and for a minimal net/http handler that only
// reads the body and does json.Unmarshal into an any. The ratio of the two
// is the cost of checking, validating against the schema, and building the
// typed event:
//
//	go test -run '^$' -bench Loopback -benchmem
func BenchmarkLoopback(b *testing.B) {
	payloads := []struct {
		name string
		body []byte
	}{
		{"annotation", readFile(b, htCapture(b, "ANNOTATION_CREATED-project"))},
		{"tasks5000", htTasksCreated(b, 5000, 200)},
	}
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error { return nil })
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error { return nil })
	handlers := []struct {
		name string
		h    http.Handler
	}{
		{"lswebhook", lswebhook.NewHandler(mux.Dispatch, lswebhook.WithRequiredHeader("X-Token", "bench-token"))},
		{"unmarshal", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusOK)
		})},
	}
	for _, p := range payloads {
		for _, h := range handlers {
			b.Run(p.name+"/"+h.name, func(b *testing.B) {
				srv := httptest.NewServer(h.h)
				defer srv.Close()
				client := srv.Client()
				b.SetBytes(int64(len(p.body)))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(p.body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("User-Agent", htUserAgent)
					req.Header.Set("X-Token", "bench-token")
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		}
	}
}
