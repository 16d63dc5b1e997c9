package lswebhook

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// headerGuesses returns a Handler with two required headers of 8 KiB
// secrets (the first with a second accepted value, as when a secret is
// rotated) and requests that carry them or guesses of the same length
// failing in different places: in the first header or the second, at the
// first byte or the last, or both. The first request is the accepted one.
func headerGuesses() (*Handler, []string, []http.Header) {
	secretA := strings.Repeat("a", 8<<10)
	secretB := strings.Repeat("b", 8<<10)
	h := NewHandler(func(context.Context, Event) error { return nil },
		WithRequiredHeader("X-A", secretA, strings.Repeat("c", 8<<10)),
		WithRequiredHeader("X-B", secretB))
	lastWrong := func(s string) string { return s[:len(s)-1] + "x" }
	firstWrong := func(s string) string { return "x" + s[1:] }
	guesses := []struct {
		name string
		a, b string
	}{
		{"accepted", secretA, secretB},
		{"A wrong at the first byte", firstWrong(secretA), secretB},
		{"A wrong at the last byte", lastWrong(secretA), secretB},
		{"B wrong at the first byte", secretA, firstWrong(secretB)},
		{"B wrong at the last byte", secretA, lastWrong(secretB)},
		{"both wrong", firstWrong(secretA), firstWrong(secretB)},
	}
	names := make([]string, len(guesses))
	headers := make([]http.Header, len(guesses))
	for i, g := range guesses {
		names[i] = g.name
		headers[i] = http.Header{"X-A": {g.a}, "X-B": {g.b}}
	}
	return h, names, headers
}

// TestHeaderCheckUniform checks that the header check takes the same steps
// whether it accepts the headers or refuses a guess, and wherever the
// guess fails: one SHA-256 sum of every required header, of the same
// length, then a constant-time comparison with every accepted value's sum.
// Neither step depends on the contents it reads (crypto/sha256 and
// crypto/subtle), so the check's time depends only on the lengths the
// client sent, never on how much of a secret it matched. Timing it is left
// to BenchmarkHeaderCheck: a test with a threshold on wall-clock time
// would fail by chance on a loaded machine.
func TestHeaderCheckUniform(t *testing.T) {
	h, names, headers := headerGuesses()
	var steps []string
	headerCheckTrace = func(step string, n int) { steps = append(steps, fmt.Sprint(step, " ", n)) }
	defer func() { headerCheckTrace = nil }()
	var want []string
	for i, hdr := range headers {
		steps = nil
		if got := h.auth.authorized(hdr); got != (i == 0) {
			t.Fatalf("%s: authorized = %t", names[i], got)
		}
		if i == 0 {
			want = steps
			// Two headers: a sum each, then two comparisons for X-A's two
			// accepted values and one for X-B's.
			if len(want) != 5 {
				t.Fatalf("%s: steps %q, want 2 sums and 3 comparisons", names[i], want)
			}
			continue
		}
		if !slices.Equal(steps, want) {
			t.Errorf("%s: steps %q, want the accepted request's %q", names[i], steps, want)
		}
	}
}

// BenchmarkHeaderCheck times the header check for each request of
// headerGuesses. The times should agree within the noise (they did within
// 4% on a quiet machine; see docs/hardening.md):
//
//	go test -run '^$' -bench HeaderCheck -count 10 | benchstat -col /guess -
func BenchmarkHeaderCheck(b *testing.B) {
	h, names, headers := headerGuesses()
	for i, hdr := range headers {
		b.Run("guess="+strings.ReplaceAll(names[i], " ", "-"), func(b *testing.B) {
			for b.Loop() {
				h.auth.authorized(hdr)
			}
		})
	}
}
