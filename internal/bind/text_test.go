package bind

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

type textRecord struct {
	List  []string                   `json:"list"`
	Map   map[string]string          `json:"map"`
	Extra map[string]json.RawMessage `json:"-"`
}

// textDoc returns a document of n strings of every length up to a few
// KiB in a list, as map keys and values and as unknown member names, a
// third of them with escapes.
func textDoc(n int) []byte {
	var b strings.Builder
	str := func(i int) string {
		s := strings.Repeat(string(rune('a'+i%26)), (i*37)%(3*arenaLarge))
		switch i % 6 {
		case 1:
			s += `\n\"\u00e9`
		case 3:
			s = `\ud83d\ude00` + s + `\\`
		}
		return `"` + s + `"`
	}
	b.WriteString(`{"list": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(str(i))
	}
	b.WriteString(`], "map": {`)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"k%d%s: %s`, i, str(i)[1:], str(i+1))
	}
	b.WriteString("}")
	for i := range n / 4 {
		fmt.Fprintf(&b, `, "x%d%s: %d`, i, str(i)[1:], i)
	}
	b.WriteString("}")
	return []byte(b.String())
}

// TestTextArena decodes strings of every length, escaped or not, through
// the arena and checks them against encoding/json, that no two share
// memory, and that the arenas stay within the bound text documents.
func TestTextArena(t *testing.T) {
	for _, n := range []int{0, 1, 5, 40, 400} {
		data := textDoc(n)
		var want textRecord
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		tp, serr := jsontape.Parse(data, 100, nil)
		if serr != nil {
			t.Fatalf("n=%d: %v", n, serr)
		}
		var got textRecord
		b := New(nil, nil)
		c := converter{t: tp, max: 10}
		c.decode(0, b.plan(reflect.TypeOf(got)), unsafe.Pointer(&got))
		tp.Release()
		if c.total != 0 {
			t.Fatalf("n=%d: problems %v", n, c.problems)
		}
		if !slices.Equal(got.List, want.List) && (len(got.List) != 0 || len(want.List) != 0) {
			t.Errorf("n=%d: list differs from encoding/json's", n)
		}
		if !reflect.DeepEqual(got.Map, want.Map) {
			t.Errorf("n=%d: map differs from encoding/json's", n)
		}
		if len(got.Extra) != n/4 {
			t.Errorf("n=%d: %d extra members, want %d", n, len(got.Extra), n/4)
		}
		// Every string kept, in memory order: none may overlap another.
		all := slices.Clone(got.List)
		for k, v := range got.Map {
			all = append(all, k, v)
		}
		for k := range got.Extra {
			all = append(all, k)
		}
		type span struct{ start, end uintptr }
		var spans []span
		for _, s := range all {
			if len(s) > 0 {
				p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
				spans = append(spans, span{p, p + uintptr(len(s))})
			}
		}
		slices.SortFunc(spans, func(a, b span) int { return int(a.start - b.start) })
		for i := 1; i < len(spans); i++ {
			if spans[i].start < spans[i-1].end {
				t.Fatalf("n=%d: two strings share memory", n)
			}
		}
		// The bound: the body's length plus an unused tail shorter than
		// arenaLarge per arena, an arena being at least arenaMax-arenaLarge
		// full from the sixth on.
		bound := len(data) + (5+len(data)/(arenaMax-arenaLarge))*arenaLarge
		if c.allocated > bound {
			t.Errorf("n=%d: arenas of %d bytes for a body of %d, bound %d", n, c.allocated, len(data), bound)
		}
		t.Logf("n=%d: body %d bytes, arenas %d bytes", n, len(data), c.allocated)
	}
}

// TestTextArenaTinyStrings holds the arenas of a body made of the
// shortest strings to the body's length: each arena is at most what
// remains of the body.
func TestTextArenaTinyStrings(t *testing.T) {
	for _, n := range []int{1, 3, 100, 5000} {
		data := []byte(`{"list": [` + strings.Repeat(`"a",`, n-1) + `"b"]}`)
		tp, serr := jsontape.Parse(data, 100, nil)
		if serr != nil {
			t.Fatal(serr)
		}
		var got textRecord
		c := converter{t: tp, max: 10}
		c.decode(0, New(nil, nil).plan(reflect.TypeOf(got)), unsafe.Pointer(&got))
		tp.Release()
		if len(got.List) != n || got.List[n-1] != "b" || got.List[0] != "a" && n > 1 {
			t.Fatalf("n=%d: got %d strings", n, len(got.List))
		}
		if c.allocated > len(data) {
			t.Errorf("n=%d: arenas of %d bytes for a body of %d", n, c.allocated, len(data))
		}
	}
}

// TestConverterReuse checks that the values of a decode share nothing a
// later decode writes: converters are reused through a pool, with their
// path and buffer.
func TestConverterReuse(t *testing.T) {
	b := New(nil, nil)
	first := textDoc(40)
	var want, kept textRecord
	if err := json.Unmarshal(first, &want); err != nil {
		t.Fatal(err)
	}
	tp, serr := jsontape.Parse(first, 100, nil)
	if serr != nil {
		t.Fatal(serr)
	}
	if _, total := b.Decode(tp, 0, &kept, "", 10); total != 0 {
		t.Fatalf("%d problems", total)
	}
	tp.Release()
	for i := range 20 {
		// Other strings of the same lengths, escaped at other places.
		other := textDoc(40 + i)
		tp, serr := jsontape.Parse(other, 100, nil)
		if serr != nil {
			t.Fatal(serr)
		}
		var r textRecord
		b.Decode(tp, 0, &r, "", 10)
		tp.Release()
	}
	if !slices.Equal(kept.List, want.List) || !reflect.DeepEqual(kept.Map, want.Map) {
		t.Error("a later decode changed the strings of an earlier one")
	}
}
