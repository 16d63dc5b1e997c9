package inbox

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestListAndPurgeFilters checks List and Purge by action, time and limit.
func TestListAndPurgeFilters(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		in := openTest(t, dbURL, testConfig())
		ctx := context.Background()
		for _, f := range []string{"023-ANNOTATION_UPDATED-org.json", "026-ANNOTATION_UPDATED-org.json"} {
			if w := post(in, fixture(t, f)); w.Code != http.StatusOK {
				t.Fatalf("answer %d", w.Code)
			}
		}
		mid := time.Now()
		for _, f := range []string{"001-PROJECT_CREATED-org.json", "005-TASKS_CREATED-org.json"} {
			if w := post(in, fixture(t, f)); w.Code != http.StatusOK {
				t.Fatalf("answer %d", w.Code)
			}
		}
		count := func(f Filter) int {
			recs, err := in.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(recs)
		}
		checks := []struct {
			f    Filter
			want int
		}{
			{Filter{}, 4},
			{Filter{State: Pending}, 4},
			{Filter{State: Processed}, 0},
			{Filter{Action: "ANNOTATION_UPDATED"}, 2},
			{Filter{Before: mid}, 2},
			{Filter{After: mid}, 2},
			{Filter{After: mid, Action: "ANNOTATION_UPDATED"}, 0},
			{Filter{Limit: 3}, 3},
		}
		for _, c := range checks {
			if got := count(c.f); got != c.want {
				t.Errorf("List(%+v) = %d, want %d", c.f, got, c.want)
			}
		}
		if _, err := in.List(ctx, Filter{State: "bogus"}); err == nil {
			t.Error("List with an unknown state succeeded")
		}
		n, err := in.Purge(ctx, Filter{Action: "ANNOTATION_UPDATED"})
		if err != nil || n != 2 {
			t.Errorf("Purge by action = %d, %v; want 2", n, err)
		}
		st, err := in.Stats(ctx)
		if err != nil || st[Pending] != 2 {
			t.Errorf("Stats after purge = %v, %v; want 2 pending", st, err)
		}
		if _, err := in.Get(ctx, 1<<40); err == nil {
			t.Error("Get of a missing id succeeded")
		}
	})
}

// TestOpenRefusesBadConfig checks the errors of Open.
func TestOpenRefusesBadConfig(t *testing.T) {
	ctx := context.Background()
	if _, err := Open(ctx, "mysql://x", Config{}); err == nil {
		t.Error("Open of an unknown scheme succeeded")
	}
	if _, err := Open(ctx, "sqlite:", Config{}); err == nil {
		t.Error("Open of an empty SQLite path succeeded")
	}
	cfg := Config{JobTimeout: time.Minute, RescueAfter: time.Second}
	if _, err := Open(ctx, "sqlite:"+t.TempDir()+"/x.db", cfg); err == nil {
		t.Error("Open with RescueAfter shorter than JobTimeout succeeded")
	}
	if _, err := Open(ctx, "postgres://127.0.0.1:1/none?connect_timeout=1", Config{}); err == nil {
		t.Error("Open of an unreachable PostgreSQL succeeded")
	}
}
