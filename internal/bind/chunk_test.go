package bind

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

type (
	myInt  int
	myText string
)

type counters struct {
	inner
	A *int64   `json:"a"`
	B *bool    `json:"b"`
	F *float64 `json:"f"`
	S *myText  `json:"s"`
	I myInt    `json:"i"`
	L []int64  `json:"l"`
}

type batch struct {
	Items []counters `json:"items"`
	Ptrs  []*int64   `json:"ptrs"`
}

func decodeInto(t *testing.T, doc string, dst any) {
	t.Helper()
	tp, err := jsontape.Parse([]byte(doc), 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Release()
	if ps, total := New(nil, nil).Decode(tp, 0, dst, "", 10); total != 0 {
		t.Fatalf("problems: %v", ps)
	}
}

// TestDecodeChunkedPointers decodes more pointer targets than several
// chunks hold and checks that each pointer has its own value and its own
// memory: a chunk handed out twice, or written beyond, would show as a
// wrong value or as two pointers to one place.
func TestDecodeChunkedPointers(t *testing.T) {
	const n = 700 // beyond 8+32+128+256: four chunk sizes and two of the last
	var items, ptrs []string
	for k := range n {
		items = append(items, fmt.Sprintf(`{"n": %d, "a": %d, "b": %t, "f": %d.5, "s": "s%d", "i": %d, "l": [%d, %d]}`,
			-k, k, k%2 == 0, k, k, 3*k, k, k+1))
		ptrs = append(ptrs, fmt.Sprint(10*k))
	}
	doc := `{"items": [` + strings.Join(items, ",") + `], "ptrs": [` + strings.Join(ptrs, ",") + `]}`
	var b batch
	decodeInto(t, doc, &b)
	if len(b.Items) != n || len(b.Ptrs) != n {
		t.Fatalf("%d items, %d pointers", len(b.Items), len(b.Ptrs))
	}
	seen := map[*int64]bool{}
	for k, it := range b.Items {
		want := counters{inner: inner{N: int64(-k)}, I: myInt(3 * k), L: []int64{int64(k), int64(k + 1)}}
		got := it
		if it.A == nil || it.B == nil || it.F == nil || it.S == nil {
			t.Fatalf("item %d: a nil pointer: %+v", k, it)
		}
		if *it.A != int64(k) || *it.B != (k%2 == 0) || *it.F != float64(k)+0.5 || string(*it.S) != fmt.Sprint("s", k) {
			t.Errorf("item %d: pointers hold %d %t %g %q", k, *it.A, *it.B, *it.F, *it.S)
		}
		got.A, got.B, got.F, got.S = nil, nil, nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("item %d = %+v, want %+v", k, got, want)
		}
		if seen[it.A] {
			t.Errorf("item %d: its pointer is another item's", k)
		}
		seen[it.A] = true
		if p := b.Ptrs[k]; p == nil || *p != int64(10*k) || seen[p] {
			t.Errorf("pointer %d: wrong or shared", k)
		} else {
			seen[p] = true
		}
	}
	// Writing through one pointer changes no other value.
	*b.Items[0].A = -1
	if *b.Items[1].A != 1 || *b.Ptrs[0] != 0 {
		t.Error("the pointers share memory")
	}
}

// TestDecodeSlices checks empty arrays (a non-nil empty slice, not
// shared with a later append), null (nil), and that decoding into a
// value that already holds a slice does not write into its old backing
// array.
func TestDecodeSlices(t *testing.T) {
	var b batch
	decodeInto(t, `{"items": [], "ptrs": null}`, &b)
	if b.Items == nil || len(b.Items) != 0 || b.Ptrs != nil {
		t.Fatalf("[] and null: %#v, %#v", b.Items, b.Ptrs)
	}
	var c batch
	decodeInto(t, `{"items": []}`, &c)
	c.Items = append(c.Items, counters{I: 9})
	if len(b.Items) != 0 {
		t.Error("appending to one empty slice changed another")
	}
	old := []counters{{I: 1}, {I: 2}, {I: 3}}
	d := batch{Items: old}
	decodeInto(t, `{"items": [{"i": 7}, {"i": 8}]}`, &d)
	if len(d.Items) != 2 || d.Items[0].I != 7 || d.Items[1].I != 8 {
		t.Errorf("decoded into a filled value: %+v", d.Items)
	}
	if old[0].I != 1 || old[1].I != 2 {
		t.Errorf("the old backing array was written: %+v", old)
	}
}
