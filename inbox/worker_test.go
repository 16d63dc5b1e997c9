package inbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestWorkerRetriesThenSucceeds checks that a function that fails is tried
// again until it succeeds, with the same delivery id each time.
func TestWorkerRetriesThenSucceeds(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		var attempts atomic.Int32
		var ids counter
		mux := lswebhook.NewMux()
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationUpdated) error {
			d, _ := DeliveryFrom(ctx)
			ids.add(fmt.Sprint(d.ID))
			if n := attempts.Add(1); int(n) != d.Attempt {
				t.Errorf("call %d has Attempt %d", n, d.Attempt)
			}
			if attempts.Load() < 3 {
				return errors.New("warehouse not reachable")
			}
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		cfg.MaxAttempts = 5
		in := openTest(t, dbURL, cfg)
		if w := post(in, fixture(t, "023-ANNOTATION_UPDATED-org.json")); w.Code != http.StatusOK {
			t.Fatalf("answer %d", w.Code)
		}
		waitStats(t, in, map[State]int{Processed: 1})
		if attempts.Load() != 3 || len(ids.m) != 1 {
			t.Errorf("%d attempts with %d ids, want 3 with one", attempts.Load(), len(ids.m))
		}
		recs, err := in.List(context.Background(), Filter{State: Processed})
		if err != nil || len(recs) != 1 {
			t.Fatalf("List = %v, %v", recs, err)
		}
		if recs[0].Attempts != 3 || len(recs[0].Errors) != 2 || !strings.Contains(recs[0].Errors[0], "warehouse not reachable") {
			t.Errorf("record: %d attempts, errors %q", recs[0].Attempts, recs[0].Errors)
		}
	})
}

// TestWorkerDeadAndRetry checks that errors, panics and a function that
// hangs past its timeout all end in the dead state after MaxAttempts,
// without taking the process down or holding acknowledgements, and that a
// dead delivery can be retried.
func TestWorkerDeadAndRetry(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		var fixed atomic.Bool
		var calls counter
		release := make(chan struct{})
		defer close(release)
		hung := make(chan struct{}, 16)
		mux := lswebhook.NewMux()
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
			calls.add("error")
			if fixed.Load() {
				return nil
			}
			return errors.New("always fails")
		})
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.ProjectCreated) error {
			calls.add("panic")
			panic("model server returned garbage")
		})
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.ProjectUpdated) error {
			calls.add("hang")
			hung <- struct{}{}
			<-release // ignores ctx on purpose
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		cfg.MaxAttempts = 2
		cfg.Workers = 2
		cfg.JobTimeout = 300 * time.Millisecond
		in := openTest(t, dbURL, cfg)
		for _, f := range []string{"005-TASKS_CREATED-org.json", "001-PROJECT_CREATED-org.json", "002-PROJECT_UPDATED-org.json"} {
			if w := post(in, fixture(t, f)); w.Code != http.StatusOK {
				t.Fatalf("%s: answer %d", f, w.Code)
			}
		}
		// While the hanging function holds its goroutine, deliveries are
		// still acknowledged.
		select {
		case <-hung:
		case <-time.After(waitLimit):
			t.Fatal("the hanging function never ran")
		}
		if w := post(in, fixture(t, "026-ANNOTATION_UPDATED-org.json")); w.Code != http.StatusOK {
			t.Errorf("answer %d while a worker function hangs, want 200", w.Code)
		}
		waitStats(t, in, map[State]int{Dead: 3, Processed: 1})
		for _, k := range []string{"error", "panic", "hang"} {
			if n := calls.get(k); n != 2 {
				t.Errorf("%s function called %d times, want MaxAttempts = 2", k, n)
			}
		}
		dead, err := in.List(context.Background(), Filter{State: Dead})
		if err != nil || len(dead) != 3 {
			t.Fatalf("List dead = %d, %v", len(dead), err)
		}
		byAction := map[string]*Record{}
		for _, r := range dead {
			byAction[r.Action] = r
		}
		if e := byAction["PROJECT_CREATED"].Errors; len(e) != 2 || !strings.Contains(e[1], "panicked") {
			t.Errorf("panic errors %q", e)
		}
		if e := byAction["PROJECT_UPDATED"].Errors; len(e) != 2 || !strings.Contains(e[1], "deadline exceeded") {
			t.Errorf("hang errors %q", e)
		}

		// Fix the cause and retry the dead TASKS_CREATED.
		fixed.Store(true)
		if _, err := in.Retry(context.Background(), byAction["TASKS_CREATED"].ID); err != nil {
			t.Fatalf("Retry: %v", err)
		}
		waitStats(t, in, map[State]int{Dead: 2, Processed: 2})
		if n := calls.get("error"); n != 3 {
			t.Errorf("after Retry the function was called %d times in all, want 3", n)
		}
	})
}
