package lswebhook_test

import (
	"encoding/json"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/seed-d2dfa170/lswebhook"
)

// approx compares floats to 1e-9, for pixel arithmetic.
var approx = cmpopts.EquateApprox(0, 1e-9)

func mustParse[T lswebhook.ResultValue](t *testing.T, r lswebhook.Result) T {
	t.Helper()
	v, err := r.ParseValue()
	if err != nil {
		t.Fatal(err)
	}
	typed, ok := v.(T)
	if !ok {
		t.Fatalf("%s parsed as %T", r.Type, v)
	}
	return typed
}

// TestPixels converts the image fixture's regions to pixels.
func TestPixels(t *testing.T) {
	rs := resultsOf(t, "testdata/results/image.json")
	size, ok := rs[0].ImageSize()
	if !ok {
		t.Fatal("no image size")
	}

	car := mustParse[*lswebhook.RectangleValue](t, rs[0]).Pixels(size)
	if diff := cmp.Diff(lswebhook.PixelRect{X: 240, Y: 432, Width: 384, Height: 167.4}, car, approx); diff != "" {
		t.Errorf("car box (-want +got):\n%s", diff)
	}
	min, max := car.Bounds()
	if diff := cmp.Diff([2]lswebhook.Point{{X: 240, Y: 432}, {X: 624, Y: 599.4}}, [2]lswebhook.Point{min, max}, approx); diff != "" {
		t.Errorf("car bounds (-want +got):\n%s", diff)
	}

	ped := mustParse[*lswebhook.RectangleValue](t, rs[3]).Pixels(size)
	if diff := cmp.Diff(lswebhook.PixelRect{X: 1060.8, Y: 324, Width: 124.8, Height: 324, Rotation: 12.5}, ped, approx); diff != "" {
		t.Errorf("pedestrian box (-want +got):\n%s", diff)
	}
	c := ped.Corners()
	sin, cos := math.Sin(12.5*math.Pi/180), math.Cos(12.5*math.Pi/180)
	wantCorners := [4]lswebhook.Point{
		{X: 1060.8, Y: 324},
		{X: 1060.8 + 124.8*cos, Y: 324 + 124.8*sin},
		{X: 1060.8 + 124.8*cos - 324*sin, Y: 324 + 124.8*sin + 324*cos},
		{X: 1060.8 - 324*sin, Y: 324 + 324*cos},
	}
	if diff := cmp.Diff(wantCorners, c, approx); diff != "" {
		t.Errorf("rotated corners (-want +got):\n%s", diff)
	}
	min, max = ped.Bounds()
	if diff := cmp.Diff([2]lswebhook.Point{{X: wantCorners[3].X, Y: 324}, {X: wantCorners[1].X, Y: wantCorners[2].Y}}, [2]lswebhook.Point{min, max}, approx); diff != "" {
		t.Errorf("rotated bounds (-want +got):\n%s", diff)
	}

	road := mustParse[*lswebhook.PolygonValue](t, rs[4])
	if diff := cmp.Diff([]lswebhook.Point{{X: 0, Y: 1080}, {X: 768, Y: 594}, {X: 1152, Y: 594}, {X: 1920, Y: 1080}}, road.Pixels(size), approx); diff != "" {
		t.Errorf("polygon (-want +got):\n%s", diff)
	}
	if !road.IsClosed() || !mustParse[*lswebhook.PolygonValue](t, rs[10]).IsClosed() {
		t.Errorf("IsClosed false for a polygon sent closed or without closed")
	}
	sign := mustParse[*lswebhook.EllipseValue](t, rs[5]).Pixels(size)
	if diff := cmp.Diff(lswebhook.PixelEllipse{X: 1536, Y: 216, RadiusX: 48, RadiusY: 48}, sign, approx); diff != "" {
		t.Errorf("ellipse (-want +got):\n%s", diff)
	}
	head := mustParse[*lswebhook.KeyPointValue](t, rs[6]).Pixels(size)
	if diff := cmp.Diff(lswebhook.Point{X: 1123.2, Y: 351}, head, approx); diff != "" {
		t.Errorf("key point (-want +got):\n%s", diff)
	}
	lane := mustParse[*lswebhook.VectorValue](t, rs[8]).Pixels(size)
	if diff := cmp.Diff([]lswebhook.Point{{X: 864, Y: 1080}, {X: 921.6, Y: 810}, {X: 960, Y: 604.8}}, lane, approx); diff != "" {
		t.Errorf("vector (-want +got):\n%s", diff)
	}
	ocr := resultsOf(t, "testdata/results/ocr.json")
	osize, _ := ocr[2].ImageSize()
	if diff := cmp.Diff(lswebhook.PixelRect{X: 930, Y: 1403.2, Width: 186, Height: 70.16}, mustParse[*lswebhook.OCRLabelsValue](t, ocr[2]).Pixels(osize), approx); diff != "" {
		t.Errorf("ocr box (-want +got):\n%s", diff)
	}
	if p := size.Percent(lswebhook.Point{X: 240, Y: 432}); math.Abs(p.X-12.5) > 1e-9 || math.Abs(p.Y-40) > 1e-9 {
		t.Errorf("Percent = %+v", p)
	}
	if p := (lswebhook.ImageSize{}).Percent(lswebhook.Point{X: 1, Y: 1}); p != (lswebhook.Point{}) {
		t.Errorf("Percent without a size = %+v", p)
	}
}

// TestRotate maps pixels into the image as the annotator turned it.
func TestRotate(t *testing.T) {
	p := lswebhook.Point{X: 240, Y: 432}
	tests := []struct {
		rot  float64
		want lswebhook.Point
		w, h int64
		ok   bool
	}{
		{0, p, 1920, 1080, true},
		{90, lswebhook.Point{X: 1080 - 432, Y: 240}, 1080, 1920, true},
		{180, lswebhook.Point{X: 1920 - 240, Y: 1080 - 432}, 1920, 1080, true},
		{270, lswebhook.Point{X: 432, Y: 1920 - 240}, 1080, 1920, true},
		{-90, lswebhook.Point{X: 432, Y: 1920 - 240}, 1080, 1920, true},
		{450, lswebhook.Point{X: 1080 - 432, Y: 240}, 1080, 1920, true},
		{45, p, 1920, 1080, false},
		{math.NaN(), p, 1920, 1080, false},
	}
	for _, tt := range tests {
		s := lswebhook.ImageSize{Width: 1920, Height: 1080, Rotation: tt.rot}
		got, ok := s.Rotate(p)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Rotate at %v = %+v, %v; want %+v, %v", tt.rot, got, ok, tt.want, tt.ok)
		}
		if w, h := s.RotatedSize(); w != tt.w || h != tt.h {
			t.Errorf("RotatedSize at %v = %d, %d", tt.rot, w, h)
		}
		// The rotated point lies inside the rotated image.
		if w, h := s.RotatedSize(); ok && (got.X < 0 || got.Y < 0 || got.X > float64(w) || got.Y > float64(h)) {
			t.Errorf("Rotate at %v leaves the image: %+v", tt.rot, got)
		}
	}
}

// TestBrushMask decodes the brush masks of the image fixture.
func TestBrushMask(t *testing.T) {
	rs := resultsOf(t, "testdata/results/image.json")
	size, _ := rs[7].ImageSize()
	sky, err := mustParse[*lswebhook.BrushValue](t, rs[7]).Mask(size)
	if err != nil {
		t.Fatal(err)
	}
	if len(sky) != 1920*1080 {
		t.Fatalf("mask has %d bytes", len(sky))
	}
	at := func(m []byte, x, y int) byte { return m[y*1920+x] }
	count := func(m []byte) int {
		n := 0
		for _, b := range m {
			if b != 0 {
				if b != 255 {
					t.Errorf("mask byte %d", b)
				}
				n++
			}
		}
		return n
	}
	if n := count(sky); n != 200*1920+100*600 {
		t.Errorf("sky covers %d pixels", n)
	}
	for _, p := range []struct {
		x, y int
		want byte
	}{{0, 0, 255}, {1919, 199, 255}, {599, 299, 255}, {600, 200, 0}, {0, 300, 0}, {1919, 1079, 0}} {
		if got := at(sky, p.x, p.y); got != p.want {
			t.Errorf("sky at (%d, %d) = %d", p.x, p.y, got)
		}
	}
	paint, err := mustParse[*lswebhook.BrushValue](t, rs[13]).Mask(size)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(paint); n != 50 || at(paint, 1000, 500) != 255 || at(paint, 1009, 504) != 255 || at(paint, 1010, 504) != 0 {
		t.Errorf("paint covers %d pixels", n)
	}
}

// bitWriter builds RLE streams for tests, most significant bit first.
type bitWriter struct{ bits []byte }

func (w *bitWriter) write(v uint64, n int) {
	for k := n - 1; k >= 0; k-- {
		w.bits = append(w.bits, byte(v>>uint(k)&1))
	}
}

func (w *bitWriter) ints() []int {
	bits := w.bits
	for len(bits)%8 != 0 {
		bits = append(bits, 0)
	}
	out := make([]int, len(bits)/8)
	for i := range out {
		for k := 0; k < 8; k++ {
			out[i] = out[i]<<1 | int(bits[i*8+k])
		}
	}
	return out
}

// encodeRLE is a straightforward encoder of Label Studio's brush RLE, for
// tests: one repeat chunk per run of equal values.
func encodeRLE(values []byte) []int {
	var w bitWriter
	sizes := []int{3, 4, 8, 16}
	w.write(uint64(len(values)), 32)
	w.write(7, 5)
	for _, s := range sizes {
		w.write(uint64(s-1), 4)
	}
	for i := 0; i < len(values); {
		j := i
		for j < len(values) && values[j] == values[i] && j-i < 1<<16 {
			j++
		}
		sel := 0
		for (j-i-1)>>uint(sizes[sel]) != 0 {
			sel++
		}
		w.write(1, 1)
		w.write(uint64(sel), 2)
		w.write(uint64(j-i-1), sizes[sel])
		w.write(uint64(values[i]), 8)
		i = j
	}
	return w.ints()
}

// TestBrushMaskRoundTrip encodes random masks and decodes them.
func TestBrushMaskRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 50; n++ {
		w, h := 1+rng.Intn(40), 1+rng.Intn(40)
		alpha := make([]byte, w*h)
		rgba := make([]byte, 4*w*h)
		for i := range alpha {
			if rng.Intn(3) == 0 {
				alpha[i] = byte(rng.Intn(256))
			}
			copy(rgba[4*i:], []byte{alpha[i], 0, alpha[i] / 2, alpha[i]})
		}
		b := lswebhook.BrushValue{Format: "rle", RLE: encodeRLE(rgba)}
		got, err := b.Mask(lswebhook.ImageSize{Width: int64(w), Height: int64(h)})
		if err != nil {
			t.Fatalf("%dx%d: %v", w, h, err)
		}
		if diff := cmp.Diff(alpha, got); diff != "" {
			t.Fatalf("%dx%d mask (-want +got):\n%s", w, h, diff)
		}
	}
}

// TestBrushMaskErrors checks malformed and mismatched masks.
func TestBrushMaskErrors(t *testing.T) {
	good := encodeRLE(make([]byte, 4*6))
	size := lswebhook.ImageSize{Width: 3, Height: 2}
	tests := []struct {
		name string
		b    lswebhook.BrushValue
		s    lswebhook.ImageSize
		want string
	}{
		{"format", lswebhook.BrushValue{Format: "png", RLE: good}, size, `format "png"`},
		{"no size", lswebhook.BrushValue{RLE: good}, lswebhook.ImageSize{}, "positive image size"},
		{"huge size", lswebhook.BrushValue{RLE: good}, lswebhook.ImageSize{Width: 1 << 20, Height: 1 << 20}, "too large"},
		{"wrong size", lswebhook.BrushValue{RLE: good}, lswebhook.ImageSize{Width: 2, Height: 2}, "holds 24 values, want 16"},
		{"empty", lswebhook.BrushValue{}, size, "ends early"},
		{"truncated", lswebhook.BrushValue{RLE: good[:len(good)-1]}, size, "ends early"},
		{"not a byte", lswebhook.BrushValue{RLE: append([]int{0, 0, 0, 24, 300}, good[5:]...)}, size, "not a byte"},
		{"too short for count", lswebhook.BrushValue{RLE: []int{0x40, 0, 0, 0, 0}}, lswebhook.ImageSize{Width: 16384, Height: 16384}, "too short"},
		{"the capture's made-up RLE", lswebhook.BrushValue{RLE: []int{0, 0, 19, 224, 0, 255, 3, 7, 255, 224, 0, 0}}, lswebhook.ImageSize{Width: 640, Height: 480}, "holds 5088 values"},
	}
	for _, tt := range tests {
		_, err := tt.b.Mask(tt.s)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "lswebhook: ") {
			t.Errorf("%s: Mask error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	// A word size over 8 bits holding a value over 255 is refused; one
	// holding bytes is read.
	for _, val := range []uint64{300, 200} {
		var w bitWriter
		w.write(4, 32)
		w.write(15, 5) // 16-bit words
		for i := 0; i < 4; i++ {
			w.write(2, 4) // 3-bit run lengths
		}
		w.write(1, 1)
		w.write(0, 2)
		w.write(3, 3) // a run of 4
		w.write(val, 16)
		m, err := (&lswebhook.BrushValue{RLE: w.ints()}).Mask(lswebhook.ImageSize{Width: 1, Height: 1})
		if val > 255 && (err == nil || !strings.Contains(err.Error(), "does not fit in a byte")) {
			t.Errorf("wide word %d: %v", val, err)
		}
		if val <= 255 && (err != nil || len(m) != 1 || m[0] != byte(val)) {
			t.Errorf("wide word %d: %v, %v", val, m, err)
		}
	}
}

// TestPosition covers the number-or-string span ends.
func TestPosition(t *testing.T) {
	tests := []struct {
		p        lswebhook.Position
		json     string
		f        float64
		fok      bool
		i        int64
		iok      bool
		s        string
		zero, tx bool
	}{
		{lswebhook.Position{}, `null`, 0, false, 0, false, "", true, false},
		{num(5), `5`, 5, true, 5, true, "5", false, false},
		{num(0), `0`, 0, true, 0, true, "0", false, false},
		{num(1.25), `1.25`, 1.25, true, 0, false, "1.25", false, false},
		{num(1714720360000), `1714720360000`, 1714720360000, true, 1714720360000, true, "1714720360000", false, false},
		{num(1e300), `1e+300`, 1e300, true, 0, false, "1e+300", false, false},
		{text("0"), `"0"`, 0, true, 0, true, "0", false, true},
		{text("2.5"), `"2.5"`, 2.5, true, 0, false, "2.5", false, true},
		{text("/div[1]"), `"/div[1]"`, 0, false, 0, false, "/div[1]", false, true},
		{text("Inf"), `"Inf"`, 0, false, 0, false, "Inf", false, true},
		{text(""), `""`, 0, false, 0, false, "", false, true},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.p)
		if err != nil || string(b) != tt.json {
			t.Errorf("%#v: Marshal = %s, %v", tt.p, b, err)
		}
		if f, ok := tt.p.Float(); f != tt.f || ok != tt.fok {
			t.Errorf("%s: Float = %v, %v", tt.json, f, ok)
		}
		if i, ok := tt.p.Int(); i != tt.i || ok != tt.iok {
			t.Errorf("%s: Int = %v, %v", tt.json, i, ok)
		}
		if s := tt.p.String(); s != tt.s {
			t.Errorf("%s: String = %q", tt.json, s)
		}
		if tt.p.IsZero() != tt.zero || tt.p.IsText() != tt.tx {
			t.Errorf("%s: IsZero %v IsText %v", tt.json, tt.p.IsZero(), tt.p.IsText())
		}
		var back lswebhook.Position
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tt.p) {
			t.Errorf("%s: Unmarshal = %#v, %v", tt.json, back, err)
		}
	}
	if num(1).Equal(text("1")) {
		t.Errorf("a number equals a string")
	}
	if _, err := json.Marshal(num(math.Inf(1))); err == nil {
		t.Errorf("Marshal of infinity succeeded")
	}
	var p lswebhook.Position
	if err := json.Unmarshal([]byte(`true`), &p); err == nil {
		t.Errorf("Unmarshal of true succeeded")
	}
	if _, ok := num(1 << 63).Int(); ok {
		t.Errorf("Int of 2^63 succeeded")
	}
}

// TestPointJSON covers the [x, y] form.
func TestPointJSON(t *testing.T) {
	b, err := json.Marshal(lswebhook.Point{X: 1.5, Y: 2})
	if err != nil || string(b) != `[1.5,2]` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var p lswebhook.Point
	if err := json.Unmarshal([]byte(`[3, 4.25]`), &p); err != nil || p != (lswebhook.Point{X: 3, Y: 4.25}) {
		t.Errorf("Unmarshal = %+v, %v", p, err)
	}
	for _, bad := range []string{`[1]`, `{"x": 1, "y": 2}`, `[1, "2"]`, `[1, 1e999]`} {
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
	if _, err := json.Marshal(lswebhook.Point{X: math.NaN()}); err == nil {
		t.Errorf("Marshal of NaN succeeded")
	}
}

// TestVectorVertexJSON checks that the first vertex's missing previous
// point is written as null, as the editor writes it.
func TestVectorVertexJSON(t *testing.T) {
	b, err := json.Marshal(lswebhook.VectorVertex{ID: "a", X: 1, Y: 2, Extra: map[string]json.RawMessage{"k": raw(`1`)}})
	if err != nil || string(b) != `{"id":"a","x":1,"y":2,"isBezier":false,"prevPointId":null,"k":1}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

// TestChatMessageTime converts the message timestamp.
func TestChatMessageTime(t *testing.T) {
	m := lswebhook.ChatMessage{Timestamp: 1772446800123}
	if got, ok := m.Time(); !ok || got.UnixMilli() != 1772446800123 || got.Location().String() != "UTC" {
		t.Errorf("Time = %v, %v", got, ok)
	}
	if _, ok := (lswebhook.ChatMessage{}).Time(); ok {
		t.Errorf("Time of no timestamp is ok")
	}
}

// TestGroupRegions groups the image and text fixtures.
func TestGroupRegions(t *testing.T) {
	ann := annotationsOf(t, "testdata/results/image.json")[0]
	rs := ann.Regions()
	var ids []string
	for _, g := range rs.All {
		ids = append(ids, g.ID)
	}
	wantIDs := []string{"Xk3vQ9mZpA", "pD2r8LwQeT", "r7YhN0cVbS", "s1GnEe4oLu", "hE4dKp0iNt", "sKy0Ma5kQw", "La9nE1vCtR",
		"bL6rRd2yXe", "oU7tLn3pQz", "pT8sMa4rTk", "bB0oLb5oXe", "pA1nT6bRsh", "vEc7Pa8tHh"}
	if diff := cmp.Diff(wantIDs, ids); diff != "" {
		t.Errorf("region ids (-want +got):\n%s", diff)
	}
	car := rs.ByID("Xk3vQ9mZpA")
	if len(car.Results) != 3 || car.Results[0] != &ann.Result[0] || car.Results[2] != &ann.Result[2] {
		t.Errorf("car region results: %v", car.Results)
	}
	if r := car.Result("plate"); r == nil || r.Type != "textarea" {
		t.Errorf("car.Result(plate) = %v", r)
	}
	if car.Result("nope") != nil {
		t.Errorf("car.Result(nope) found something")
	}
	if diff := cmp.Diff([]string{"Car", "no"}, car.LabelNames()); diff != "" {
		t.Errorf("car labels (-want +got):\n%s", diff)
	}
	if s, ok := car.ImageSize(); !ok || s.Width != 1920 {
		t.Errorf("car ImageSize = %v, %v", s, ok)
	}
	ped := rs.ByID("pD2r8LwQeT")
	if head := rs.ByID("hE4dKp0iNt"); head.Parent != ped {
		t.Errorf("key point's parent = %v", head.Parent)
	}
	if car.Parent != nil {
		t.Errorf("car has a parent")
	}
	if len(rs.Relations) != 1 {
		t.Fatalf("%d relations", len(rs.Relations))
	}
	rel := rs.Relations[0]
	if rel.From != ped || rel.To != car || rel.Result != &ann.Result[15] {
		t.Errorf("relation resolves to %v -> %v", rel.From, rel.To)
	}
	if len(car.Relations) != 1 || car.Relations[0] != rel || len(ped.Relations) != 1 {
		t.Errorf("region relations: car %d, pedestrian %d", len(car.Relations), len(ped.Relations))
	}
	if rs.ByID("") != nil || rs.ByID("missing") != nil || (*lswebhook.Regions)(nil).ByID("x") != nil {
		t.Errorf("ByID found a region for a bad id")
	}

	text := annotationsOf(t, "testdata/results/text.json")[0]
	trs := lswebhook.GroupRegions(text.Result)
	if len(trs.All) != 13 || len(trs.Relations) != 4 {
		t.Errorf("%d regions, %d relations", len(trs.All), len(trs.Relations))
	}
	acme := trs.ByID("n2Org0acMe")
	var from []string
	for _, rel := range acme.Relations {
		from = append(from, rel.From.ID+" "+rel.Result.Direction)
	}
	if diff := cmp.Diff([]string{"n1Per0aliC right", "n3Loc0bErL left", "n4Dat03maY right"}, from); diff != "" {
		t.Errorf("relations of Acme (-want +got):\n%s", diff)
	}

	// Dangling relations, results without ids, a relation of a region to
	// itself, a region that names itself as parent.
	odd := []lswebhook.Result{
		{Type: "choices", Value: raw(`{"choices":["a"]}`)},
		{Type: "choices", Value: raw(`{"choices":["b"]}`)},
		{ID: "x", Type: "rating", ParentID: "x", Value: raw(`{"rating":1}`)},
		{Type: "relation", FromID: "x", ToID: "gone"},
		{Type: "relation", FromID: "x", ToID: "x"},
		{Type: "relation"},
	}
	ors := lswebhook.GroupRegions(odd)
	if len(ors.All) != 3 || ors.All[0] == ors.All[1] || ors.All[0].ID != "" {
		t.Errorf("results without ids: %d regions", len(ors.All))
	}
	x := ors.ByID("x")
	if x.Parent != nil || len(x.Relations) != 2 || ors.Relations[0].To != nil || ors.Relations[2].From != nil {
		t.Errorf("odd relations: parent %v, %d relations", x.Parent, len(x.Relations))
	}
	if empty := lswebhook.GroupRegions(nil); len(empty.All) != 0 || len(empty.Relations) != 0 {
		t.Errorf("regions of nothing")
	}
}
