package lswebhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// A receiver with one typed function per event it cares about. Every other
// event is answered 200 so that Label Studio keeps the webhook switched on.
func ExampleNewHandler() {
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
		fmt.Println("annotation", ev.Annotation.ID, "on task", ev.Annotation.Task, "with", len(ev.Annotation.Result), "result")
		return nil
	})
	h := lswebhook.NewHandler(mux.Dispatch,
		lswebhook.WithRequiredHeader("Authorization", lswebhook.BasicAuth("label-studio", "s3cret")))

	// What Label Studio sends (http.ListenAndServe(addr, h) in a program).
	deliver := func(auth, body string) {
		req := httptest.NewRequest("POST", "/webhook", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	}
	body, _ := os.ReadFile("testdata/docs/annotation-created.json")
	deliver(lswebhook.BasicAuth("label-studio", "s3cret"), string(body))
	deliver(lswebhook.BasicAuth("label-studio", "s3cret"), `{"action": "TASKS_CREATED"}`)
	deliver(lswebhook.BasicAuth("label-studio", "guess"), string(body))
	deliver(lswebhook.BasicAuth("label-studio", "s3cret"), `{"action": "ANNOTATION_CREATED", "annotation": {"id": "x"}}`)
	// Output:
	// annotation 17 on task 19 with 1 result
	// 200 application/json
	// 200 application/json
	// 401 application/problem+json
	// 400 application/problem+json
}

// Mux.Default sees the events no function is registered for.
func ExampleMux_Default() {
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
		fmt.Println("tasks:", len(ev.Tasks))
		return nil
	})
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
		fmt.Println("not handled:", ev.Action())
		return nil
	})
	for _, body := range []string{
		`{"action": "TASKS_CREATED", "tasks": []}`,
		`{"action": "TASK_CREATED", "tasks": []}`, // the documentation's spelling
		`{"action": "PROJECT_DELETED", "project": {"id": 3}}`,
		`{"action": "SOMETHING_NEW"}`,
	} {
		ev, err := lswebhook.Decode([]byte(body))
		if err != nil {
			fmt.Println(err)
			continue
		}
		_ = mux.Dispatch(context.Background(), ev)
	}
	// Output:
	// tasks: 0
	// tasks: 0
	// not handled: PROJECT_DELETED
	// not handled: SOMETHING_NEW
}

// Formatting and logging a project never shows its secrets.
func ExampleProject_Format() {
	p := &lswebhook.Project{ID: 7, Title: "Street scenes", Token: lswebhook.NewSecret("0123456789abcdef"), TaskDataPassword: lswebhook.NewSecret("hunter2")}
	s := fmt.Sprintf("%+v", p)
	fmt.Println(strings.Contains(s, "Token:[REDACTED]"), strings.Contains(s, "hunter2"))

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("delivery", "event", &lswebhook.ProjectUpdated{Project: p})
	// Output:
	// true false
	// level=INFO msg=delivery event.action=PROJECT_UPDATED event.project.id=7 event.project.title="Street scenes"
}
