package inbox

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRollingRestart replaces the receiver process three times under a
// steady stream of deliveries, the way docs/inbox.md describes: the
// listening socket is held by a supervisor (here the test) and inherited
// by each receiver; the new receiver starts and accepts on it before the
// old one is sent SIGTERM and drains. Every delivery must be answered 200,
// none refused or cut, and every one processed.
func TestRollingRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("restart test: builds and runs receiver processes")
	}
	forEachDriver(t, func(t *testing.T, dbURL string) {
		bin := receiverBinary(t)
		sk := &sink{}
		sinkSrv := httptest.NewServer(sk)
		defer sinkSrv.Close()
		ln, addr := sharedListener(t)
		url := "http://" + addr + "/webhook"

		const senders, perSender, restarts = 4, 75, 3
		total := int64(2 * senders * perSender)
		ty := &tally{ackedKeys: map[string]bool{}}
		rec := startReceiver(t, bin, dbURL, sinkSrv.URL, ln)
		streamDone := make(chan struct{})
		restarterDone := make(chan struct{})
		var replaced atomic.Int32
		go func() {
			defer close(restarterDone)
			for i := range restarts {
				th := total * int64(i+1) / (restarts + 1)
				for ty.sent.Load() < th {
					select {
					case <-streamDone:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
				next, err := launchReceiver(bin, dbURL, sinkSrv.URL, ln)
				if err != nil {
					t.Error(err)
					return
				}
				old := rec
				rec = next
				// Both accept now; the old one stops accepting, finishes
				// what it has, and exits.
				old.stop(t)
				replaced.Add(1)
			}
		}()
		stream(t, url, senders, perSender, ty)
		close(streamDone)
		<-restarterDone

		ty.mu.Lock()
		keys := make([]string, 0, len(ty.ackedKeys))
		for k := range ty.ackedKeys {
			keys = append(keys, k)
		}
		ty.mu.Unlock()
		waitFor(t, fmt.Sprintf("%d acknowledged deliveries to be processed", len(keys)), func() bool {
			for _, k := range keys {
				if !sk.has(k) {
					return false
				}
			}
			return true
		})
		rec.stop(t)
		if ty.acked.Load() != total || ty.failed.Load() != 0 || ty.unavailable.Load() != 0 {
			t.Errorf("of %d deliveries %d answered 200, %d 503, %d refused or cut (%q); want all 200",
				total, ty.acked.Load(), ty.unavailable.Load(), ty.failed.Load(), ty.errs)
		}
		if int(replaced.Load()) != restarts {
			t.Errorf("%d restarts, want %d", replaced.Load(), restarts)
		}
		t.Logf("RESTART %s: %d rolling restarts; sent %d, answered 200 %d (%d duplicates suppressed), refused or cut %d, 503 %d; processed %d of %d distinct",
			strings.TrimPrefix(t.Name(), "TestRollingRestart/"), replaced.Load(), ty.sent.Load(), ty.acked.Load(), ty.duplicates.Load(),
			ty.failed.Load(), ty.unavailable.Load(), len(sk.byKey), len(keys))
	})
}
