package lswebhook

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
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
}

// statusProblem returns an "about:blank" problem for status.
func statusProblem(status int, detail string) *problem {
	return &problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail}
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
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}
