package lswebhook

import "encoding/json"

// Annotation is a Label Studio annotation as webhook payloads carry it:
// every column of the annotation model (Label Studio's
// AnnotationWebhookSerializer). A skipped task is an annotation with
// WasCancelled set and, usually, an empty Result.
type Annotation struct {
	ID int64 `json:"id"`
	// Result holds the annotation's regions and classifications. It is nil
	// when null and empty (not nil) when sent as [].
	Result []Result `json:"result"`
	// Task is the task id; 0 when null.
	Task int64 `json:"task"`
	// Project is the project id, sent by Label Studio 1.7 and later; 0 when
	// absent or null.
	Project int64 `json:"project,omitempty"`
	// CompletedBy is the id of the user who made the annotation; 0 when null.
	// Webhooks always send an id here, never a user object.
	CompletedBy int64 `json:"completed_by"`
	// UpdatedBy is the id of the user who last updated it; 0 when null or
	// absent.
	UpdatedBy int64 `json:"updated_by,omitempty"`
	// WasCancelled is true for a skipped task.
	WasCancelled bool `json:"was_cancelled"`
	// GroundTruth is the annotation's ground-truth flag. (The documentation
	// says it is always false; it is not.)
	GroundTruth bool `json:"ground_truth"`
	CreatedAt   Time `json:"created_at"`
	UpdatedAt   Time `json:"updated_at"`
	// DraftCreatedAt is nil when null or absent.
	DraftCreatedAt *Time `json:"draft_created_at,omitempty"`
	// LeadTime is the time spent on the annotation, in seconds; nil when
	// null.
	LeadTime *float64 `json:"lead_time"`
	// Prediction is the prediction shown while annotating, as sent; usually
	// {}.
	Prediction  json.RawMessage `json:"prediction"`
	ResultCount int64           `json:"result_count"`
	// ParentPrediction and ParentAnnotation are the ids of the prediction or
	// annotation this one was made from; 0 when null or absent.
	ParentPrediction int64 `json:"parent_prediction,omitempty"`
	ParentAnnotation int64 `json:"parent_annotation,omitempty"`
	// UniqueID is a UUID string; "" when null or absent.
	UniqueID string `json:"unique_id,omitempty"`
	// ImportID is a 64-bit import identifier; 0 when null or absent.
	ImportID int64 `json:"import_id,omitempty"`
	// LastAction is one of "prediction", "propagated_annotation",
	// "imported", "submitted", "updated", "skipped", "accepted", "rejected",
	// "fixed_and_accepted", "deleted_review"; "" when null or absent.
	LastAction string `json:"last_action,omitempty"`
	// LastCreatedBy is a user id; 0 when null or absent.
	LastCreatedBy int64 `json:"last_created_by,omitempty"`
	// BulkCreated is sent by the newest versions only; nil when absent or
	// null.
	BulkCreated *bool `json:"bulk_created,omitempty"`

	// Extra holds members the library does not model, keyed by name, as
	// sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON encodes the annotation with its Extra members.
func (a Annotation) MarshalJSON() ([]byte, error) {
	type plain Annotation
	return marshalObject("", plain(a), a.Extra)
}

// UnmarshalJSON decodes an annotation object with the same rules as
// [Decode] (exact key names, no schema validation).
func (a *Annotation) UnmarshalJSON(data []byte) error { return unmarshalTape(data, a) }
