package lswebhooktest

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// The defaults come from the image project of a real Label Studio 1.23.2
// capture (testdata/labelstudio-1.23.2/051-ANNOTATION_CREATED-org.json),
// trimmed to one RectangleLabels control: its settings, counters, times,
// task and the rectangle it was annotated with. Secrets are replaced by
// obvious fakes.

const (
	defaultOrganization = 1
	defaultUser         = 1
	defaultProject      = 1
)

const labelConfig = "<View>\n  <Image name=\"image\" value=\"$image\"/>\n  <RectangleLabels name=\"label\" toName=\"image\">\n    <Label value=\"Cat\"/>\n    <Label value=\"Dog\"/>\n  </RectangleLabels>\n</View>"

const parsedLabelConfig = `{"label": {"type": "RectangleLabels", "to_name": ["image"], "inputs": [{"type": "Image", "valueType": null, "value": "image"}], "labels": ["Cat", "Dog"], "labels_attrs": {"Cat": {"value": "Cat"}, "Dog": {"value": "Dog"}}}}`

const rectangleValue = `{"x": 10.5, "y": 20.25, "width": 30, "height": 40.125, "rotation": 0, "rectanglelabels": ["Cat"]}`

// Times of the capture: the project, its task, the annotation, a label.
var (
	projectCreated    = time.Date(2026, 11, 24, 5, 25, 15, 695497000, time.UTC)
	projectUpdated    = time.Date(2026, 11, 24, 5, 25, 15, 695522000, time.UTC)
	taskCreated       = time.Date(2026, 11, 24, 5, 25, 15, 749006000, time.UTC)
	taskUpdated       = time.Date(2026, 11, 24, 5, 25, 15, 813356000, time.UTC)
	annotationCreated = time.Date(2026, 11, 24, 5, 25, 15, 795321000, time.UTC)
	annotationUpdated = time.Date(2026, 11, 24, 5, 25, 15, 795355000, time.UTC)
	labelCreated      = time.Date(2026, 11, 24, 5, 25, 15, 504119000, time.UTC)
	labelUpdated      = time.Date(2026, 11, 24, 5, 25, 15, 504147000, time.UTC)
)

// id returns the id of the i-th subject entity.
func (c *config) id(i int) int64 { return c.seq*maxCount + int64(i) + 1 }

// at returns a default time moved to the configured sequence: n seconds,
// plus i milliseconds for the i-th item.
func (c *config) at(t time.Time, i int) lswebhook.Time {
	return lswebhook.Time{Time: t.Add(time.Duration(c.seq)*time.Second + time.Duration(i)*time.Millisecond)}
}

func ptr[T any](v T) *T { return &v }

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// counters are a project's counters: tasks, finished tasks, annotations,
// tasks with annotations, useful, ground truth and skipped annotations,
// predictions.
type counters struct {
	tasks, finished, annotations, withAnnotations, useful, groundTruth, skipped, predictions int64
}

// project returns the default project. A subject project (the PROJECT_*
// actions, START_TRAINING) takes its id and times from the sequence.
func (c *config) project(subject bool, n counters) *lswebhook.Project {
	id, created, updated := int64(defaultProject), lswebhook.Time{Time: projectCreated}, lswebhook.Time{Time: projectUpdated}
	if subject {
		id, created, updated = c.id(0), c.at(projectCreated, 0), c.at(projectUpdated, 0)
	}
	return &lswebhook.Project{
		ID:                                id,
		Title:                             "Image project",
		Description:                       "",
		Organization:                      defaultOrganization,
		LabelConfig:                       labelConfig,
		ParsedLabelConfig:                 raw(parsedLabelConfig),
		LabelConfigHash:                   ptr(int64(-7538688212949327071)),
		ExpertInstruction:                 "",
		ShowInstruction:                   false,
		ShowSkipButton:                    true,
		EnableEmptyAnnotation:             true,
		RevealPreannotationsInteractively: ptr(false),
		ShowAnnotationHistory:             false,
		ShowCollabPredictions:             true,
		EvaluatePredictionsAutomatically:  false,
		Token:                             fmt.Sprintf("fake-project-token-%d", id),
		ResultCount:                       0,
		Color:                             "#FFFFFF",
		CreatedBy:                         defaultUser,
		MaximumAnnotations:                1,
		MinAnnotationsToStartTraining:     0,
		ControlWeights: map[string]lswebhook.ControlWeight{
			"label": {Overall: 1, Type: "RectangleLabels", Labels: map[string]float64{"Cat": 1, "Dog": 1}},
		},
		ModelVersion:               "",
		DataTypes:                  map[string]string{"image": "Image"},
		IsDraft:                    false,
		IsPublished:                false,
		CreatedAt:                  created,
		UpdatedAt:                  updated,
		Sampling:                   "Sequential sampling",
		SkipQueue:                  "REQUEUE_FOR_OTHERS",
		ShowGroundTruthFirst:       false,
		ShowOverlapFirst:           false,
		OverlapCohortPercentage:    100,
		TaskDataLogin:              "",
		TaskDataPassword:           "",
		AnnotatorEvaluationEnabled: ptr(false),
		ProjectCounters: lswebhook.ProjectCounters{
			TaskNumber:               ptr(n.tasks),
			FinishedTaskNumber:       ptr(n.finished),
			TotalPredictionsNumber:   ptr(n.predictions),
			TotalAnnotationsNumber:   ptr(n.annotations),
			NumTasksWithAnnotations:  ptr(n.withAnnotations),
			UsefulAnnotationNumber:   ptr(n.useful),
			GroundTruthNumber:        ptr(n.groundTruth),
			SkippedAnnotationsNumber: ptr(n.skipped),
		},
		// Label Studio 1.23 sends this column of the project model, which
		// the library does not model.
		Extra: map[string]json.RawMessage{"search_vector": raw("null")},
	}
}

// taskCounts are a task's counters: annotations, cancelled ones,
// predictions.
type taskCounts struct{ annotations, cancelled, predictions int64 }

// task returns the i-th default task.
func (c *config) task(i int, labeled bool, n taskCounts, updated time.Time) lswebhook.Task {
	id := c.id(i)
	return lswebhook.Task{
		ID:         id,
		Data:       raw(fmt.Sprintf(`{"image": "https://example.com/images/cat-%d.jpg"}`, id)),
		Meta:       raw(`{}`),
		Project:    defaultProject,
		CreatedAt:  c.at(taskCreated, i),
		UpdatedAt:  c.at(updated, i),
		UpdatedBy:  defaultUser,
		IsLabeled:  labeled,
		AllowSkip:  ptr(true),
		Overlap:    1,
		FileUpload: 0,
		InnerID:    id,
		TaskCounters: lswebhook.TaskCounters{
			TotalAnnotations:       ptr(n.annotations),
			CancelledAnnotations:   ptr(n.cancelled),
			TotalPredictions:       ptr(n.predictions),
			CommentCount:           ptr(int64(0)),
			UnresolvedCommentCount: ptr(int64(0)),
		},
		CommentAuthors: []int64{},
	}
}

// rectangle returns the default result: one rectangle labelled "Cat".
func rectangle() lswebhook.Result {
	return lswebhook.Result{
		ID:             "rect_1",
		FromName:       "label",
		ToName:         "image",
		Type:           "rectanglelabels",
		Origin:         "manual",
		Value:          raw(rectangleValue),
		OriginalWidth:  640,
		OriginalHeight: 480,
	}
}

// annotation returns the i-th default annotation, on task c.id(i).
func (c *config) annotation(i int) lswebhook.Annotation {
	id := c.id(i)
	a := lswebhook.Annotation{
		ID:           id,
		Result:       []lswebhook.Result{rectangle()},
		Task:         id,
		Project:      defaultProject,
		CompletedBy:  defaultUser,
		UpdatedBy:    defaultUser,
		WasCancelled: false,
		GroundTruth:  false,
		CreatedAt:    c.at(annotationCreated, i),
		UpdatedAt:    c.at(annotationUpdated, i),
		LeadTime:     ptr(3.25),
		Prediction:   raw(`{}`),
		ResultCount:  1,
		UniqueID:     fmt.Sprintf("3f2b8c1e-5d4a-4e6f-9a7b-%012d", id),
		BulkCreated:  ptr(false),
	}
	if c.skipped {
		a.Result = []lswebhook.Result{}
		a.WasCancelled = true
		a.ResultCount = 0
		a.LeadTime = ptr(1.0)
	}
	return a
}

// labelLink returns the i-th default label link, linking label c.id(i).
func (c *config) labelLink(i int) lswebhook.LabelLink {
	return lswebhook.LabelLink{ID: c.id(i), Project: defaultProject, Label: c.id(i), FromName: "label"}
}

// label returns the label of the first link.
func (c *config) label() *lswebhook.Label {
	return &lswebhook.Label{
		ID:           c.id(0),
		CreatedAt:    c.at(labelCreated, 0),
		UpdatedAt:    c.at(labelUpdated, 0),
		CreatedBy:    defaultUser,
		Value:        raw(`"Cat"`),
		Title:        "Cat",
		Description:  "",
		Approved:     false,
		Organization: defaultOrganization,
		Projects:     []int64{defaultProject},
		Links:        []int64{c.id(0)},
	}
}

// review returns the default review: the first annotation, accepted.
func (c *config) review() *lswebhook.Review {
	t := c.at(annotationUpdated.Add(time.Minute), 0)
	return &lswebhook.Review{ID: c.id(0), Annotation: c.id(0), CreatedBy: defaultUser, Accepted: ptr(true), CreatedAt: &t}
}

func refs(c *config, n int) []lswebhook.Ref {
	out := make([]lswebhook.Ref, n)
	for i := range out {
		out[i] = lswebhook.Ref{ID: c.id(i)}
	}
	return out
}
