package validate

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// This file compiles schemas for the validator (validate.go). The bundled
// schemas use a small part of JSON Schema 2020-12; Schema holds that part
// as a tree of Go values, with each object's member names given slots so
// that checking an object indexes instead of hashing. A schema that uses a
// keyword outside the supported set does not compile.

// Type bits for Schema.types.
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

// Schema is a compiled schema, ready for [Validate].
type Schema struct {
	never bool  // the schema false
	types uint8 // 0: any type
	kinds uint8 // kindsOf(types)

	enum     []any
	hasConst bool
	constant any

	required          []string
	expected          []string // x-expected: members whose absence is drift
	properties        map[string]*Schema
	additional        *Schema // nil: anything allowed
	items             *Schema
	dependentRequired map[string][]string

	ref                  *Schema
	ifNode, then, elseNd *Schema
	anyOf, allOf, oneOf  []*Schema
	not                  *Schema

	dateTime  func(string) error // format "date-time": why a string is refused
	pattern   *regexp.Regexp
	minLength int
	maxLength int // -1: none
	minItems  int
	maxItems  int // -1: none

	// For the tape validator, every name in required, properties and
	// dependentRequired has a slot; see index.
	slots       map[string]int
	slotOfKey   []uint8   // key id -> slot+1; nil: look names up in slots
	slotProp    []*Schema // property schema of each slot, or nil
	reqSlots    []int
	expSlots    []int
	depSlots    [][]int // dependentRequired: the name's slot, then its dependencies'
	walkMembers bool    // objects need a pass over their members

	// Shortcuts for the validator, set once the schema is filled.
	onlyRef  bool // only a $ref (see pureRef): check follows it at once
	leaf     bool // no $ref, if, allOf, anyOf, oneOf or not
	strCheck bool // a string needs checks beyond its type
	typeOnly bool // a leaf that checks nothing but a value's type (and a number's range)
}

// Keywords that only annotate.
var annotationKeywords = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "$defs": true, "title": true,
	"description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true,
}

// Compiler compiles the schema documents of one file system, sharing
// what two documents reference.
type Compiler struct {
	fsys     fs.FS
	keys     *jsontape.Keys
	dateTime func(string) error
	docs     map[string]any     // path -> parsed document
	nodes    map[string]*Schema // absolute location -> node
}

// NewCompiler returns a compiler of the schemas in fsys. keys are the
// member ids the tapes to validate are parsed with (nil: none); dateTime
// checks strings of the format "date-time" and returns why one is refused.
func NewCompiler(fsys fs.FS, keys *jsontape.Keys, dateTime func(string) error) *Compiler {
	return &Compiler{fsys: fsys, keys: keys, dateTime: dateTime, docs: map[string]any{}, nodes: map[string]*Schema{}}
}

// Compile compiles the schema document at path in the file system, e.g.
// "events/x.json". References between documents are relative paths.
func (c *Compiler) Compile(path string) (*Schema, error) {
	return c.compileRef(path, "")
}

func (c *Compiler) doc(path string) (any, error) {
	if d, ok := c.docs[path]; ok {
		return d, nil
	}
	b, err := fs.ReadFile(c.fsys, path)
	if err != nil {
		return nil, err
	}
	d, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	c.docs[path] = d
	return d, nil
}

// compileRef compiles the subschema at the JSON Pointer frag of the
// document at path.
func (c *Compiler) compileRef(path, frag string) (*Schema, error) {
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
				return nil, fmt.Errorf("schema: %s: bad pointer", key)
			}
			v = m[tok]
		}
	}
	n := new(Schema)
	c.nodes[key] = n // placeholder first, for recursive references
	if err := c.fill(n, v, path); err != nil {
		return nil, err
	}
	return n, nil
}

func (c *Compiler) sub(v any, path string) (*Schema, error) {
	n := new(Schema)
	return n, c.fill(n, v, path)
}

func (c *Compiler) subs(v any, path string) ([]*Schema, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("schema: expected an array of schemas")
	}
	out := make([]*Schema, len(a))
	for i, s := range a {
		n, err := c.sub(s, path)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (c *Compiler) fill(n *Schema, v any, path string) error {
	n.maxLength, n.maxItems = -1, -1
	switch s := v.(type) {
	case bool:
		n.never = !s
		n.shortcuts()
		return nil
	case map[string]any:
		return c.fillObject(n, s, path)
	default:
		return fmt.Errorf("schema: %s: a schema must be an object or a boolean", path)
	}
}

func (c *Compiler) fillObject(n *Schema, s map[string]any, path string) error {
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
				return fmt.Errorf("schema: bad type %v", kv)
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
			n.properties = make(map[string]*Schema, len(m))
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
				return fmt.Errorf("schema: format %v not supported", kv)
			}
			if c.dateTime == nil {
				return fmt.Errorf("schema: format date-time needs a checker")
			}
			n.dateTime = c.dateTime
		case "pattern":
			p, _ := kv.(string)
			n.pattern, err = regexp.Compile(p)
		case "minLength", "maxLength", "minItems", "maxItems":
			num, ok := kv.(json.Number)
			if !ok {
				return fmt.Errorf("schema: %s must be a number", k)
			}
			i, perr := strconv.Atoi(string(num))
			if perr != nil {
				return fmt.Errorf("schema: %s: %v", k, perr)
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
				return fmt.Errorf("schema: keyword %q not supported", k)
			}
		}
		if err != nil {
			return err
		}
	}
	n.index(c.keys)
	n.shortcuts()
	return nil
}

// shortcuts sets the validator's shortcuts from the filled keywords.
func (n *Schema) shortcuts() {
	n.kinds = kindsOf(n.types)
	n.leaf = n.ref == nil && n.ifNode == nil && n.then == nil && n.elseNd == nil &&
		n.allOf == nil && n.anyOf == nil && n.oneOf == nil && n.not == nil
	n.strCheck = n.minLength > 0 || n.maxLength >= 0 || n.pattern != nil || n.dateTime != nil
	n.onlyRef = n.ref != nil && n.pureRef()
	n.typeOnly = n.leaf && !n.never && n.types != 0 && n.enum == nil && !n.hasConst &&
		!n.strCheck && !n.walkMembers && n.items == nil && n.minItems == 0 && n.maxItems < 0
}

// index gives the object keywords' names their slots.
func (n *Schema) index(kt *jsontape.Keys) {
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
	if kt != nil && len(n.slots) > 0 && len(n.slots) < math.MaxUint8 {
		n.slotOfKey = make([]uint8, kt.Len())
		for name, s := range n.slots {
			id := kt.ID(name)
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
		return nil, fmt.Errorf("schema: expected a list of strings")
	}
	out := make([]string, len(a))
	for i, e := range a {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("schema: expected a list of strings")
		}
		out[i] = s
	}
	return out, nil
}
