package lswebhooktest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// received counts the events newReceiver handled.
var received atomic.Int64

// newReceiver stands for the user's receiver in the README's snippet.
func newReceiver() http.Handler {
	return lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
		received.Add(1)
		return nil
	})
}

// TestReceiver is the README's "Testing your receiver" snippet, kept
// identical to it (between the markers) so that it compiles and passes.
func TestReceiver(t *testing.T) {
	before := received.Load()
	// README snippet begins
	handler := newReceiver()                // your http.Handler
	ev := lswebhooktest.AnnotationCreated() // defaults from a real 1.23.2 delivery
	ev.Annotation.ID = 42
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", lswebhooktest.Body(ev)))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	for f := range lswebhooktest.Fixtures() { // every real delivery the kit embeds
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, lswebhooktest.NewRequest("/hook", f.Body, lswebhooktest.WithRelease(f.Release)))
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d", f.Source(), rec.Code)
		}
	}
	// README snippet ends
	n := int64(0)
	for range lswebhooktest.Fixtures() {
		n++
	}
	if got := received.Load() - before; got != n+1 {
		t.Errorf("the receiver handled %d events, want %d", got, n+1)
	}
}
