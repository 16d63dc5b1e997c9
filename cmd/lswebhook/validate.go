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

For each file it prints one verdict and indented lines under it:
  FILE: ACTION ok         a summary of the payload, then one "note:" line per
                          member Label Studio 1.23 sends that the payload lacks
                          (drift: other releases send other shapes)
  FILE: ACTION unknown    an action this version of lswebhook does not know:
                          decoded as *lswebhook.UnknownEvent, not validated
  FILE: invalid           one line per problem, "/json/pointer: message"
The pointer of the payload as a whole is written "(root)".
With --strict an unknown action and drift make the file invalid, as
lswebhook.Decoder's DisallowUnknownActions and DisallowDrift do.

With --json it prints one JSON object per file and line instead:
  {"file", "action", "ok", "unknown", "summary", "drift": [{"pointer", "message"}],
   "problems": [{"pointer", "message"}]}
where "unknown" (true) appears only for an unknown action and "drift" only
when there is drift, and the pointer of the whole payload is "" (RFC 6901).
A file that cannot be read gets "error" instead of a verdict.

Exit status: 0 if every file is valid (unknown actions and drift included,
unless --strict), 1 if any is invalid or cannot be read, 2 for a usage error.
`

// verdict is the result of validating one payload; it is also the --json
// output.
type verdict struct {
	File   string `json:"file"`
	Action string `json:"action"`
	OK     bool   `json:"ok"`
	// Unknown is true for an action the library does not know (decoded
	// as *lswebhook.UnknownEvent, without validation).
	Unknown bool   `json:"unknown,omitempty"`
	Summary string `json:"summary,omitempty"`
	// Drift lists the members Label Studio 1.23 sends that a valid payload
	// lacks (lswebhook.Event.Drift).
	Drift []problem `json:"drift,omitempty"`
	// Problems is empty, not null, for a valid payload.
	Problems []problem `json:"problems"`
	// Error says why the file could not be read.
	Error string `json:"error,omitempty"`
}

// state is the word of a verdict's first line.
func (v verdict) state() string {
	switch {
	case !v.OK:
		return "invalid"
	case v.Unknown:
		return "unknown"
	}
	return "ok"
}

// lines returns the indented lines under a verdict's first line, without
// indentation: the summary and notes, or the problems.
func (v verdict) lines() []string {
	if !v.OK {
		out := make([]string, 0, len(v.Problems))
		for _, p := range v.Problems {
			out = append(out, p.String())
		}
		return out
	}
	out := []string{v.Summary}
	for _, d := range v.Drift {
		out = append(out, "note: "+d.String())
	}
	return out
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
	return clean(pointerText(p.Pointer)) + ": " + clean(p.Message)
}

// pointerText writes a JSON Pointer for a person: the empty pointer, the
// whole document, is "(root)", for "/" is the pointer of the member named
// "" (RFC 6901).
func pointerText(ptr string) string {
	if ptr == "" {
		return "(root)"
	}
	return ptr
}

// check decodes data with dec and returns the event (nil if invalid) and
// the verdict, without File.
func check(dec *lswebhook.Decoder, data []byte) (lswebhook.Event, verdict) {
	ev, err := dec.Decode(data)
	if err != nil {
		action, ps := problemsOf(err, data)
		return nil, verdict{Action: action, Problems: ps}
	}
	v := verdict{Action: string(ev.Action()), OK: true, Summary: summarize(ev), Problems: []problem{}}
	if _, unknown := ev.(*lswebhook.UnknownEvent); unknown {
		v.Unknown = true
	}
	for _, d := range ev.Drift() {
		v.Drift = append(v.Drift, problem{Pointer: d.Pointer, Message: d.Message})
	}
	return ev, v
}

// problemsOf turns a Decode error into problems, and the action when the
// payload named one.
func problemsOf(err error, data []byte) (string, []problem) {
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
	case errors.Is(err, lswebhook.ErrUnknownAction):
		// Only a decoder that disallows unknown actions (--strict) says so.
		return actionOf(data), []problem{{Pointer: "/action", Message: "unknown to this version of lswebhook (refused by --strict)"}}
	case errors.Is(err, lswebhook.ErrMissingAction):
		return "", []problem{{Pointer: "/action", Message: msg, reason: true}}
	default: // lswebhook.ErrNotObject, or an error of the library itself
		return "", []problem{{Pointer: "", Message: msg, reason: true}}
	}
}

// actionOf returns the "action" member of a payload the decoder has read,
// exactly as sent ("" if there is none): unlike a struct field, the map
// does not match "Action" or "ACTION".
func actionOf(data []byte) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(m["action"], &s) != nil {
		return ""
	}
	return s
}

func runValidate(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("validate", "[--json] [--strict] FILE...", validateAbout)
	asJSON := flags.Bool("json", false, "print one JSON object per file instead of text")
	strict := flags.Bool("strict", false, "refuse unknown actions and drift (members Label Studio 1.23 sends that are missing)")
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

	dec := lswebhook.Decoder{DisallowUnknownActions: *strict, DisallowDrift: *strict}
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
			fmt.Fprintf(stdout, "%s: %s %s\n", name, clean(v.Action), v.state())
		} else {
			fmt.Fprintf(stdout, "%s: invalid\n", name)
		}
		for _, line := range v.lines() {
			fmt.Fprintf(stdout, "  %s\n", line)
		}
	}
	return status
}
