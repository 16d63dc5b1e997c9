package inbox

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestHandlerStoresThenAcknowledges checks that a delivery answered 200 is
// stored with its body byte for byte, its headers (secrets redacted) and
// its key, and is then processed by the typed function.
func TestHandlerStoresThenAcknowledges(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		mux := lswebhook.NewMux()
		var got counter
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationUpdated) error {
			d, ok := DeliveryFrom(ctx)
			if !ok || d.ID == 0 || d.Header.Get("X-Hook") != "org" {
				t.Errorf("DeliveryFrom = %+v, %v", d, ok)
			}
			got.add(ev.Annotation.UpdatedAt.String())
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		cfg.Options = []lswebhook.Option{lswebhook.WithBasicAuth("ls", "s3cret")}
		cfg.SecretHeaders = []string{"x-token"}
		in := openTest(t, dbURL, cfg)

		// Odd spacing: what is stored must be the bytes received, not a
		// re-encoding.
		body := append([]byte("  \n"), fixture(t, "023-ANNOTATION_UPDATED-org.json")...)
		body = append(body, " \t\n"...)
		w := post(in, body, "Authorization", lswebhook.BasicAuth("ls", "s3cret"), "X-Hook", "org", "X-Token", "t0k")
		if w.Code != http.StatusOK || w.Body.String() != okBody {
			t.Fatalf("answer %d %q, want 200 %q", w.Code, w.Body.String(), okBody)
		}
		recs, err := in.List(context.Background(), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 {
			t.Fatalf("%d records stored, want 1", len(recs))
		}
		r := recs[0]
		if !bytes.Equal(r.Body, body) {
			t.Errorf("stored body differs from the body received:\n got %q\nwant %q", r.Body, body)
		}
		if r.Action != "ANNOTATION_UPDATED" || r.Key != annotationUpdatedKey(t, "023-ANNOTATION_UPDATED-org.json") {
			t.Errorf("action %q key %q", r.Action, r.Key)
		}
		if r.Header.Get("Authorization") != redactedValue || r.Header.Get("X-Token") != redactedValue || r.Header.Get("X-Hook") != "org" {
			t.Errorf("stored headers %v: secrets must be redacted, others kept", r.Header)
		}
		if r.ReceivedAt.IsZero() {
			t.Error("no receive time stored")
		}
		waitStats(t, in, map[State]int{Processed: 1})
		if got.total() != 1 {
			t.Errorf("function called %d times, want 1", got.total())
		}
	})
}

// TestHandlerRefusesBeforeStoring checks that requests the library's checks
// refuse get the library's answer and store nothing.
func TestHandlerRefusesBeforeStoring(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		cfg := testConfig()
		cfg.Options = []lswebhook.Option{lswebhook.WithBasicAuth("ls", "s3cret"), lswebhook.WithMaxBodyBytes(64 << 10)}
		in := openTest(t, dbURL, cfg)
		body := fixture(t, "023-ANNOTATION_UPDATED-org.json")
		auth := lswebhook.BasicAuth("ls", "s3cret")
		cases := []struct {
			name string
			req  func() *http.Request
			want int
		}{
			{"no auth", func() *http.Request { return req(body) }, http.StatusUnauthorized},
			{"wrong auth", func() *http.Request {
				r := req(body)
				r.Header.Set("Authorization", lswebhook.BasicAuth("ls", "x"))
				return r
			}, http.StatusUnauthorized},
			{"GET", func() *http.Request {
				r := req(nil)
				r.Method = http.MethodGet
				r.Header.Set("Authorization", auth)
				return r
			}, http.StatusMethodNotAllowed},
			{"text/plain", func() *http.Request {
				r := req(body)
				r.Header.Set("Authorization", auth)
				r.Header.Set("Content-Type", "text/plain")
				return r
			}, http.StatusUnsupportedMediaType},
			{"too large", func() *http.Request {
				r := req(bytes.Repeat([]byte(" "), 65<<10))
				r.Header.Set("Authorization", auth)
				return r
			}, http.StatusRequestEntityTooLarge},
		}
		for _, c := range cases {
			w := newRecorder()
			in.ServeHTTP(w, c.req())
			if w.Code != c.want {
				t.Errorf("%s: answer %d, want %d", c.name, w.Code, c.want)
			}
			if c.want == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", c.name)
			}
		}
		st, err := in.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for s, n := range st {
			if n != 0 {
				t.Errorf("%d deliveries %s after refused requests, want none", n, s)
			}
		}
	})
}

// TestHandlerQuarantine checks that a body that does not decode is stored
// exactly, with its problems, answered 400, never processed, and can be
// retried and purged.
func TestHandlerQuarantine(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		mux := lswebhook.NewMux()
		var calls counter
		mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
			calls.add(string(ev.Action()))
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		in := openTest(t, dbURL, cfg)
		bodies := map[string][]byte{
			"schema":    []byte(`{"action":"ANNOTATION_UPDATED","annotation":{"id":"not a number"}}`),
			"malformed": []byte(`{"action":"ANNOTATION_UPDATED",`),
			"not utf-8": []byte("{\"action\":\"X\",\"a\":\"\xff\xfe\"}"),
			"nul byte":  []byte("{\"action\":\"X\"}\x00"),
			"no action": []byte(`{"project":{"id":1}}`),
		}
		for name, b := range bodies {
			w := post(in, b)
			if w.Code != http.StatusBadRequest {
				t.Errorf("%s: answer %d, want 400", name, w.Code)
			}
		}
		recs, err := in.List(context.Background(), Filter{State: Quarantined})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(bodies) {
			t.Fatalf("%d quarantined, want %d", len(recs), len(bodies))
		}
		stored := map[string]*Record{}
		for _, r := range recs {
			stored[string(r.Body)] = r
		}
		for name, b := range bodies {
			r := stored[string(b)]
			if r == nil {
				t.Errorf("%s: body not stored exactly", name)
				continue
			}
			if len(r.Problems) == 0 {
				t.Errorf("%s: no problems stored", name)
			}
		}
		if p := stored[string(bodies["schema"])].Problems; !strings.Contains(strings.Join(p, ";"), "/annotation/id") {
			t.Errorf("schema problems %q do not name /annotation/id", p)
		}
		// The same bad body again is answered 400 but stored once.
		if w := post(in, bodies["schema"]); w.Code != http.StatusBadRequest || w.Header().Get("Inbox-Duplicate") != "true" {
			t.Errorf("repeat of a quarantined body: %d duplicate=%q", w.Code, w.Header().Get("Inbox-Duplicate"))
		}
		// A quarantined body that still does not decode stays.
		if _, err := in.Retry(context.Background(), stored[string(bodies["schema"])].ID); err == nil {
			t.Error("Retry of a body that still does not decode succeeded")
		}
		n, err := in.Purge(context.Background(), Filter{State: Quarantined})
		if err != nil || n != len(bodies) {
			t.Errorf("Purge quarantined = %d, %v; want %d", n, err, len(bodies))
		}
		st := waitStats(t, in, map[State]int{Quarantined: 0})
		if calls.total() != 0 || st[Processed] != 0 {
			t.Errorf("quarantined bodies were processed: %d calls, %d processed", calls.total(), st[Processed])
		}
	})
}

// TestHandlerQuarantineRetryAfterFix checks that a quarantined body that a
// later Decoder accepts becomes a delivery and is processed.
func TestHandlerQuarantineRetryAfterFix(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		body := []byte(`{"action":"SOMETHING_NEW","x":1}`)
		strict := testConfig()
		strict.Decoder = lswebhook.Decoder{DisallowUnknownActions: true}
		in := openTest(t, dbURL, strict)
		if w := post(in, body); w.Code != http.StatusBadRequest {
			t.Fatalf("answer %d, want 400", w.Code)
		}
		recs, err := in.List(context.Background(), Filter{State: Quarantined})
		if err != nil || len(recs) != 1 {
			t.Fatalf("List = %d, %v", len(recs), err)
		}
		id := recs[0].ID
		if err := in.Close(context.Background()); err != nil {
			t.Fatal(err)
		}

		// The receiver is upgraded: it now accepts unknown actions.
		var calls counter
		mux := lswebhook.NewMux()
		mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
			calls.add(string(ev.Action()))
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		in2 := openTest(t, dbURL, cfg)
		r, err := in2.Retry(context.Background(), id)
		if err != nil {
			t.Fatalf("Retry: %v", err)
		}
		if !bytes.Equal(r.Body, body) || r.Action != "SOMETHING_NEW" {
			t.Errorf("retried record %q %q", r.Action, r.Body)
		}
		waitStats(t, in2, map[State]int{Processed: 1, Quarantined: 0})
		if calls.get("SOMETHING_NEW") != 1 {
			t.Errorf("function called %d times, want 1", calls.get("SOMETHING_NEW"))
		}
	})
}

// TestHandler503WhenDatabaseDown checks that the handler never answers 2xx
// when it cannot store: with the database gone it answers 503 at once.
func TestHandler503WhenDatabaseDown(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		in := openTest(t, dbURL, testConfig())
		body := fixture(t, "023-ANNOTATION_UPDATED-org.json")
		if w := post(in, body); w.Code != http.StatusOK {
			t.Fatalf("answer %d before the database went away", w.Code)
		}
		in.closeDB()
		w := post(in, fixture(t, "026-ANNOTATION_UPDATED-org.json"))
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("answer %d (Retry-After %q), want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
		}
		if !strings.Contains(w.Body.String(), "not accepted") {
			t.Errorf("503 body %q", w.Body.String())
		}
	})
}
