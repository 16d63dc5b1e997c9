package lswebhook_test

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// The Decode benchmarks pair Decode with a baseline: encoding/json
// unmarshalling the same bytes, without validation, into shadow structs
// (shadowFor, in helpers_test.go) or into the event type.

// benchFixtures are the payloads benchmarked one by one: every
// documentation example and hand-written fixture, and the real captures of
// one hook (the others repeat them).
func benchFixtures(b *testing.B) []string {
	var out []string
	for _, p := range validFixtures(b) {
		slash := filepath.ToSlash(p)
		if strings.Contains(slash, "/labelstudio-") && !strings.HasSuffix(p, "-org.json") && !strings.HasSuffix(p, "-ml.json") {
			continue
		}
		out = append(out, p)
	}
	return out
}

func BenchmarkDecode(b *testing.B) {
	for _, path := range benchFixtures(b) {
		data := readFile(b, path)
		ev, err := lswebhook.Decode(data)
		if err != nil {
			b.Fatalf("%s: %v", path, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(path), "testdata/"), ".json")
		benchDecode(b, name+"/Decode", data)
		benchUnmarshal(b, name+"/Unmarshal", data, func() reflect.Type { return shadowFor(ev) })
	}
}

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
		benchDecode(b, name+"/Decode", data)
		benchUnmarshal(b, name+"/json.Unmarshal", data, func() reflect.Type { return evType })
	}
}

// benchDecode runs Decode on data as the sub-benchmark name.
func benchDecode(b *testing.B, name string, data []byte) {
	b.Run(name, func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := lswebhook.Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchUnmarshal runs json.Unmarshal of data into a new value of the type
// typ returns (called once, inside the sub-benchmark) as the sub-benchmark
// name.
func benchUnmarshal(b *testing.B, name string, data []byte, typ func() reflect.Type) {
	b.Run(name, func(b *testing.B) {
		t := typ()
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			v := reflect.New(t).Interface()
			if err := json.Unmarshal(data, v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestShadowBaseline checks that the benchmark's baseline reads the same
// values as Decode, so the comparison is like for like.
func TestShadowBaseline(t *testing.T) {
	for _, path := range []string{"testdata/docs/annotation-updated.json", "testdata/valid/annotations-created.json"} {
		data := readFile(t, path)
		ev, err := lswebhook.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.New(shadowFor(ev)).Interface()
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(v)
		var fromShadow, fromDecode any
		_ = json.Unmarshal(a, &fromShadow)
		b, _ := json.Marshal(ev)
		_ = json.Unmarshal(b, &fromDecode)
		delete(fromDecode.(map[string]any), "action")
		if !reflect.DeepEqual(fromShadow, fromDecode) {
			t.Errorf("%s: shadow baseline reads\n%s\nDecode reads\n%s", path, a, b)
		}
	}
}
