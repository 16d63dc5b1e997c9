package lswebhook_test

import (
	"errors"
	"fmt"

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
