package lsapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrBadResponse is wrapped by an [*Error] whose response could not be read
// as the JSON the call expects: an HTML error page from a proxy or from
// Label Studio itself, a truncated body, or JSON of another shape.
var ErrBadResponse = errors.New("lsapi: unexpected response body")

// Error is the error of a REST call: the call, the HTTP status when the
// server answered, Label Studio's error body, and the cause (a network
// error, the context's error, or [ErrBadResponse]). Every error a [Client]
// method returns is an *Error.
type Error struct {
	// Call names the request, e.g. "GET /api/projects/7/".
	Call string
	// Status is the HTTP status code; 0 when no response arrived.
	Status int
	// Detail is Label Studio's "detail" message, e.g. "Invalid token.";
	// "" when the body had none.
	Detail string
	// ValidationErrors is Label Studio's "validation_errors" member as
	// sent (a 400's field errors); nil when absent.
	ValidationErrors map[string]any
	// Body holds the first 2 KiB of the response body.
	Body []byte
	// Attempts is the number of requests made, retries included.
	Attempts int
	// Err is the cause; nil for a plain HTTP error status.
	Err error
}

// Error returns a one-line description: the call, the status and the
// server's message or the cause.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("lsapi: ")
	b.WriteString(e.Call)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if len(e.ValidationErrors) > 0 {
		fmt.Fprintf(&b, " %v", e.ValidationErrors)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "lsapi: "))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// StatusCode returns the HTTP status of err when it is or wraps an [*Error]
// with a response, and 0 otherwise.
func StatusCode(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return 0
}
