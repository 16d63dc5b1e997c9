package lswebhook

import "encoding/json"

// LabelLink ties a label from the organization's label library to a control
// tag of one project (Label Studio's LabelLinkSerializer).
type LabelLink struct {
	ID int64 `json:"id"`
	// Project is the project id.
	Project int64 `json:"project"`
	// Label is the label id.
	Label int64 `json:"label"`
	// FromName is the name of the control tag the label belongs to.
	FromName string `json:"from_name"`
	// AnnotationsCount is computed for REST responses only; nil when absent.
	AnnotationsCount *int64 `json:"annotations_count,omitempty"`

	// Extra holds members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// Label is an entry of the organization's label library (Label Studio's
// LabelSerializer), sent with LABEL_LINK_UPDATED.
type Label struct {
	ID        int64 `json:"id"`
	CreatedAt Time  `json:"created_at,omitzero"`
	UpdatedAt Time  `json:"updated_at,omitzero"`
	// CreatedBy is a user id; 0 when null.
	CreatedBy int64 `json:"created_by"`
	// Value is the label's value as sent, e.g. {"choices": ["pos"]}.
	Value json.RawMessage `json:"value"`
	Title string          `json:"title"`
	// Description is "" when null.
	Description string `json:"description"`
	// ApprovedBy is a user id; 0 when null.
	ApprovedBy   int64 `json:"approved_by"`
	Approved     bool  `json:"approved"`
	Organization int64 `json:"organization"`
	// Projects and Links are id lists.
	Projects []int64 `json:"projects,omitzero"`
	Links    []int64 `json:"links,omitzero"`

	// Extra holds members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON encodes the link with its Extra members.
func (l LabelLink) MarshalJSON() ([]byte, error) {
	type plain LabelLink
	return marshalObject("", plain(l), l.Extra)
}

// UnmarshalJSON decodes a label link with the same rules as [Decode].
func (l *LabelLink) UnmarshalJSON(data []byte) error { return unmarshalTape(data, l) }

// MarshalJSON encodes the label with its Extra members.
func (l Label) MarshalJSON() ([]byte, error) {
	type plain Label
	return marshalObject("", plain(l), l.Extra)
}

// UnmarshalJSON decodes a label with the same rules as [Decode].
func (l *Label) UnmarshalJSON(data []byte) error { return unmarshalTape(data, l) }
