package lswebhooktest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// A receiver test: build an event, change what the test is about, deliver
// it to the handler as Label Studio would, check the outcome. In a test
// function the prints are t.Errorf calls.
func Example() {
	var got []int64 // what the receiver under test recorded
	handler := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
		if ev, ok := ev.(*lswebhook.AnnotationCreated); ok && !ev.Annotation.WasCancelled {
			got = append(got, ev.Annotation.ID)
		}
		return nil
	}, lswebhook.WithRequiredHeader("Authorization", "Basic dXNlcjpwYXNz"))

	ev := lswebhooktest.AnnotationCreated()
	ev.Annotation.ID = 42
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", lswebhooktest.Body(ev),
		lswebhooktest.WithHeader("Authorization", "Basic dXNlcjpwYXNz")))
	fmt.Println(rec.Code, got)

	skipped := lswebhooktest.Body(lswebhooktest.AnnotationCreated(lswebhooktest.Skipped()))
	rec = httptest.NewRecorder()
	handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", skipped)) // no Authorization
	fmt.Println(rec.Code, got)
	// Output:
	// 200 [42]
	// 401 [42]
}

// Body writes an event as Label Studio's Python does.
func ExampleBody() {
	ev := lswebhooktest.TasksDeleted(lswebhooktest.Count(2))
	ev.Project = nil // the delete-all-tasks path sends no project
	fmt.Println(string(lswebhooktest.Body(ev)))
	fmt.Println(string(lswebhooktest.Body(lswebhooktest.ProjectUpdated(lswebhooktest.NoPayload()))))
	// Output:
	// {"action": "TASKS_DELETED", "tasks": [{"id": 1}, {"id": 2}]}
	// {"action": "PROJECT_UPDATED"}
}

// Faults make the bodies a receiver must refuse.
func ExampleMissingMember() {
	ev := lswebhooktest.AnnotationCreated()
	for _, fault := range []lswebhooktest.Fault{
		lswebhooktest.MissingMember("/annotation/id"),
		lswebhooktest.WrongType("/task/id"),
	} {
		_, err := lswebhook.Decode(lswebhooktest.Body(ev, fault))
		var invalid *lswebhook.ValidationError
		if errors.As(err, &invalid) {
			fmt.Println(fault, "->", invalid.Problems[0].Pointer)
		}
	}
	// Output:
	// MissingMember("/annotation/id") -> /annotation/id
	// WrongType("/task/id") -> /task/id
}

// Seq gives each event ids of its own; a Counter hands out the numbers.
func ExampleCounter() {
	var ids lswebhooktest.Counter
	for range 3 {
		ev := lswebhooktest.AnnotationCreated(ids.Next())
		fmt.Println(ev.Annotation.ID, ev.Task.ID, ev.Project.ID, ev.Annotation.CreatedAt)
	}
	// Output:
	// 1 1 1 2026-11-24T05:25:15.795321Z
	// 10001 10001 1 2026-11-24T05:25:16.795321Z
	// 20001 20001 1 2026-11-24T05:25:17.795321Z
}

// FixturesFor selects real deliveries by release and action.
func ExampleFixturesFor() {
	for _, f := range lswebhooktest.FixturesFor("1.23.2", lswebhook.ActionStartTraining) {
		ev, err := lswebhook.Decode(f.Body)
		fmt.Printf("%s from the %q hook: %T, %v\n", f.Action, f.Hook, ev, err)
	}
	// Output:
	// START_TRAINING from the "ml" hook: *lswebhook.StartTraining, <nil>
}

// NewRequest carries the headers of the sending release.
func ExampleNewRequest() {
	body := lswebhooktest.Body(lswebhooktest.TasksCreated())
	r := lswebhooktest.NewRequest("/hook", body, lswebhooktest.WithRelease("1.10.1"))
	fmt.Println(r.Method, r.Header.Get("Content-Type"), r.Header.Get("User-Agent"))
	r = lswebhooktest.NewRequest("/webhook", lswebhooktest.Body(lswebhooktest.StartTraining()))
	fmt.Println(r.Header.Get("User-Agent"))
	// Output:
	// POST application/json python-requests/2.31.0
	// heartex/1.23.2+0.gdf96d79.dirty
}

// Post delivers to a running receiver as the server does.
func ExamplePost() {
	srv := httptest.NewServer(lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error { return nil }))
	defer srv.Close()
	resp, err := lswebhooktest.Post(context.Background(), srv.URL, lswebhooktest.Body(lswebhooktest.ProjectCreated()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.StatusCode == http.StatusOK)
	// Output: true
}

// CmpOptions compares a built event with the one a receiver decoded.
func ExampleCmpOptions() {
	want := lswebhooktest.TasksCreated(lswebhooktest.Count(2))
	got, _ := lswebhook.Decode(lswebhooktest.Body(want))
	fmt.Println(cmp.Equal(lswebhook.Event(want), got, lswebhooktest.CmpOptions()))
	// Output: true
}
