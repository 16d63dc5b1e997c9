package lswebhook_test

import (
	"context"
	"fmt"
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
