package lswebhook_test

import (
	"errors"
	"fmt"
	"io/fs"
	"reflect"

	"github.com/seed-d2dfa170/lswebhook"
)

// Decode a payload and reach its fields with a type switch.
func ExampleDecode() {
	body := []byte(`{
		"action": "ANNOTATIONS_DELETED",
		"annotations": [{"id": 17}, {"id": 18}]
	}`)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	switch ev := ev.(type) {
	case *lswebhook.AnnotationsDeleted:
		for _, a := range ev.Annotations {
			fmt.Println("deleted annotation", a.ID)
		}
	case *lswebhook.UnknownEvent:
		fmt.Println("unknown action", ev.Name)
	default:
		fmt.Println("not handled:", ev.Action())
	}
	// Output:
	// deleted annotation 17
	// deleted annotation 18
}

// The documentation's spellings decode as the actions the server sends.
func ExampleDecode_alias() {
	ev, err := lswebhook.Decode([]byte(`{"action": "TASK_CREATED"}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%T %s\n", ev, ev.Action())
	// Output: *lswebhook.TasksCreated TASKS_CREATED
}

// A payload that does not match its schema reports every problem with the
// JSON Pointer of the offending value.
func ExampleValidationError() {
	body := []byte(`{
		"action": "TASKS_DELETED",
		"tasks": [{"id": 4}, {"id": "5"}, {}]
	}`)
	_, err := lswebhook.Decode(body)
	var ve *lswebhook.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s: %s\n", p.Pointer, p.Message)
		}
	}
	// Output:
	// /tasks/1/id: expected integer, but got string
	// /tasks/2/id: required property is missing
}

// Malformed JSON is a *SyntaxError with the byte offset and the location
// being read.
func ExampleSyntaxError() {
	_, err := lswebhook.Decode([]byte(`{"action": "TASKS_DELETED", "tasks": [{"id": 4,}]}`))
	var se *lswebhook.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Offset, se.Pointer)
		fmt.Println(err)
	}
	// Output:
	// 47 /tasks/0/id
	// lswebhook: invalid JSON at offset 47 (line 1, column 48; at /tasks/0/id): invalid character '}' looking for beginning of object key string
}

// A strict decoder refuses actions it does not know.
func ExampleDecoder() {
	strict := lswebhook.Decoder{DisallowUnknownActions: true}
	_, err := strict.Decode([]byte(`{"action": "TASK_COMPLETED"}`))
	fmt.Println(errors.Is(err, lswebhook.ErrUnknownAction))
	fmt.Println(err)

	ev, _ := lswebhook.Decode([]byte(`{"action": "TASK_COMPLETED"}`))
	fmt.Printf("%T\n", ev)
	// Output:
	// true
	// lswebhook: unknown action "TASK_COMPLETED"
	// *lswebhook.UnknownEvent
}

// Every action the library knows, with its Go type and schema file.
func ExampleActions() {
	for _, info := range lswebhook.Actions()[:3] {
		fmt.Println(info.Action, reflect.TypeOf(info.New()), info.Schema)
	}
	// Output:
	// PROJECT_CREATED *lswebhook.ProjectCreated events/project-created.json
	// PROJECT_UPDATED *lswebhook.ProjectUpdated events/project-updated.json
	// PROJECT_DELETED *lswebhook.ProjectDeleted events/project-deleted.json
}

// The bundled schemas can be read, for example to serve them or to use
// them from another language.
func ExampleSchemas() {
	info, _ := lswebhook.LookupAction(lswebhook.ActionStartTraining)
	b, err := fs.ReadFile(lswebhook.Schemas(), info.Schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(b) > 0, info.Schema)
	// Output: true events/start-training.json
}
