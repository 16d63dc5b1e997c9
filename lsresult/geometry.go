package lsresult

import (
	"errors"
	"math"
	"strconv"

	"github.com/seed-d2dfa170/lswebhook"
)

// Point is a point of an image: in percentages of the image size in
// polygon values, in pixels where the Pixels methods return it. Its JSON
// form is the two-element array Label Studio uses for polygon points,
// [x, y].
type Point struct {
	X float64
	Y float64
}

// MarshalJSON writes [x, y].
func (p Point) MarshalJSON() ([]byte, error) {
	if !finite(p.X, p.Y) {
		return nil, errors.New("lsresult: point coordinates must be finite")
	}
	return []byte("[" + formatNumber(p.X) + "," + formatNumber(p.Y) + "]"), nil
}

// UnmarshalJSON reads [x, y]; a problem is returned as an [*Error].
func (p *Point) UnmarshalJSON(data []byte) error { return unmarshal(data, p) }

func (p *Point) readJSON(r *reader, v []byte) {
	const want = "expected an array of 2 numbers, but "
	if v[0] != '[' {
		r.problem(want + "got " + typeName(v))
		return
	}
	if n := count(v); n != 2 {
		r.problem(want + "got " + strconv.Itoa(n) + " items")
		return
	}
	var xy [2]float64
	ok := true
	elements(v, func(i int, e []byte) {
		if !ok {
			return
		}
		if !isNumber(e) {
			t := typeName(e)
			r.problem(want + "item " + strconv.Itoa(i) + " is " + article(t) + " " + t)
			ok = false
			return
		}
		xy[i], ok = r.floatOf(e)
	})
	if ok {
		*p = Point{X: xy[0], Y: xy[1]}
	}
}

// article returns "an" for the JSON type names that start with a vowel.
func article(typeName string) string {
	switch typeName {
	case "object", "array", "integer":
		return "an"
	}
	return "a"
}

// ImageSize is the size of the image a region was drawn on, from a
// result's original_width and original_height, and the rotation
// (image_rotation) the annotator had turned it to.
type ImageSize struct {
	// Width and Height are the image's natural size in pixels.
	Width  int64
	Height int64
	// Rotation is the rotation of the image in the editor, in degrees
	// clockwise: 0, 90, 180 or 270.
	Rotation float64
}

// SizeOf returns the size of the image the result r's region was drawn
// on. ok is false when original_width or original_height is missing or
// not positive (results of objects other than images).
func SizeOf(r *lswebhook.Result) (s ImageSize, ok bool) {
	if r == nil {
		return ImageSize{}, false
	}
	if r.OriginalWidth <= 0 || r.OriginalHeight <= 0 {
		return ImageSize{}, false
	}
	return ImageSize{Width: r.OriginalWidth, Height: r.OriginalHeight, Rotation: r.ImageRotation}, true
}

// Pixels converts a point from percentages of the image size to pixels of
// the image as stored (x from the left edge, y from the top edge).
//
// Label Studio rotates the image and its regions together, so region
// coordinates are relative to the unrotated image whatever the Rotation;
// use [ImageSize.Rotate] for the coordinates in the image as the annotator
// saw it.
func (s ImageSize) Pixels(p Point) Point {
	return Point{X: p.X * float64(s.Width) / 100, Y: p.Y * float64(s.Height) / 100}
}

// Percent converts a point in pixels of the image as stored back to
// percentages of its size, the inverse of Pixels. It returns the zero
// Point for an image without a size.
func (s ImageSize) Percent(p Point) Point {
	if s.Width <= 0 || s.Height <= 0 {
		return Point{}
	}
	return Point{X: p.X * 100 / float64(s.Width), Y: p.Y * 100 / float64(s.Height)}
}

// Rotate converts a point in pixels of the image as stored to pixels of
// the image turned clockwise by s.Rotation, as the annotator saw it: for 90
// degrees the point (x, y) becomes (Height-y, x) in an image Height pixels
// wide. ok is false when Rotation is not a multiple of 90 degrees.
func (s ImageSize) Rotate(p Point) (q Point, ok bool) {
	w, h := float64(s.Width), float64(s.Height)
	switch quarterTurns(s.Rotation) {
	case 0:
		return p, true
	case 1:
		return Point{X: h - p.Y, Y: p.X}, true
	case 2:
		return Point{X: w - p.X, Y: h - p.Y}, true
	case 3:
		return Point{X: p.Y, Y: w - p.X}, true
	}
	return p, false
}

// RotatedSize returns the width and height of the image turned by
// s.Rotation: swapped for 90 and 270 degrees.
func (s ImageSize) RotatedSize() (width, height int64) {
	if q := quarterTurns(s.Rotation); q == 1 || q == 3 {
		return s.Height, s.Width
	}
	return s.Width, s.Height
}

// quarterTurns returns the rotation as a number of clockwise quarter turns
// (0-3), or -1 when it is not a multiple of 90 degrees.
func quarterTurns(deg float64) int {
	if math.IsInf(deg, 0) || math.IsNaN(deg) {
		return -1
	}
	r := math.Mod(deg, 360)
	if r < 0 {
		r += 360
	}
	q := r / 90
	if q != math.Trunc(q) {
		return -1
	}
	return int(q) % 4
}

// PixelRect is a box in pixels, as returned by [Rectangle.Pixels]: the
// top-left corner (X, Y), the size, and the clockwise rotation in degrees
// around that corner.
type PixelRect struct {
	X, Y, Width, Height, Rotation float64
}

// Corners returns the box's corners, clockwise from the top-left one
// (X, Y), with the rotation applied.
func (r PixelRect) Corners() [4]Point {
	sin, cos := math.Sincos(r.Rotation * math.Pi / 180)
	at := func(dx, dy float64) Point {
		return Point{X: r.X + dx*cos - dy*sin, Y: r.Y + dx*sin + dy*cos}
	}
	return [4]Point{at(0, 0), at(r.Width, 0), at(r.Width, r.Height), at(0, r.Height)}
}

// Bounds returns the smallest axis-aligned box holding the rotated box, as
// its top-left and bottom-right corners. Without rotation it is the box
// itself.
func (r PixelRect) Bounds() (min, max Point) {
	c := r.Corners()
	min, max = c[0], c[0]
	for _, p := range c[1:] {
		min.X, min.Y = math.Min(min.X, p.X), math.Min(min.Y, p.Y)
		max.X, max.Y = math.Max(max.X, p.X), math.Max(max.Y, p.Y)
	}
	return min, max
}

// PixelEllipse is an ellipse in pixels, as returned by
// [Ellipse.Pixels]: center, radii, and clockwise rotation in degrees.
type PixelEllipse struct {
	X, Y, RadiusX, RadiusY, Rotation float64
}
