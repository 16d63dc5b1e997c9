package lswebhook

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// This file turns the generic tree read by parseJSON into the package's
// structs. Keys match the json tags exactly (encoding/json would also accept
// keys that differ in case), so the value the schema validated is the value
// the caller gets. Keys without a field go to the struct's Extra map.

// treeDecoder is implemented by types that read themselves from the tree.
type treeDecoder interface {
	fromTree(v any) error
}

var (
	rawMessageType  = reflect.TypeOf(json.RawMessage(nil))
	extraType       = reflect.TypeOf(map[string]json.RawMessage(nil))
	treeDecoderType = reflect.TypeOf((*treeDecoder)(nil)).Elem()
)

type structPlan struct {
	fields map[string][]int // JSON key -> field index path (embedded structs are flattened)
	extra  int              // index of the Extra field, or -1
}

var plans sync.Map // reflect.Type -> *structPlan

func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{fields: make(map[string][]int), extra: -1}
	p.add(t, nil)
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*structPlan)
}

func (p *structPlan) add(t reflect.Type, prefix []int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		index := append(append([]int(nil), prefix...), i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			p.add(f.Type, index)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if f.Name == "Extra" && f.Type == extraType && len(prefix) == 0 {
			p.extra = i
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		p.fields[name] = index
	}
}

// converter collects problems instead of stopping at the first.
type converter struct {
	doc      *document // for cutting raw JSON out of the original bytes; may be nil
	path     []pathSeg
	problems []Problem
}

func (c *converter) pointer() string {
	var b strings.Builder
	for _, s := range c.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(escapePointerToken(s.key))
		}
	}
	return b.String()
}

func (c *converter) problem(msg string) {
	c.problems = append(c.problems, Problem{Pointer: c.pointer(), Message: msg})
}

func (c *converter) typeProblem(want string, v any) {
	c.problem("expected " + want + ", but got " + jsonTypeName(v))
}

// sortProblems orders problems by pointer, then message, and drops exact
// duplicates (the schema and the Go types may both report one fault).
func sortProblems(ps []Problem) []Problem {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Pointer != ps[j].Pointer {
			return ps[i].Pointer < ps[j].Pointer
		}
		return ps[i].Message < ps[j].Message
	})
	out := ps[:0]
	for i, p := range ps {
		if i > 0 && p == ps[i-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

func jsonTypeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return "unknown"
	}
}

// decode stores the tree value v in rv, which must be settable.
func (c *converter) decode(v any, rv reflect.Value) {
	if rv.CanAddr() && rv.Addr().Type().Implements(treeDecoderType) {
		if err := rv.Addr().Interface().(treeDecoder).fromTree(v); err != nil {
			c.problem(err.Error())
		}
		return
	}
	t := rv.Type()
	if t == rawMessageType {
		if v == nil {
			rv.SetBytes(nil)
			return
		}
		rv.SetBytes(c.doc.rawOf(v))
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if v == nil {
			rv.SetZero()
			return
		}
		n := reflect.New(t.Elem())
		c.decode(v, n.Elem())
		rv.Set(n)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			if v != nil {
				c.typeProblem("object", v)
			}
			return
		}
		c.decodeStruct(m, rv)
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			if v != nil {
				c.typeProblem("array", v)
			}
			rv.SetZero()
			return
		}
		s := reflect.MakeSlice(t, len(a), len(a))
		c.path = append(c.path, pathSeg{})
		for i, e := range a {
			c.path[len(c.path)-1].index = i
			c.decode(e, s.Index(i))
		}
		c.path = c.path[:len(c.path)-1]
		rv.Set(s)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			if v != nil {
				c.typeProblem("object", v)
			}
			rv.SetZero()
			return
		}
		out := reflect.MakeMapWithSize(t, len(m))
		c.path = append(c.path, pathSeg{index: -1})
		for k, e := range m {
			c.path[len(c.path)-1].key = k
			ev := reflect.New(t.Elem()).Elem()
			c.decode(e, ev)
			out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		c.path = c.path[:len(c.path)-1]
		rv.Set(out)
	case reflect.String:
		switch s := v.(type) {
		case string:
			rv.SetString(s)
		case nil:
			rv.SetString("")
		default:
			c.typeProblem("string", v)
		}
	case reflect.Bool:
		switch b := v.(type) {
		case bool:
			rv.SetBool(b)
		case nil:
			rv.SetBool(false)
		default:
			c.typeProblem("boolean", v)
		}
	case reflect.Int64, reflect.Int:
		switch n := v.(type) {
		case json.Number:
			i, msg := numberToInt64(n)
			if msg != "" {
				c.problem(msg)
				return
			}
			rv.SetInt(i)
		case nil:
			rv.SetInt(0)
		default:
			c.typeProblem("integer", v)
		}
	case reflect.Float64:
		switch n := v.(type) {
		case json.Number:
			f, err := strconv.ParseFloat(string(n), 64)
			if err != nil {
				c.problem("number " + string(n) + " is out of range for float64")
				return
			}
			rv.SetFloat(f)
		case nil:
			rv.SetFloat(0)
		default:
			c.typeProblem("number", v)
		}
	case reflect.Interface:
		if v == nil {
			rv.SetZero()
			return
		}
		rv.Set(reflect.ValueOf(v))
	default:
		c.problem("internal: cannot decode into Go type " + t.String())
	}
}

func (c *converter) decodeStruct(m map[string]any, rv reflect.Value) {
	p := planFor(rv.Type())
	var extra map[string]json.RawMessage
	c.path = append(c.path, pathSeg{index: -1})
	for k, e := range m {
		i, ok := p.fields[k]
		if !ok {
			if p.extra >= 0 {
				if extra == nil {
					extra = make(map[string]json.RawMessage)
				}
				extra[k] = c.doc.rawOf(e)
			}
			continue
		}
		c.path[len(c.path)-1].key = k
		c.decode(e, rv.FieldByIndex(i))
	}
	c.path = c.path[:len(c.path)-1]
	if p.extra >= 0 {
		rv.Field(p.extra).Set(reflect.ValueOf(extra))
	}
}

// numberToInt64 converts a JSON number to int64. Integral values written
// with a fraction or exponent (1.0, 1e3) are accepted, as JSON Schema counts
// them as integers. The message is empty on success.
func numberToInt64(n json.Number) (int64, string) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, ""
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return 0, "invalid number " + string(n)
	}
	if !r.IsInt() {
		return 0, "expected integer, but got number"
	}
	if !r.Num().IsInt64() {
		return 0, "integer " + shorten(string(n)) + " is out of range for int64"
	}
	return r.Num().Int64(), ""
}

func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:20] + "..." + s[len(s)-10:] + " (" + strconv.Itoa(len(s)) + " bytes)"
}

// encodeTree writes a tree value back as compact JSON. Object keys come out
// sorted; strings are not HTML-escaped.
func encodeTree(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// The tree comes from parseJSON and always encodes.
		return json.RawMessage("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// unmarshalTree parses data and stores it in v (a pointer to a struct of
// this package) with the same exact-key rules as Decode. Any problem is
// returned as a *ValidationError without an action.
func unmarshalTree(data []byte, v any) error {
	doc, err := parseDocument(data, 0)
	if err != nil {
		return err
	}
	c := converter{doc: doc}
	c.decode(doc.tree, reflect.ValueOf(v).Elem())
	if len(c.problems) > 0 {
		return &ValidationError{Problems: sortProblems(c.problems)}
	}
	return nil
}
