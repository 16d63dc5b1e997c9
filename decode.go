package lswebhook

import (
	"fmt"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
	"github.com/seed-d2dfa170/lswebhook/internal/validate"
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
	opts := jsontape.Options{MaxDepth: depthLimit(d.MaxDepth), Keys: memberKeys()}
	// One reader for every pass over the body, so that the passes of a
	// dense body share their buffers.
	r := jsontape.NewReader()
	defer r.Close()
	if !d.SkipValidation {
		if alwaysDense {
			return d.decodeDense(r, data)
		}
		opts.MaxNodes = nodeBudget(len(data), opts.MaxDepth)
	}
	t, serr := r.Parse(data, opts)
	if serr != nil {
		if serr.Cause == jsontape.CauseNodeLimit {
			return d.decodeDense(r, data)
		}
		return nil, syntaxError(serr)
	}
	root := &t.Nodes[0]
	if root.Kind != jsontape.Object {
		return nil, notObject(t.TypeName(root))
	}
	action, err := findAction(t)
	if err != nil {
		return nil, err
	}
	v, known := byAction[action]
	if !known {
		return d.decodeUnknown(t, action)
	}
	var drift []Problem
	if !d.SkipValidation {
		cs := loadSchemas()
		if cs.err != nil {
			return nil, cs.err
		}
		res, ok := validate.Validate(t, cs.compiled[v.action], d.maxProblems())
		if drift, err = d.verdict(action, res, ok); err != nil {
			return nil, err
		}
	}
	return d.bind(t, v, action, drift)
}

// maxProblems is the decoder's MaxProblems setting in effect.
func (d *Decoder) maxProblems() int {
	if d.MaxProblems <= 0 {
		return DefaultMaxProblems
	}
	return d.MaxProblems
}

// notObject is the error for a payload whose top-level value is of the
// JSON type typeName.
func notObject(typeName string) error {
	return fmt.Errorf("%w: the top-level value is %s %s", ErrNotObject, article(typeName), typeName)
}

// verdict turns the validator's result into the decoder's answer: the
// drift to report, or the error refusing the payload.
func (d *Decoder) verdict(action Action, res validate.Result, ok bool) ([]Problem, error) {
	if !ok {
		// The schema's problems are the answer: converting a refused
		// body would only cost memory.
		return nil, &ValidationError{Action: action, Problems: problems(res.Problems), More: res.Total - len(res.Problems)}
	}
	if len(res.Drift) > 0 && d.DisallowDrift {
		return nil, &ValidationError{Action: action, Problems: problems(res.Drift)}
	}
	return problems(res.Drift), nil
}

// decodeUnknown decodes a payload of an action the library does not know.
func (d *Decoder) decodeUnknown(t *jsontape.Tape, action Action) (Event, error) {
	if d.DisallowUnknownActions {
		return nil, fmt.Errorf("%w %q", ErrUnknownAction, string(action))
	}
	raw := t.Own()
	ev := &UnknownEvent{Name: action}
	binder().Decode(t, 0, ev, "action", d.maxProblems())
	ev.setRaw(raw)
	return ev, nil
}

// bind stores a valid payload's tape in a new event of v's type.
func (d *Decoder) bind(t *jsontape.Tape, v *variant, action Action, drift []Problem) (Event, error) {
	raw := t.Own()
	ev := v.new()
	ps, total := binder().Decode(t, 0, ev, "action", d.maxProblems())
	if total > 0 {
		return nil, &ValidationError{Action: action, Problems: problems(ps), More: total - len(ps)}
	}
	ev.setRaw(raw)
	ev.setDrift(drift)
	return ev, nil
}

// findAction returns the payload's "action" member.
func findAction(t *jsontape.Tape) (Action, error) {
	var buf []byte
	root := &t.Nodes[0]
	for j := uint32(1); j < root.Next; j = t.Nodes[j+1].Next {
		if t.View(&t.Nodes[j], &buf) != "action" {
			continue
		}
		a := &t.Nodes[j+1]
		switch a.Kind {
		case jsontape.String:
			if a.End == a.Start {
				return "", fmt.Errorf("%w: /action is empty", ErrMissingAction)
			}
			return Action(t.Text(a)), nil
		case jsontape.Null:
			return "", fmt.Errorf("%w: /action is null", ErrMissingAction)
		default:
			name := t.TypeName(a)
			return "", fmt.Errorf("%w: /action is %s %s", ErrMissingAction, article(name), name)
		}
	}
	if isLegacyTraining(t) { // see training_legacy.go
		return "", legacyTrainingError{}
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
