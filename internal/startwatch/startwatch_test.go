package startwatch

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestURLFromSplitWrites(t *testing.T) {
	w := New()
	for _, s := range []string{"starting\nlisten", "ing on http://127.0.0.1:4", "242/\nlistening on http://other/\n"} {
		if _, err := fmt.Fprint(w, s); err != nil {
			t.Fatal(err)
		}
	}
	if got := w.URL(t, make(chan error)); got != "http://127.0.0.1:4242/" {
		t.Errorf("URL %q", got)
	}
	if !strings.HasSuffix(w.String(), "listening on http://other/\n") {
		t.Errorf("String %q", w.String())
	}
}

// fatalRecorder records Fatal instead of stopping the test.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) { r.msg = fmt.Sprintf(format, args...) }

func TestURLWhenTheProgramReturns(t *testing.T) {
	w := New()
	fmt.Fprint(w, "bind: address in use\n")
	done := make(chan error, 1)
	done <- errors.New("bind failed")
	r := &fatalRecorder{TB: t}
	if got := w.URL(r, done); got != "" {
		t.Errorf("URL %q", got)
	}
	if !strings.Contains(r.msg, "bind failed") || !strings.Contains(r.msg, "address in use") {
		t.Errorf("failure message %q", r.msg)
	}
}
