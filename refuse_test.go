package lswebhook_test

import (
	"bytes"
	"errors"
	"fmt"
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
// costs no more than 1.5 times what a 64 KiB one does, measured from a
// cold start. (Counting allocations is deterministic; timing is left to
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
