package lswebhook_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// BenchmarkDecodeResults measures Decode on the result-heavy fixtures of
// testdata/results, paired with the baseline of encoding/json unmarshalling
// the same bytes into the same event type (which, through the entities'
// UnmarshalJSON methods, reads them with the package's reader but without
// schema validation). The lsresult package's BenchmarkParse adds typed
// parsing of every result.
func BenchmarkDecodeResults(b *testing.B) {
	files, err := filepath.Glob("testdata/results/*.json")
	if err != nil || len(files) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		data := readFile(b, path)
		ev, err := lswebhook.Decode(data)
		if err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		evType := reflect.TypeOf(ev).Elem()
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		b.Run(name+"/Decode", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := lswebhook.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/json.Unmarshal", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				v := reflect.New(evType).Interface()
				if err := json.Unmarshal(data, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
