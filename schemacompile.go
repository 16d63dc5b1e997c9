package lswebhook

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
)

// This file compiles the bundled schemas for the validator (validate.go).
// The schemas use a small part of JSON Schema 2020-12; fastNode holds that
// part as a tree of Go values, with each object's member names given slots
// so that checking an object indexes instead of hashing. A schema that uses
// a keyword outside the supported set does not compile, and a test keeps
// every bundled schema compiling.

// Type bits for fastNode.types.
const (
	tNull = 1 << iota
	tBool
	tInteger
	tNumber // includes integers
	tString
	tArray
	tObject
)

var typeBits = map[string]uint8{
	"null": tNull, "boolean": tBool, "integer": tInteger, "number": tNumber,
	"string": tString, "array": tArray, "object": tObject,
}

type fastNode struct {
	never bool  // the schema false
	types uint8 // 0: any type

	enum     []any
	hasConst bool
	constant any

	required          []string
	expected          []string // x-expected: members whose absence is drift
	properties        map[string]*fastNode
	additional        *fastNode // nil: anything allowed
	items             *fastNode
	dependentRequired map[string][]string

	ref                  *fastNode
	ifNode, then, elseNd *fastNode
	anyOf, allOf, oneOf  []*fastNode
	not                  *fastNode

	dateTime  bool
	pattern   *regexp.Regexp
	minLength int
	maxLength int // -1: none
	minItems  int
	maxItems  int // -1: none

	// For the tape validator, every name in required, properties and
	// dependentRequired has a slot; see index.
	slots       map[string]int
	slotOfKey   []uint8     // key id (keyIDs) -> slot+1; nil: look names up in slots
	slotProp    []*fastNode // property schema of each slot, or nil
	reqSlots    []int
	expSlots    []int
	depSlots    [][]int // dependentRequired: the name's slot, then its dependencies'
	walkMembers bool    // objects need a pass over their members
}

// Keywords that only annotate.
var annotationKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true,
	"description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true,
}

// fastCompiler compiles schema documents from the bundle.
type fastCompiler struct {
	docs  map[string]any       // path -> parsed document
	nodes map[string]*fastNode // absolute location -> node
}

func newFastCompiler() *fastCompiler {
	return &fastCompiler{docs: map[string]any{}, nodes: map[string]*fastNode{}}
}

// compileFile compiles the schema at a bundle path, e.g. "events/x.json".
func (c *fastCompiler) compileFile(path string) (*fastNode, error) {
	return c.compileRef(path, "")
}

func (c *fastCompiler) doc(path string) (any, error) {
	if d, ok := c.docs[path]; ok {
		return d, nil
	}
	b, err := fs.ReadFile(Schemas(), path)
	if err != nil {
		return nil, err
	}
	d, err := decodeSchemaJSON(b)
	if err != nil {
		return nil, err
	}
	c.docs[path] = d
	return d, nil
}

// compileRef compiles the subschema at the JSON Pointer frag of the
// document at path.
func (c *fastCompiler) compileRef(path, frag string) (*fastNode, error) {
	key := path + "#" + frag
	if n, ok := c.nodes[key]; ok {
		return n, nil
	}
	d, err := c.doc(path)
	if err != nil {
		return nil, err
	}
	v := d
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("fast schema: %s: bad pointer", key)
			}
			v = m[tok]
		}
	}
	n := new(fastNode)
	c.nodes[key] = n // placeholder first, for recursive references
	if err := c.fill(n, v, path); err != nil {
		return nil, err
	}
	return n, nil
}

func (c *fastCompiler) sub(v any, path string) (*fastNode, error) {
	n := new(fastNode)
	return n, c.fill(n, v, path)
}

func (c *fastCompiler) subs(v any, path string) ([]*fastNode, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("fast schema: expected an array of schemas")
	}
	out := make([]*fastNode, len(a))
	for i, s := range a {
		n, err := c.sub(s, path)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (c *fastCompiler) fill(n *fastNode, v any, path string) error {
	n.maxLength, n.maxItems = -1, -1
	switch s := v.(type) {
	case bool:
		n.never = !s
		return nil
	case map[string]any:
		return c.fillObject(n, s, path)
	default:
		return fmt.Errorf("fast schema: %s: a schema must be an object or a boolean", path)
	}
}

func (c *fastCompiler) fillObject(n *fastNode, s map[string]any, path string) error {
	var err error
	for k, kv := range s {
		switch k {
		case "type":
			switch t := kv.(type) {
			case string:
				n.types |= typeBits[t]
			case []any:
				for _, e := range t {
					name, _ := e.(string)
					n.types |= typeBits[name]
				}
			}
			if n.types == 0 {
				return fmt.Errorf("fast schema: bad type %v", kv)
			}
		case "enum":
			n.enum, _ = kv.([]any)
		case "const":
			n.hasConst, n.constant = true, kv
		case "required":
			n.required, err = stringList(kv)
		case "x-expected":
			n.expected, err = stringList(kv)
		case "properties":
			m, _ := kv.(map[string]any)
			n.properties = make(map[string]*fastNode, len(m))
			for name, ps := range m {
				if n.properties[name], err = c.sub(ps, path); err != nil {
					return err
				}
			}
		case "additionalProperties":
			n.additional, err = c.sub(kv, path)
		case "items":
			n.items, err = c.sub(kv, path)
		case "dependentRequired":
			m, _ := kv.(map[string]any)
			n.dependentRequired = make(map[string][]string, len(m))
			for name, list := range m {
				if n.dependentRequired[name], err = stringList(list); err != nil {
					return err
				}
			}
		case "$ref":
			ref, _ := kv.(string)
			file, frag, _ := strings.Cut(ref, "#")
			target := path
			if file != "" {
				target = resolveBundlePath(path, file)
			}
			n.ref, err = c.compileRef(target, frag)
		case "if":
			n.ifNode, err = c.sub(kv, path)
		case "then":
			n.then, err = c.sub(kv, path)
		case "else":
			n.elseNd, err = c.sub(kv, path)
		case "anyOf":
			n.anyOf, err = c.subs(kv, path)
		case "allOf":
			n.allOf, err = c.subs(kv, path)
		case "oneOf":
			n.oneOf, err = c.subs(kv, path)
		case "not":
			n.not, err = c.sub(kv, path)
		case "format":
			if kv != "date-time" {
				return fmt.Errorf("fast schema: format %v not supported", kv)
			}
			n.dateTime = true
		case "pattern":
			p, _ := kv.(string)
			n.pattern, err = regexp.Compile(p)
		case "minLength", "maxLength", "minItems", "maxItems":
			num, ok := kv.(json.Number)
			if !ok {
				return fmt.Errorf("fast schema: %s must be a number", k)
			}
			i, perr := strconv.Atoi(string(num))
			if perr != nil {
				return fmt.Errorf("fast schema: %s: %v", k, perr)
			}
			switch k {
			case "minLength":
				n.minLength = i
			case "maxLength":
				n.maxLength = i
			case "minItems":
				n.minItems = i
			case "maxItems":
				n.maxItems = i
			}
		default:
			if !annotationKeywords[k] {
				return fmt.Errorf("fast schema: keyword %q not supported", k)
			}
		}
		if err != nil {
			return err
		}
	}
	n.index()
	return nil
}

// index gives the object keywords' names their slots.
func (n *fastNode) index() {
	slot := func(name string) int {
		if n.slots == nil {
			n.slots = map[string]int{}
		}
		s, ok := n.slots[name]
		if !ok {
			s = len(n.slots)
			n.slots[name] = s
			n.slotProp = append(n.slotProp, nil)
		}
		return s
	}
	for name, p := range n.properties {
		n.slotProp[slot(name)] = p
	}
	for _, r := range n.required {
		n.reqSlots = append(n.reqSlots, slot(r))
	}
	for _, r := range n.expected {
		n.expSlots = append(n.expSlots, slot(r))
	}
	for name, deps := range n.dependentRequired {
		d := []int{slot(name)}
		for _, dep := range deps {
			d = append(d, slot(dep))
		}
		n.depSlots = append(n.depSlots, d)
	}
	n.walkMembers = len(n.slots) > 0 || n.additional != nil
	if len(n.slots) > 0 && len(n.slots) < math.MaxUint8 {
		kt := keyIDs()
		n.slotOfKey = make([]uint8, len(kt.names))
		for name, s := range n.slots {
			id := kt.id(name)
			if id == 0 {
				n.slotOfKey = nil
				break
			}
			n.slotOfKey[id] = uint8(s + 1)
		}
	}
}

// resolveBundlePath resolves a relative reference against the path of the
// document it appears in: "../task.json" from "events/x.json" is
// "task.json".
func resolveBundlePath(base, ref string) string {
	dir := ""
	if i := strings.LastIndex(base, "/"); i >= 0 {
		dir = base[:i]
	}
	for strings.HasPrefix(ref, "../") {
		ref = ref[3:]
		if i := strings.LastIndex(dir, "/"); i >= 0 {
			dir = dir[:i]
		} else {
			dir = ""
		}
	}
	ref = strings.TrimPrefix(ref, "./")
	if dir == "" {
		return ref
	}
	return dir + "/" + ref
}

func stringList(v any) ([]string, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("fast schema: expected a list of strings")
	}
	out := make([]string, len(a))
	for i, e := range a {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("fast schema: expected a list of strings")
		}
		out[i] = s
	}
	return out, nil
}

// isIntegral reports whether a JSON number is an integer in JSON Schema's
// sense (1.0 and 1e3 are).
func isIntegral(n json.Number) bool {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return true
	}
	r, ok := new(big.Rat).SetString(s)
	return ok && r.IsInt()
}

// jsonEqual reports whether two tree values are equal JSON values, numbers
// compared by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		rx, ok1 := new(big.Rat).SetString(string(x))
		ry, ok2 := new(big.Rat).SetString(string(y))
		return ok1 && ok2 && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

func (n *fastNode) typeOKTape(t *tape, nd *tnode) bool {
	switch nd.kind {
	case tkNull:
		return n.types&tNull != 0
	case tkTrue, tkFalse:
		return n.types&tBool != 0
	case tkString:
		return n.types&tString != 0
	case tkArray:
		return n.types&tArray != 0
	case tkObject:
		return n.types&tObject != 0
	default: // tkNumber
		if n.types&tNumber != 0 {
			return true
		}
		return n.types&tInteger != 0 && (nd.flags&tfFraction == 0 || isIntegral(json.Number(t.data[nd.start:nd.end])))
	}
}

// tapeEqual is jsonEqual for node i of a tape and a tree value.
func tapeEqual(t *tape, i uint32, b any, buf *[]byte) bool {
	nd := &t.nodes[i]
	switch y := b.(type) {
	case nil:
		return nd.kind == tkNull
	case bool:
		return (nd.kind == tkTrue && y) || (nd.kind == tkFalse && !y)
	case string:
		return nd.kind == tkString && tapeView(t.data, nd, buf) == y
	case json.Number:
		return nd.kind == tkNumber && jsonEqual(json.Number(t.data[nd.start:nd.end]), y)
	case []any:
		if nd.kind != tkArray || t.count(i) != len(y) {
			return false
		}
		k := 0
		for j := i + 1; j < nd.next; j = t.nodes[j].next {
			if !tapeEqual(t, j, y[k], buf) {
				return false
			}
			k++
		}
		return true
	case map[string]any:
		if nd.kind != tkObject || t.count(i) != len(y) {
			return false
		}
		for j := i + 1; j < nd.next; {
			yv, ok := y[tapeView(t.data, &t.nodes[j], buf)]
			if !ok || !tapeEqual(t, j+1, yv, buf) {
				return false
			}
			j = t.nodes[j+1].next
		}
		return true
	}
	return false
}
