package lsresult_test

import (
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// This file checks the package's bound (doc.go): every function that
// reads webhook data costs time and memory linear in its input. Each
// helper has an input builder at a scale n; BenchmarkGrowth runs every
// helper at 1x and 100x, and TestAllocGrowth asserts that allocations at
// 100x stay within about 100 times those at 1x (allocation counts and
// sizes are deterministic, unlike times).

// growthCase is one helper: setup builds its input at scale n and returns
// the call to measure.
type growthCase struct {
	name  string
	setup func(t testing.TB, n int) func()
}

// labelList returns a JSON array of n distinct labels.
func labelList(n int, prefix string) string {
	labels := make([]string, n)
	for i := range labels {
		labels[i] = strconv.Quote(prefix + strconv.Itoa(i))
	}
	return "[" + strings.Join(labels, ",") + "]"
}

// pointList returns a JSON array of n [x, y] points.
func pointList(n int) string {
	pts := make([]string, n)
	for i := range pts {
		pts[i] = "[" + strconv.Itoa(i%100) + "," + strconv.Itoa(i*7%100) + ".5]"
	}
	return "[" + strings.Join(pts, ",") + "]"
}

func result(typ, value string) *lswebhook.Result {
	return &lswebhook.Result{ID: "r", FromName: "ctl", ToName: "obj", Type: typ, Value: raw(value)}
}

// groupInput returns 100n regions of two results each, every region the
// parent of the next (a chain of 100n parents), and 100n relations, each
// from a region to the next.
func groupInput(n int) []lswebhook.Result {
	var rs []lswebhook.Result
	for i := 0; i < 100*n; i++ {
		id := "r" + strconv.Itoa(i)
		box := lswebhook.Result{ID: id, FromName: "box", ToName: "img", Type: "rectanglelabels",
			Value: raw(`{"x":1,"y":2,"width":3,"height":4,"rectanglelabels":["Car"]}`)}
		if i > 0 {
			box.ParentID = "r" + strconv.Itoa(i-1)
		}
		rs = append(rs, box,
			lswebhook.Result{ID: id, FromName: "quality", ToName: "img", Type: "choices", Value: raw(`{"choices":["sharp"]}`)},
			lswebhook.Result{Type: "relation", FromID: id, ToID: "r" + strconv.Itoa(i+1), Direction: "right"})
	}
	return rs
}

// regionOf returns the one region of 100n results sharing an id, each
// with two labels, half of them repeated across results.
func regionOf(n int) *lsresult.Region {
	var rs []lswebhook.Result
	for i := 0; i < 100*n; i++ {
		rs = append(rs, lswebhook.Result{ID: "one", FromName: "ctl" + strconv.Itoa(i), ToName: "obj", Type: "labels",
			Value: raw(`{"start":0,"end":1,"labels":["shared` + strconv.Itoa(i/2) + `","own` + strconv.Itoa(i) + `"]}`)})
	}
	return lsresult.Group(rs).All[0]
}

// maskInput returns a brush and the size of its image: 64*n x 64 pixels,
// in runs of 1 to 40 pixels of varied alpha, so that the RLE grows with
// the image.
func maskInput(n int) (*lsresult.Brush, lsresult.ImageSize) {
	w, h := 64*n, 64
	rgba := make([]byte, 4*w*h)
	run, alpha := 0, byte(0)
	for i := 0; i < w*h; i++ {
		if run == 0 {
			run, alpha = 1+i*13%40, byte(i*31)
		}
		run--
		copy(rgba[4*i:], []byte{alpha, 0, 0, alpha})
	}
	return &lsresult.Brush{Format: "rle", RLE: encodeRLE(rgba)}, lsresult.ImageSize{Width: int64(w), Height: int64(h)}
}

var growthCases = []growthCase{
	{"Parse", func(t testing.TB, n int) func() {
		r := result("polygonlabels", `{"points":`+pointList(50*n)+`,"closed":true,"polygonlabels":["Road"]}`)
		return func() {
			if _, err := lsresult.Parse(r); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{"LabelNames", func(t testing.TB, n int) func() {
		r := result("rectanglelabels", `{"x":1,"y":2,"width":3,"height":4,"rectanglelabels":`+labelList(400*n, "L")+`,"labels":`+labelList(40*n, "L")+`}`)
		return func() {
			if l := lsresult.LabelNames(r); len(l) != 400*n {
				t.Fatalf("%d labels", len(l))
			}
		}
	}},
	{"UnknownLabelNames", func(t testing.TB, n int) func() {
		members := make([]string, 10*n)
		for i := range members {
			members[i] = `"k` + strconv.Itoa(i) + `labels":` + labelList(40, "L"+strconv.Itoa(i%(5*n+1))+"-")
		}
		u := &lsresult.Unknown{Type: "newtype", Value: raw("{" + strings.Join(members, ",") + "}")}
		return func() {
			if l := u.LabelNames(); len(l) == 0 {
				t.Fatal("no labels")
			}
		}
	}},
	{"Group", func(t testing.TB, n int) func() {
		rs := groupInput(n)
		return func() {
			if g := lsresult.Group(rs); len(g.All) != 100*n {
				t.Fatalf("%d regions", len(g.All))
			}
		}
	}},
	{"RegionLabelNames", func(t testing.TB, n int) func() {
		g := regionOf(n)
		return func() {
			if l := g.LabelNames(); len(l) != 150*n {
				t.Fatalf("%d labels", len(l))
			}
		}
	}},
	{"RegionResult", func(t testing.TB, n int) func() {
		g := regionOf(n)
		return func() {
			if g.Result("absent") != nil {
				t.Fatal("found")
			}
		}
	}},
	{"Mask", func(t testing.TB, n int) func() {
		b, size := maskInput(n)
		return func() {
			if _, err := b.Mask(size); err != nil {
				t.Fatal(err)
			}
		}
	}},
	{"PolygonPixels", func(t testing.TB, n int) func() {
		p := mustParse[*lsresult.Polygon](t, *result("polygon", `{"points":`+pointList(100*n)+`}`))
		size := lsresult.ImageSize{Width: 640, Height: 480}
		return func() { p.Pixels(size) }
	}},
	{"VectorPixels", func(t testing.TB, n int) func() {
		v := &lsresult.Vector{Vertices: make([]lsresult.Vertex, 100*n)}
		size := lsresult.ImageSize{Width: 640, Height: 480}
		return func() { v.Pixels(size) }
	}},
}

// BenchmarkGrowth runs every helper at 1x and 100x input; the ratio of
// the two ns/op (and B/op) is the helper's growth, about 100 for a linear
// helper.
func BenchmarkGrowth(b *testing.B) {
	for _, c := range growthCases {
		for _, n := range []int{1, 100} {
			b.Run(c.name+"/"+strconv.Itoa(n)+"x", func(b *testing.B) {
				op := c.setup(b, n)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					op()
				}
			})
		}
	}
}

// allocs returns the number and bytes of the allocations of one call of
// op, averaged over runs calls after a warm-up call.
func allocs(op func(), runs int) (count, bytes float64) {
	op()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < runs; i++ {
		op()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(runs), float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}

// TestAllocGrowth asserts that each helper's allocations at 100x input
// are at most about 100 times those at 1x, in number (testing.AllocsPerRun)
// and in bytes. A helper that allocated per pair of items would show
// 10,000 times. Slices and maps grow by doubling, which can leave the
// bytes at 100x up to twice the linear figure.
func TestAllocGrowth(t *testing.T) {
	for _, c := range growthCases {
		t.Run(c.name, func(t *testing.T) {
			small, large := c.setup(t, 1), c.setup(t, 100)
			n1 := testing.AllocsPerRun(20, small)
			n100 := testing.AllocsPerRun(2, large)
			_, b1 := allocs(small, 20)
			_, b100 := allocs(large, 2)
			t.Logf("allocations: %.0f at 1x, %.0f at 100x; bytes: %.0f at 1x, %.0f at 100x", n1, n100, b1, b100)
			if n100 > 100*n1+100 {
				t.Errorf("%.0f allocations at 100x, %.0f at 1x: more than linear", n100, n1)
			}
			if b100 > 200*b1+4096 {
				t.Errorf("%.0f bytes allocated at 100x, %.0f at 1x: more than linear", b100, b1)
			}
		})
	}
}

// BenchmarkParse measures Decode followed by Parse of every result, on the
// result-heavy fixtures (the root's BenchmarkDecodeResults measures Decode
// alone on the same files).
func BenchmarkParse(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(testdata, "results", "*.json"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		data := readFile(b, path)
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		b.Run(name+"/Decode+Parse", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ev, err := lswebhook.Decode(data)
				if err != nil {
					b.Fatal(err)
				}
				for _, a := range annotations(ev) {
					for j := range a.Result {
						if _, err := lsresult.Parse(&a.Result[j]); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		})
	}
}
