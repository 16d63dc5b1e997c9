package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// problemDoc is the base of the "type" URIs of the problems the [Handler]
// writes for refused payloads: each names the Go error that describes the
// fault, so the URI leads to its documentation.
const problemDoc = "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#"

// problem is an RFC 9457 problem details object.
type problem struct {
	// Type is a URI naming the kind of problem; "about:blank" when the status
	// code says it all.
	Type string `json:"type"`
	// Title is a short summary of the kind of problem; for "about:blank" the
	// status text.
	Title string `json:"title"`
	// Status repeats the HTTP status code.
	Status int `json:"status"`
	// Detail explains this occurrence to a person. It never holds a secret
	// or the text of an error returned by the user's function.
	Detail string `json:"detail,omitempty"`

	// Action is the payload's action, when one was read (extension member).
	Action Action `json:"action,omitempty"`
	// Errors lists the validation problems of a 400 (extension member), each
	// with the RFC 6901 JSON Pointer of the value and a message.
	Errors []Problem `json:"errors,omitempty"`
	// Offset is the byte offset of a JSON syntax error (extension member).
	Offset *int64 `json:"offset,omitempty"`
	// Pointer is the JSON Pointer of the value a syntax error was found in
	// (extension member).
	Pointer *string `json:"pointer,omitempty"`
	// MaxBytes is the body limit a 413 exceeded (extension member).
	MaxBytes int64 `json:"max_bytes,omitempty"`

	header http.Header // sent with the answer
}

// statusProblem returns an "about:blank" problem for status.
func statusProblem(status int, detail string) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
}

// maxReportedProblems caps the validation problems a 400 answer lists, so
// that a large invalid body does not produce a larger answer.
const maxReportedProblems = 100

// problemFor describes an error of [ReadRequest] or [DecodeRequest] as the
// answer to send; any other error is a 500 whose detail does not repeat
// the error's text.
func problemFor(err error) *problem {
	var re *RequestError
	if !errors.As(err, &re) {
		return statusProblem(http.StatusInternalServerError, "the receiver failed to handle the delivery")
	}
	var p *problem
	switch {
	case re.decoding:
		p = decodeProblem(re.Err)
	case re.Status == http.StatusRequestEntityTooLarge:
		p = statusProblem(re.Status, re.Detail)
		var mbe *http.MaxBytesError
		if errors.As(re.Err, &mbe) {
			p.MaxBytes = mbe.Limit
		}
	default:
		p = statusProblem(re.Status, re.Detail)
	}
	p.header = re.header
	return p
}

// decodeProblem describes a [Decoder] error as a 400 problem.
func decodeProblem(err error) *problem {
	p := &problem{Type: "about:blank", Title: http.StatusText(http.StatusBadRequest), Status: http.StatusBadRequest}
	detail := strings.TrimPrefix(err.Error(), "lswebhook: ")
	var se *SyntaxError
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		p.Type = problemDoc + "ValidationError"
		p.Title = "Invalid payload"
		p.Action = ve.Action
		n := len(ve.Problems)
		p.Errors = ve.Problems
		if n > maxReportedProblems {
			p.Errors = ve.Problems[:maxReportedProblems]
		}
		switch {
		case n == 1:
			detail = "the " + string(ve.Action) + " payload does not match its schema: 1 problem"
		case n > maxReportedProblems:
			detail = fmt.Sprintf("the %s payload does not match its schema: %d problems, the first %d listed", ve.Action, n, maxReportedProblems)
		default:
			detail = fmt.Sprintf("the %s payload does not match its schema: %d problems", ve.Action, n)
		}
	case errors.As(err, &se):
		p.Type = problemDoc + "SyntaxError"
		p.Title = "Malformed JSON"
		off, ptr := se.Offset, se.Pointer
		p.Offset, p.Pointer = &off, &ptr
	case errors.Is(err, ErrNotObject):
		p.Type = problemDoc + "ErrNotObject"
		p.Title = "Payload is not a JSON object"
	case errors.Is(err, ErrMissingAction):
		p.Type = problemDoc + "ErrMissingAction"
		p.Title = "Payload has no action"
	case errors.Is(err, ErrUnknownAction):
		p.Type = problemDoc + "ErrUnknownAction"
		p.Title = "Unknown action"
	}
	p.Detail = detail
	return p
}

// write sends p as an application/problem+json response.
func (p *problem) write(w http.ResponseWriter) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		// Cannot happen: every member is a string, a number or a Problem.
		buf.Reset()
		buf.WriteString(`{"type":"about:blank","status":` + strconv.Itoa(p.Status) + "}\n")
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}
