package lswebhook

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// This file turns a tape into the package's structs. Keys match the json
// tags exactly (encoding/json would also accept keys that differ in case),
// so the value the schema validated is the value the caller gets. Keys
// without a field go to the struct's Extra map.

var (
	rawMessageType = reflect.TypeOf(json.RawMessage(nil))
	extraType      = reflect.TypeOf(map[string]json.RawMessage(nil))
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

// parseJSON reads data into the generic form: map[string]any, []any,
// json.Number, string, bool or nil.
func parseJSON(data []byte, maxDepth int) (any, error) {
	t, p, err := parseTape(data, depthLimit(maxDepth))
	defer releaseTape(p)
	if err != nil {
		return nil, err
	}
	return t.generic(0), nil
}

// unmarshalTape parses data and stores it in v (a pointer to a struct of
// this package) with the same exact-key rules as Decode, without schema
// validation. Any problem is returned as a *ValidationError without an
// action.
func unmarshalTape(data []byte, v any) error {
	// Raw JSON fields are cut from the bytes parsed, and UnmarshalJSON must
	// not keep its argument (a json.Decoder reuses its buffer): parse a copy.
	data = bytes.Clone(data)
	t, p, err := parseTape(data, DefaultMaxDepth)
	defer releaseTape(p)
	if err != nil {
		return err
	}
	rv := reflect.ValueOf(v).Elem()
	c := tapeConverter{t: t, max: DefaultMaxProblems}
	c.decode(0, tplanFor(rv.Type()), rv)
	if c.total > 0 {
		return &ValidationError{Problems: c.problems, More: c.total - len(c.problems)}
	}
	return nil
}

// The tape converter stores a tape in the package's structs, from plans
// compiled once per Go type. A value the Go type cannot hold (a string
// where an integer goes, an integer beyond int64, a malformed time) is a
// problem; the converter records it with its JSON Pointer and goes on.
// With validation on, the validator has already reported every such value,
// so the converter finds none.

type tplanKind uint8

const (
	tpUnsupported tplanKind = iota
	tpTime
	tpRaw
	tpPointer
	tpStruct
	tpSlice
	tpMap
	tpString
	tpBool
	tpInt
	tpFloat
	tpInterface
)

type tplan struct {
	kind tplanKind
	typ  reflect.Type
	elem *tplan // pointer, slice and map elements

	// Structs.
	fields     map[string]tfield
	fieldList  []tfield
	fieldOfKey []uint16 // key id (keyIDs) -> index in fieldList+1; nil: look names up in fields
	extra      int      // index of the Extra field, or -1
}

type tfield struct {
	index []int
	plan  *tplan
}

var (
	tplans   sync.Map // reflect.Type -> *tplan
	tplansMu sync.Mutex
	timeType = reflect.TypeOf(Time{})
)

// tplanFor returns the compiled plan of t.
func tplanFor(t reflect.Type) *tplan {
	if p, ok := tplans.Load(t); ok {
		return p.(*tplan)
	}
	tplansMu.Lock()
	defer tplansMu.Unlock()
	building := map[reflect.Type]*tplan{}
	p := buildTplan(t, building)
	for bt, bp := range building {
		tplans.LoadOrStore(bt, bp)
	}
	actual, _ := tplans.Load(t)
	_ = p
	return actual.(*tplan)
}

func buildTplan(t reflect.Type, building map[reflect.Type]*tplan) *tplan {
	if p, ok := tplans.Load(t); ok {
		return p.(*tplan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &tplan{typ: t, extra: -1}
	building[t] = p
	switch {
	case t == timeType:
		p.kind = tpTime
		return p
	case t == rawMessageType:
		p.kind = tpRaw
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		p.kind = tpPointer
		p.elem = buildTplan(t.Elem(), building)
	case reflect.Struct:
		p.kind = tpStruct
		sp := planFor(t)
		p.extra = sp.extra
		p.fields = make(map[string]tfield, len(sp.fields))
		kt := keyIDs()
		p.fieldOfKey = make([]uint16, len(kt.names))
		for name, index := range sp.fields {
			f := tfield{index: index, plan: buildTplan(t.FieldByIndex(index).Type, building)}
			p.fields[name] = f
			p.fieldList = append(p.fieldList, f)
			if id := kt.id(name); id != 0 && p.fieldOfKey != nil {
				p.fieldOfKey[id] = uint16(len(p.fieldList))
			} else {
				p.fieldOfKey = nil
			}
		}
	case reflect.Slice:
		p.kind = tpSlice
		p.elem = buildTplan(t.Elem(), building)
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			p.kind = tpUnsupported
			break
		}
		p.kind = tpMap
		p.elem = buildTplan(t.Elem(), building)
	case reflect.String:
		p.kind = tpString
	case reflect.Bool:
		p.kind = tpBool
	case reflect.Int64, reflect.Int:
		p.kind = tpInt
	case reflect.Float64:
		p.kind = tpFloat
	case reflect.Interface:
		p.kind = tpInterface
	default:
		p.kind = tpUnsupported
	}
	return p
}

// tapeConverter converts a tape into Go values.
type tapeConverter struct {
	t        *tape
	path     []pathFrame
	problems []Problem
	max      int // problems kept
	total    int // problems found
	buf      []byte
}

// problem records msg at the current pointer.
func (c *tapeConverter) problem(msg string) {
	c.total++
	if len(c.problems) >= c.max {
		return
	}
	v := validator{t: c.t, path: c.path}
	c.problems = append(c.problems, Problem{Pointer: v.pointer(), Message: msg})
}

// typeProblem records that node i is not of the type want.
func (c *tapeConverter) typeProblem(want string, i uint32) {
	if len(c.problems) >= c.max {
		c.total++
		return
	}
	c.problem("expected " + want + ", but got " + tapeTypeName(c.t, &c.t.nodes[i]))
}

// rawOf is document.rawOf for node i.
func (c *tapeConverter) rawOf(i uint32) json.RawMessage {
	n := &c.t.nodes[i]
	d := c.t.data
	switch n.kind {
	case tkObject:
		return json.RawMessage(d[n.start:n.end:n.end])
	case tkArray:
		if n.next > i+1 {
			return json.RawMessage(d[n.start:n.end:n.end])
		}
	case tkNumber, tkTrue, tkFalse, tkNull:
		return json.RawMessage(d[n.start:n.end:n.end])
	case tkString:
		// encodeTree writes a string as it was sent unless it had escapes
		// or holds U+2028 or U+2029, which it escapes.
		if n.flags&tfEscaped == 0 && !hasLineSeparator(d[n.start:n.end]) {
			return json.RawMessage(d[n.start-1 : n.end+1 : n.end+1])
		}
	}
	return encodeTree(c.t.generic(i))
}

// hasLineSeparator reports whether b holds U+2028 or U+2029.
func hasLineSeparator(b []byte) bool {
	for {
		i := bytes.IndexByte(b, 0xE2)
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
			return true
		}
		b = b[i+1:]
	}
}

// decode stores node i in rv with plan p, as converter.decode does.
func (c *tapeConverter) decode(i uint32, p *tplan, rv reflect.Value) {
	n := &c.t.nodes[i]
	switch p.kind {
	case tpTime:
		switch n.kind {
		case tkNull:
			*(*Time)(rv.Addr().UnsafePointer()) = Time{}
		case tkString:
			tt, err := parseTime(tapeView(c.t.data, n, &c.buf))
			if err != nil {
				c.problem(err.Error())
				return
			}
			*(*Time)(rv.Addr().UnsafePointer()) = Time{Time: tt, sent: true}
		default:
			c.typeProblem("date-time string", i)
		}
	case tpRaw:
		if n.kind == tkNull {
			rv.SetBytes(nil)
			return
		}
		rv.SetBytes(c.rawOf(i))
	case tpPointer:
		if n.kind == tkNull {
			rv.SetZero()
			return
		}
		v := reflect.New(p.elem.typ)
		c.decode(i, p.elem, v.Elem())
		rv.Set(v)
	case tpStruct:
		switch n.kind {
		case tkObject:
			c.decodeStruct(i, p, rv)
		case tkNull:
		default:
			c.typeProblem("object", i)
		}
	case tpSlice:
		switch n.kind {
		case tkArray:
			cnt := c.t.count(i)
			s := reflect.MakeSlice(p.typ, cnt, cnt)
			c.path = append(c.path, pathFrame{})
			f := len(c.path) - 1
			k := 0
			for j := i + 1; j < n.next; j = c.t.nodes[j].next {
				c.path[f].index = k
				c.decode(j, p.elem, s.Index(k))
				k++
			}
			c.path = c.path[:f]
			rv.Set(s)
		case tkNull:
			rv.SetZero()
		default:
			c.typeProblem("array", i)
		}
	case tpMap:
		switch n.kind {
		case tkObject:
			m := reflect.MakeMapWithSize(p.typ, c.t.count(i))
			key := reflect.New(p.typ.Key()).Elem()
			elem := reflect.New(p.elem.typ).Elem()
			c.path = append(c.path, pathFrame{object: true})
			f := len(c.path) - 1
			for j := i + 1; j < n.next; {
				c.path[f].key = j
				key.SetString(tapeString(c.t.data, &c.t.nodes[j]))
				elem.SetZero()
				c.decode(j+1, p.elem, elem)
				m.SetMapIndex(key, elem)
				j = c.t.nodes[j+1].next
			}
			c.path = c.path[:f]
			rv.Set(m)
		case tkNull:
			rv.SetZero()
		default:
			c.typeProblem("object", i)
		}
	case tpString:
		switch n.kind {
		case tkString:
			rv.SetString(tapeString(c.t.data, n))
		case tkNull:
			rv.SetString("")
		default:
			c.typeProblem("string", i)
		}
	case tpBool:
		switch n.kind {
		case tkTrue:
			rv.SetBool(true)
		case tkFalse, tkNull:
			rv.SetBool(false)
		default:
			c.typeProblem("boolean", i)
		}
	case tpInt:
		switch n.kind {
		case tkNumber:
			b := c.t.data[n.start:n.end]
			if v, ok := parseSmallInt(b); ok && n.flags&tfFraction == 0 {
				rv.SetInt(v)
				return
			}
			v, msg := numberToInt64(json.Number(unsafe.String(unsafe.SliceData(b), len(b))))
			if msg != "" {
				c.problem(msg)
				return
			}
			rv.SetInt(v)
		case tkNull:
			rv.SetInt(0)
		default:
			c.typeProblem("integer", i)
		}
	case tpFloat:
		switch n.kind {
		case tkNumber:
			b := c.t.data[n.start:n.end]
			f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
			if err != nil {
				c.problem("number " + shorten(string(b)) + " is out of range for float64")
				return
			}
			rv.SetFloat(f)
		case tkNull:
			rv.SetFloat(0)
		default:
			c.typeProblem("number", i)
		}
	case tpInterface:
		if n.kind == tkNull {
			rv.SetZero()
			return
		}
		rv.Set(reflect.ValueOf(c.t.generic(i)))
	default:
		c.problem("internal: cannot decode into Go type " + p.typ.String())
	}
}

// parseSmallInt reads an integer literal of at most 18 digits.
func parseSmallInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// decodeStruct stores object node i in the struct rv, as
// converter.decodeStruct does.
func (c *tapeConverter) decodeStruct(i uint32, p *tplan, rv reflect.Value) {
	c.decodeStructSkip(i, p, rv, "")
}

// decodeStructSkip is decodeStruct leaving out the member skip if it has
// no field, instead of putting it in Extra.
func (c *tapeConverter) decodeStructSkip(i uint32, p *tplan, rv reflect.Value, skip string) {
	n := &c.t.nodes[i]
	var extra map[string]json.RawMessage
	c.path = append(c.path, pathFrame{object: true})
	pf := len(c.path) - 1
	for j := i + 1; j < n.next; {
		c.path[pf].key = j
		k := &c.t.nodes[j]
		v := j + 1
		j = c.t.nodes[v].next
		var f tfield
		ok := false
		if p.fieldOfKey != nil {
			if x := p.fieldOfKey[k.key]; x != 0 {
				f, ok = p.fieldList[x-1], true
			}
		} else {
			f, ok = p.fields[tapeView(c.t.data, k, &c.buf)]
		}
		if !ok {
			if p.extra < 0 {
				continue
			}
			key := tapeView(c.t.data, k, &c.buf)
			if skip == "" || key != skip {
				if extra == nil {
					extra = make(map[string]json.RawMessage)
				}
				extra[strings.Clone(key)] = c.rawOf(v)
			}
			continue
		}
		var fv reflect.Value
		if len(f.index) == 1 {
			fv = rv.Field(f.index[0])
		} else {
			fv = rv.FieldByIndex(f.index)
		}
		c.decode(v, f.plan, fv)
	}
	c.path = c.path[:pf]
	if p.extra >= 0 {
		rv.Field(p.extra).Set(reflect.ValueOf(extra))
	}
}
