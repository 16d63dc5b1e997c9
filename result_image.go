package lswebhook

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// This file holds the values of image region results. Coordinates are
// percentages (0-100) of the original image's width (x) and height (y);
// [ImageSize] and the Pixels methods convert them. A region made with a
// tool and a separate Labels tag (Rectangle with Labels) also carries a
// "labels" list, kept in the Labels field of each type.

// RectangleValue is the value of a "rectangle" or "rectanglelabels" result
// (Rectangle and RectangleLabels tags):
//
//	{"x": 10.5, "y": 20.25, "width": 30, "height": 40.125, "rotation": 0,
//	 "rectanglelabels": ["Cat"]}
//
// X and Y locate the top-left corner; Rotation turns the box clockwise, in
// degrees, around that corner. A "rectangle" result has no
// rectanglelabels.
type RectangleValue struct {
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Rotation float64 `json:"rotation"`
	// RectangleLabels are the labels of a "rectanglelabels" result.
	RectangleLabels []string `json:"rectanglelabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*RectangleValue) resultValue() {}

// LabelNames returns the rectangle labels and the labels.
func (v *RectangleValue) LabelNames() []string { return joinLabels(v.RectangleLabels, v.Labels) }

// Pixels converts the box to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *RectangleValue) Pixels(s ImageSize) PixelRect {
	return PixelRect{
		X: v.X * float64(s.Width) / 100, Y: v.Y * float64(s.Height) / 100,
		Width: v.Width * float64(s.Width) / 100, Height: v.Height * float64(s.Height) / 100,
		Rotation: v.Rotation,
	}
}

// MarshalJSON writes the value with its Extra keys.
func (v RectangleValue) MarshalJSON() ([]byte, error) {
	type plain RectangleValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a rectangle value.
func (v *RectangleValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// EllipseValue is the value of an "ellipse" or "ellipselabels" result
// (Ellipse and EllipseLabels tags):
//
//	{"x": 60, "y": 60, "radiusX": 5.5, "radiusY": 7, "rotation": 15,
//	 "ellipselabels": ["Ball"]}
//
// X and Y locate the center; RadiusX is a percentage of the image width,
// RadiusY of its height; Rotation turns the ellipse clockwise, in degrees,
// around its center.
type EllipseValue struct {
	X             float64  `json:"x"`
	Y             float64  `json:"y"`
	RadiusX       float64  `json:"radiusX"`
	RadiusY       float64  `json:"radiusY"`
	Rotation      float64  `json:"rotation"`
	EllipseLabels []string `json:"ellipselabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*EllipseValue) resultValue() {}

// LabelNames returns the ellipse labels and the labels.
func (v *EllipseValue) LabelNames() []string { return joinLabels(v.EllipseLabels, v.Labels) }

// Pixels converts the ellipse to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *EllipseValue) Pixels(s ImageSize) PixelEllipse {
	return PixelEllipse{
		X: v.X * float64(s.Width) / 100, Y: v.Y * float64(s.Height) / 100,
		RadiusX: v.RadiusX * float64(s.Width) / 100, RadiusY: v.RadiusY * float64(s.Height) / 100,
		Rotation: v.Rotation,
	}
}

// MarshalJSON writes the value with its Extra keys.
func (v EllipseValue) MarshalJSON() ([]byte, error) {
	type plain EllipseValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads an ellipse value.
func (v *EllipseValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// KeyPointValue is the value of a "keypoint" or "keypointlabels" result
// (KeyPoint and KeyPointLabels tags):
// {"x": 33.3, "y": 44.4, "width": 0.625, "keypointlabels": ["Eye"]}. Width
// is the drawn point's size as a percentage of the image width. Points
// placed with a smart tool (for interactive ML backends) also carry a
// "labels" list, and the result a top-level is_positive
// ([Result.IsPositive]). A key point inside a box names the box's region
// in [Result.ParentID].
type KeyPointValue struct {
	X              float64  `json:"x"`
	Y              float64  `json:"y"`
	Width          float64  `json:"width"`
	KeyPointLabels []string `json:"keypointlabels,omitzero"`
	// Labels are the labels of smart-tool points and of a separate Labels
	// tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*KeyPointValue) resultValue() {}

// LabelNames returns the key point labels and the labels.
func (v *KeyPointValue) LabelNames() []string { return joinLabels(v.KeyPointLabels, v.Labels) }

// Pixels converts the point to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *KeyPointValue) Pixels(s ImageSize) Point { return s.Pixels(Point{X: v.X, Y: v.Y}) }

// MarshalJSON writes the value with its Extra keys.
func (v KeyPointValue) MarshalJSON() ([]byte, error) {
	type plain KeyPointValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a key point value.
func (v *KeyPointValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// PolygonValue is the value of a "polygon" or "polygonlabels" result
// (Polygon and PolygonLabels tags):
// {"points": [[10, 10], [50.5, 12], [40, 60.25]], "closed": true,
// "polygonlabels": ["Cat"]}. closed is sent by newer versions only; an
// older result, or one from an ML backend, without it is a closed polygon.
type PolygonValue struct {
	Points []Point `json:"points"`
	// Closed is nil when not sent; see IsClosed.
	Closed        *bool    `json:"closed,omitempty"`
	PolygonLabels []string `json:"polygonlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*PolygonValue) resultValue() {}

// IsClosed reports whether the polygon is closed: Closed, or true when it
// was not sent.
func (v *PolygonValue) IsClosed() bool { return v.Closed == nil || *v.Closed }

// LabelNames returns the polygon labels and the labels.
func (v *PolygonValue) LabelNames() []string { return joinLabels(v.PolygonLabels, v.Labels) }

// Pixels converts the points to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *PolygonValue) Pixels(s ImageSize) []Point {
	out := make([]Point, len(v.Points))
	for i, p := range v.Points {
		out[i] = s.Pixels(p)
	}
	return out
}

// MarshalJSON writes the value with its Extra keys.
func (v PolygonValue) MarshalJSON() ([]byte, error) {
	type plain PolygonValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a polygon value.
func (v *PolygonValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// BrushValue is the value of a "brush" or "brushlabels" result (Brush and
// BrushLabels tags): a mask encoded in Label Studio's run-length format,
// {"format": "rle", "rle": [0, 0, 19, 224, ...], "brushlabels": ["Cat"]}.
// The RLE encodes the RGBA pixels of a mask the size of the original image;
// [BrushValue.Mask] decodes it.
type BrushValue struct {
	// Format is "rle", the only format Label Studio writes.
	Format string `json:"format"`
	// RLE holds the encoded bytes, each 0-255.
	RLE         []int    `json:"rle"`
	BrushLabels []string `json:"brushlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*BrushValue) resultValue() {}

// LabelNames returns the brush labels and the labels.
func (v *BrushValue) LabelNames() []string { return joinLabels(v.BrushLabels, v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v BrushValue) MarshalJSON() ([]byte, error) {
	type plain BrushValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a brush value.
func (v *BrushValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// VectorValue is the value of a "vector" or "vectorlabels" result (Vector
// and VectorLabels tags, newest versions): a path of vertices, open or
// closed, whose segments may be Bézier curves,
//
//	{"vertices": [{"id": "p1", "x": 25, "y": 30, "prevPointId": null,
//	   "isBezier": false},
//	  {"id": "p2", "x": 75, "y": 70, "prevPointId": "p1", "isBezier": true,
//	   "controlPoint1": {"x": 50, "y": 40},
//	   "controlPoint2": {"x": 60, "y": 60}}],
//	 "closed": false, "vectorlabels": ["Road"]}
type VectorValue struct {
	Vertices     []VectorVertex `json:"vertices"`
	Closed       bool           `json:"closed"`
	VectorLabels []string       `json:"vectorlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// VectorVertex is one vertex of a [VectorValue].
type VectorVertex struct {
	ID string  `json:"id"`
	X  float64 `json:"x"`
	Y  float64 `json:"y"`
	// PrevPointID is the id of the vertex the path comes from; "" for the
	// first (sent as null).
	PrevPointID string `json:"prevPointId"`
	// IsBezier marks a curved segment, shaped by the two control points.
	IsBezier bool `json:"isBezier"`
	// ControlPoint1 and ControlPoint2 are nil for straight segments.
	ControlPoint1 *ControlPoint `json:"controlPoint1,omitempty"`
	ControlPoint2 *ControlPoint `json:"controlPoint2,omitempty"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the vertex with its Extra keys; an empty PrevPointID
// is written as null.
func (x VectorVertex) MarshalJSON() ([]byte, error) {
	type plain VectorVertex
	type withNull struct {
		plain
		PrevPointID *string `json:"prevPointId"`
	}
	w := withNull{plain: plain(x)}
	if x.PrevPointID != "" {
		w.PrevPointID = &x.PrevPointID
	}
	return marshalObject("", w, x.Extra)
}

// ControlPoint is a Bézier control point of a [VectorVertex], in
// percentages of the image size.
type ControlPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

func (*VectorValue) resultValue() {}

// LabelNames returns the vector labels and the labels.
func (v *VectorValue) LabelNames() []string { return joinLabels(v.VectorLabels, v.Labels) }

// Pixels converts the vertices' positions to pixels of the image described
// by s; see [ImageSize.Pixels].
func (v *VectorValue) Pixels(s ImageSize) []Point {
	out := make([]Point, len(v.Vertices))
	for i, x := range v.Vertices {
		out[i] = s.Pixels(Point{X: x.X, Y: x.Y})
	}
	return out
}

// MarshalJSON writes the value with its Extra keys.
func (v VectorValue) MarshalJSON() ([]byte, error) {
	type plain VectorValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a vector value.
func (v *VectorValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// OCRLabelsValue is the value of an "ocrlabels" result (an OCR labels tag
// of Label Studio Enterprise's PDF and image OCR): a box with the text
// recognised in it,
//
//	{"x": 10, "y": 20, "width": 30, "height": 5, "rotation": 0,
//	 "ocrtext": "Total: 12.50", "pageIndex": 0, "ocrlabels": ["Amount"]}
//
// The geometry is that of [RectangleValue]. In Label Studio Community, OCR
// is a "rectanglelabels" box plus a per-region "textarea" result sharing
// its id; [GroupRegions] brings the two together.
type OCRLabelsValue struct {
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Rotation float64 `json:"rotation"`
	// OCRText is the recognised text; "" when not sent.
	OCRText string `json:"ocrtext,omitempty"`
	// PageIndex is the document page; nil when not sent.
	PageIndex *int64   `json:"pageIndex,omitempty"`
	OCRLabels []string `json:"ocrlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*OCRLabelsValue) resultValue() {}

// LabelNames returns the OCR labels and the labels.
func (v *OCRLabelsValue) LabelNames() []string { return joinLabels(v.OCRLabels, v.Labels) }

// Pixels converts the box to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *OCRLabelsValue) Pixels(s ImageSize) PixelRect {
	r := RectangleValue{X: v.X, Y: v.Y, Width: v.Width, Height: v.Height, Rotation: v.Rotation}
	return r.Pixels(s)
}

// MarshalJSON writes the value with its Extra keys.
func (v OCRLabelsValue) MarshalJSON() ([]byte, error) {
	type plain OCRLabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads an ocrlabels value.
func (v *OCRLabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

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
	if math.IsInf(p.X, 0) || math.IsNaN(p.X) || math.IsInf(p.Y, 0) || math.IsNaN(p.Y) {
		return nil, errors.New("lswebhook: point coordinates must be finite")
	}
	return []byte("[" + formatNumber(p.X) + "," + formatNumber(p.Y) + "]"), nil
}

// UnmarshalJSON reads [x, y].
func (p *Point) UnmarshalJSON(data []byte) error { return unmarshalTape(data, p) }

func (p *Point) fromTree(v any) error {
	a, ok := v.([]any)
	if !ok || len(a) != 2 {
		if ok {
			return errors.New("expected an array of 2 numbers, but got " + strconv.Itoa(len(a)) + " items")
		}
		return errors.New("expected an array of 2 numbers, but got " + jsonTypeName(v))
	}
	var xy [2]float64
	for i, e := range a {
		n, ok := e.(json.Number)
		if !ok {
			return errors.New("expected an array of 2 numbers, but item " + strconv.Itoa(i) + " is " + article(jsonTypeName(e)) + " " + jsonTypeName(e))
		}
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return errors.New("number " + shorten(string(n)) + " is out of range for float64")
		}
		xy[i] = f
	}
	*p = Point{X: xy[0], Y: xy[1]}
	return nil
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

// ImageSize returns the size of the image the result's region was drawn
// on. ok is false when original_width or original_height is missing or
// not positive (results of objects other than images).
func (r *Result) ImageSize() (s ImageSize, ok bool) {
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

// PixelRect is a box in pixels, as returned by [RectangleValue.Pixels]: the
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
// [EllipseValue.Pixels]: center, radii, and clockwise rotation in degrees.
type PixelEllipse struct {
	X, Y, RadiusX, RadiusY, Rotation float64
}
