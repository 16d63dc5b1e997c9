package lswebhook

import (
	"bytes"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
	"github.com/seed-d2dfa170/lswebhook/internal/validate"
)

// Dense payloads: the tape holds a 16-byte node per JSON value, so a body
// made of the smallest values (`[0,0,...]`, `[{},{},...]`) would cost 5 to
// 8 times its size in nodes, for a refusal. Decode therefore stops reading
// a body into a tape once it holds more than nodeBudget values, and checks
// it as a stream instead: each value as it is read, keeping only the open
// objects and arrays. Only a payload that passes is then read into a whole
// tape and converted.

// nodeBudget is the most values Decode reads into a tape from a body of n
// bytes, with a nesting limit of maxDepth, before it checks the body as a
// stream: one per 10 bytes (1.6 times the body in nodes), plus 4,096, plus
// one per level. Most of Label Studio's own payloads hold one value per 15
// bytes or more; the ids of a large TASKS_DELETED or ANNOTATIONS_DELETED
// (one per 5 bytes) and brush masks (long lists of numbers) are denser and
// take this path. A stream may
// hold as many nodes (the open objects and arrays, and the keys of the open
// objects' members), so that it needs no more memory than the tape it
// replaces; beyond that the body is refused with [ErrTooWide].
func nodeBudget(n, maxDepth int) int { return n/10 + 4096 + maxDepth }

// alwaysDense makes Decode check every payload as dense, for the tests.
var alwaysDense = false

// decodeDense decodes a payload with more values than nodeBudget. It
// finds the action at the start of the body as Label Studio writes it, or
// else reads the body as a stream for it (and for any syntax error); it
// then reads the body as a stream to validate it, and reads it into a whole
// tape only if it is valid. Each stream holds the nodes of the open objects
// and arrays, and the keys of the open objects.
func (d *Decoder) decodeDense(r *jsontape.Reader, data []byte) (Event, error) {
	opts := jsontape.Options{MaxDepth: depthLimit(d.MaxDepth), Keys: memberKeys(), MaxNodes: nodeBudget(len(data), depthLimit(d.MaxDepth))}
	action, ok := leadingAction(data)
	if _, known := byAction[action]; !ok || !known {
		// Find the action (and any syntax error) with a stream of its own.
		var err error
		if action, err = d.scanAction(r, data, opts); err != nil {
			return nil, err
		}
	}
	v, known := byAction[action]
	if known {
		cs := loadSchemas()
		if cs.err != nil {
			return nil, cs.err
		}
		st := validate.NewStream(cs.compiled[v.action], d.maxProblems())
		opts.Watch = st
		if _, serr := r.Parse(data, opts); serr != nil {
			return nil, syntaxError(serr)
		}
		res, ok := st.Result()
		drift, err := d.verdict(action, res, ok)
		if err != nil {
			return nil, err
		}
		return d.bindAll(r, data, func(t *jsontape.Tape) (Event, error) { return d.bind(t, v, action, drift) })
	}
	return d.bindAll(r, data, func(t *jsontape.Tape) (Event, error) { return d.decodeUnknown(t, action) })
}

// bindAll reads a dense body that passed its checks into a whole tape, with
// no budget, and converts it with bind.
func (d *Decoder) bindAll(r *jsontape.Reader, data []byte, bind func(*jsontape.Tape) (Event, error)) (Event, error) {
	t, serr := r.Parse(data, jsontape.Options{MaxDepth: depthLimit(d.MaxDepth), Keys: memberKeys()})
	if serr != nil {
		return nil, syntaxError(serr) // unreachable: the same bytes parsed
	}
	return bind(t)
}

// scanAction reads the body as a stream for what findAction needs, and
// returns the action or the error that refuses the body before
// validation: a syntax error, a top level that is not an object, an action
// that is missing or not a string.
func (d *Decoder) scanAction(r *jsontape.Reader, data []byte, opts jsontape.Options) (Action, error) {
	scan := &rootScan{}
	opts.Watch = scan
	if _, serr := r.Parse(data, opts); serr != nil {
		return "", syntaxError(serr)
	}
	if scan.rootType != "object" {
		return "", notObject(scan.rootType)
	}
	// The members findAction reads, in a small document of their own.
	t, err := parse(scan.summary(), DefaultMaxDepth)
	if err != nil {
		return "", err // unreachable: the summary is well formed
	}
	defer t.Release()
	return findAction(t)
}

// leadingAction returns the action of a body that begins as Label Studio
// writes it, with an "action" member holding a plain string (no escapes):
// `{"action": "TASKS_CREATED", ...`. ok is false for any other beginning.
// A later "action" member would be a repeated key, which the parse that
// follows refuses.
func leadingAction(data []byte) (a Action, ok bool) {
	i := 0
	expect := func(s string) bool {
		for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
			i++
		}
		if !bytes.HasPrefix(data[i:], []byte(s)) {
			return false
		}
		i += len(s)
		return true
	}
	if !expect("{") || !expect(`"action"`) || !expect(":") || !expect(`"`) {
		return "", false
	}
	end := bytes.IndexByte(data[i:], '"')
	if end <= 0 {
		return "", false
	}
	for _, c := range data[i : i+end] {
		if c < 0x20 || c == '\\' || c >= 0x7f {
			return "", false
		}
	}
	return Action(data[i : i+end]), true
}

// rootScan watches a parse for what Decode reads of the top level before
// validating: the top-level value's type, and the members findAction and
// isLegacyTraining look at. It drops every value.
type rootScan struct {
	rootType string
	members  []byte // `"name":value,` for each member kept
	buf      []byte
}

// Open silences everything below the top level's members.
func (s *rootScan) Open(_ *jsontape.Tape, _ uint32, path []jsontape.Frame) bool {
	return len(path) > 0
}

// Value keeps the top-level type and the members of interest.
func (s *rootScan) Value(t *jsontape.Tape, i uint32, path []jsontape.Frame) bool {
	switch len(path) {
	case 0:
		s.rootType = t.TypeName(&t.Nodes[i])
	case 1:
		if !path[0].Object {
			return true
		}
		name := t.View(&t.Nodes[path[0].Key], &s.buf)
		switch name {
		case "action", "annotations", "project", "label_config":
		default:
			return true
		}
		n := &t.Nodes[i]
		s.members = append(s.members, `"`+name+`":`...)
		switch n.Kind {
		case jsontape.Object:
			s.members = append(s.members, "{}"...)
		case jsontape.Array:
			s.members = append(s.members, "[]"...)
		default:
			// A scalar as sent: the action's value, or a type name's
			// literal.
			s.members = append(s.members, t.Raw(i)...)
		}
		s.members = append(s.members, ',')
	}
	return true
}

// summary returns the kept members as one JSON object.
func (s *rootScan) summary() []byte {
	if len(s.members) == 0 {
		return []byte("{}")
	}
	out := make([]byte, 0, len(s.members)+1)
	out = append(out, '{')
	out = append(out, s.members[:len(s.members)-1]...)
	return append(out, '}')
}
