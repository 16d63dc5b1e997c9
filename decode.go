package lswebhook

import (
	"fmt"
	"reflect"
)

// A Decoder turns webhook payloads into events. The zero Decoder is ready
// to use and behaves like [Decode]; set fields to change that. A Decoder is
// safe for concurrent use as long as its fields are not changed.
type Decoder struct {
	// DisallowUnknownActions makes Decode return an error wrapping
	// [ErrUnknownAction] for an action the library does not know, instead of
	// an [*UnknownEvent].
	DisallowUnknownActions bool

	// SkipValidation turns off schema validation, for bytes that are already
	// trusted (for example fixtures checked once). The JSON must still be
	// well formed, and values the Go types cannot hold are still reported.
	// Without validation, JSON null in a field that is not nullable decodes
	// as the zero value.
	SkipValidation bool

	// MaxDepth limits how deeply objects and arrays may nest; 0 or less
	// means [DefaultMaxDepth], and more than [MaxDepthLimit] means
	// MaxDepthLimit.
	MaxDepth int

	// DisallowDrift makes Decode refuse, with a [*ValidationError], a
	// payload that lacks members Label Studio 1.23 sends (see
	// [Event.Drift]), for receivers that want exactly that release's
	// shape. By default such a payload decodes and reports them as drift.
	DisallowDrift bool

	// MaxProblems is how many problems a [*ValidationError] lists; the
	// others are counted in its More field. 0 or less means
	// [DefaultMaxProblems].
	MaxProblems int
}

// Decode decodes one Label Studio webhook payload with the default
// [Decoder]: the payload is read as JSON, validated against the bundled
// schema of its action, and returned as the matching event type, for
// example [*TasksCreated] for "TASKS_CREATED".
//
// The documentation spellings TASK_CREATED, TASK_DELETED and
// ANNOTATION_DELETED decode as the actions the server really sends. A body
// with only an action (webhooks with payload sending off) is valid and
// decodes with its entity fields nil. An action the library does not know
// decodes to an [*UnknownEvent] with a nil error.
//
// The error is, with the JSON location of the fault where there is one:
//   - a [*SyntaxError] if data is not exactly one well-formed JSON value
//     (including empty input, trailing data, invalid UTF-8, and keys
//     repeated in one object; see its documentation);
//   - an error wrapping [ErrNotObject] if the value is not an object;
//   - an error wrapping [ErrMissingAction] if "action" is missing, null,
//     empty or not a string;
//   - a [*ValidationError] listing every problem if the payload does not
//     match its action's schema or holds values the Go types cannot hold.
//
// Keys are matched exactly: unlike encoding/json, "Action" or "ID" are not
// read as "action" or "id" but kept as extra members. The event keeps a
// copy of data, returned by its Raw method. Decode never panics; its
// running time and memory are linear in len(data), for the payloads it
// refuses as for those it accepts.
func Decode(data []byte) (Event, error) {
	var d Decoder
	return d.Decode(data)
}

// Decode decodes one payload as described for the package-level [Decode],
// with the decoder's settings.
func (d *Decoder) Decode(data []byte) (Event, error) {
	// Read and check the caller's bytes; an accepted payload is then
	// copied, for the event keeps it as Raw and raw JSON fields are cut
	// from it. A refused one costs no copy.
	t, p, err := parseTape(data, depthLimit(d.MaxDepth))
	defer releaseTape(p)
	if err != nil {
		return nil, err
	}
	root := &t.nodes[0]
	if root.kind != tkObject {
		name := tapeTypeName(t, root)
		return nil, fmt.Errorf("%w: the top-level value is %s %s", ErrNotObject, article(name), name)
	}
	action, err := findAction(t)
	if err != nil {
		return nil, err
	}
	maxProblems := d.MaxProblems
	if maxProblems <= 0 {
		maxProblems = DefaultMaxProblems
	}
	v, known := byAction[action]
	if !known {
		if d.DisallowUnknownActions {
			return nil, fmt.Errorf("%w %q", ErrUnknownAction, string(action))
		}
		raw := t.own()
		ev := &UnknownEvent{Name: action}
		c := tapeConverter{t: t, max: maxProblems}
		c.decodeStructSkip(0, tplanFor(reflect.TypeOf(ev).Elem()), reflect.ValueOf(ev).Elem(), "action")
		ev.setRaw(raw)
		return ev, nil
	}
	var drift []Problem
	if !d.SkipValidation {
		cs := loadSchemas()
		if cs.err != nil {
			return nil, cs.err
		}
		var pathArr [16]pathFrame
		val := validator{t: t, max: maxProblems, path: pathArr[:0]}
		if !val.check(cs.fast[v.action], 0) {
			// The schema's problems are the answer: converting a refused
			// body would only cost memory.
			return nil, &ValidationError{Action: action, Problems: val.problems, More: val.total - len(val.problems)}
		}
		if len(val.drift) > 0 && d.DisallowDrift {
			return nil, &ValidationError{Action: action, Problems: val.drift}
		}
		drift = val.drift
	}
	raw := t.own()
	ev := v.new()
	rv := reflect.ValueOf(ev).Elem()
	plan := tplanFor(rv.Type())
	skip := ""
	if _, hasField := plan.fields["action"]; !hasField {
		skip = "action" // the event's type, not extra data
	}
	var pathArr [16]pathFrame
	c := tapeConverter{t: t, max: maxProblems, path: pathArr[:0]}
	c.decodeStructSkip(0, plan, rv, skip)
	if c.total > 0 {
		return nil, &ValidationError{Action: action, Problems: c.problems, More: c.total - len(c.problems)}
	}
	ev.setRaw(raw)
	ev.setDrift(drift)
	return ev, nil
}

// findAction returns the payload's "action" member.
func findAction(t *tape) (Action, error) {
	var buf []byte
	root := &t.nodes[0]
	for j := uint32(1); j < root.next; j = t.nodes[j+1].next {
		if tapeView(t.data, &t.nodes[j], &buf) != "action" {
			continue
		}
		a := &t.nodes[j+1]
		switch a.kind {
		case tkString:
			if a.end == a.start {
				return "", fmt.Errorf("%w: /action is empty", ErrMissingAction)
			}
			return Action(tapeString(t.data, a)), nil
		case tkNull:
			return "", fmt.Errorf("%w: /action is null", ErrMissingAction)
		default:
			name := tapeTypeName(t, a)
			return "", fmt.Errorf("%w: /action is %s %s", ErrMissingAction, article(name), name)
		}
	}
	return "", fmt.Errorf("%w: the object has no \"action\" member", ErrMissingAction)
}

func article(typeName string) string {
	switch typeName[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}
