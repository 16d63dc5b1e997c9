package lsapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingTransport counts the requests to each path.
type countingTransport struct {
	refreshes atomic.Int64
	calls     atomic.Int64
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.calls.Add(1)
	if r.URL.Path == "/api/token/refresh/" {
		ct.refreshes.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestLiveAuthAndErrors(t *testing.T) {
	c := liveClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Typed errors from the real server.
	_, err := c.Project(ctx, 987654321)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusNotFound || e.Detail == "" || e.Call != "GET /api/projects/987654321/" {
		t.Errorf("missing project: %#v, want a 404 *Error with Label Studio's detail", err)
	}
	t.Logf("404: %v", err)
	bad, _ := New(os.Getenv("LSAPI_LIVE_URL"), LegacyToken("not-a-token"))
	_, err = bad.Projects(ctx)
	if StatusCode(err) != http.StatusUnauthorized || !errors.As(err, &e) || e.Detail != "Invalid token." {
		t.Errorf("bad token: %v, want 401 Invalid token.", err)
	}
	t.Logf("401: %v", err)
	_, err = c.CreateWebhook(ctx, Webhook{Project: 987654321, URL: "not a url"})
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || len(e.ValidationErrors) == 0 {
		t.Errorf("invalid webhook: %v, want 400 with validation errors", err)
	}
	t.Logf("400: %v", err)
	// An HTML page where JSON is expected.
	var out map[string]any
	err = c.call(ctx, http.MethodGet, "/user/login/", nil, nil, &out, true)
	if !errors.Is(err, ErrBadResponse) {
		t.Errorf("HTML page: %v, want ErrBadResponse", err)
	}
	t.Logf("HTML: %v", err)

	// A personal access token: create one with the legacy token, then use
	// it; the access token is renewed when due.
	var pat struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/token/", nil, nil, &pat, true); err != nil {
		if StatusCode(err) != http.StatusConflict {
			t.Fatal(err)
		}
		t.Skip("a personal access token exists already for this user; its value cannot be read back")
	}
	ct := &countingTransport{}
	pc, err := New(os.Getenv("LSAPI_LIVE_URL"), TokenAuth(pat.Token), WithHTTPClient(&http.Client{Transport: ct}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pc.auth.(*patAuth); !ok {
		t.Fatalf("TokenAuth(%q...) is %T, want a personal access token", pat.Token[:10], pc.auth)
	}
	for i := 0; i < 3; i++ {
		if _, err := pc.Projects(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := ct.refreshes.Load(); n != 1 {
		t.Errorf("%d token refreshes for 3 calls, want 1", n)
	}
	pa := pc.auth.(*patAuth)
	t.Logf("access token renewal due at %v (now %v)", pa.renewAt.UTC(), time.Now().UTC())
	if d := time.Until(pa.renewAt); d <= 0 || d > 5*time.Minute {
		t.Errorf("renewal due in %v, want within the 5-minute lifetime", d)
	}
	// Pretend the access token is due: the next call renews it first.
	pc.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if _, err := pc.Projects(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ct.refreshes.Load(); n != 2 {
		t.Errorf("%d refreshes after the token fell due, want 2", n)
	}
	// A revoked access token: the server says 401, the client renews once.
	pc.now = time.Now
	pa.mu.Lock()
	pa.access = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"
	pa.renewAt = time.Now().Add(time.Hour)
	pa.mu.Unlock()
	if _, err := pc.Projects(ctx); err != nil {
		t.Fatalf("after a refused access token: %v", err)
	}
	if n := ct.refreshes.Load(); n != 3 {
		t.Errorf("%d refreshes after a refused access token, want 3", n)
	}
	badPAT, _ := New(os.Getenv("LSAPI_LIVE_URL"), PersonalAccessToken("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln"))
	_, err = badPAT.Projects(ctx)
	if StatusCode(err) != http.StatusUnauthorized {
		t.Errorf("bad refresh token: %v, want 401", err)
	}
	t.Logf("bad refresh token: %v", err)
}

// timingTransport sums the time from sending each request until its
// answer's body is closed: the server's share of a pass, with the network
// and the reading of the body.
type timingTransport struct{ total atomic.Int64 }

type timedBody struct {
	io.ReadCloser
	start time.Time
	tt    *timingTransport
	once  sync.Once
}

func (b *timedBody) done() { b.once.Do(func() { b.tt.total.Add(int64(time.Since(b.start))) }) }

// Read stops the clock at the end of the body, before it is decoded.
func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.done()
	}
	return n, err
}

func (b *timedBody) Close() error {
	b.done()
	return b.ReadCloser.Close()
}

func (tt *timingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		tt.total.Add(int64(time.Since(start)))
		return nil, err
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, start: start, tt: tt}
	return resp, nil
}

// TestLiveCatchUp10k imports 10,000 tasks in one call and measures a
// catch-up of them: time per task and the peak heap.
func TestLiveCatchUp10k(t *testing.T) {
	c := liveClient(t)
	if os.Getenv("LSAPI_LIVE_10K") != "1" {
		t.Skip("LSAPI_LIVE_10K is not 1")
	}
	const n = 10000
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	proj, err := c.CreateProject(ctx, "lsapi 10k "+time.Now().UTC().Format("150405.000"), liveLabelConfig)
	if err != nil {
		t.Fatal(err)
	}
	tasks := make([]any, n)
	for i := range tasks {
		tasks[i] = map[string]any{"text": fmt.Sprintf("task %d of a large project", i)}
	}
	t0 := time.Now()
	ids, err := c.ImportTasks(ctx, proj.ID, tasks)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != n {
		t.Fatalf("imported %d tasks, want %d", len(ids), n)
	}
	importTime := time.Since(t0)
	tasks = nil // let the import's 10,000 maps go before measuring

	for _, size := range []int{100, 1000} {
		var peak uint64
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		created := 0
		tt := &timingTransport{}
		tc, err := New(os.Getenv("LSAPI_LIVE_URL"), TokenAuth(os.Getenv("LSAPI_LIVE_TOKEN")), WithTimeout(60*time.Second), WithHTTPClient(&http.Client{Transport: tt}))
		if err != nil {
			t.Fatal(err)
		}
		rec := &Reconciler{Client: tc, Projects: []int64{proj.ID}, PageSize: size,
			Emit: func(_ context.Context, cs []Change) error {
				for _, ch := range cs {
					if ch.Action == "TASKS_CREATED" {
						created++
					}
				}
				// Collect garbage first: the peak is then the live heap
				// (the page, its changes and the watermark).
				runtime.GC()
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
				return nil
			}}
		wm := &Watermark{}
		t1 := time.Now()
		if _, err := rec.Run(ctx, wm); err != nil {
			t.Fatal(err)
		}
		first := time.Since(t1)
		firstHTTP := time.Duration(tt.total.Swap(0))
		if created != n {
			t.Errorf("page size %d: %d TASKS_CREATED, want %d", size, created, n)
		}
		t2 := time.Now()
		created = 0
		if _, err := rec.Run(ctx, wm); err != nil {
			t.Fatal(err)
		}
		second := time.Since(t2)
		secondHTTP := time.Duration(tt.total.Swap(0))
		if created != 0 {
			t.Errorf("page size %d: second pass found %d new tasks, want 0", size, created)
		}
		fmt.Printf("lsapi live 10k: page size %d: first pass %v (%.0f µs/task, of which waiting for the server %.0f%%), unchanged pass %v (%.0f µs/task, server %.0f%%), peak live heap of the test process %.2f MiB (%.2f MiB before the pass; GC before each per-page sample), import of %d tasks %v\n",
			size, first.Round(time.Millisecond), float64(first.Microseconds())/n, 100*firstHTTP.Seconds()/first.Seconds(),
			second.Round(time.Millisecond), float64(second.Microseconds())/n, 100*secondHTTP.Seconds()/second.Seconds(),
			float64(peak)/(1<<20), float64(before)/(1<<20), n, importTime.Round(time.Millisecond))
	}
}
