package lswebhooktest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// problemAt returns the problems of a *ValidationError.
func problems(t *testing.T, err error) []lswebhook.Problem {
	t.Helper()
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T), want a *lswebhook.ValidationError", err, err)
	}
	return ve.Problems
}

func hasProblemAt(ps []lswebhook.Problem, pointer string) bool {
	for _, p := range ps {
		if p.Pointer == pointer || strings.HasPrefix(p.Pointer, pointer+"/") {
			return true
		}
	}
	return false
}

func TestMissingMember(t *testing.T) {
	for _, tt := range []struct {
		ev      lswebhook.Event
		pointer string
		// where the validator reports it: a missing required member is
		// reported at its parent or at the member.
		at string
	}{
		{lswebhooktest.AnnotationCreated(), "/annotation/id", "/annotation"},
		{lswebhooktest.TasksCreated(lswebhooktest.Count(2)), "/tasks/1/id", "/tasks/1"},
		{lswebhooktest.ProjectCreated(), "/project/id", "/project"},
		{lswebhooktest.LabelLinkUpdated(), "/label_link/id", "/label_link"},
	} {
		body := lswebhooktest.Body(tt.ev, lswebhooktest.MissingMember(tt.pointer))
		key := tt.pointer[strings.LastIndex(tt.pointer, "/")+1:]
		if strings.Contains(string(lswebhooktest.Body(tt.ev)), `"`+key+`": `) && !strings.Contains(string(body), `"`+key+`": `) {
			// removed: the only occurrence of the key was the one removed
		} else if len(body) >= len(lswebhooktest.Body(tt.ev)) {
			t.Errorf("%s: body not shorter", tt.pointer)
		}
		_, err := lswebhook.Decode(body)
		if ps := problems(t, err); !hasProblemAt(ps, tt.at) {
			t.Errorf("%s: problems %v, want one at %s", tt.pointer, ps, tt.at)
		}
	}
	// A member that is not required decodes, reported as drift.
	ev, err := lswebhook.Decode(lswebhooktest.Body(lswebhooktest.AnnotationCreated(), lswebhooktest.MissingMember("/annotation/completed_by")))
	if err != nil || len(ev.Drift()) != 1 || ev.Drift()[0].Pointer != "/annotation/completed_by" {
		t.Errorf("without completed_by: %v, drift %v; want it decoded with that drift", err, ev)
	}
	_, err = lswebhook.Decode(lswebhooktest.Body(lswebhooktest.TasksCreated(), lswebhooktest.MissingMember("/action")))
	if !errors.Is(err, lswebhook.ErrMissingAction) {
		t.Errorf("without action: %v, want ErrMissingAction", err)
	}
}

func TestWrongType(t *testing.T) {
	for _, pointer := range []string{
		"/annotation/id",            // number -> string
		"/annotation/was_cancelled", // bool -> string
		"/task/data",                // object -> string
		"/annotation/result",        // array -> string
		"/project/title",            // string -> number
	} {
		body := lswebhooktest.Body(lswebhooktest.AnnotationCreated(), lswebhooktest.WrongType(pointer))
		_, err := lswebhook.Decode(body)
		if ps := problems(t, err); !hasProblemAt(ps, pointer) {
			t.Errorf("%s: problems %v, want one at the pointer", pointer, ps)
		}
	}
	_, err := lswebhook.Decode(lswebhooktest.Body(lswebhooktest.StartTraining(), lswebhooktest.WrongType("/action")))
	if !errors.Is(err, lswebhook.ErrMissingAction) {
		t.Errorf("action of another type: %v, want ErrMissingAction", err)
	}
}

func TestUnknownAction(t *testing.T) {
	body := lswebhooktest.Body(lswebhooktest.TasksCreated(), lswebhooktest.UnknownAction("TASKS_ARCHIVED"))
	ev, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := ev.(*lswebhook.UnknownEvent)
	if !ok || u.Name != "TASKS_ARCHIVED" || len(u.Extra) != 2 {
		t.Errorf("decoded %#v", ev)
	}
	d := lswebhook.Decoder{DisallowUnknownActions: true}
	if _, err := d.Decode(body); !errors.Is(err, lswebhook.ErrUnknownAction) {
		t.Errorf("strict decoder: %v", err)
	}
	if _, err := lswebhooktest.Marshal(lswebhooktest.TasksCreated(), lswebhooktest.UnknownAction("TASK_CREATED")); err == nil {
		t.Error("a known action (documentation spelling) accepted as unknown")
	}
}

func TestOversize(t *testing.T) {
	const limit = 64 << 10
	ev := lswebhooktest.TasksCreated()
	for _, n := range []int{limit, limit + 1} {
		body := lswebhooktest.Body(ev, lswebhooktest.Oversize(n))
		if len(body) != n {
			t.Fatalf("Oversize(%d): %d bytes", n, len(body))
		}
		got, err := lswebhook.Decode(body)
		if err != nil {
			t.Fatalf("Oversize(%d): %v", n, err)
		}
		var pad string
		if err := json.Unmarshal(got.(*lswebhook.TasksCreated).Extra["padding"], &pad); err != nil || strings.Trim(pad, "x") != "" {
			t.Errorf("padding %q, %v", pad, err)
		}
		h := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error { return nil }, lswebhook.WithMaxBodyBytes(limit))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, lswebhooktest.NewRequest("/", body))
		want := http.StatusOK
		if n > limit {
			want = http.StatusRequestEntityTooLarge
		}
		if rec.Code != want {
			t.Errorf("Oversize(%d) against a %d-byte limit: status %d, want %d", n, limit, rec.Code, want)
		}
	}
	if _, err := lswebhooktest.Marshal(ev, lswebhooktest.Oversize(10)); err == nil {
		t.Error("Oversize smaller than the body accepted")
	}
}

func TestTruncated(t *testing.T) {
	full := lswebhooktest.Body(lswebhooktest.AnnotationUpdated())
	body := lswebhooktest.Body(lswebhooktest.AnnotationUpdated(), lswebhooktest.Truncated())
	if len(body) != len(full)/2 || string(full[:len(body)]) != string(body) {
		t.Errorf("truncated body is not the first half")
	}
	var se *lswebhook.SyntaxError
	if _, err := lswebhook.Decode(body); !errors.As(err, &se) {
		t.Errorf("Decode: %v, want a *lswebhook.SyntaxError", err)
	}
}

// TestMarshalRefuses checks the errors for impossible requests, and that
// Body panics with the same message.
func TestMarshalRefuses(t *testing.T) {
	badValue := lswebhooktest.AnnotationCreated()
	badValue.Annotation.Result[0].Value = json.RawMessage(`["not", "an", "object"]`)
	badTime := lswebhooktest.AnnotationCreated()
	badTime.Annotation.CreatedAt.Time = badTime.Annotation.CreatedAt.AddDate(9000, 0, 0)
	for _, tt := range []struct {
		name   string
		ev     lswebhook.Event
		faults []lswebhooktest.Fault
		want   string
	}{
		{"nil event", nil, nil, "nil event"},
		{"invalid event", badValue, nil, "does not encode to a payload Decode accepts"},
		{"unencodable time", badTime, nil, "encoding ANNOTATION_CREATED"},
		{"no such member", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.MissingMember("/tasks/5")}, `no element "5"`},
		{"array element", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.MissingMember("/tasks/0")}, "array element"},
		{"bad pointer", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.WrongType("tasks")}, "does not start with /"},
		{"into a scalar", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.WrongType("/project/id/x")}, "scalar"},
		{"removed twice", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.MissingMember("/project"), lswebhooktest.MissingMember("/project")}, `no member "project"`},
		{"unknown action without action", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.MissingMember("/action"), lswebhooktest.UnknownAction("X")}, "no action"},
		{"oversize after truncation", lswebhooktest.TasksCreated(), []lswebhooktest.Fault{lswebhooktest.Truncated(), lswebhooktest.Oversize(1 << 20)}, "not an object"},
	} {
		_, err := lswebhooktest.Marshal(tt.ev, tt.faults...)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "lswebhooktest: ") {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r == nil || r.(error).Error() != err.Error() {
					t.Errorf("%s: Body panicked with %v, want %v", tt.name, r, err)
				}
			}()
			lswebhooktest.Body(tt.ev, tt.faults...)
		}()
	}
}

// TestBodyEscapes: text outside ASCII is escaped as Python does and
// decodes to the same strings.
func TestBodyEscapes(t *testing.T) {
	ev := lswebhooktest.ProjectCreated()
	ev.Project.Title = "Café 😀 <b>&</b>"
	ev.Project.Description = "line\nbreak\t\"quoted\" \\ \u2028 \x7f"
	ev.Project.Extra["note"] = json.RawMessage(`"日本"`)
	body := lswebhooktest.Body(ev)
	for _, want := range []string{`"Caf\u00e9 \ud83d\ude00 <b>&</b>"`, `"line\nbreak\t\"quoted\" \\ \u2028 \u007f"`, `"note": "\u65e5\u672c"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %s", want)
		}
	}
	for _, c := range body {
		if c < 0x20 || c > 0x7e {
			t.Fatalf("body has byte %#x outside printable ASCII", c)
		}
	}
	got, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	if p := got.(*lswebhook.ProjectCreated).Project; p.Title != ev.Project.Title || p.Description != ev.Project.Description {
		t.Errorf("decoded %q, %q", p.Title, p.Description)
	}
}
