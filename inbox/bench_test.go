package inbox

import (
	"bytes"
	"context"

	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// BenchmarkAck measures, per driver, with workers running a no-op function
// on the same database: the answer time of 5 KB ANNOTATION_UPDATED
// deliveries sent over loopback HTTP by 8 concurrent senders at a steady
// 200 deliveries/s (median, p99, max), and the throughput of the same
// senders sending as fast as they can (acknowledged deliveries/s, and
// processed deliveries/s until all are processed). Each sub-benchmark runs
// its fixed workload once: run it with -benchtime 1x.
func BenchmarkAck(b *testing.B) {
	drivers := []struct {
		name string
		url  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return "sqlite:" + filepath.Join(b.TempDir(), "inbox.db") }},
		{"postgres", func(b *testing.B) string { return freshPostgres(b) }},
	}
	for _, d := range drivers {
		b.Run(d.name+"/steady200", func(b *testing.B) {
			_, srv, processed := benchInbox(b, d.url(b))
			defer srv.Close()
			lat := sendLoad(b, srv.URL, 8, 1000, 200)
			reportLatency(b, lat)
			waitProcessed(b, processed, int64(len(lat)))
		})
		// The same load with 4 workers instead of 16.
		b.Run(d.name+"/steady200-4workers", func(b *testing.B) {
			_, srv, processed := benchInboxWorkers(b, d.url(b), 4)
			defer srv.Close()
			lat := sendLoad(b, srv.URL, 8, 1000, 200)
			reportLatency(b, lat)
			waitProcessed(b, processed, int64(len(lat)))
		})
		// The same load with no worker on the database: what the workers
		// cost the acknowledgement.
		b.Run(d.name+"/steady200-noworkers", func(b *testing.B) {
			in, err := Open(context.Background(), d.url(b), Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer in.Close(context.Background())
			srv := httptest.NewServer(in)
			defer srv.Close()
			reportLatency(b, sendLoad(b, srv.URL, 8, 1000, 200))
		})
		b.Run(d.name+"/throughput", func(b *testing.B) {
			_, srv, processed := benchInbox(b, d.url(b))
			defer srv.Close()
			const n = 3000
			start := time.Now()
			lat := sendLoad(b, srv.URL, 8, n, 0)
			ackSecs := time.Since(start).Seconds()
			waitProcessed(b, processed, n)
			allSecs := time.Since(start).Seconds()
			reportLatency(b, lat)
			b.ReportMetric(float64(n)/ackSecs, "acked/s")
			b.ReportMetric(float64(n)/allSecs, "processed/s")
		})
	}
}

// benchInbox opens an inbox with workers and serves it over loopback HTTP.
func benchInbox(b *testing.B, dbURL string) (*Inbox, *httptest.Server, *atomic.Int64) {
	return benchInboxWorkers(b, dbURL, 0)
}

// benchInboxWorkers is benchInbox with this many workers (0: the default).
func benchInboxWorkers(b *testing.B, dbURL string, workers int) (*Inbox, *httptest.Server, *atomic.Int64) {
	processed := new(atomic.Int64)
	mux := lswebhook.NewMux()
	mux.Default(func(context.Context, lswebhook.Event) error { processed.Add(1); return nil })
	cfg := Config{Mux: mux, PollInterval: 100 * time.Millisecond, Workers: workers}
	in, err := Open(context.Background(), dbURL, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := in.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = in.Close(context.Background()) })
	return in, httptest.NewServer(in), processed
}

// sendLoad sends n distinct deliveries from senders goroutines, at rate
// deliveries/s in all (0: as fast as they can), and returns each answer
// time. Every answer must be 200.
func sendLoad(b *testing.B, url string, senders, n, rate int) []time.Duration {
	base := baseAnnotation(b)
	bodies := make([][]byte, n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range bodies {
		bodies[i], _ = annotationBody(b, base, i+1, start.Add(time.Duration(i)*time.Millisecond))
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: senders}}
	lat := make([]time.Duration, n)
	var next atomic.Int64
	var failed atomic.Int64
	t0 := time.Now()
	b.ResetTimer()
	var wg sync.WaitGroup
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if rate > 0 {
					if d := time.Until(t0.Add(time.Duration(i) * time.Second / time.Duration(rate))); d > 0 {
						time.Sleep(d)
					}
				}
				s := time.Now()
				resp, err := client.Post(url, "application/json", bytesReader(bodies[i]))
				if err != nil {
					failed.Add(1)
					continue
				}
				resp.Body.Close()
				lat[i] = time.Since(s)
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d of %d deliveries not answered 200", failed.Load(), n)
	}
	return lat
}

func reportLatency(b *testing.B, lat []time.Duration) {
	s := slices.Clone(lat)
	slices.Sort(s)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(s[len(s)/2]), "ack-p50-ms")
	b.ReportMetric(ms(s[len(s)*99/100]), "ack-p99-ms")
	b.ReportMetric(ms(s[len(s)-1]), "ack-max-ms")
	b.ReportMetric(0, "ns/op")
}

func waitProcessed(b *testing.B, processed *atomic.Int64, n int64) {
	deadline := time.Now().Add(5 * time.Minute)
	for processed.Load() < n {
		if time.Now().After(deadline) {
			b.Fatalf("only %d of %d processed", processed.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
