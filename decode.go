package lswebhook

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
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

	// MaxDepth limits how deeply objects and arrays may nest; 0 means
	// [DefaultMaxDepth].
	MaxDepth int
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
// copy of data, returned by its Raw method. Decode never panics, and its
// running time is linear in len(data).
func Decode(data []byte) (Event, error) {
	var d Decoder
	return d.Decode(data)
}

// Decode decodes one payload as described for the package-level [Decode],
// with the decoder's settings.
func (d *Decoder) Decode(data []byte) (Event, error) {
	// Parse a private copy: the event keeps it as Raw, and raw JSON fields
	// are cut from it.
	raw := make([]byte, len(data))
	copy(raw, data)
	if ev := d.decodeTape(raw); ev != nil {
		return ev, nil
	}
	return d.decodeTree(raw)
}

// decodeTape is Decode's fast path, for payloads of a known action that
// are well formed, valid (unless validation is off) and hold only values
// the Go types can hold: it reads a tape instead of a tree, validates it
// with the fast validator and converts it with compiled plans. It returns
// nil whenever it cannot decide; decodeTree then decides, and always
// returns the same event when the fast path returns one (tests compare
// the two over every fixture and under fuzzing).
func (d *Decoder) decodeTape(raw []byte) Event {
	t, p, ok := parseTape(raw, d.MaxDepth)
	defer releaseTape(p)
	if !ok || t.nodes[0].kind != tkObject {
		return nil
	}
	var buf []byte
	var action string
	root := &t.nodes[0]
	for j := uint32(1); j < root.next; j = t.nodes[j+1].next {
		if tapeView(t.data, &t.nodes[j], &buf) == "action" {
			if a := &t.nodes[j+1]; a.kind == tkString {
				action = tapeView(t.data, a, &buf)
			}
			break
		}
	}
	if action == "" {
		return nil
	}
	v, known := byAction[Action(action)]
	if !known {
		if d.DisallowUnknownActions {
			return nil
		}
		ev := &UnknownEvent{Name: Action(strings.Clone(action))}
		c := tapeConverter{t: t, ok: true}
		c.decodeStructSkip(0, tplanFor(reflect.TypeOf(ev).Elem()), reflect.ValueOf(ev).Elem(), "action")
		if !c.ok {
			return nil
		}
		ev.setRaw(raw)
		return ev
	}
	if !d.SkipValidation {
		cs := loadSchemas()
		if cs.err != nil {
			return nil
		}
		f := cs.fast[v.action]
		if f == nil || !f.validTape(t, 0, &buf) {
			return nil
		}
	}
	ev := v.new()
	rv := reflect.ValueOf(ev).Elem()
	plan := tplanFor(rv.Type())
	skip := ""
	if _, hasField := plan.fields["action"]; !hasField {
		skip = "action" // removeActionExtra would drop it
	}
	c := tapeConverter{t: t, ok: true}
	c.decodeStructSkip(0, plan, rv, skip)
	if !c.ok {
		return nil
	}
	ev.setRaw(raw)
	return ev
}

// decodeTree is Decode's general path: the payload read as a tree,
// validated by validateTree and converted with the problems collected.
func (d *Decoder) decodeTree(raw []byte) (Event, error) {
	doc, err := parseDocument(raw, d.MaxDepth)
	if err != nil {
		return nil, err
	}
	tree := doc.tree
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: the top-level value is %s %s", ErrNotObject, article(jsonTypeName(tree)), jsonTypeName(tree))
	}
	var action Action
	switch a := obj["action"].(type) {
	case string:
		if a == "" {
			return nil, fmt.Errorf("%w: /action is empty", ErrMissingAction)
		}
		action = Action(a)
	case nil:
		if _, present := obj["action"]; present {
			return nil, fmt.Errorf("%w: /action is null", ErrMissingAction)
		}
		if isLegacyTraining(obj) { // see training_legacy.go
			return nil, legacyTrainingError{}
		}
		return nil, fmt.Errorf("%w: the object has no \"action\" member", ErrMissingAction)
	default:
		return nil, fmt.Errorf("%w: /action is %s %s", ErrMissingAction, article(jsonTypeName(a)), jsonTypeName(a))
	}

	v, known := byAction[action]
	if !known {
		if d.DisallowUnknownActions {
			return nil, fmt.Errorf("%w %q", ErrUnknownAction, string(action))
		}
		ev := &UnknownEvent{Name: action}
		c := converter{doc: doc}
		c.decodeStruct(obj, reflect.ValueOf(ev).Elem())
		ev.setRaw(raw)
		removeActionExtra(ev)
		return ev, nil
	}

	var problems []Problem
	if !d.SkipValidation {
		problems, err = validateTree(v.action, tree)
		if err != nil {
			return nil, err
		}
	}
	ev := v.new()
	c := converter{doc: doc}
	c.decodeStruct(obj, reflect.ValueOf(ev).Elem())
	problems = append(problems, subtractProblems(c.problems, problems)...)
	if len(problems) > 0 {
		return nil, &ValidationError{Action: action, Problems: sortProblems(problems)}
	}
	ev.setRaw(raw)
	removeActionExtra(ev)
	return ev, nil
}

// removeActionExtra drops the "action" member that the converter put in
// Extra: it is the event's type, not extra data.
func removeActionExtra(ev Event) {
	f := reflect.ValueOf(ev).Elem().FieldByName("Extra")
	m := f.Interface().(map[string]json.RawMessage)
	delete(m, "action")
	if len(m) == 0 {
		f.SetZero()
	}
}

func article(typeName string) string {
	switch typeName[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an"
	}
	return "a"
}

// subtractProblems returns the problems of extra that are not at or under
// a pointer already reported in base: where the schema found a fault, the
// Go types' view of the same value adds nothing.
func subtractProblems(extra, base []Problem) []Problem {
	if len(base) == 0 {
		return extra
	}
	var out []Problem
	for _, e := range extra {
		covered := false
		for _, b := range base {
			if e.Pointer == b.Pointer || strings.HasPrefix(e.Pointer, b.Pointer+"/") {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, e)
		}
	}
	return out
}
