package lsresult_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// approx compares floats to 1e-9, for pixel arithmetic.
var approx = cmpopts.EquateApprox(0, 1e-9)

// TestPixels converts the image fixture's regions to pixels.
func TestPixels(t *testing.T) {
	rs := resultsOf(t, fixture("image.json"))
	size, ok := lsresult.SizeOf(&rs[0])
	if !ok {
		t.Fatal("no image size")
	}

	car := mustParse[*lsresult.Rectangle](t, rs[0]).Pixels(size)
	if diff := cmp.Diff(lsresult.PixelRect{X: 240, Y: 432, Width: 384, Height: 167.4}, car, approx); diff != "" {
		t.Errorf("car box (-want +got):\n%s", diff)
	}
	min, max := car.Bounds()
	if diff := cmp.Diff([2]lsresult.Point{{X: 240, Y: 432}, {X: 624, Y: 599.4}}, [2]lsresult.Point{min, max}, approx); diff != "" {
		t.Errorf("car bounds (-want +got):\n%s", diff)
	}

	ped := mustParse[*lsresult.Rectangle](t, rs[3]).Pixels(size)
	if diff := cmp.Diff(lsresult.PixelRect{X: 1060.8, Y: 324, Width: 124.8, Height: 324, Rotation: 12.5}, ped, approx); diff != "" {
		t.Errorf("pedestrian box (-want +got):\n%s", diff)
	}
	c := ped.Corners()
	sin, cos := math.Sin(12.5*math.Pi/180), math.Cos(12.5*math.Pi/180)
	wantCorners := [4]lsresult.Point{
		{X: 1060.8, Y: 324},
		{X: 1060.8 + 124.8*cos, Y: 324 + 124.8*sin},
		{X: 1060.8 + 124.8*cos - 324*sin, Y: 324 + 124.8*sin + 324*cos},
		{X: 1060.8 - 324*sin, Y: 324 + 324*cos},
	}
	if diff := cmp.Diff(wantCorners, c, approx); diff != "" {
		t.Errorf("rotated corners (-want +got):\n%s", diff)
	}
	min, max = ped.Bounds()
	if diff := cmp.Diff([2]lsresult.Point{{X: wantCorners[3].X, Y: 324}, {X: wantCorners[1].X, Y: wantCorners[2].Y}}, [2]lsresult.Point{min, max}, approx); diff != "" {
		t.Errorf("rotated bounds (-want +got):\n%s", diff)
	}

	road := mustParse[*lsresult.Polygon](t, rs[4])
	if diff := cmp.Diff([]lsresult.Point{{X: 0, Y: 1080}, {X: 768, Y: 594}, {X: 1152, Y: 594}, {X: 1920, Y: 1080}}, road.Pixels(size), approx); diff != "" {
		t.Errorf("polygon (-want +got):\n%s", diff)
	}
	if !road.IsClosed() || !mustParse[*lsresult.Polygon](t, rs[10]).IsClosed() {
		t.Errorf("IsClosed false for a polygon sent closed or without closed")
	}
	sign := mustParse[*lsresult.Ellipse](t, rs[5]).Pixels(size)
	if diff := cmp.Diff(lsresult.PixelEllipse{X: 1536, Y: 216, RadiusX: 48, RadiusY: 48}, sign, approx); diff != "" {
		t.Errorf("ellipse (-want +got):\n%s", diff)
	}
	head := mustParse[*lsresult.KeyPoint](t, rs[6]).Pixels(size)
	if diff := cmp.Diff(lsresult.Point{X: 1123.2, Y: 351}, head, approx); diff != "" {
		t.Errorf("key point (-want +got):\n%s", diff)
	}
	lane := mustParse[*lsresult.Vector](t, rs[8]).Pixels(size)
	if diff := cmp.Diff([]lsresult.Point{{X: 864, Y: 1080}, {X: 921.6, Y: 810}, {X: 960, Y: 604.8}}, lane, approx); diff != "" {
		t.Errorf("vector (-want +got):\n%s", diff)
	}
	ocr := resultsOf(t, fixture("ocr.json"))
	osize, _ := lsresult.SizeOf(&ocr[2])
	if diff := cmp.Diff(lsresult.PixelRect{X: 930, Y: 1403.2, Width: 186, Height: 70.16}, mustParse[*lsresult.OCRLabels](t, ocr[2]).Pixels(osize), approx); diff != "" {
		t.Errorf("ocr box (-want +got):\n%s", diff)
	}
	if p := size.Percent(lsresult.Point{X: 240, Y: 432}); math.Abs(p.X-12.5) > 1e-9 || math.Abs(p.Y-40) > 1e-9 {
		t.Errorf("Percent = %+v", p)
	}
	if p := (lsresult.ImageSize{}).Percent(lsresult.Point{X: 1, Y: 1}); p != (lsresult.Point{}) {
		t.Errorf("Percent without a size = %+v", p)
	}
}

// TestRotate maps pixels into the image as the annotator turned it.
func TestRotate(t *testing.T) {
	p := lsresult.Point{X: 240, Y: 432}
	tests := []struct {
		rot  float64
		want lsresult.Point
		w, h int64
		ok   bool
	}{
		{0, p, 1920, 1080, true},
		{90, lsresult.Point{X: 1080 - 432, Y: 240}, 1080, 1920, true},
		{180, lsresult.Point{X: 1920 - 240, Y: 1080 - 432}, 1920, 1080, true},
		{270, lsresult.Point{X: 432, Y: 1920 - 240}, 1080, 1920, true},
		{-90, lsresult.Point{X: 432, Y: 1920 - 240}, 1080, 1920, true},
		{450, lsresult.Point{X: 1080 - 432, Y: 240}, 1080, 1920, true},
		{45, p, 1920, 1080, false},
		{math.NaN(), p, 1920, 1080, false},
	}
	for _, tt := range tests {
		s := lsresult.ImageSize{Width: 1920, Height: 1080, Rotation: tt.rot}
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

// TestPointJSON covers the [x, y] form.
func TestPointJSON(t *testing.T) {
	b, err := json.Marshal(lsresult.Point{X: 1.5, Y: 2})
	if err != nil || string(b) != `[1.5,2]` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var p lsresult.Point
	if err := json.Unmarshal([]byte(`[3, 4.25]`), &p); err != nil || p != (lsresult.Point{X: 3, Y: 4.25}) {
		t.Errorf("Unmarshal = %+v, %v", p, err)
	}
	for _, bad := range []string{`[1]`, `{"x": 1, "y": 2}`, `[1, "2"]`, `[1, 1e999]`} {
		if err := json.Unmarshal([]byte(bad), &p); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
	if _, err := json.Marshal(lsresult.Point{X: math.NaN()}); err == nil {
		t.Errorf("Marshal of NaN succeeded")
	}
}

// TestResultFields checks the result-level members the typed values rely
// on: image sizes, parents, smart-tool flags, audio lengths, scores.
func TestResultFields(t *testing.T) {
	image := resultsOf(t, fixture("image.json"))
	if s, ok := lsresult.SizeOf(&image[0]); !ok || s != (lsresult.ImageSize{Width: 1920, Height: 1080, Rotation: 90}) {
		t.Errorf("ImageSize = %+v, %v", s, ok)
	}
	if image[6].ParentID != "pD2r8LwQeT" {
		t.Errorf("ParentID = %q", image[6].ParentID)
	}
	if image[11].IsPositive == nil || !*image[11].IsPositive {
		t.Errorf("IsPositive = %v", image[11].IsPositive)
	}
	audio := resultsOf(t, fixture("audio.json"))
	if audio[0].OriginalLength != 42.731 {
		t.Errorf("OriginalLength = %v", audio[0].OriginalLength)
	}
	if _, ok := lsresult.SizeOf(&audio[0]); ok {
		t.Errorf("an audio result has an image size")
	}
	bulk := annotationsOf(t, fixture("annotations-created.json"))
	if len(bulk) != 2 {
		t.Fatalf("%d annotations", len(bulk))
	}
	for i, a := range bulk {
		for _, v := range parseAll(t, a.Result) {
			if _, ok := v.(*lsresult.Rectangle); !ok {
				t.Errorf("annotation %d: %T", i, v)
			}
		}
		if a.Result[0].Score == nil || *a.Result[0].Score != []float64{0.91, 0.81}[i] {
			t.Errorf("annotation %d: score %v", i, a.Result[0].Score)
		}
	}
}
