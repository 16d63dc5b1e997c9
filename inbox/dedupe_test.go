package inbox

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

func mustDecode(t *testing.T, b []byte) lswebhook.Event {
	t.Helper()
	ev, err := lswebhook.Decode(b)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return ev
}

// TestDefaultKey checks the default key, lsapi.DedupeKey, on deliveries
// recorded from a real Label Studio: the org hook and the project hook of
// one change share a key, a later update of the same annotation has
// another.
func TestDefaultKey(t *testing.T) {
	org := DefaultKey(mustDecode(t, fixture(t, "023-ANNOTATION_UPDATED-org.json")))
	proj := DefaultKey(mustDecode(t, fixture(t, "024-ANNOTATION_UPDATED-project.json")))
	later := DefaultKey(mustDecode(t, fixture(t, "026-ANNOTATION_UPDATED-org.json")))
	if org != proj {
		t.Errorf("one change, two hooks: keys %q and %q differ", org, proj)
	}
	if org == later {
		t.Errorf("two updates of annotation 2 share the key %q", org)
	}
	if want := annotationUpdatedKey(t, "023-ANNOTATION_UPDATED-org.json"); org != want {
		t.Errorf("key %q, want %q", org, want)
	}
	if k := DefaultKey(mustDecode(t, fixture(t, "025-ANNOTATION_UPDATED-nopayload.json"))); k != "" {
		t.Errorf("key of an action-only body = %q, want empty (not deduplicated)", k)
	}
	tasks := DefaultKey(mustDecode(t, fixture(t, "005-TASKS_CREATED-org.json")))
	if !strings.HasPrefix(tasks, "TASKS_CREATED|") {
		t.Errorf("TASKS_CREATED key %q", tasks)
	}

	// Without a listed entity: the hash of the canonical body, the same
	// whatever the spacing and member order.
	a := DefaultKey(mustDecode(t, []byte(`{"action":"SOMETHING_NEW","project":{"id":1,"title":"p"}}`)))
	b := DefaultKey(mustDecode(t, []byte(`{ "project" : { "title":"p", "id":1 },
		"action":"SOMETHING_NEW" }`)))
	c := DefaultKey(mustDecode(t, []byte(`{"action":"SOMETHING_NEW","project":{"id":2,"title":"p"}}`)))
	if !strings.HasPrefix(a, "SOMETHING_NEW|sha256:") || len(a) != len("SOMETHING_NEW|sha256:")+64 {
		t.Errorf("unknown action key %q, want SOMETHING_NEW|sha256:<hex>", a)
	}
	if a != b {
		t.Errorf("canonical hash differs with spacing and order: %q %q", a, b)
	}
	if a == c {
		t.Error("different bodies share a hash key")
	}
}

// TestDedupeInInbox checks that a change delivered to several hooks, and a
// hook registered twice, is stored and processed once, while two updates
// of one annotation are both processed.
func TestDedupeInInbox(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		var calls counter
		mux := lswebhook.NewMux()
		lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationUpdated) error {
			if ev.Annotation == nil {
				calls.add("no payload")
				return nil
			}
			calls.add(fmt.Sprint(ev.Annotation.ID, " ", ev.Annotation.UpdatedAt))
			return nil
		})
		cfg := testConfig()
		cfg.Mux = mux
		in := openTest(t, dbURL, cfg)
		sends := []struct {
			file string
			dup  bool
		}{
			{"023-ANNOTATION_UPDATED-org.json", false},
			{"024-ANNOTATION_UPDATED-project.json", true}, // same change, project hook
			{"023-ANNOTATION_UPDATED-org.json", true},     // a hook registered twice
			{"026-ANNOTATION_UPDATED-org.json", false},    // a later update
			{"025-ANNOTATION_UPDATED-nopayload.json", false},
			{"025-ANNOTATION_UPDATED-nopayload.json", false}, // cannot be told apart: kept
		}
		for i, s := range sends {
			w := post(in, fixture(t, s.file))
			if w.Code != http.StatusOK {
				t.Fatalf("send %d: answer %d", i, w.Code)
			}
			if got := w.Header().Get("Inbox-Duplicate") == "true"; got != s.dup {
				t.Errorf("send %d (%s): duplicate=%v, want %v", i, s.file, got, s.dup)
			}
		}
		waitStats(t, in, map[State]int{Processed: 4, Pending: 0, Processing: 0})
		// After processing, a repeat is still recognised (within Retention).
		if w := post(in, fixture(t, "024-ANNOTATION_UPDATED-project.json")); w.Header().Get("Inbox-Duplicate") != "true" {
			t.Error("a repeat after processing was stored again")
		}
		// Each update once, each action-only delivery once.
		if n := calls.total(); n != 4 {
			t.Errorf("function called %d times, want 4", n)
		}
		if n := calls.get("no payload"); n != 2 {
			t.Errorf("action-only deliveries processed %d times, want 2", n)
		}
		for k, n := range calls.m {
			if n != 1 && k != "no payload" {
				t.Errorf("an update was processed %d times, want once", n)
			}
		}
	})
}

// TestKeyFuncReplaces checks that Config.KeyFunc replaces the default.
func TestKeyFuncReplaces(t *testing.T) {
	forEachDriver(t, func(t *testing.T, dbURL string) {
		cfg := testConfig()
		cfg.KeyFunc = func(ev lswebhook.Event) string { return "one key for " + string(ev.Action()) }
		in := openTest(t, dbURL, cfg)
		for _, f := range []string{"023-ANNOTATION_UPDATED-org.json", "026-ANNOTATION_UPDATED-org.json"} {
			if w := post(in, fixture(t, f)); w.Code != http.StatusOK {
				t.Fatalf("answer %d", w.Code)
			}
		}
		recs, err := in.List(context.Background(), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].Key != "one key for ANNOTATION_UPDATED" {
			t.Errorf("stored %d records (first key %q), want 1 with the custom key", len(recs), recs[0].Key)
		}
	})
}

// annotationUpdatedKey is the key of an ANNOTATION_UPDATED fixture, written
// out from its own members: the action, the annotation's id and its
// updated_at with microseconds.
func annotationUpdatedKey(t *testing.T, name string) string {
	t.Helper()
	a := mustDecode(t, fixture(t, name)).(*lswebhook.AnnotationUpdated).Annotation
	return "ANNOTATION_UPDATED|a" + strconv.FormatInt(a.ID, 10) + "@" + a.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000000Z")
}
