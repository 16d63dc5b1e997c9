package lswebhook

import "encoding/json"

// Task is a Label Studio task as webhook payloads carry it: every column of
// the task model (Label Studio's TaskWebhookSerializer). Tasks in webhooks
// never embed their annotations or predictions.
type Task struct {
	ID int64 `json:"id"`
	// Data is the task's data object, byte for byte as sent, e.g.
	// {"image": "s3://..."}. Unmarshal it into a type of your own with
	// [Task.UnmarshalData].
	Data json.RawMessage `json:"data"`
	// Meta is the task's metadata object; nil when null.
	Meta json.RawMessage `json:"meta"`
	// Project is the project id; 0 when null.
	Project   int64 `json:"project"`
	CreatedAt Time  `json:"created_at"`
	UpdatedAt Time  `json:"updated_at"`
	// UpdatedBy is the id of the user who last updated the task; 0 when null
	// or absent.
	UpdatedBy int64 `json:"updated_by,omitempty"`
	IsLabeled bool  `json:"is_labeled"`
	// AllowSkip is sent by newer versions only; nil when absent or null.
	AllowSkip *bool `json:"allow_skip,omitempty"`
	Overlap   int64 `json:"overlap"`
	// FileUpload is the id of the import file the task came from; 0 when null.
	FileUpload int64 `json:"file_upload"`
	// InnerID is the task's number inside its project (1, 2, ...), sent by
	// newer versions only; 0 when absent or null.
	InnerID int64 `json:"inner_id,omitempty"`

	// TaskCounters are sent by newer versions only.
	TaskCounters

	// PrecomputedAgreement is sent by the newest versions only; nil when
	// absent or null.
	PrecomputedAgreement *float64 `json:"precomputed_agreement,omitempty"`
	// LastCommentUpdatedAt is nil when absent or null.
	LastCommentUpdatedAt *Time `json:"last_comment_updated_at,omitempty"`
	// CommentAuthors lists the ids of users who commented on the task.
	CommentAuthors []int64 `json:"comment_authors,omitzero"`

	// Extra holds members the library does not model, keyed by name, as
	// sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// TaskCounters are the per-task counters newer Label Studio versions send.
// Each is nil when absent.
type TaskCounters struct {
	TotalAnnotations       *int64 `json:"total_annotations,omitempty"`
	CancelledAnnotations   *int64 `json:"cancelled_annotations,omitempty"`
	TotalPredictions       *int64 `json:"total_predictions,omitempty"`
	CommentCount           *int64 `json:"comment_count,omitempty"`
	UnresolvedCommentCount *int64 `json:"unresolved_comment_count,omitempty"`
}

// UnmarshalData decodes the task's Data into v with encoding/json.
func (t *Task) UnmarshalData(v any) error {
	if len(t.Data) == 0 {
		return json.Unmarshal([]byte("null"), v)
	}
	return json.Unmarshal(t.Data, v)
}

// MarshalJSON encodes the task with its Extra members.
func (t Task) MarshalJSON() ([]byte, error) {
	type plain Task
	return marshalObject("", plain(t), t.Extra)
}

// UnmarshalJSON decodes a task object with the same rules as [Decode]
// (exact key names, no schema validation). Unknown members go to Extra.
func (t *Task) UnmarshalJSON(data []byte) error { return unmarshalTape(data, t) }
