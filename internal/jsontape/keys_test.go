package jsontape

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// collectNames adds every member name of the JSON value v to names.
func collectNames(v any, names map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			names[k] = true
			collectNames(x, names)
		}
	case []any:
		for _, x := range v {
			collectNames(x, names)
		}
	}
}

// repoNames returns the member names of the repository's schemas and
// captured payloads, sorted: a superset of the names lswebhook numbers
// (its schemas' properties and its event types' fields).
func repoNames(t testing.TB) []string {
	var files []string
	for _, pattern := range []string{"../../schema/*.json", "../../schema/events/*.json", "../../testdata/labelstudio-*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 20 {
		t.Fatalf("only %d schema and capture files found", len(files))
	}
	names := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if json.Unmarshal(b, &v) == nil {
			collectNames(v, names)
		}
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// TestKeysLookupAgrees checks Lookup against the map of names to ids, for
// the key sets in use (the repository's names, the benchmark's, the
// fuzzer's, and parts of them) and for names and non-names of every
// length: each name, each name with one byte changed, cut or extended,
// names that share their first and last 8 bytes, and pseudo-random
// strings.
func TestKeysLookupAgrees(t *testing.T) {
	all := repoNames(t)
	if len(all) < 100 {
		t.Fatalf("only %d member names found", len(all))
	}
	var even []string
	for i, n := range all {
		if i%2 == 0 {
			even = append(even, n)
		}
	}
	sets := map[string]*Keys{
		"repository": NewKeys(all), "every other": NewKeys(even), "bench": benchKeys, "fuzz": fuzzKeys,
		"one": NewKeys([]string{"id"}), "empty name": NewKeys([]string{""}), "none": NewKeys(nil),
	}
	probes := map[string]bool{"": true}
	for _, n := range all {
		probes[n] = true
		probes[n+"x"] = true
		probes["x"+n] = true
		if len(n) > 0 {
			probes[n[1:]] = true
			probes[n[:len(n)-1]] = true
		}
		for i := range len(n) {
			b := []byte(n)
			b[i] ^= 0x01
			probes[string(b)] = true
		}
	}
	// Names of 17 to 40 bytes alike in their first and last 8 bytes.
	for n := 17; n <= 40; n++ {
		for mid := 0; mid < 3; mid++ {
			probes["abcdefgh"+strings.Repeat(string(rune('k'+mid)), n-16)+"stuvwxyz"] = true
		}
	}
	seed := uint64(7)
	for range 5000 {
		seed = seed*6364136223846793005 + 1442695040888963407
		n := int(seed>>58) % 41
		b := make([]byte, n)
		for i := range b {
			seed = seed*6364136223846793005 + 1442695040888963407
			b[i] = "abcdeilnorst_"[seed>>60%13]
		}
		probes[string(b)] = true
	}
	for name, kt := range sets {
		// Long look-alikes as names too, so that the middle decides.
		if name == "repository" {
			kt = NewKeys(append(slices.Clone(all), "abcdefghkkkkstuvwxyz", "abcdefghkkkkkkkkkkkkkkkkkkkkkkkkstuvwxyz"))
		}
		found := 0
		for p := range probes {
			want := kt.ids[p]
			if got := kt.Lookup([]byte(p)); got != want {
				t.Errorf("%s keys: Lookup(%q) = %d, want %d", name, p, got, want)
			}
			if want != 0 {
				found++
			}
		}
		if found != kt.Len()-1 && name != "bench" && name != "fuzz" {
			t.Errorf("%s keys: %d of %d names probed", name, found, kt.Len()-1)
		}
	}
}

// BenchmarkKeysLookup measures Lookup on the member names of a real
// annotation, in document order, with the repository's names numbered.
func BenchmarkKeysLookup(b *testing.B) {
	kt := NewKeys(repoNames(b))
	tp, err := Parse(benchBodies(b)["annotation"], 100, nil)
	if err != nil {
		b.Fatal(err)
	}
	// The keys of every object, not the string values: an object's
	// members follow it as key and value pairs.
	isKey := make([]bool, len(tp.Nodes))
	for i, n := range tp.Nodes {
		if n.Kind == Object {
			for j := uint32(i + 1); j < n.Next; j = tp.Nodes[j+1].Next {
				isKey[j] = true
			}
		}
	}
	var names [][]byte
	for i, n := range tp.Nodes {
		if isKey[i] {
			names = append(names, tp.Data[n.Start:n.End])
		}
	}
	if len(names) < 100 {
		b.Fatalf("%d member names in the annotation", len(names))
	}
	for _, name := range names {
		if kt.Lookup(name) == 0 {
			b.Fatalf("member name %q is not numbered", name)
		}
	}
	b.ReportAllocs()
	cpu := processCPU()
	found := 0
	for b.Loop() {
		for _, name := range names {
			if kt.Lookup(name) != 0 {
				found++
			}
		}
	}
	if cpu != 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N*len(names)), "cpu-ns/name")
	}
	if found == 0 {
		b.Fatal("no name found")
	}
}
