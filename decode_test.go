package lswebhook_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

func TestDecoderOptions(t *testing.T) {
	unknown := []byte(`{"action": "TASK_COMPLETED", "task": {"id": 1}}`)
	ev, err := lswebhook.Decode(unknown)
	if err != nil {
		t.Fatalf("Decode of an unknown action: %v", err)
	}
	if u, ok := ev.(*lswebhook.UnknownEvent); !ok || u.Action() != "TASK_COMPLETED" {
		t.Errorf("Decode = %T %v, want *UnknownEvent TASK_COMPLETED", ev, ev.Action())
	}

	strict := lswebhook.Decoder{DisallowUnknownActions: true}
	if _, err := strict.Decode(unknown); !errors.Is(err, lswebhook.ErrUnknownAction) || !strings.Contains(err.Error(), `"TASK_COMPLETED"`) {
		t.Errorf("strict Decode error = %v, want ErrUnknownAction naming the action", err)
	}
	if _, err := strict.Decode([]byte(`{"action": "TASK_CREATED"}`)); err != nil {
		t.Errorf("strict Decode refused a documentation alias: %v", err)
	}

	// Without validation, a schema fault that the Go types can hold passes;
	// one they cannot hold is still reported with its location.
	bad := []byte(`{"action": "TASKS_DELETED", "tasks": [{"id": 1}], "project": {"id": 2, "show_skip_button": null}}`)
	if _, err := lswebhook.Decode(bad); err == nil {
		t.Errorf("Decode accepted a project with null for a boolean")
	}
	trusted := lswebhook.Decoder{SkipValidation: true}
	ev, err = trusted.Decode(bad)
	if err != nil {
		t.Fatalf("SkipValidation Decode: %v", err)
	}
	if td := ev.(*lswebhook.TasksDeleted); td.Project.ID != 2 || td.Tasks[0].ID != 1 || td.Drift() != nil {
		t.Errorf("SkipValidation Decode = %+v", td)
	}
	_, err = trusted.Decode([]byte(`{"action": "TASKS_DELETED", "tasks": [{"id": "one"}], "project": {"id": 2, "title": 7}}`))
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 || ve.Problems[0].Pointer != "/tasks/0/id" || ve.Problems[1].Pointer != "/project/title" {
		t.Errorf("SkipValidation Decode of a string id: %v", err)
	}

	deep := lswebhook.Decoder{MaxDepth: 2}
	if _, err := deep.Decode([]byte(`{"action": "TASKS_DELETED", "tasks": [{"id": 1}]}`)); !errors.Is(err, lswebhook.ErrTooDeep) {
		t.Errorf("MaxDepth 2: error %v, want ErrTooDeep", err)
	}
}

// TestCaseAndDuplicateKeys checks that the validated reading and the
// decoded reading of a body are the same: keys that differ only in case
// are separate members, and a repeated key is refused.
func TestCaseAndDuplicateKeys(t *testing.T) {
	// encoding/json would read "ID" into Ref.ID; Decode keeps it apart.
	ev, err := lswebhook.Decode([]byte(`{"action": "PROJECT_DELETED", "project": {"id": 3, "ID": 4}}`))
	if err != nil {
		t.Fatal(err)
	}
	p := ev.(*lswebhook.ProjectDeleted).Project
	if p.ID != 3 || string(p.Extra["ID"]) != "4" {
		t.Errorf("project = %+v", p)
	}
	// Only "ID" present: the required "id" is missing, and "ID" is not taken for it.
	_, err = lswebhook.Decode([]byte(`{"action": "PROJECT_DELETED", "project": {"ID": 4}}`))
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) || ve.Problems[0].Pointer != "/project/id" {
		t.Errorf("error = %v, want a missing /project/id", err)
	}
	// A repeated key could validate one value and decode another.
	for _, body := range []string{
		`{"action": "PROJECT_DELETED", "project": {"id": 3, "id": "x"}}`,
		`{"action": "PROJECT_DELETED", "action": "TASKS_DELETED"}`,
	} {
		var se *lswebhook.SyntaxError
		if _, err := lswebhook.Decode([]byte(body)); !errors.As(err, &se) || !strings.Contains(se.Msg, "repeated") {
			t.Errorf("Decode(%s) error = %v, want a repeated-key *SyntaxError", body, err)
		}
	}
}

func TestActionErrors(t *testing.T) {
	tests := map[string]error{
		`[]`:                            lswebhook.ErrNotObject,
		`"PROJECT_CREATED"`:             lswebhook.ErrNotObject,
		`null`:                          lswebhook.ErrNotObject,
		`{}`:                            lswebhook.ErrMissingAction,
		`{"action": null}`:              lswebhook.ErrMissingAction,
		`{"action": ""}`:                lswebhook.ErrMissingAction,
		`{"action": ["TASKS_CREATED"]}`: lswebhook.ErrMissingAction,
		`{"action": {"name": "x"}}`:     lswebhook.ErrMissingAction,
	}
	for body, want := range tests {
		ev, err := lswebhook.Decode([]byte(body))
		if !errors.Is(err, want) || ev != nil {
			t.Errorf("Decode(%s) = %v, %v; want %v", body, ev, err, want)
		}
	}
}

// TestExtremeNumbers checks numbers that can stall or crash a validator
// working on json.Number: they are refused quickly, or accepted where Go
// can hold them.
func TestExtremeNumbers(t *testing.T) {
	refused := []string{
		`{"action": "TASKS_DELETED", "tasks": [{"id": 1e1000000000}]}`,
		`{"action": "TASKS_DELETED", "tasks": [{"id": 1e-1000000000}]}`,
		`{"action": "TASKS_DELETED", "tasks": [{"id": ` + strings.Repeat("1", 2000) + `}]}`,
	}
	for _, body := range refused {
		if _, err := lswebhook.Decode([]byte(body)); !errors.Is(err, lswebhook.ErrNumberLimit) {
			t.Errorf("Decode(%.60s...) error = %v, want ErrNumberLimit", body, err)
		}
	}
	// Integral values in other notations are integers to JSON Schema and to Decode.
	for body, want := range map[string]int64{
		`{"action": "TASKS_DELETED", "tasks": [{"id": 1.0}]}`:                 1,
		`{"action": "TASKS_DELETED", "tasks": [{"id": 25e1}]}`:                250,
		`{"action": "TASKS_DELETED", "tasks": [{"id": -0}]}`:                  0,
		`{"action": "TASKS_DELETED", "tasks": [{"id": 9223372036854775807}]}`: 9223372036854775807,
	} {
		ev, err := lswebhook.Decode([]byte(body))
		if err != nil {
			t.Errorf("Decode(%s): %v", body, err)
			continue
		}
		if got := ev.(*lswebhook.TasksDeleted).Tasks[0].ID; got != want {
			t.Errorf("Decode(%s) id = %d, want %d", body, got, want)
		}
	}
	// In user data, a long integer is kept exactly as sent.
	long := strings.Repeat("7", 1000)
	ev, err := lswebhook.Decode([]byte(`{"action": "TASKS_CREATED", "tasks": [{"id": 1, "data": {"n": ` + long + `}, "meta": {}, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z", "is_labeled": false, "overlap": 1, "project": 2, "file_upload": null}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(ev.(*lswebhook.TasksCreated).Tasks[0].Data); got != `{"n": `+long+`}` {
		t.Errorf("data = %.40s..., want the 1000-digit number kept", got)
	}
}

// TestDecoderSettingExtremes decodes valid and invalid payloads with
// extreme settings: none may panic, and each means what its
// documentation says.
func TestDecoderSettingExtremes(t *testing.T) {
	valid := readFile(t, "testdata/docs/tasks-created.json")
	invalid := []byte(`{"action":"TASKS_DELETED","tasks":[{"id":"a"},{"id":"b"},{"id":"c"}]}`)
	for _, n := range []int{math.MinInt, -1, 0, 1, 2, 1 << 30, math.MaxInt} {
		d := lswebhook.Decoder{MaxDepth: n, MaxProblems: n}
		ev, err := d.Decode(valid)
		if n == 1 || n == 2 {
			if !errors.Is(err, lswebhook.ErrTooDeep) {
				t.Errorf("MaxDepth %d: %v, want ErrTooDeep", n, err)
			}
		} else if err != nil || ev == nil {
			t.Errorf("MaxDepth %d: %v", n, err)
		}
		d.MaxDepth = 0
		_, err = d.Decode(invalid)
		var ve *lswebhook.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("MaxProblems %d: %v, want a *ValidationError", n, err)
		}
		kept := 3
		if n == 1 || n == 2 {
			kept = n
		}
		if len(ve.Problems) != kept || ve.More != 3-kept {
			t.Errorf("MaxProblems %d: %d problems kept, %d more; want %d and %d", n, len(ve.Problems), ve.More, kept, 3-kept)
		}
	}
}
