package lswebhook_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// BenchmarkConvert measures the converter alone (internal/bind with the
// package's hooks) on the perf suite's payloads: each payload is parsed
// once, and every operation converts its tape into a new event.
func BenchmarkConvert(b *testing.B) {
	for _, c := range perfClassesFor(b) {
		b.Run("class="+c.name, func(b *testing.B) {
			convert, release, err := lswebhook.ConvertForBench(c.data)
			if err != nil {
				b.Fatal(err)
			}
			defer release()
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				if _, err := convert(); err != nil {
					b.Fatal(err)
				}
			}
			if cpu != 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// TestConvertForBench checks that the converter the benchmark measures
// gives the event Decode gives.
func TestConvertForBench(t *testing.T) {
	for _, c := range perfClassesFor(t) {
		convert, release, err := lswebhook.ConvertForBench(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got, err := convert()
		release()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want, err := lswebhook.Decode(c.data)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		// Raw and drift are set by Decode after conversion; compare the
		// decoded values through their JSON form.
		gj, err1 := json.Marshal(got)
		wj, err2 := json.Marshal(want)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: marshal: %v, %v", c.name, err1, err2)
		}
		if string(gj) != string(wj) {
			t.Errorf("%s: the converted event differs from Decode's", c.name)
		}
		if reflect.TypeOf(got) != reflect.TypeOf(want) {
			t.Errorf("%s: converted to %T, Decode gives %T", c.name, got, want)
		}
	}
}
