// Package validate checks parsed documents against JSON Schema (draft
// 2020-12) documents compiled into Go values. It supports the part of the
// draft that lswebhook's bundled schemas use (type, enum, const,
// properties, additionalProperties, required, dependentRequired, items,
// minItems, maxItems, minLength, maxLength, pattern, format "date-time",
// $ref, allOf, anyOf, oneOf, not, if/then/else) and one keyword of its
// own, "x-expected": members whose absence is reported as drift, not as a
// problem. A schema with any other keyword does not compile.
//
// [Validate] reports every problem in one pass over the tape, in document
// order, keeping the first few and counting the rest; messages are built
// only for the problems kept. A [Stream] finds the same problems while the
// document is read, as a jsontape.Watcher, for a document too dense for a
// whole tape.
package validate

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// This file is the validator: it checks a tape against a compiled schema
// and reports every problem in one pass over the tape, in document order,
// keeping the first few and counting the rest.

// Result is what [Validate] found.
type Result struct {
	// Problems are the first problems found, in document order, at most
	// the limit given to Validate.
	Problems []jsontape.Problem
	// Total counts every problem found, kept or not.
	Total int
	// Drift lists members that the schema's "x-expected" keyword expects
	// and the document lacks, at most limit of them. They are not problems.
	Drift []jsontape.Problem
}

// Validate checks node 0 of t against s, and reports whether it is valid:
// Total is 0. It keeps at most limit problems (at least 1).
func Validate(t *jsontape.Tape, s *Schema, limit int) (Result, bool) {
	var pathArr [16]jsontape.Frame
	v := validator{t: t, max: max(limit, 1), path: pathArr[:0]}
	ok := v.check(s, 0)
	return Result{Problems: v.problems, Total: v.total, Drift: v.drift}, ok
}

// validator walks one tape.
type validator struct {
	t   *jsontape.Tape
	buf []byte

	path  []jsontape.Frame // the members and elements entered, for pointers
	quiet int              // > 0 inside anyOf, oneOf, not and if: no problems kept, stop at the first

	problems []jsontape.Problem
	max      int // problems kept
	total    int // problems found

	drift []jsontape.Problem // expected members missing, up to max
}

// report counts a problem and reports whether to keep it: outside quiet
// mode, while fewer than max are kept. Callers build the message only
// then, so a body with a million problems costs no million messages.
func (v *validator) report() bool {
	if v.quiet > 0 {
		return false
	}
	v.total++
	return len(v.problems) < v.max
}

// add keeps a problem at the current pointer (plus name, if not "").
func (v *validator) add(name, msg string) {
	ptr := v.pointer()
	if name != "" {
		ptr += "/" + jsontape.EscapeToken(name)
	}
	v.problems = append(v.problems, jsontape.Problem{Pointer: ptr, Message: msg})
}

// pointer is the JSON Pointer of the value being checked.
func (v *validator) pointer() string { return v.t.Pointer(v.path) }

// check reports whether node i satisfies n. Outside quiet mode it goes on
// after a problem, to find the others.
func (v *validator) check(n *Schema, i uint32) bool {
	for n.onlyRef {
		n = n.ref
	}
	if n.never {
		if v.report() {
			v.add("", "not allowed")
		}
		return false
	}
	t := v.t
	nd := &t.Nodes[i]
	if n.types != 0 && !n.typeOKTape(t, nd) {
		if v.report() {
			v.add("", "expected "+typeList(n.types)+", but got "+t.TypeName(nd))
		}
		return false
	}
	ok := true
	if n.enum != nil {
		found := false
		for _, e := range n.enum {
			if tapeEqual(t, i, e, &v.buf) {
				found = true
				break
			}
		}
		if !found {
			if v.report() {
				v.add("", "value must be "+enumList(n.enum))
			}
			ok = false
		}
	}
	if n.hasConst && !tapeEqual(t, i, n.constant, &v.buf) {
		if v.report() {
			v.add("", "value must be "+enumList([]any{n.constant}))
		}
		ok = false
	}
	switch nd.Kind {
	case jsontape.Object:
		if n.walkMembers && !v.members(n, i) {
			ok = false
		}
	case jsontape.Array:
		if n.minItems > 0 || n.maxItems >= 0 {
			ok = v.itemCount(n, i) && ok
		}
		if n.items != nil {
			v.path = append(v.path, jsontape.Frame{})
			k := len(v.path) - 1
			idx := 0
			for j := i + 1; j < nd.Next; j = t.Nodes[j].Next {
				v.path[k].Index = idx
				idx++
				if !v.check(n.items, j) {
					ok = false
					if v.quiet > 0 {
						break
					}
				}
			}
			v.path = v.path[:k]
		}
	case jsontape.String:
		if n.strCheck && !v.str(n, nd) {
			ok = false
		}
	case jsontape.Number:
		if n.types&(tInteger|tNumber) != 0 && !v.number(n, nd) {
			ok = false
		}
	}
	if n.leaf || (!ok && v.quiet > 0) {
		return ok
	}
	if n.ref != nil && !v.check(n.ref, i) {
		ok = false
	}
	if n.ifNode != nil {
		v.quiet++
		cond := v.check(n.ifNode, i)
		v.quiet--
		if cond {
			if n.then != nil && !v.check(n.then, i) {
				ok = false
			}
		} else if n.elseNd != nil && !v.check(n.elseNd, i) {
			ok = false
		}
	}
	for _, s := range n.allOf {
		if !v.check(s, i) {
			ok = false
		}
	}
	if n.anyOf != nil {
		v.quiet++
		matched := false
		for _, s := range n.anyOf {
			if v.check(s, i) {
				matched = true
				break
			}
		}
		v.quiet--
		if !matched {
			if v.report() {
				v.add("", anyOfMessage(n.anyOf, t, nd))
			}
			ok = false
		}
	}
	if n.oneOf != nil {
		v.quiet++
		count := 0
		for _, s := range n.oneOf {
			if v.check(s, i) {
				count++
			}
		}
		v.quiet--
		if count != 1 {
			if v.report() {
				v.add("", "value must match exactly one of "+strconv.Itoa(len(n.oneOf))+" schemas, but matches "+strconv.Itoa(count))
			}
			ok = false
		}
	}
	if n.not != nil {
		v.quiet++
		matched := v.check(n.not, i)
		v.quiet--
		if matched {
			if v.report() {
				v.add("", "value matches a schema it must not match")
			}
			ok = false
		}
	}
	return ok
}

// members checks the members of object node i.
func (v *validator) members(n *Schema, i uint32) bool {
	t := v.t
	nd := &t.Nodes[i]
	ok := true
	var seenArr [4]uint64
	seen := seenArr[:]
	if len(n.slots) > 64*len(seenArr) {
		seen = make([]uint64, (len(n.slots)+63)/64)
	}
	v.path = append(v.path, jsontape.Frame{Object: true})
	k := len(v.path) - 1
	for j := i + 1; j < nd.Next; {
		val := j + 1
		v.path[k].Key = j
		var sub *Schema
		if n.slotOfKey != nil {
			// member's common case, inline.
			sub = n.additional
			if s := int(n.slotOfKey[t.Nodes[j].Key]) - 1; s >= 0 {
				seen[uint(s)/64] |= 1 << (uint(s) % 64)
				if p := n.slotProp[s]; p != nil {
					sub = p
				}
			}
		} else {
			sub = v.member(n, j, seen)
		}
		if sub != nil && !settled(sub, &t.Nodes[val]) && !v.check(sub, val) {
			ok = false
			if v.quiet > 0 {
				break
			}
		}
		j = t.Nodes[val].Next
	}
	v.path = v.path[:k]
	if !ok && v.quiet > 0 {
		return false
	}
	return v.closeObject(n, seen) && ok
}

// member returns the schema of the member whose key is node key of an
// object that n describes (nil: anything goes), and marks its slot seen.
func (v *validator) member(n *Schema, key uint32, seen []uint64) *Schema {
	if len(n.slots) == 0 {
		return n.additional
	}
	s := -1
	if n.slotOfKey != nil {
		s = int(n.slotOfKey[v.t.Nodes[key].Key]) - 1
	} else if x, found := n.slots[v.t.View(&v.t.Nodes[key], &v.buf)]; found {
		s = x
	}
	if s < 0 {
		return n.additional
	}
	seen[uint(s)/64] |= 1 << (uint(s) % 64)
	if p := n.slotProp[s]; p != nil {
		return p
	}
	return n.additional
}

// closeObject checks what n requires of an object whose members' slots
// are marked in seen: required and dependent members (problems) and
// expected ones (drift).
func (v *validator) closeObject(n *Schema, seen []uint64) bool {
	ok := true
	for idx, s := range n.reqSlots {
		if seen[s/64]&(1<<(s%64)) == 0 {
			if v.report() {
				v.add(n.required[idx], "required property is missing")
			}
			ok = false
		}
	}
	if v.quiet == 0 {
		for idx, s := range n.expSlots {
			if seen[s/64]&(1<<(s%64)) == 0 && len(v.drift) < v.max {
				v.drift = append(v.drift, jsontape.Problem{
					Pointer: v.pointer() + "/" + jsontape.EscapeToken(n.expected[idx]),
					Message: "member missing (Label Studio 1.23 sends it)",
				})
			}
		}
	}
	for _, d := range n.depSlots {
		if seen[d[0]/64]&(1<<(d[0]%64)) == 0 {
			continue
		}
		for _, s := range d[1:] {
			if seen[s/64]&(1<<(s%64)) == 0 {
				if v.report() {
					v.add(n.slotName(s), "required property is missing (required when "+strconv.Quote(n.slotName(d[0]))+" is present)")
				}
				ok = false
			}
		}
	}
	return ok
}

// itemCount checks minItems and maxItems of array node i.
func (v *validator) itemCount(n *Schema, i uint32) bool {
	count := v.t.Count(i)
	if count < n.minItems {
		if v.report() {
			v.add("", "expected at least "+strconv.Itoa(n.minItems)+" items, but got "+strconv.Itoa(count))
		}
		return false
	}
	if n.maxItems >= 0 && count > n.maxItems {
		if v.report() {
			v.add("", "expected at most "+strconv.Itoa(n.maxItems)+" items, but got "+strconv.Itoa(count))
		}
		return false
	}
	return true
}

// slotName returns the member name of slot s.
func (n *Schema) slotName(s int) string {
	for name, x := range n.slots {
		if x == s {
			return name
		}
	}
	return ""
}

// typeList names the types of a type set: "integer or null".
func typeList(types uint8) string {
	var names []string
	for _, tn := range []struct {
		bit  uint8
		name string
	}{{tObject, "object"}, {tArray, "array"}, {tString, "string"}, {tNumber, "number"}, {tInteger, "integer"}, {tBool, "boolean"}, {tNull, "null"}} {
		if types&tn.bit != 0 && !(tn.bit == tInteger && types&tNumber != 0) {
			names = append(names, tn.name)
		}
	}
	return strings.Join(names, " or ")
}

// enumList quotes the allowed values: "X" or one of "X", "Y".
func enumList(vals []any) string {
	parts := make([]string, len(vals))
	for i, e := range vals {
		b, _ := json.Marshal(e)
		parts[i] = string(b)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "one of " + strings.Join(parts, ", ")
}

// anyOfMessage describes a value that matches none of the schemas: when
// every alternative is a plain type (or a reference to one), it names the
// types, as "expected null or date-time string, but got integer".
func anyOfMessage(alts []*Schema, t *jsontape.Tape, nd *jsontape.Node) string {
	var names []string
	for _, a := range alts {
		for a.ref != nil && a.types == 0 {
			a = a.ref
		}
		if a.types == 0 {
			return "value matches none of the allowed schemas"
		}
		name := typeList(a.types)
		if a.dateTime != nil {
			name = "date-time " + name
		}
		names = append(names, name)
	}
	return "expected " + strings.Join(names, " or ") + ", but got " + t.TypeName(nd)
}
