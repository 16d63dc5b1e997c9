package lswebhook

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHeaderCheckTiming measures the header check with two required
// headers of 8 KiB secrets and 8 KiB guesses that fail in different
// places: in the first header or the second, at the first byte or the
// last, or both. A check that stopped at the first failing header or byte
// would take about half as long or less for some of them; the medians must
// agree within 25%. Timing is noisy on a shared machine, so a verdict is
// retried.
func TestHeaderCheckTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
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
		{"A wrong at the first byte", firstWrong(secretA), secretB},
		{"A wrong at the last byte", lastWrong(secretA), secretB},
		{"B wrong at the first byte", secretA, firstWrong(secretB)},
		{"B wrong at the last byte", secretA, lastWrong(secretB)},
		{"both wrong", firstWrong(secretA), firstWrong(secretB)},
	}
	headers := make([]http.Header, len(guesses))
	for i, g := range guesses {
		headers[i] = http.Header{"X-A": {g.a}, "X-B": {g.b}}
		if h.auth.authorized(headers[i]) {
			t.Fatalf("%s: authorized", g.name)
		}
	}
	const rounds, reps = 201, 20
	var ratio float64
	for attempt := 0; attempt < 5; attempt++ {
		samples := make([][]time.Duration, len(guesses))
		for r := 0; r < rounds; r++ {
			for i := range guesses { // interleaved, so that drift hits all alike
				start := time.Now()
				for k := 0; k < reps; k++ {
					h.auth.authorized(headers[i])
				}
				samples[i] = append(samples[i], time.Since(start))
			}
		}
		medians := make([]time.Duration, len(guesses))
		for i := range samples {
			slices.Sort(samples[i])
			medians[i] = samples[i][rounds/2] / reps
		}
		ratio = float64(slices.Max(medians)) / float64(slices.Min(medians))
		t.Logf("attempt %d: medians per check %v, max/min %.3f", attempt+1, medians, ratio)
		if ratio < 1.25 {
			return
		}
	}
	t.Errorf("the time of a refused header check depends on where the guess failed: max/min %.2f", ratio)
}
