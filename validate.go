package lswebhook

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// This file is the validator: it checks a tape against a schema compiled
// by schemacompile.go and reports every problem in one pass over the tape,
// in document order, keeping the first few (see [Decoder.MaxProblems]) and
// counting the rest. The bundled schemas are the definition of validity;
// the jsonschema package validates the same documents in the tests, which
// compare the two on every fixture and under fuzzing.

// DefaultMaxProblems is how many problems a [*ValidationError] lists unless
// [Decoder.MaxProblems] says otherwise; the rest are only counted.
const DefaultMaxProblems = 100

// validator walks one tape.
type validator struct {
	t   *tape
	buf []byte

	path  []pathFrame // the members and elements entered, for pointers
	quiet int         // > 0 inside anyOf, oneOf, not and if: no problems kept, stop at the first

	problems []Problem
	max      int // problems kept
	total    int // problems found

	drift []Problem // expected members missing, up to max
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
		ptr += "/" + escapePointerToken(name)
	}
	v.problems = append(v.problems, Problem{Pointer: ptr, Message: msg})
}

// pointer is the JSON Pointer of the value being checked.
func (v *validator) pointer() string {
	if len(v.path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, f := range v.path {
		b.WriteByte('/')
		if f.object {
			b.WriteString(escapePointerToken(tapeString(v.t.data, &v.t.nodes[f.key])))
		} else {
			b.WriteString(strconv.Itoa(f.index))
		}
	}
	return b.String()
}

// check reports whether node i satisfies n. Outside quiet mode it goes on
// after a problem, to find the others.
func (v *validator) check(n *fastNode, i uint32) bool {
	if n.never {
		if v.report() {
			v.add("", "not allowed")
		}
		return false
	}
	t := v.t
	nd := &t.nodes[i]
	if n.types != 0 && !n.typeOKTape(t, nd) {
		if v.report() {
			v.add("", "expected "+typeList(n.types)+", but got "+tapeTypeName(t, nd))
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
	switch nd.kind {
	case tkObject:
		if n.walkMembers && !v.members(n, i) {
			ok = false
		}
	case tkArray:
		if n.minItems > 0 || n.maxItems >= 0 {
			ok = v.itemCount(n, i) && ok
		}
		if n.items != nil {
			v.path = append(v.path, pathFrame{})
			k := len(v.path) - 1
			idx := 0
			for j := i + 1; j < nd.next; j = t.nodes[j].next {
				v.path[k].index = idx
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
	case tkString:
		if !v.str(n, nd) {
			ok = false
		}
	case tkNumber:
		if n.types&(tInteger|tNumber) != 0 && !v.number(n, nd) {
			ok = false
		}
	}
	if !ok && v.quiet > 0 {
		return false
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
func (v *validator) members(n *fastNode, i uint32) bool {
	t := v.t
	nd := &t.nodes[i]
	ok := true
	var seenArr [4]uint64
	seen := seenArr[:]
	if len(n.slots) > 64*len(seenArr) {
		seen = make([]uint64, (len(n.slots)+63)/64)
	}
	v.path = append(v.path, pathFrame{object: true})
	k := len(v.path) - 1
	for j := i + 1; j < nd.next; {
		val := j + 1
		v.path[k].key = j
		var sub *fastNode
		if len(n.slots) > 0 {
			s := -1
			if n.slotOfKey != nil {
				s = int(n.slotOfKey[t.nodes[j].key]) - 1
			} else if x, found := n.slots[tapeView(t.data, &t.nodes[j], &v.buf)]; found {
				s = x
			}
			if s >= 0 {
				seen[s/64] |= 1 << (s % 64)
				sub = n.slotProp[s]
			}
		}
		if sub == nil {
			sub = n.additional
		}
		if sub != nil && !v.check(sub, val) {
			ok = false
			if v.quiet > 0 {
				break
			}
		}
		j = t.nodes[val].next
	}
	v.path = v.path[:k]
	if !ok && v.quiet > 0 {
		return false
	}
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
				v.drift = append(v.drift, Problem{
					Pointer: v.pointer() + "/" + escapePointerToken(n.expected[idx]),
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
func (v *validator) itemCount(n *fastNode, i uint32) bool {
	count := v.t.count(i)
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

// str checks the string keywords.
func (v *validator) str(n *fastNode, nd *tnode) bool {
	if n.minLength <= 0 && n.maxLength < 0 && n.pattern == nil && !n.dateTime {
		return true
	}
	x := tapeView(v.t.data, nd, &v.buf)
	ok := true
	if n.minLength > 0 || n.maxLength >= 0 {
		l := utf8.RuneCountInString(x)
		if l < n.minLength {
			if v.report() {
				v.add("", "length must be at least "+strconv.Itoa(n.minLength)+", but got "+strconv.Itoa(l))
			}
			ok = false
		}
		if n.maxLength >= 0 && l > n.maxLength {
			if v.report() {
				v.add("", "length must be at most "+strconv.Itoa(n.maxLength)+", but got "+strconv.Itoa(l))
			}
			ok = false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(x) {
		if v.report() {
			v.add("", "does not match pattern "+strconv.Quote(n.pattern.String()))
		}
		ok = false
	}
	if n.dateTime {
		if _, err := parseTime(x); err != nil {
			if v.report() {
				v.add("", err.Error())
			}
			ok = false
		}
	}
	return ok
}

// number checks that a number the schema allows fits the Go type that
// holds it: every integer-only member is an int64, every other number a
// float64.
func (v *validator) number(n *fastNode, nd *tnode) bool {
	b := v.t.data[nd.start:nd.end]
	if nd.flags&tfFraction == 0 {
		if _, ok := parseSmallInt(b); ok {
			return true
		}
	}
	// A read-only view of the literal; nothing below keeps it.
	s := unsafe.String(unsafe.SliceData(b), len(b))
	if n.types&tNumber == 0 {
		if _, msg := numberToInt64(json.Number(s)); msg != "" {
			if v.report() {
				v.add("", msg)
			}
			return false
		}
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		if v.report() {
			v.add("", "number "+shorten(s)+" is out of range for float64")
		}
		return false
	}
	return true
}

// slotName returns the member name of slot s.
func (n *fastNode) slotName(s int) string {
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

// tapeTypeName names the JSON type of a node, "integer" for integral numbers.
func tapeTypeName(t *tape, nd *tnode) string {
	switch nd.kind {
	case tkNull:
		return "null"
	case tkTrue, tkFalse:
		return "boolean"
	case tkString:
		return "string"
	case tkArray:
		return "array"
	case tkObject:
		return "object"
	}
	if nd.flags&tfFraction == 0 || isIntegral(json.Number(t.data[nd.start:nd.end])) {
		return "integer"
	}
	return "number"
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
func anyOfMessage(alts []*fastNode, t *tape, nd *tnode) string {
	var names []string
	for _, a := range alts {
		for a.ref != nil && a.types == 0 {
			a = a.ref
		}
		if a.types == 0 {
			return "value matches none of the allowed schemas"
		}
		name := typeList(a.types)
		if a.dateTime {
			name = "date-time " + name
		}
		names = append(names, name)
	}
	return "expected " + strings.Join(names, " or ") + ", but got " + tapeTypeName(t, nd)
}
