package validate

import "github.com/seed-d2dfa170/lswebhook/internal/jsontape"

// Stream validates a document while it is parsed, as a [jsontape.Watcher],
// so that checking it costs memory for its open objects and arrays rather
// than for all its values: it checks each value when it is complete and
// has its nodes dropped. Its [Result] is the one [Validate] gives for the
// whole tape: the same problems, in the same order, the same total and
// drift.
//
// Objects and arrays whose schema combines schemas (anyOf, oneOf, allOf,
// not, if), lists values (enum, const) or counts items (minItems,
// maxItems) are checked whole when they close, as Validate checks them;
// the bundled webhook schemas use these keywords on scalars only.
type Stream struct {
	v      validator
	root   *Schema
	frames []streamFrame
	ok     bool
	free   [][]uint64       // seen sets to reuse
	path   []jsontape.Frame // a copy of the parser's path, for checks that descend
}

// How a Stream handles an open object or array.
const (
	streamed = iota // checked member by member: s describes it
	skipped         // nothing to check inside: its values are dropped
	pending         // checked whole when it closes, with s
	inside          // within a pending one: kept for that check
)

type streamFrame struct {
	node uint32
	mode uint8
	s    *Schema
	seen []uint64 // streamed objects: the slots of the members read
}

// NewStream returns a Stream that checks a document against s, keeping at
// most limit problems (at least 1). Pass it as the Watch of one
// [jsontape.ParseWith] call.
func NewStream(s *Schema, limit int) *Stream {
	return &Stream{root: s, v: validator{max: max(limit, 1)}, ok: true}
}

// Result returns what the stream found, once the parse has succeeded, and
// reports whether the document is valid.
func (st *Stream) Result() (Result, bool) {
	return Result{Problems: st.v.problems, Total: st.v.total, Drift: st.v.drift}, st.ok && st.v.total == 0
}

// resolve follows references that are all their schema says.
func resolve(s *Schema) *Schema {
	for s != nil && s.ref != nil && s.pureRef() {
		s = s.ref
	}
	return s
}

// pureRef reports whether $ref is the only keyword of n that checks
// anything.
func (n *Schema) pureRef() bool {
	return !n.never && n.types == 0 && n.enum == nil && !n.hasConst && !n.walkMembers && n.items == nil &&
		n.ifNode == nil && n.anyOf == nil && n.allOf == nil && n.oneOf == nil && n.not == nil &&
		n.minItems == 0 && n.maxItems < 0 && n.minLength == 0 && n.maxLength < 0 && n.pattern == nil && n.dateTime == nil
}

// streamable reports whether an object or array n describes can be
// checked member by member, in the order Validate checks it.
func (n *Schema) streamable() bool {
	return n.ref == nil && n.enum == nil && !n.hasConst && n.ifNode == nil && n.anyOf == nil &&
		n.allOf == nil && n.oneOf == nil && n.not == nil && n.minItems == 0 && n.maxItems < 0
}

// child returns the schema of the value that path's last frame leads to
// inside the streamed object or array f (nil: anything goes), marking an
// object member's slot seen.
func (st *Stream) child(f *streamFrame, path []jsontape.Frame) *Schema {
	last := path[len(path)-1]
	if last.Object {
		return st.v.member(f.s, last.Key, f.seen)
	}
	return f.s.items
}

// seenSet returns a cleared set of n words.
func (st *Stream) seenSet(n int) []uint64 {
	if k := len(st.free); k > 0 && cap(st.free[k-1]) >= n {
		s := st.free[k-1][:n]
		st.free = st.free[:k-1]
		clear(s)
		return s
	}
	return make([]uint64, n, max(n, 4))
}

// Open is told that the object or array at node i has begun, and asks
// to be told nothing of its values when nothing inside needs checking.
func (st *Stream) Open(t *jsontape.Tape, i uint32, path []jsontape.Frame) (silent bool) {
	st.v.t = t
	var s *Schema
	if len(st.frames) == 0 {
		s = st.root
	} else {
		switch f := &st.frames[len(st.frames)-1]; f.mode {
		case pending, inside:
			st.frames = append(st.frames, streamFrame{node: i, mode: inside})
			return false
		default: // streamed: a skipped one is silent
			s = st.child(f, path)
		}
	}
	s = resolve(s)
	switch {
	case s == nil:
		st.frames = append(st.frames, streamFrame{node: i, mode: skipped})
		return true
	case !s.streamable():
		st.frames = append(st.frames, streamFrame{node: i, mode: pending, s: s})
		return false
	}
	st.v.path = path
	if s.never || (s.types != 0 && !s.typeOKTape(t, &t.Nodes[i])) {
		// Validate stops at these, as here: the values inside go unchecked.
		st.v.check(s, i)
		st.ok = false
		st.frames = append(st.frames, streamFrame{node: i, mode: skipped})
		return true
	}
	f := streamFrame{node: i, mode: streamed, s: s}
	if t.Nodes[i].Kind == jsontape.Object {
		f.seen = st.seenSet((len(s.slots) + 63) / 64)
	} else if s.items == nil {
		f.mode = skipped
	}
	st.frames = append(st.frames, f)
	return f.mode == skipped
}

// Value is told that the value at node i is complete, and has it dropped
// unless an object or array that contains it is to be checked whole.
func (st *Stream) Value(t *jsontape.Tape, i uint32, path []jsontape.Frame) bool {
	st.v.t = t
	checked := false // i is an object or array this stream has handled
	if n := len(st.frames); n > 0 && st.frames[n-1].node == i {
		f := st.frames[n-1]
		st.frames = st.frames[:n-1]
		switch f.mode {
		case inside:
			return false
		case pending:
			// check descends, appending to its path: give it a copy, not
			// the parser's own.
			st.path = append(st.path[:0], path...)
			st.v.path = st.path
			if !st.v.check(f.s, i) {
				st.ok = false
			}
		case streamed:
			if f.seen != nil {
				st.v.path = path
				if !st.v.closeObject(f.s, f.seen) {
					st.ok = false
				}
				st.free = append(st.free, f.seen)
			}
		}
		checked = true
	}
	if len(st.frames) == 0 {
		if !checked {
			// A top-level scalar.
			st.v.path = path
			if s := resolve(st.root); s != nil && !st.v.check(s, i) {
				st.ok = false
			}
		}
		return false
	}
	f := &st.frames[len(st.frames)-1]
	switch f.mode {
	case skipped:
		return true
	case pending, inside:
		return false
	}
	if checked {
		return true
	}
	if s := st.child(f, path); s != nil && !settled(s, &t.Nodes[i]) {
		st.v.path = path
		if !st.v.check(s, i) {
			st.ok = false
		}
	}
	return true
}
