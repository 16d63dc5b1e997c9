package lswebhook_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// Refusing a body must cost time and memory linear in its size, whatever
// is wrong with it: an attacker chooses invalid bodies. refuseClasses
// builds bodies of about a given size for each way of being wrong;
// BenchmarkRefuseGrowth measures them from 16 KiB to 4 MiB (ns/byte and
// B/byte should stay flat), and TestRefuseGrowth asserts that the
// allocations per byte do.

type refuseClass struct {
	name string
	// body returns a refused body of about n bytes.
	body func(n int) []byte
	// check tells whether err is the expected refusal.
	check func(err error) bool
}

// repeatTo repeats elem, separated by commas, until the body reaches
// about n bytes, between head and tail.
func repeatTo(n int, head, elem, tail string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for i := 0; b.Len()+len(elem)+len(tail) < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteString(tail)
	return b.Bytes()
}

func isValidationError(err error) bool {
	var ve *lswebhook.ValidationError
	return errors.As(err, &ve)
}

func isSyntaxError(err error) bool {
	var se *lswebhook.SyntaxError
	return errors.As(err, &se)
}

var refuseClasses = []refuseClass{
	{"problem-in-every-element", func(n int) []byte {
		return repeatTo(n, `{"action":"TASKS_DELETED","tasks":[`, `{"id":"x"}`, `]}`)
	}, isValidationError},
	{"wrong-type-everywhere", func(n int) []byte {
		return repeatTo(n, `{"action":"TASKS_DELETED","tasks":[`, `"x"`, `]}`)
	}, isValidationError},
	{"missing-required-everywhere", func(n int) []byte {
		return repeatTo(n, `{"action":"TASKS_DELETED","tasks":[`, `{}`, `]}`)
	}, isValidationError},
	{"deep-nesting-everywhere", func(n int) []byte {
		elem := `{"id":"x","data":{"a":` + strings.Repeat("[", 60) + strings.Repeat("]", 60) + `}}`
		return repeatTo(n, `{"action":"TASKS_CREATED","tasks":[`, elem, `]}`)
	}, isValidationError},
	{"smallest-values", func(n int) []byte {
		return repeatTo(n, `{"action":"TASKS_DELETED","tasks":[`, `0`, `]}`)
	}, isValidationError},
	{"action-last", func(n int) []byte {
		return repeatTo(n, `{"tasks":[`, `0`, `],"action":"TASKS_DELETED"}`)
	}, isValidationError},
	{"many-members", func(n int) []byte {
		// Distinct keys, kept until their object closes for the
		// repeated-key check: one per 12 bytes.
		var b bytes.Buffer
		b.WriteString(`{"action":"TASKS_DELETED","project":"x"`)
		for i := 0; b.Len()+20 < n; i++ {
			fmt.Fprintf(&b, `,"k%06x":0`, i)
		}
		b.WriteString(`}`)
		return b.Bytes()
	}, isValidationError},
	{"too-wide", func(n int) []byte {
		// One member per 9 bytes: beyond what a stream keeps from about
		// 512 KiB up, refused as too wide there and as invalid below.
		const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"
		var b bytes.Buffer
		b.WriteString(`{"action":"TASKS_DELETED","project":"x"`)
		for i := 0; b.Len()+20 < n; i++ {
			b.WriteString(`,"`)
			b.WriteByte(alphabet[i>>12&63])
			b.WriteByte(alphabet[i>>6&63])
			b.WriteByte(alphabet[i&63])
			b.WriteString(`":0`)
		}
		b.WriteString(`}`)
		return b.Bytes()
	}, func(err error) bool { return errors.Is(err, lswebhook.ErrTooWide) || isValidationError(err) }},
	{"early-syntax-error", func(n int) []byte {
		return repeatTo(n, `{"action":"TAS`+"\x01"+`KS_DELETED","tasks":[`, `{"id":1}`, `]}`)
	}, isSyntaxError},
	{"late-syntax-error", func(n int) []byte {
		return repeatTo(n, `{"action":"TASKS_DELETED","tasks":[`, `{"id":1}`, `]`)
	}, isSyntaxError},
}

var refuseSizes = []int{16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20}

func BenchmarkRefuseGrowth(b *testing.B) {
	for _, c := range refuseClasses {
		for _, size := range refuseSizes {
			body := c.body(size)
			if _, err := lswebhook.Decode(body); !c.check(err) {
				b.Fatalf("%s: %v", c.name, err)
			}
			b.Run(fmt.Sprintf("class=%s/size=%dKiB", c.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					_, _ = lswebhook.Decode(body)
				}
				runtime.ReadMemStats(&after)
				perOp := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
				b.ReportMetric(perOp/float64(len(body)), "B/byte")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(body)), "ns/byte")
			})
		}
	}
}

// refuseCost returns the allocations and bytes one Decode of body costs
// from a cold start: the collector runs twice first, which empties the
// parser pool, and is off during the call, so the figures are the same at
// every run.
func refuseCost(body []byte) (allocs, bytes float64) {
	runtime.GC()
	runtime.GC()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _ = lswebhook.Decode(body)
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs - before.Mallocs), float64(after.TotalAlloc - before.TotalAlloc)
}

// TestRefuseGrowth asserts that refusing costs allocations and bytes in
// proportion to the body at most: per byte, a 4 MiB body of each class
// (1 MiB with -short) costs no more than 1.5 times what a 64 KiB one does,
// measured from a cold start. (Counting allocations is deterministic; timing is left to
// the benchmark.)
func TestRefuseGrowth(t *testing.T) {
	small, large := 64<<10, 4<<20
	if testing.Short() {
		large = 1 << 20
	}
	for _, c := range refuseClasses {
		bs, bl := c.body(small), c.body(large)
		for _, b := range [][]byte{bs, bl} {
			if _, err := lswebhook.Decode(b); !c.check(err) {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		as, ys := refuseCost(bs)
		al, yl := refuseCost(bl)
		perByteS, perByteL := ys/float64(len(bs)), yl/float64(len(bl))
		t.Logf("%s: %d B: %.0f allocs, %.2f B/byte; %d B: %.0f allocs, %.2f B/byte", c.name, len(bs), as, perByteS, len(bl), al, perByteL)
		if al/float64(len(bl)) > 1.5*as/float64(len(bs))+1e-9 {
			t.Errorf("%s: allocations per byte grow from %.5f to %.5f", c.name, as/float64(len(bs)), al/float64(len(bl)))
		}
		if perByteL > 1.5*perByteS {
			t.Errorf("%s: bytes allocated per byte grow from %.2f to %.2f", c.name, perByteS, perByteL)
		}
	}
}

// refuse1MiB returns 1 MiB bodies for BenchmarkRefuse1MiB and TestRefusePeak: an
// invalid one of each class, and a valid one of the same shape as the
// first class.
func refuse1MiB() (valid []byte, invalid map[string][]byte) {
	invalid = map[string][]byte{}
	for _, c := range refuseClasses {
		invalid[c.name] = c.body(1 << 20)
	}
	valid = repeatTo(1<<20, `{"action":"TASKS_DELETED","tasks":[`, `{"id":1}`, `]}`)
	return valid, invalid
}

// postStatus posts body to h as a JSON delivery and returns the status
// of the answer.
func postStatus(h http.Handler, body []byte) int {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// BenchmarkRefuse1MiB posts each 1 MiB invalid body to the default Handler
// and decodes the valid 1 MiB body, in one run: refusing costs less than
// accepting.
func BenchmarkRefuse1MiB(b *testing.B) {
	valid, invalid := refuse1MiB()
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil })
	post := func(body []byte, want int) {
		if code := postStatus(h, body); code != want {
			b.Fatalf("status %d, want %d", code, want)
		}
	}
	b.Run("body=valid/via=Decode", func(b *testing.B) {
		b.SetBytes(int64(len(valid)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := lswebhook.Decode(valid); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("body=valid/via=Handler", func(b *testing.B) {
		b.SetBytes(int64(len(valid)))
		b.ReportAllocs()
		for b.Loop() {
			post(valid, http.StatusOK)
		}
	})
	for _, c := range refuseClasses {
		body := invalid[c.name]
		b.Run("body="+c.name+"/via=Handler", func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				post(body, http.StatusBadRequest)
			}
		})
	}
}

// TestRefusePeak measures the heap while the default Handler refuses each
// 1 MiB invalid body, from a cold start (an empty parser pool) and warm,
// and asserts that the heap peaks, and the bytes allocated stay, under 4
// times the body (docs/hardening.md): the body once, and a node buffer
// held to the tape's budget (nodeBudget, 1.6 times the body), beyond which
// a dense body is checked as a stream; a parser taken from the pool
// allocates no new buffer.
func TestRefusePeak(t *testing.T) {
	_, invalid := refuse1MiB()
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil })
	post := func(body []byte) {
		if code := postStatus(h, body); code != http.StatusBadRequest {
			t.Fatalf("status %d", code)
		}
	}
	for _, c := range refuseClasses {
		body := invalid[c.name]
		runtime.GC()
		runtime.GC()
		cold, coldAlloc := ldMemory(func() { post(body) })
		warm, warmAlloc := ldMemory(func() { post(body) })
		t.Logf("%s: cold peak %.1fx (allocated %.1fx), warm peak %.1fx (allocated %.1fx)", c.name,
			float64(cold)/float64(len(body)), float64(coldAlloc)/float64(len(body)),
			float64(warm)/float64(len(body)), float64(warmAlloc)/float64(len(body)))
		// The body itself is one of the four: the handler reads it whole.
		for _, m := range []struct {
			what  string
			bytes uint64
		}{{"peaked (cold)", cold}, {"allocated (cold)", coldAlloc}, {"peaked (warm)", warm}, {"allocated (warm)", warmAlloc}} {
			if m.bytes >= 4*uint64(len(body)) {
				t.Errorf("%s: refusing a %d-byte body %s %d bytes, want under 4 times the body", c.name, len(body), m.what, m.bytes)
			}
		}
	}
}
