package lswebhook_test

import (
	"errors"
	"fmt"

	"github.com/seed-d2dfa170/lswebhook"
)

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
