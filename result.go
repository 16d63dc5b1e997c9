package lswebhook

import "encoding/json"

// ResultTypeRelation is the Type of a [Result] that links two regions.
const ResultTypeRelation = "relation"

// Result is one item of an annotation's result list: a region, a
// classification, or a relation between two regions. Results that describe
// the same region share an ID (for example a box and a per-region choice).
//
// Value holds the type-specific value as sent; its shape depends on Type
// (the lower-case control tag name, such as "rectanglelabels" or
// "choices"). A relation (Type "relation") has no Value, FromName or ToName;
// it has FromID, ToID, Direction and optionally Labels. The package
// [github.com/seed-d2dfa170/lswebhook/lsresult] reads Value as a typed Go
// value, groups results into regions and decodes brush masks.
type Result struct {
	// ID identifies the region; shared by all results of one region.
	ID string `json:"id,omitempty"`
	// FromName is the control tag's name; ToName the object tag's name.
	FromName string `json:"from_name,omitempty"`
	ToName   string `json:"to_name,omitempty"`
	// Type is the lower-case control tag type, e.g. "rectanglelabels".
	Type string `json:"type"`
	// Value is the type-specific value object, as sent.
	Value json.RawMessage `json:"value,omitempty"`
	// Origin is "manual", "prediction" or "prediction-changed".
	Origin string `json:"origin,omitempty"`
	// Score is the prediction score; nil when absent.
	Score    *float64 `json:"score,omitempty"`
	ReadOnly bool     `json:"readonly,omitempty"`
	Hidden   bool     `json:"hidden,omitempty"`
	// Meta holds region metadata such as {"text": ["note"]}.
	Meta json.RawMessage `json:"meta,omitempty"`
	// ParentID is the id of the enclosing region, for child regions.
	ParentID string `json:"parentID,omitempty"`
	// ItemIndex is the item of a multi-item object; nil when absent (0 is a
	// valid index).
	ItemIndex *int64 `json:"item_index,omitempty"`
	// OriginalWidth and OriginalHeight are the image size in pixels, for
	// image regions.
	OriginalWidth  int64 `json:"original_width,omitempty"`
	OriginalHeight int64 `json:"original_height,omitempty"`
	// ImageRotation is the image's rotation in degrees.
	ImageRotation float64 `json:"image_rotation,omitempty"`
	// OriginalLength is the audio length in seconds, for audio regions.
	OriginalLength float64 `json:"original_length,omitempty"`
	// Source is the data key, e.g. "$image"; old exports only.
	Source string `json:"source,omitempty"`
	// IsPositive marks smart-tool keypoints; nil when absent.
	IsPositive *bool `json:"is_positive,omitempty"`

	// FromID and ToID are the region ids a relation links.
	FromID string `json:"from_id,omitempty"`
	ToID   string `json:"to_id,omitempty"`
	// Direction of a relation: "right", "left" or "bi".
	Direction string `json:"direction,omitempty"`
	// Labels of a relation.
	Labels []string `json:"labels,omitzero"`

	// Extra holds members the library does not model, keyed by name, as
	// sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// IsRelation reports whether the result links two regions.
func (r *Result) IsRelation() bool { return r.Type == ResultTypeRelation }

// MarshalJSON encodes the result with its Extra members.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return marshalObject("", plain(r), r.Extra)
}

// UnmarshalJSON decodes a result item with the same rules as [Decode].
func (r *Result) UnmarshalJSON(data []byte) error { return unmarshalTape(data, r) }
