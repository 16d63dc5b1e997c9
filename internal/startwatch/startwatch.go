// Package startwatch helps the example programs' tests start a program on
// a free port: a [Writer] takes the program's standard error and reports
// the URL of its "listening on http://ADDR/" line.
package startwatch

import (
	"bytes"
	"regexp"
	"sync"
	"testing"
	"time"
)

// startLimit is how long URL waits for the listening line before it fails
// the test: a guard against a hang, not a measure.
const startLimit = 10 * time.Second

var listening = regexp.MustCompile(`listening on (http://\S+/)`)

// Writer collects what a program writes and notes the first "listening on"
// URL. It is safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	url  chan string
	sent bool
}

// New returns an empty Writer.
func New() *Writer { return &Writer{url: make(chan string, 1)} }

// Write appends p and reports the URL of the first complete listening line.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.sent {
		return len(p), nil
	}
	if m := listening.FindStringSubmatch(w.buf.String()); m != nil {
		w.sent = true
		w.url <- m[1]
	}
	return len(p), nil
}

// String returns everything written so far.
func (w *Writer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// URL waits for the listening line and returns its URL. It fails t if the
// program returns first (done yields its error) or does not start in time.
func (w *Writer) URL(t testing.TB, done <-chan error) string {
	t.Helper()
	select {
	case url := <-w.url:
		return url
	case err := <-done:
		t.Fatalf("run returned %v:\n%s", err, w.String())
	case <-time.After(startLimit):
		t.Fatal("run did not start")
	}
	return ""
}
