// Package lswebhooktest provides utilities for testing code that receives
// Label Studio webhooks, in the way [net/http/httptest] does for HTTP
// handlers.
//
// It has four parts:
//
//   - Builders, one per action ([ProjectCreated], [TasksCreated],
//     [AnnotationCreated], ... and [New] for any action by name), return an
//     event filled with realistic defaults taken from real Label Studio
//     1.23.2 deliveries. A test changes the fields it cares about, then
//     [Body] turns the event into the bytes a server would send. Ids and
//     times are deterministic; [Seq] and [Counter] give distinct ids.
//     Faults such as [MissingMember] and [Oversize] make invalid bodies for
//     testing a receiver's error path.
//   - Real deliveries, captured from Label Studio servers and embedded in
//     the package: [Fixtures] iterates over all of them, [FixturesFor]
//     selects them by release and action.
//   - Requests shaped like the server's: [NewRequest] builds the
//     *http.Request that Label Studio sends (method, Content-Type,
//     User-Agent of the sending release, the hook's custom headers), for
//     calling a handler directly; [Post] delivers a body to a URL the way
//     the server does (one attempt, the server's timeout, no retry).
//   - Comparison options for [github.com/google/go-cmp/cmp]: [CmpOptions]
//     and its parts.
//
// A receiver test in a few lines (handler is the receiver's http.Handler):
//
//	func TestReceiver(t *testing.T) {
//		ev := lswebhooktest.AnnotationCreated()
//		ev.Annotation.ID = 42
//		rec := httptest.NewRecorder()
//		handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", lswebhooktest.Body(ev),
//			lswebhooktest.WithHeader("Authorization", "Basic dXNlcjpwYXNz")))
//		if rec.Code != http.StatusOK {
//			t.Fatalf("status %d", rec.Code)
//		}
//		for f := range lswebhooktest.Fixtures() { // every real delivery
//			rec := httptest.NewRecorder()
//			handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", f.Body,
//				lswebhooktest.WithRelease(f.Release),
//				lswebhooktest.WithHeader("Authorization", "Basic dXNlcjpwYXNz")))
//			if rec.Code != http.StatusOK {
//				t.Errorf("%s: status %d", f.Source(), rec.Code)
//			}
//		}
//	}
//
// Functions that build test input ([Body], [NewRequest], the typed
// builders) panic on impossible arguments, as [httptest.NewRequest] does, so
// that a broken test fails at once; [Marshal] and [New] return errors
// instead.
package lswebhooktest
