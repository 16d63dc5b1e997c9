package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

const validateAbout = `Decodes and validates each payload file with lswebhook.Decode: the body must be
one well-formed JSON object with an "action" string and match the bundled
schema of its action. "-" reads standard input.

For each file it prints "FILE: ACTION ok" and a summary of the payload, or
"FILE: invalid" and one indented line per problem, "  /json/pointer: message".
With --json it prints one JSON object per file and line instead:
  {"file", "action", "ok", "summary", "problems": [{"pointer", "message"}]}
A file that cannot be read gets "error" instead of a verdict.

Exit status: 0 if every file is valid, 1 if any is invalid or cannot be read,
2 for a usage error.
`

// verdict is the result of validating one payload; it is also the --json
// output.
type verdict struct {
	File    string `json:"file"`
	Action  string `json:"action"`
	OK      bool   `json:"ok"`
	Summary string `json:"summary,omitempty"`
	// Problems is empty, not null, for a valid payload.
	Problems []problem `json:"problems"`
	// Error says why the file could not be read.
	Error string `json:"error,omitempty"`
}

// problem is one reason a payload is invalid.
type problem struct {
	// Pointer is the JSON Pointer of the faulty value; "" for the whole
	// payload.
	Pointer string `json:"pointer"`
	Message string `json:"message"`
	// Offset is the byte offset of a JSON syntax error.
	Offset *int64 `json:"offset,omitempty"`
	// reason marks a problem with the payload as a whole (not an object, no
	// action): the text output shows only its message.
	reason bool
}

// String is the problem as one line of text output, without indentation.
func (p problem) String() string {
	if p.reason {
		return clean(p.Message)
	}
	ptr := p.Pointer
	if ptr == "" {
		ptr = "/"
	}
	return clean(ptr) + ": " + clean(p.Message)
}

// check decodes data with dec and returns the event (nil if invalid) and
// the verdict, without File.
func check(dec *lswebhook.Decoder, data []byte) (lswebhook.Event, verdict) {
	ev, err := dec.Decode(data)
	if err != nil {
		action, ps := problemsOf(err)
		return nil, verdict{Action: action, Problems: ps}
	}
	return ev, verdict{Action: string(ev.Action()), OK: true, Summary: summarize(ev), Problems: []problem{}}
}

// problemsOf turns a Decode error into problems, and the action when the
// payload named one.
func problemsOf(err error) (string, []problem) {
	msg := strings.TrimPrefix(err.Error(), "lswebhook: ")
	var ve *lswebhook.ValidationError
	var se *lswebhook.SyntaxError
	switch {
	case errors.As(err, &ve):
		ps := make([]problem, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			ps = append(ps, problem{Pointer: p.Pointer, Message: p.Message})
		}
		if len(ps) == 0 { // not expected; keep the verdict non-empty
			ps = append(ps, problem{Message: msg, reason: true})
		}
		return string(ve.Action), ps
	case errors.As(err, &se):
		off := se.Offset
		return "", []problem{{Pointer: se.Pointer, Offset: &off, Message: fmt.Sprintf("invalid JSON at offset %d: %s", se.Offset, se.Msg)}}
	case errors.Is(err, lswebhook.ErrMissingAction), errors.Is(err, lswebhook.ErrUnknownAction):
		return "", []problem{{Pointer: "/action", Message: msg, reason: true}}
	default: // lswebhook.ErrNotObject, or an error of the library itself
		return "", []problem{{Pointer: "", Message: msg, reason: true}}
	}
}

func runValidate(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("validate", "[--json] FILE...", validateAbout)
	asJSON := flags.Bool("json", false, "print one JSON object per file instead of text")
	files, status, ok := parseArgs(flags, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(files) == 0 {
		return usageError(stderr, "validate", "no FILE given (use - for standard input)")
	}
	if !checkStdinOnce(files) {
		return usageError(stderr, "validate", "- (standard input) given more than once")
	}

	var dec lswebhook.Decoder
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	status = exitOK
	for _, f := range files {
		name := displayName(f)
		data, err := readInput(f, stdin)
		if err != nil {
			status = exitFail
			fmt.Fprintf(stderr, "lswebhook validate: %s\n", clean(err.Error()))
			if *asJSON {
				_ = enc.Encode(verdict{File: name, Problems: []problem{}, Error: clean(err.Error())})
			}
			continue
		}
		_, v := check(&dec, data)
		v.File = name
		if !v.OK {
			status = exitFail
		}
		if *asJSON {
			if err := enc.Encode(v); err != nil {
				fmt.Fprintf(stderr, "lswebhook validate: %v\n", err)
				return exitFail
			}
			continue
		}
		if v.OK {
			fmt.Fprintf(stdout, "%s: %s ok\n  %s\n", name, clean(v.Action), v.Summary)
			continue
		}
		fmt.Fprintf(stdout, "%s: invalid\n", name)
		for _, p := range v.Problems {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
	}
	return status
}
