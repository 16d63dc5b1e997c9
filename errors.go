package lswebhook

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors returned (wrapped) by [Decode]. Test for them with [errors.Is].
var (
	// ErrNotObject reports a payload whose top-level JSON value is not an object.
	ErrNotObject = errors.New("lswebhook: payload is not a JSON object")

	// ErrMissingAction reports a payload object without an "action" key, or
	// whose "action" is null, empty, or not a string.
	ErrMissingAction = errors.New("lswebhook: payload has no action string")

	// ErrUnknownAction reports an action the library does not know. Decode
	// returns it only when [Decoder.DisallowUnknownActions] is set; otherwise
	// an unknown action decodes to an [*UnknownEvent] with a nil error.
	ErrUnknownAction = errors.New("lswebhook: unknown action")

	// ErrTooDeep reports JSON nested deeper than the decoder's limit
	// ([Decoder.MaxDepth]). It is wrapped in a [*SyntaxError].
	ErrTooDeep = errors.New("lswebhook: JSON nested too deeply")

	// ErrTooLarge reports a body of 4 GiB or more, which the decoder cannot
	// hold. It is wrapped in a [*SyntaxError].
	ErrTooLarge = errors.New("lswebhook: body too large")

	// ErrNumberLimit reports a number literal longer than 1,024 bytes or with
	// an exponent beyond ±1,024. Such numbers cannot come from Label Studio
	// and would make schema validation slow. It is wrapped in a [*SyntaxError].
	ErrNumberLimit = errors.New("lswebhook: number literal out of supported range")

	// ErrTooWide reports a dense body (one that holds more than one JSON
	// value per 10 bytes) with objects so wide that their members, open at
	// once, outnumber one per 10 bytes of the body plus 4,096: Decode
	// checks a dense body as a stream, keeping only the open objects and
	// arrays and the keys of their members, and bounds those as it bounds
	// a tape. It is wrapped in a [*SyntaxError].
	ErrTooWide = errors.New("lswebhook: object with too many members for its body")
)

// A SyntaxError reports a payload that is not one well-formed JSON value: bad
// syntax, truncation, trailing data, a byte order mark, invalid UTF-8, an
// invalid \u escape, a key repeated in one object, or a limit exceeded.
//
// The error is found in the one pass that reads the payload: however
// early the fault, nothing after it is read.
type SyntaxError struct {
	// Offset is the number of bytes read before the problem was found.
	Offset int64
	// Line and Column locate Offset: both start at 1, and Column counts
	// bytes.
	Line, Column int
	// Pointer is the RFC 6901 JSON Pointer of the value being read when the
	// problem was found ("" for the top level).
	Pointer string
	// Msg describes the problem.
	Msg string

	err error
}

// Error describes the fault with its offset, line, column and pointer.
func (e *SyntaxError) Error() string {
	loc := "at top level"
	if e.Pointer != "" {
		loc = "at " + e.Pointer
	}
	return fmt.Sprintf("lswebhook: invalid JSON at offset %d (line %d, column %d; %s): %s", e.Offset, e.Line, e.Column, loc, e.Msg)
}

// Unwrap returns the underlying cause: [ErrTooDeep], [ErrNumberLimit],
// [ErrTooLarge], [ErrTooWide], or nil.
func (e *SyntaxError) Unwrap() error { return e.err }

// A Problem is one reason a payload does not match its schema or cannot be
// represented by the Go types.
type Problem struct {
	// Pointer is the RFC 6901 JSON Pointer of the offending value in the
	// payload, for example "/annotation/result/0/id". For a required key that
	// is missing, it points at where the key should be.
	Pointer string `json:"pointer"`
	// Message says what is wrong, in lower case.
	Message string `json:"message"`
}

// String returns the pointer and the message, "/annotation/id: expected
// integer, but got string". The top-level value, whose JSON Pointer is "",
// prints as "(root)" ("/" would point at the member named "").
func (p Problem) String() string {
	ptr := p.Pointer
	if ptr == "" {
		ptr = "(root)"
	}
	return ptr + ": " + p.Message
}

// A ValidationError reports a payload that is well-formed JSON with a known
// action but does not match the bundled schema for that action, or holds a
// value the Go types cannot represent (an integer beyond int64, a malformed
// time).
type ValidationError struct {
	// Action is the action named by the payload, as sent.
	Action Action
	// Problems lists the problems found, in the order of the payload, up
	// to the decoder's limit ([Decoder.MaxProblems]).
	Problems []Problem
	// More counts the problems found beyond those listed.
	More int
}

// Error names the action and the first problem, and counts the others.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("lswebhook: invalid ")
	b.WriteString(string(e.Action))
	b.WriteString(" payload")
	if len(e.Problems) > 0 {
		b.WriteString(": ")
		b.WriteString(e.Problems[0].String())
	}
	if n := len(e.Problems) - 1 + e.More; n == 1 {
		b.WriteString(" (and 1 more problem)")
	} else if n > 1 {
		b.WriteString(" (and " + strconv.Itoa(n) + " more problems)")
	}
	return b.String()
}
