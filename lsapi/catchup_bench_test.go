package lsapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// pageServer replays a project of n tasks, each shaped like the recorded
// answer (testdata/tasks-page.json) with one annotation on every other
// task, as pre-encoded keyset pages; it does no work per request beyond a
// map lookup, so a benchmark measures the client.
func pageServer(tb testing.TB, n, size int) *httptest.Server {
	f := &fakeLS{clock: time.Date(2026, 12, 3, 7, 0, 0, 0, time.UTC), projects: map[int64]*fakeProject{}, tasks: map[int64]*fakeTask{}}
	f.projects[1] = &fakeProject{id: 1, created: f.clock}
	ids := make([]int64, n)
	for i := range ids {
		id := int64(i + 1)
		ids[i] = id
		t := &fakeTask{id: id, project: 1, data: fmt.Sprintf(`{"text":"task %d of a large project"}`, id), created: f.clock, updated: f.clock, overlap: 1}
		if i%2 == 0 {
			t.anns = []*fakeAnn{{id: int64(n + i + 1), user: 1, created: f.clock, updated: f.clock.Add(40 * time.Microsecond)}}
		}
		f.tasks[id] = t
	}
	pages := map[int64][]byte{}
	for start := 0; start <= n; start += size {
		after := int64(0)
		if start > 0 {
			after = ids[start-1]
		}
		end := min(start+size, n)
		out := make([]any, 0, end-start)
		for _, id := range ids[start:end] {
			out = append(out, f.taskJSON(f.tasks[id]))
		}
		b, err := json.Marshal(map[string]any{"total_annotations": 0, "total_predictions": 0, "total": end - start, "tasks": out})
		if err != nil {
			tb.Fatal(err)
		}
		pages[after] = b
	}
	project, _ := json.Marshal(f.projectJSON(f.projects[1]))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/projects/1/" {
			_, _ = w.Write(project)
			return
		}
		var q struct {
			Filters struct {
				Items []struct {
					Value int64 `json:"value"`
				} `json:"items"`
			} `json:"filters"`
		}
		_ = json.Unmarshal([]byte(r.URL.Query().Get("query")), &q)
		if len(q.Filters.Items) != 1 || r.URL.Query().Get("page_size") != strconv.Itoa(size) {
			w.WriteHeader(400)
			return
		}
		_, _ = w.Write(pages[q.Filters.Items[0].Value])
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// catchUpRun makes passes over a replayed project and returns the peak
// heap sampled at every page and the changes of the first pass.
// With live set it collects garbage before each sample, so the peak is
// the live heap (slow; for tests).
func catchUpRun(tb testing.TB, url string, size, passes int, live bool) (peak, before uint64, changes int) {
	c, err := New(url, LegacyToken("k"))
	if err != nil {
		tb.Fatal(err)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before = ms.HeapAlloc
	r := &Reconciler{Client: c, Projects: []int64{1}, PageSize: size,
		Emit: func(_ context.Context, cs []Change) error {
			changes += len(cs)
			if live {
				runtime.GC()
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
			return nil
		}}
	for i := 0; i < passes; i++ {
		if _, err := r.Run(context.Background(), &Watermark{}); err != nil {
			tb.Fatal(err)
		}
	}
	return peak, before, changes
}

// BenchmarkCatchUp measures a first pass (every task and annotation
// reported) over replayed projects of 1,000 and 10,000 tasks: time per task
// and the peak heap above the heap before the pass, sampled at each page
// (garbage included, so it depends on GOGC).
// A pass holds one page and the watermark (about 24 bytes a task), so the
// peak grows far slower than the project.
func BenchmarkCatchUp(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("tasks=%d/page=100", n), func(b *testing.B) {
			srv := pageServer(b, n, 100)
			b.ResetTimer()
			var peak, before uint64
			for i := 0; i < b.N; i++ {
				p, bf, _ := catchUpRun(b, srv.URL, 100, 1, false)
				peak, before = max(peak, p), bf
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/task")
			b.ReportMetric(float64(peak-min(before, peak))/(1<<20), "peak-heap-MiB")
		})
	}
}

func TestCatchUpMemoryBounded(t *testing.T) {
	// The peak live heap holds one page and the watermark, which grows by
	// some tens of bytes a task; the pages do not accumulate.
	if testing.Short() {
		t.Skip("builds 11,000 tasks")
	}
	small, big := pageServer(t, 1000, 100), pageServer(t, 10000, 100)
	ps, bs, cs := catchUpRun(t, small.URL, 100, 1, true)
	pb, bb, cb := catchUpRun(t, big.URL, 100, 1, true)
	if cs != 1000+500+500 || cb != 10000+5000+5000 {
		t.Fatalf("changes %d and %d, want every task, annotation and completion", cs, cb)
	}
	gs, gb := ps-min(bs, ps), pb-min(bb, pb)
	t.Logf("peak live heap above the start: 1,000 tasks %.2f MiB, 10,000 tasks %.2f MiB", float64(gs)/(1<<20), float64(gb)/(1<<20))
	// The watermark of 10,000 tasks and 5,000 annotations takes about
	// 0.4 MiB; holding every decoded task instead of one page would take
	// tens of MiB. 4 MiB leaves room for the GC's granularity.
	if gb > 4<<20 {
		t.Errorf("peak live heap %d bytes for 10,000 tasks (%d for 1,000): not bounded by the page", gb, gs)
	}
}
