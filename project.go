package lswebhook

import "encoding/json"

// Project is a Label Studio project as webhook payloads carry it: every
// column of the project model (Label Studio's ProjectWebhookSerializer) plus
// the task and annotation counters.
//
// The webhook project differs from the REST API's project: CreatedBy is a
// user id, not an object, and Token, TaskDataLogin and TaskDataPassword are
// secrets sent in clear text. Do not log a Project unredacted.
type Project struct {
	ID int64 `json:"id"`
	// Title is 3 to 50 characters when set; "" when null.
	Title string `json:"title"`
	// Description is "" when null.
	Description string `json:"description"`
	// Organization is the organization id; 0 when null.
	Organization int64 `json:"organization"`
	// LabelConfig is the labeling configuration (XML); it can be large.
	LabelConfig string `json:"label_config"`
	// ParsedLabelConfig is the server's parse of LabelConfig, sent by newer
	// versions only.
	ParsedLabelConfig json.RawMessage `json:"parsed_label_config,omitempty"`
	// LabelConfigHash is a 64-bit hash of LabelConfig, sent by newer versions
	// only; nil when absent or null.
	LabelConfigHash *int64 `json:"label_config_hash,omitempty"`
	// ExpertInstruction is the labeling instruction (HTML).
	ExpertInstruction string `json:"expert_instruction"`

	ShowInstruction       bool `json:"show_instruction"`
	ShowSkipButton        bool `json:"show_skip_button"`
	EnableEmptyAnnotation bool `json:"enable_empty_annotation"`
	// RevealPreannotationsInteractively is sent by newer versions only; nil
	// when absent.
	RevealPreannotationsInteractively *bool `json:"reveal_preannotations_interactively,omitempty"`
	ShowAnnotationHistory             bool  `json:"show_annotation_history"`
	ShowCollabPredictions             bool  `json:"show_collab_predictions"`
	EvaluatePredictionsAutomatically  bool  `json:"evaluate_predictions_automatically"`

	// Token is the project's invite token: a secret.
	Token       string `json:"token"`
	ResultCount int64  `json:"result_count"`
	// Color is a CSS colour such as "#FFFFFF".
	Color string `json:"color"`
	// CreatedBy is the id of the user who created the project; 0 when null.
	CreatedBy                     int64 `json:"created_by"`
	MaximumAnnotations            int64 `json:"maximum_annotations"`
	MinAnnotationsToStartTraining int64 `json:"min_annotations_to_start_training"`
	// ControlWeights maps a control tag name to its weights.
	ControlWeights map[string]ControlWeight `json:"control_weights"`
	ModelVersion   string                   `json:"model_version"`
	// DataTypes maps a task data key to its object tag type, e.g.
	// {"image": "Image"}.
	DataTypes   map[string]string `json:"data_types"`
	IsDraft     bool              `json:"is_draft"`
	IsPublished bool              `json:"is_published"`
	CreatedAt   Time              `json:"created_at"`
	UpdatedAt   Time              `json:"updated_at"`
	// Sampling is "Sequential sampling", "Uniform sampling" or
	// "Uncertainty sampling".
	Sampling string `json:"sampling"`
	// SkipQueue is "REQUEUE_FOR_ME", "REQUEUE_FOR_OTHERS" or
	// "IGNORE_SKIPPED"; sent by newer versions only.
	SkipQueue               string `json:"skip_queue,omitempty"`
	ShowGroundTruthFirst    bool   `json:"show_ground_truth_first"`
	ShowOverlapFirst        bool   `json:"show_overlap_first"`
	OverlapCohortPercentage int64  `json:"overlap_cohort_percentage"`
	// TaskDataLogin and TaskDataPassword are credentials for task data
	// hosts, sent in clear text: secrets.
	TaskDataLogin    string `json:"task_data_login"`
	TaskDataPassword string `json:"task_data_password"`
	// PinnedAt is when the project was pinned; nil when null or absent.
	PinnedAt *Time `json:"pinned_at,omitempty"`
	// AnnotatorEvaluationEnabled is sent by 1.23 and later; nil when absent.
	AnnotatorEvaluationEnabled *bool `json:"annotator_evaluation_enabled,omitempty"`
	// CustomTaskLockTTL is the task lock time in seconds, sent by 1.23 and
	// later; nil when null or absent.
	CustomTaskLockTTL *int64 `json:"custom_task_lock_ttl,omitempty"`
	// DeletedAt, PurgeAt and DeletedBy describe a soft-deleted project (1.23
	// and later); nil or 0 when null or absent.
	DeletedAt *Time `json:"deleted_at,omitempty"`
	PurgeAt   *Time `json:"purge_at,omitempty"`
	DeletedBy int64 `json:"deleted_by,omitempty"`

	ProjectCounters

	// Extra holds members the library does not model, keyed by name, as
	// sent. Newer servers add fields; nothing is dropped.
	Extra map[string]json.RawMessage `json:"-"`
}

// ProjectCounters are the task and annotation counters a webhook project
// carries. Label Studio versions differ in which counters they send, and a
// counter can be null, so each is nil when absent or null: a nil counter is
// unknown, not zero.
type ProjectCounters struct {
	// TaskNumber is the number of tasks in the project.
	TaskNumber *int64 `json:"task_number,omitempty"`
	// FinishedTaskNumber is the number of tasks considered finished.
	FinishedTaskNumber *int64 `json:"finished_task_number,omitempty"`
	// TotalPredictionsNumber is the number of predictions.
	TotalPredictionsNumber *int64 `json:"total_predictions_number,omitempty"`
	// TotalAnnotationsNumber counts all annotations, skipped and ground truth
	// included.
	TotalAnnotationsNumber *int64 `json:"total_annotations_number,omitempty"`
	// NumTasksWithAnnotations is the number of tasks with at least one
	// annotation.
	NumTasksWithAnnotations *int64 `json:"num_tasks_with_annotations,omitempty"`
	// UsefulAnnotationNumber counts annotations excluding skipped and ground
	// truth ones.
	UsefulAnnotationNumber *int64 `json:"useful_annotation_number,omitempty"`
	// GroundTruthNumber is the number of ground truth annotations.
	GroundTruthNumber *int64 `json:"ground_truth_number,omitempty"`
	// SkippedAnnotationsNumber is the number of skipped (cancelled)
	// annotations.
	SkippedAnnotationsNumber *int64 `json:"skipped_annotations_number,omitempty"`

	// NumTasks, NumAnnotations and NumLabeledTasks are the counters of an
	// intermediate Label Studio version, superseded by the ones above.
	NumTasks        *int64 `json:"num_tasks,omitempty"`
	NumAnnotations  *int64 `json:"num_annotations,omitempty"`
	NumLabeledTasks *int64 `json:"num_labeled_tasks,omitempty"`
}

// ControlWeight is the weight of one control tag in agreement scores.
type ControlWeight struct {
	Overall float64 `json:"overall"`
	// Type is the control tag type, e.g. "RectangleLabels".
	Type string `json:"type"`
	// Labels maps a label to its weight.
	Labels map[string]float64 `json:"labels,omitzero"`

	// Extra holds members the library does not model.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON encodes the project with its Extra members.
func (p Project) MarshalJSON() ([]byte, error) {
	type plain Project
	return marshalObject("", plain(p), p.Extra)
}

// UnmarshalJSON decodes a project object with the same rules as [Decode]
// (exact key names, no schema validation). Unknown members go to Extra.
func (p *Project) UnmarshalJSON(data []byte) error { return unmarshalTape(data, p) }

// MarshalJSON encodes the weight with its Extra members.
func (w ControlWeight) MarshalJSON() ([]byte, error) {
	type plain ControlWeight
	return marshalObject("", plain(w), w.Extra)
}

// UnmarshalJSON decodes a control weight with the same rules as [Decode].
func (w *ControlWeight) UnmarshalJSON(data []byte) error { return unmarshalTape(data, w) }
