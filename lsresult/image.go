package lsresult

import (
	"encoding/json"
)

// This file holds the values of image region results, the brush's aside
// (brush.go). Coordinates are percentages (0-100) of the original image's
// width (x) and height (y); [ImageSize] and the Pixels methods convert
// them. A region made with a tool and a separate Labels tag (Rectangle
// with Labels) also carries a "labels" list, kept in the Labels field of
// each type.

// Rectangle is the value of a "rectangle" or "rectanglelabels" result
// (Rectangle and RectangleLabels tags):
//
//	{"x": 10.5, "y": 20.25, "width": 30, "height": 40.125, "rotation": 0,
//	 "rectanglelabels": ["Cat"]}
//
// X and Y locate the top-left corner; Rotation turns the box clockwise, in
// degrees, around that corner. A "rectangle" result has no
// rectanglelabels.
type Rectangle struct {
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

func (*Rectangle) isValue() {}

// LabelNames returns the rectangle labels and the labels.
func (v *Rectangle) LabelNames() []string { return joinLabels(v.RectangleLabels, v.Labels) }

// Pixels converts the box to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *Rectangle) Pixels(s ImageSize) PixelRect {
	return PixelRect{
		X: v.X * float64(s.Width) / 100, Y: v.Y * float64(s.Height) / 100,
		Width: v.Width * float64(s.Width) / 100, Height: v.Height * float64(s.Height) / 100,
		Rotation: v.Rotation,
	}
}

// MarshalJSON writes the value with its Extra keys.
func (v Rectangle) MarshalJSON() ([]byte, error) {
	type plain Rectangle
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a rectangle value.
func (v *Rectangle) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Ellipse is the value of an "ellipse" or "ellipselabels" result
// (Ellipse and EllipseLabels tags):
//
//	{"x": 60, "y": 60, "radiusX": 5.5, "radiusY": 7, "rotation": 15,
//	 "ellipselabels": ["Ball"]}
//
// X and Y locate the center; RadiusX is a percentage of the image width,
// RadiusY of its height; Rotation turns the ellipse clockwise, in degrees,
// around its center.
type Ellipse struct {
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

func (*Ellipse) isValue() {}

// LabelNames returns the ellipse labels and the labels.
func (v *Ellipse) LabelNames() []string { return joinLabels(v.EllipseLabels, v.Labels) }

// Pixels converts the ellipse to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *Ellipse) Pixels(s ImageSize) PixelEllipse {
	return PixelEllipse{
		X: v.X * float64(s.Width) / 100, Y: v.Y * float64(s.Height) / 100,
		RadiusX: v.RadiusX * float64(s.Width) / 100, RadiusY: v.RadiusY * float64(s.Height) / 100,
		Rotation: v.Rotation,
	}
}

// MarshalJSON writes the value with its Extra keys.
func (v Ellipse) MarshalJSON() ([]byte, error) {
	type plain Ellipse
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads an ellipse value.
func (v *Ellipse) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// KeyPoint is the value of a "keypoint" or "keypointlabels" result
// (KeyPoint and KeyPointLabels tags):
// {"x": 33.3, "y": 44.4, "width": 0.625, "keypointlabels": ["Eye"]}. Width
// is the drawn point's size as a percentage of the image width. Points
// placed with a smart tool (for interactive ML backends) also carry a
// "labels" list, and the result a top-level is_positive
// ([lswebhook.Result.IsPositive]). A key point inside a box names the
// box's region in [lswebhook.Result.ParentID].
type KeyPoint struct {
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

func (*KeyPoint) isValue() {}

// LabelNames returns the key point labels and the labels.
func (v *KeyPoint) LabelNames() []string { return joinLabels(v.KeyPointLabels, v.Labels) }

// Pixels converts the point to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *KeyPoint) Pixels(s ImageSize) Point { return s.Pixels(Point{X: v.X, Y: v.Y}) }

// MarshalJSON writes the value with its Extra keys.
func (v KeyPoint) MarshalJSON() ([]byte, error) {
	type plain KeyPoint
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a key point value.
func (v *KeyPoint) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Polygon is the value of a "polygon" or "polygonlabels" result
// (Polygon and PolygonLabels tags):
// {"points": [[10, 10], [50.5, 12], [40, 60.25]], "closed": true,
// "polygonlabels": ["Cat"]}. closed is sent by newer versions only; an
// older result, or one from an ML backend, without it is a closed polygon.
type Polygon struct {
	Points []Point `json:"points"`
	// Closed is nil when not sent; see IsClosed.
	Closed        *bool    `json:"closed,omitempty"`
	PolygonLabels []string `json:"polygonlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Polygon) isValue() {}

// IsClosed reports whether the polygon is closed: Closed, or true when it
// was not sent.
func (v *Polygon) IsClosed() bool { return v.Closed == nil || *v.Closed }

// LabelNames returns the polygon labels and the labels.
func (v *Polygon) LabelNames() []string { return joinLabels(v.PolygonLabels, v.Labels) }

// Pixels converts the points to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *Polygon) Pixels(s ImageSize) []Point {
	out := make([]Point, len(v.Points))
	for i, p := range v.Points {
		out[i] = s.Pixels(p)
	}
	return out
}

// MarshalJSON writes the value with its Extra keys.
func (v Polygon) MarshalJSON() ([]byte, error) {
	type plain Polygon
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a polygon value.
func (v *Polygon) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Vector is the value of a "vector" or "vectorlabels" result (Vector
// and VectorLabels tags, newest versions): a path of vertices, open or
// closed, whose segments may be Bézier curves,
//
//	{"vertices": [{"id": "p1", "x": 25, "y": 30, "prevPointId": null,
//	   "isBezier": false},
//	  {"id": "p2", "x": 75, "y": 70, "prevPointId": "p1", "isBezier": true,
//	   "controlPoint1": {"x": 50, "y": 40},
//	   "controlPoint2": {"x": 60, "y": 60}}],
//	 "closed": false, "vectorlabels": ["Road"]}
type Vector struct {
	Vertices     []Vertex `json:"vertices"`
	Closed       bool     `json:"closed"`
	VectorLabels []string `json:"vectorlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// Vertex is one vertex of a [Vector].
type Vertex struct {
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
func (x Vertex) MarshalJSON() ([]byte, error) {
	type plain Vertex
	type withNull struct {
		plain
		PrevPointID *string `json:"prevPointId"`
	}
	w := withNull{plain: plain(x)}
	if x.PrevPointID != "" {
		w.PrevPointID = &x.PrevPointID
	}
	return withExtra(w, x.Extra)
}

// ControlPoint is a Bézier control point of a [Vertex], in
// percentages of the image size.
type ControlPoint struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

func (*Vector) isValue() {}

// LabelNames returns the vector labels and the labels.
func (v *Vector) LabelNames() []string { return joinLabels(v.VectorLabels, v.Labels) }

// Pixels converts the vertices' positions to pixels of the image described
// by s; see [ImageSize.Pixels].
func (v *Vector) Pixels(s ImageSize) []Point {
	out := make([]Point, len(v.Vertices))
	for i, x := range v.Vertices {
		out[i] = s.Pixels(Point{X: x.X, Y: x.Y})
	}
	return out
}

// MarshalJSON writes the value with its Extra keys.
func (v Vector) MarshalJSON() ([]byte, error) {
	type plain Vector
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a vector value.
func (v *Vector) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// OCRLabels is the value of an "ocrlabels" result (an OCR labels tag
// of Label Studio Enterprise's PDF and image OCR): a box with the text
// recognised in it,
//
//	{"x": 10, "y": 20, "width": 30, "height": 5, "rotation": 0,
//	 "ocrtext": "Total: 12.50", "pageIndex": 0, "ocrlabels": ["Amount"]}
//
// The geometry is that of [Rectangle]. In Label Studio Community, OCR
// is a "rectanglelabels" box plus a per-region "textarea" result sharing
// its id; [Group] brings the two together.
type OCRLabels struct {
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

func (*OCRLabels) isValue() {}

// LabelNames returns the OCR labels and the labels.
func (v *OCRLabels) LabelNames() []string { return joinLabels(v.OCRLabels, v.Labels) }

// Pixels converts the box to pixels of the image described by s; see
// [ImageSize.Pixels].
func (v *OCRLabels) Pixels(s ImageSize) PixelRect {
	r := Rectangle{X: v.X, Y: v.Y, Width: v.Width, Height: v.Height, Rotation: v.Rotation}
	return r.Pixels(s)
}

// MarshalJSON writes the value with its Extra keys.
func (v OCRLabels) MarshalJSON() ([]byte, error) {
	type plain OCRLabels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads an ocrlabels value.
func (v *OCRLabels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }
