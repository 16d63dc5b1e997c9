package lswebhook

import "encoding/json"

// Review is an annotation review, sent by Label Studio Enterprise with the
// REVIEW_* actions. The payload layout of those actions is not published;
// the fields here are those of the SDK's AnnotationReview type, all
// optional, and everything else is kept in Extra.
//
// Unverified: no Label Studio server this library was tested against
// sends these events, so every field below is a guess from the SDK, not a
// shape confirmed by a real delivery. Read Extra too.
type Review struct {
	// ID is the review's id (unverified).
	ID int64 `json:"id,omitempty"`
	// Annotation is the reviewed annotation's id (unverified).
	Annotation int64 `json:"annotation,omitempty"`
	// CreatedBy is the reviewer's user id (unverified).
	CreatedBy int64 `json:"created_by,omitempty"`
	// Accepted is nil when absent or null (unverified).
	Accepted *bool `json:"accepted,omitempty"`
	// CreatedAt is when the review was made (unverified).
	CreatedAt *Time `json:"created_at,omitempty"`

	// Extra holds members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON encodes the review with its Extra members.
func (r Review) MarshalJSON() ([]byte, error) {
	type plain Review
	return marshalObject("", plain(r), r.Extra)
}

// UnmarshalJSON decodes a review with the same rules as [Decode].
func (r *Review) UnmarshalJSON(data []byte) error { return unmarshalTape(data, r) }
