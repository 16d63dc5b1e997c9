package lswebhook_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// The documentation's 2021 project objects.

func docsProject(t *testing.T, path string, id int64) *lswebhook.Project {
	p := &lswebhook.Project{
		ID:                            id,
		Title:                         "New Project #2",
		Organization:                  1,
		LabelConfig:                   stringAt(t, path, "project", "label_config"),
		ShowSkipButton:                true,
		EnableEmptyAnnotation:         true,
		ShowCollabPredictions:         true,
		Token:                         lswebhook.NewSecret("9105a1d897e52286"),
		Color:                         "#FFFFFF",
		CreatedBy:                     1,
		MaximumAnnotations:            1,
		MinAnnotationsToStartTraining: 10,
		ControlWeights:                map[string]lswebhook.ControlWeight{},
		DataTypes:                     map[string]string{},
		CreatedAt:                     tm(t, "2021-08-17T13:49:34.326416Z"),
		UpdatedAt:                     tm(t, "2021-08-17T13:52:09.334425Z"),
		Sampling:                      "Sequential sampling",
		ShowGroundTruthFirst:          true,
		ShowOverlapFirst:              true,
		OverlapCohortPercentage:       100,
	}
	return p
}

// docsNERProject is project 2 after its labeling configuration was set.
func docsNERProject(t *testing.T, path string) *lswebhook.Project {
	p := docsProject(t, path, 2)
	p.ControlWeights = map[string]lswebhook.ControlWeight{
		"answer": {Overall: 1, Type: "Labels", Labels: map[string]float64{"Answer": 1}},
	}
	p.DataTypes = map[string]string{"ner": "Text"}
	return p
}

func docsImageProject(t *testing.T, path string, updated string) *lswebhook.Project {
	p := docsProject(t, path, 1)
	p.Title = "New Project #5"
	p.Token = lswebhook.NewSecret("846c4da585704dd4")
	p.Color = "#F6C549"
	p.ControlWeights = map[string]lswebhook.ControlWeight{
		"label": {Overall: 1, Type: "RectangleLabels", Labels: map[string]float64{"Airplane": 1, "Car": 1}},
	}
	p.DataTypes = map[string]string{"image": "Image"}
	p.CreatedAt = tm(t, "2021-08-12T14:15:01.744507Z")
	p.UpdatedAt = tm(t, updated)
	return p
}

func docsTask(t *testing.T, id int64, text, created, updated string) lswebhook.Task {
	b, _ := json.Marshal(map[string]string{"ner": text})
	return lswebhook.Task{
		ID: id, Data: b, Meta: raw(`{}`), Project: 2, FileUpload: 46, Overlap: 1,
		CreatedAt: tm(t, created), UpdatedAt: tm(t, updated),
	}
}

// The hand-written fixtures under testdata/valid share one modern project.

func modernProject(t *testing.T, _ string) *lswebhook.Project {
	return &lswebhook.Project{
		ID:                                7,
		Title:                             "Street scenes",
		Organization:                      1,
		LabelConfig:                       `<View><Image name="image" value="$image"/><RectangleLabels name="label" toName="image"><Label value="Car"/></RectangleLabels></View>`,
		ParsedLabelConfig:                 raw(`{"label":{"type":"RectangleLabels","to_name":["image"],"inputs":[{"type":"Image","value":"image"}],"labels":["Car"]}}`),
		LabelConfigHash:                   i64(-7017832048901809225),
		ExpertInstruction:                 "<p>Box every car.</p>",
		ShowInstruction:                   true,
		ShowSkipButton:                    true,
		EnableEmptyAnnotation:             true,
		RevealPreannotationsInteractively: boolp(false),
		ShowCollabPredictions:             true,
		Token:                             lswebhook.NewSecret("fixture-invite-token"),
		Color:                             "#FF8800",
		CreatedBy:                         3,
		MaximumAnnotations:                1,
		ControlWeights: map[string]lswebhook.ControlWeight{
			"label": {Overall: 1, Type: "RectangleLabels", Labels: map[string]float64{"Car": 1}},
		},
		DataTypes:               map[string]string{"image": "Image"},
		IsPublished:             true,
		CreatedAt:               tm(t, "2026-03-02T09:15:00.12Z"),
		UpdatedAt:               tm(t, "2026-03-02T10:00:00Z"),
		Sampling:                "Sequential sampling",
		SkipQueue:               "REQUEUE_FOR_OTHERS",
		OverlapCohortPercentage: 100,
		ProjectCounters: lswebhook.ProjectCounters{
			TaskNumber: i64(12), FinishedTaskNumber: i64(5), TotalPredictionsNumber: i64(0),
			TotalAnnotationsNumber: i64(6), NumTasksWithAnnotations: i64(5), UsefulAnnotationNumber: i64(5),
			GroundTruthNumber: i64(0), SkippedAnnotationsNumber: i64(1),
		},
	}
}

func modernTask(t *testing.T, id int64) lswebhook.Task {
	data, _ := json.Marshal(map[string]string{"image": "s3://bucket/street/" + itoa(id) + ".jpg", "camera": "north"})
	return lswebhook.Task{
		ID: id, Data: data, Meta: raw(`{}`), Project: 7,
		CreatedAt: tm(t, "2026-03-02T10:01:00.000001Z"), UpdatedAt: tm(t, "2026-03-02T10:05:00Z"),
		AllowSkip: boolp(true), Overlap: 1, InnerID: id - 100,
		TaskCounters: lswebhook.TaskCounters{
			TotalAnnotations: i64(0), CancelledAnnotations: i64(0), TotalPredictions: i64(0),
			CommentCount: i64(0), UnresolvedCommentCount: i64(0),
		},
		CommentAuthors: []int64{},
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func carBox() lswebhook.Result {
	return lswebhook.Result{
		ID: "car_1", Type: "rectanglelabels", FromName: "label", ToName: "image", Origin: "manual",
		OriginalWidth: 1920, OriginalHeight: 1080,
		Value: raw(`{"x":10.5,"y":20.25,"width":30,"height":15.5,"rotation":0,"rectanglelabels":["Car"]}`),
	}
}

func modernAnnotation(t *testing.T, id, task int64, created string, result []lswebhook.Result) lswebhook.Annotation {
	return lswebhook.Annotation{
		ID: id, Result: result, Task: task, Project: 7, CompletedBy: 3, UpdatedBy: 3,
		CreatedAt: tm(t, created), UpdatedAt: tm(t, created), LeadTime: f64(12.5),
		Prediction: raw(`{}`), ResultCount: int64(len(result)),
		UniqueID: "3f1c2a9e-8b7d-4c55-9e21-6a0b5d4c3e21", BulkCreated: boolp(false),
	}
}

// TestDecodeFixtures decodes every documentation example and every
// hand-written valid fixture and compares the event, field by field, with
// the value written out here.
func TestDecodeFixtures(t *testing.T) {
	const created = "2026-03-02T10:06:00.25Z"
	tests := map[string]func(t *testing.T, path string) lswebhook.Event{
		"testdata/docs/tasks-created.json": func(t *testing.T, path string) lswebhook.Event {
			p := docsProject(t, path, 2)
			p.UpdatedAt = tm(t, "2021-08-17T13:49:35.911271Z")
			return &lswebhook.TasksCreated{
				Tasks: []lswebhook.Task{
					docsTask(t, 21, "Opossums like to be aloft \n\n\n\n\n\n in trees.", "2021-08-17T13:51:02.590839Z", "2021-08-17T13:51:02.590873Z"),
					docsTask(t, 22, "Opossums are opportunistic.", "2021-08-17T13:51:02.590926Z", "2021-08-17T13:51:02.590941Z"),
					docsTask(t, 23, "Opossums like to forage for food.", "2021-08-17T13:51:02.590981Z", "2021-08-17T13:51:02.590995Z"),
				},
				Project: p,
			}
		},
		"testdata/docs/tasks-deleted.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.TasksDeleted{
				Tasks:   []lswebhook.Ref{{ID: 18}, {ID: 19}, {ID: 20}, {ID: 21}, {ID: 22}, {ID: 23}},
				Project: docsNERProject(t, path),
			}
		},
		"testdata/docs/annotation-created.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.AnnotationCreated{
				Annotation: &lswebhook.Annotation{
					ID: 17,
					Result: []lswebhook.Result{{
						ID: "WArqkkifYE", FromName: "answer", ToName: "text", Type: "labels",
						Value: raw(`{"start":0,"end":26,"text":"Opossums are op","labels":["Answer"]}`),
					}},
					CreatedAt:   tm(t, "2021-08-17T13:52:48.536303Z"),
					UpdatedAt:   tm(t, "2021-08-17T13:52:48.53637Z"),
					LeadTime:    f64(37.13),
					Prediction:  raw(`{}`),
					Task:        19,
					CompletedBy: 1,
				},
				Project: docsNERProject(t, path),
			}
		},
		"testdata/docs/annotation-updated.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.AnnotationUpdated{
				Annotation: &lswebhook.Annotation{
					ID: 16,
					Result: []lswebhook.Result{{
						ID: "5dC-jDgBtG", FromName: "label", ToName: "image", Type: "rectanglelabels",
						OriginalWidth: 1024, OriginalHeight: 1024,
						Value: raw(`{"x":42,"y":36.4,"width":50.13333333333333,"height":26,"rotation":0,"rectanglelabels":["Airplane"]}`),
					}, {
						ID: "_bJsGZ0_Cm", FromName: "label", ToName: "image", Type: "rectanglelabels",
						OriginalWidth: 1024, OriginalHeight: 1024,
						Value: raw(`{"x":12.533333333333333,"y":37.733333333333334,"width":23.6,"height":22,"rotation":0,"rectanglelabels":["Car"]}`),
					}},
					CreatedAt:   tm(t, "2021-08-17T13:35:59.817086Z"),
					UpdatedAt:   tm(t, "2021-08-17T13:37:25.805479Z"),
					LeadTime:    f64(299.327),
					Prediction:  raw(`{}`),
					Task:        5,
					CompletedBy: 1,
				},
				Project: docsImageProject(t, path, "2021-08-17T13:35:25.697471Z"),
			}
		},
		"testdata/docs/annotations-deleted.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.AnnotationsDeleted{Annotations: []lswebhook.Ref{{ID: 17}}, Project: docsNERProject(t, path)}
		},
		"testdata/docs/project-created.json": func(t *testing.T, path string) lswebhook.Event {
			p := docsProject(t, path, 3)
			p.Title = "New Project #3"
			p.Token = lswebhook.NewSecret("d881a308198ff9ac")
			p.CreatedAt = tm(t, "2021-08-17T13:55:58.809065Z")
			p.UpdatedAt = tm(t, "2021-08-17T13:55:58.809098Z")
			return &lswebhook.ProjectCreated{Project: p}
		},
		"testdata/docs/project-updated.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.ProjectUpdated{Project: docsImageProject(t, path, "2021-08-17T13:39:14.054849Z")}
		},
		"testdata/docs/project-deleted.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.ProjectDeleted{Project: &lswebhook.Ref{ID: 3}}
		},

		"testdata/valid/action-only-project-created.json":     func(*testing.T, string) lswebhook.Event { return &lswebhook.ProjectCreated{} },
		"testdata/valid/action-only-project-updated.json":     func(*testing.T, string) lswebhook.Event { return &lswebhook.ProjectUpdated{} },
		"testdata/valid/action-only-project-deleted.json":     func(*testing.T, string) lswebhook.Event { return &lswebhook.ProjectDeleted{} },
		"testdata/valid/action-only-tasks-created.json":       func(*testing.T, string) lswebhook.Event { return &lswebhook.TasksCreated{} },
		"testdata/valid/action-only-tasks-deleted.json":       func(*testing.T, string) lswebhook.Event { return &lswebhook.TasksDeleted{} },
		"testdata/valid/action-only-annotation-created.json":  func(*testing.T, string) lswebhook.Event { return &lswebhook.AnnotationCreated{} },
		"testdata/valid/action-only-annotations-created.json": func(*testing.T, string) lswebhook.Event { return &lswebhook.AnnotationsCreated{} },
		"testdata/valid/action-only-annotation-updated.json":  func(*testing.T, string) lswebhook.Event { return &lswebhook.AnnotationUpdated{} },
		"testdata/valid/action-only-annotations-deleted.json": func(*testing.T, string) lswebhook.Event { return &lswebhook.AnnotationsDeleted{} },
		"testdata/valid/action-only-label-link-created.json":  func(*testing.T, string) lswebhook.Event { return &lswebhook.LabelLinkCreated{} },
		"testdata/valid/action-only-label-link-updated.json":  func(*testing.T, string) lswebhook.Event { return &lswebhook.LabelLinkUpdated{} },
		"testdata/valid/action-only-label-link-deleted.json":  func(*testing.T, string) lswebhook.Event { return &lswebhook.LabelLinkDeleted{} },
		"testdata/valid/action-only-start-training.json":      func(*testing.T, string) lswebhook.Event { return &lswebhook.StartTraining{} },
		"testdata/valid/action-only-review-created.json":      func(*testing.T, string) lswebhook.Event { return &lswebhook.ReviewCreated{} },
		"testdata/valid/action-only-review-updated.json":      func(*testing.T, string) lswebhook.Event { return &lswebhook.ReviewUpdated{} },
		"testdata/valid/action-only-reviews-deleted.json":     func(*testing.T, string) lswebhook.Event { return &lswebhook.ReviewsDeleted{} },

		"testdata/valid/tasks-created-one.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.TasksCreated{Tasks: []lswebhook.Task{modernTask(t, 101)}, Project: modernProject(t, path)}
		},
		"testdata/valid/task-created-docs-spelling.json": func(t *testing.T, path string) lswebhook.Event {
			task := modernTask(t, 102)
			task.CreatedAt = tm(t, "2026-03-02T10:01:00Z")
			return &lswebhook.TasksCreated{Tasks: []lswebhook.Task{task}, Project: modernProject(t, path)}
		},
		"testdata/valid/tasks-deleted-no-project.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.TasksDeleted{Tasks: []lswebhook.Ref{{ID: 101}, {ID: 102}, {ID: 103}}}
		},
		"testdata/valid/task-deleted-docs-spelling.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.TasksDeleted{Tasks: []lswebhook.Ref{{ID: 104}}, Project: modernProject(t, path)}
		},
		"testdata/valid/annotation-created-with-task.json": func(t *testing.T, path string) lswebhook.Event {
			a := modernAnnotation(t, 501, 101, "2026-03-02T12:06:00.25+02:00", []lswebhook.Result{carBox()})
			task := modernTask(t, 101)
			return &lswebhook.AnnotationCreated{Annotation: &a, Task: &task, Project: modernProject(t, path)}
		},
		"testdata/valid/annotation-created-skipped.json": func(t *testing.T, path string) lswebhook.Event {
			a := modernAnnotation(t, 502, 102, created, []lswebhook.Result{})
			a.WasCancelled = true
			a.LeadTime = f64(3)
			task := modernTask(t, 102)
			return &lswebhook.AnnotationCreated{Annotation: &a, Task: &task, Project: modernProject(t, path)}
		},
		"testdata/valid/annotations-created.json": func(t *testing.T, path string) lswebhook.Event {
			rel := []lswebhook.Result{
				{ID: "ent_a", Type: "labels", FromName: "ner", ToName: "text", Value: raw(`{"start":0,"end":5,"text":"Alice","labels":["PER"]}`)},
				{ID: "ent_b", Type: "labels", FromName: "ner", ToName: "text", Value: raw(`{"start":15,"end":19,"text":"Acme","labels":["ORG"]}`)},
				{Type: "relation", FromID: "ent_a", ToID: "ent_b", Direction: "right", Labels: []string{"works_at"}},
			}
			a1 := modernAnnotation(t, 601, 101, created, rel)
			a1.LeadTime = nil
			return &lswebhook.AnnotationsCreated{
				Annotations: []lswebhook.Annotation{a1, modernAnnotation(t, 602, 102, created, []lswebhook.Result{carBox()})},
				Tasks:       []lswebhook.Task{modernTask(t, 101), modernTask(t, 102)},
				Project:     modernProject(t, path),
			}
		},
		"testdata/valid/annotation-updated-null-result.json": func(t *testing.T, path string) lswebhook.Event {
			a := modernAnnotation(t, 503, 101, created, nil)
			a.LeadTime = nil
			a.GroundTruth = true
			task := modernTask(t, 101)
			return &lswebhook.AnnotationUpdated{Annotation: &a, Task: &task, Project: modernProject(t, path)}
		},
		"testdata/valid/annotation-deleted-docs-spelling.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.AnnotationsDeleted{Annotations: []lswebhook.Ref{{ID: 501}, {ID: 502}}, Project: modernProject(t, path)}
		},
		"testdata/valid/label-link-created.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.LabelLinkCreated{
				LabelLinks: []lswebhook.LabelLink{
					{ID: 11, FromName: "label", Project: 7, Label: 4},
					{ID: 12, FromName: "label", Project: 7, Label: 5},
				},
				Project: modernProject(t, path),
			}
		},
		"testdata/valid/label-link-updated.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.LabelLinkUpdated{
				LabelLink: &lswebhook.LabelLink{ID: 11, FromName: "label", Project: 7, Label: 4},
				Label: &lswebhook.Label{
					ID: 4, Links: []int64{11}, CreatedAt: tm(t, "2026-03-01T08:00:00.5Z"), UpdatedAt: tm(t, "2026-03-01T08:00:00.5Z"),
					Value: raw(`"Truck"`), Title: "Truck", Approved: true, CreatedBy: 3, ApprovedBy: 1, Organization: 1,
					Projects: []int64{7},
				},
			}
		},
		"testdata/valid/label-link-deleted.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.LabelLinkDeleted{LabelLink: &lswebhook.Ref{ID: 12}, Project: modernProject(t, path)}
		},
		"testdata/valid/start-training.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.StartTraining{Project: modernProject(t, path)}
		},
		"testdata/valid/project-updated-old-counters.json": func(t *testing.T, path string) lswebhook.Event {
			p := modernProject(t, path)
			p.ProjectCounters = lswebhook.ProjectCounters{NumTasks: i64(12), NumAnnotations: i64(6), NumLabeledTasks: i64(5)}
			return &lswebhook.ProjectUpdated{Project: p}
		},
		"testdata/valid/review-created.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.ReviewCreated{Review: &lswebhook.Review{
				ID: 31, Annotation: 501, CreatedBy: 1, Accepted: boolp(true), CreatedAt: tmp(t, "2026-03-03T09:00:00Z"),
				Extra: map[string]json.RawMessage{"result": raw(`null`), "state": raw(`"accepted"`)},
			}}
		},
		"testdata/valid/unknown-action.json": func(t *testing.T, path string) lswebhook.Event {
			return &lswebhook.UnknownEvent{
				Name: "TASK_COMPLETED",
				Extra: map[string]json.RawMessage{
					"task": raw(`{"id":101}`),
					"note": raw(`"an action a future server might send"`),
				},
			}
		},
		"testdata/valid/extra-members.json": func(t *testing.T, path string) lswebhook.Event {
			p := modernProject(t, path)
			p.AnnotatorEvaluationEnabled = boolp(false) // modelled since 1.23.2 was captured
			p.Extra = map[string]json.RawMessage{"ID": raw(`99`)}
			return &lswebhook.ProjectCreated{
				Project: p,
				Extra: map[string]json.RawMessage{
					"delivery": raw(`"not a Label Studio key"`),
					"Action":   raw(`"PROJECT_DELETED"`),
				},
			}
		},
	}

	covered := map[string]bool{}
	for path, want := range tests {
		covered[path] = true
		t.Run(path, func(t *testing.T) {
			data := readFile(t, path)
			got, err := lswebhook.Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			w := want(t, path)
			if diff := cmp.Diff(w, got, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("Decode mismatch (-want +got):\n%s", diff)
			}
			if string(got.Raw()) != string(data) {
				t.Errorf("Raw() does not return the decoded bytes")
			}
		})
	}
	// Every documentation example and hand-written valid fixture has an
	// expectation here.
	for _, dir := range []string{"testdata/docs", "testdata/valid"} {
		for _, p := range jsonFiles(t, dir) {
			if !covered[p] {
				t.Errorf("%s has no expected value in TestDecodeFixtures", p)
			}
		}
	}
}
