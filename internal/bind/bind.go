// Package bind stores a parsed document (a [jsontape.Tape]) in Go
// structs, from plans compiled once per Go type. Keys match the json tags
// exactly (encoding/json would also accept keys that differ in case), so
// the value a schema validated is the value the caller gets; keys without
// a field go to the struct's Extra map of raw JSON, if it has one.
//
// A value the Go type cannot hold (a string where an integer goes, an
// integer beyond int64, a malformed time) is a problem: the binder records
// it with its JSON Pointer and goes on. After validation against a schema
// that types every such member, it finds none.
package bind

import (
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// Hook reads JSON strings into a Go type of the caller's: a time, a
// secret. JSON null stores the type's zero value; any other JSON type is a
// problem that names Want.
type Hook struct {
	// Want names what the type reads, for problems: "date-time string".
	Want string
	// String stores the decoded JSON string s in *dst (a pointer to the
	// hook's type), or returns why it cannot.
	String func(dst unsafe.Pointer, s string) error
	// Keep says that String keeps s: it then gets a string of its own
	// (from the converter's arena). Otherwise s is valid during the call
	// only, and may share memory with the tape.
	Keep bool
}

// Binder holds the plans of the Go types it has stored into. It is safe
// for concurrent use.
type Binder struct {
	keys  *jsontape.Keys
	hooks map[reflect.Type]*Hook
	maps  map[reflect.Type]fillFunc
	plans sync.Map // reflect.Type -> *tplan
	mu    sync.Mutex
	slots int // chunk slots given to pointer plans, under mu
}

// New returns a binder for tapes parsed with keys (nil: none), which reads
// the types in hooks with their hook, and fills the maps of the given
// types (besides those of the usual element types: see [Map]) with typed
// code.
func New(keys *jsontape.Keys, hooks map[reflect.Type]*Hook, maps ...MapType) *Binder {
	b := &Binder{keys: keys, hooks: hooks, maps: map[reflect.Type]fillFunc{}}
	for _, m := range append(builtinMaps, maps...) {
		b.maps[m.typ] = m.fill
	}
	return b
}

// Prepare compiles the plan of each type now rather than on first use.
func (b *Binder) Prepare(types ...reflect.Type) {
	for _, t := range types {
		b.plan(t)
	}
}

// HasField reports whether struct type t has a field for the member name.
func (b *Binder) HasField(t reflect.Type, name string) bool {
	_, ok := b.plan(t).fields[name]
	return ok
}

// Decode stores node i of t in *dst, dst being a non-nil pointer. If
// skip is not "" and the node is an object, its member skip is left out
// unless the struct has a field for it (the member that selects the Go
// type, for example). It keeps at most limit problems (at least 1) and
// counts them all in total.
func (b *Binder) Decode(t *jsontape.Tape, i uint32, dst any, skip string, limit int) (problems []jsontape.Problem, total int) {
	pv := reflect.ValueOf(dst)
	p := b.plan(pv.Type().Elem())
	c := converters.Get().(*converter)
	defer c.release()
	c.t, c.max = t, max(limit, 1)
	// ptr points to a value of type p.typ: the converter writes only
	// there and into memory it allocates itself (see decode).
	ptr := pv.UnsafePointer()
	if p.kind == tpStruct && t.Nodes[i].Kind == jsontape.Object {
		if _, has := p.fields[skip]; has {
			skip = ""
		}
		c.decodeStruct(i, p, ptr, skip)
	} else {
		c.decode(i, p, ptr)
	}
	return c.problems, c.total
}

// converters holds converters between decodes, for their path and
// buffer; see release.
var converters = sync.Pool{New: func() any { return new(converter) }}

// Limits of what a converter keeps in the pool.
const (
	keepBuf  = 64 << 10
	keepPath = 1 << 10
)

// release puts c back in the pool, keeping only its path and buffer (if
// not large): nothing the values decoded hold (chunks, arenas, problems)
// and nothing of the tape.
func (c *converter) release() {
	buf, path := c.buf[:0], c.path[:0]
	if cap(buf) > keepBuf {
		buf = nil
	}
	if cap(path) > keepPath {
		path = nil
	}
	*c = converter{buf: buf, path: path}
	converters.Put(c)
}

// converter stores one tape in Go values.
type converter struct {
	t        *jsontape.Tape
	path     []jsontape.Frame
	problems []jsontape.Problem
	max      int // problems kept
	total    int // problems found
	buf      []byte
	chunks   [maxChunkSlots]chunk

	// The arena of strings: see text.
	arena     []byte // appended to within its capacity only
	arenaSize int    // the capacity of the last arena allocated
	placed    int    // the JSON length of every string placed in arenas
	allocated int    // the capacity of every arena allocated, for the tests
}

// problem records msg at the current pointer.
func (c *converter) problem(msg string) {
	c.total++
	if len(c.problems) >= c.max {
		return
	}
	c.problems = append(c.problems, jsontape.Problem{Pointer: c.t.Pointer(c.path), Message: msg})
}

// typeProblem records that node i is not of the type want.
func (c *converter) typeProblem(want string, i uint32) {
	if len(c.problems) >= c.max {
		c.total++
		return
	}
	c.problem("expected " + want + ", but got " + c.t.TypeName(&c.t.Nodes[i]))
}

// value returns the value of type p.typ at ptr, settable.
func value(p *tplan, ptr unsafe.Pointer) reflect.Value {
	return reflect.NewAt(p.typ, ptr).Elem()
}

// decode stores node i in the value of type p.typ at ptr.
//
// Memory safety: ptr always points to a whole value of type p.typ, so
// each store below, typed by p's kind (which the plan took from p.typ),
// stays within it: the caller's *dst; a struct field, at the offset
// reflect gave for it inside a struct of the plan's type; a slice element
// below the length just allocated for exactly that element type; a
// pointer target, a whole element of a chunk array of that type or a
// reflect.New of it; a map element, a reflect.New of the element type.
// No offset or length comes from the body: the body only chooses which
// of these plan-given places is written, and with which value.
func (c *converter) decode(i uint32, p *tplan, ptr unsafe.Pointer) {
	n := &c.t.Nodes[i]
	switch p.kind {
	case tpHook:
		switch n.Kind {
		case jsontape.Null:
			value(p, ptr).SetZero()
		case jsontape.String:
			var s string
			if p.hook.Keep {
				s = c.text(n)
			} else {
				s = c.t.View(n, &c.buf)
			}
			if err := p.hook.String(ptr, s); err != nil {
				c.problem(err.Error())
			}
		default:
			c.typeProblem(p.hook.Want, i)
		}
	case tpPointer: // any pointer type: one machine pointer
		if n.Kind == jsontape.Null {
			*(*unsafe.Pointer)(ptr) = nil
			return
		}
		var target unsafe.Pointer
		if p.slot >= 0 {
			target = c.chunks[p.slot].next(p)
		} else {
			target = reflect.New(p.elem.typ).UnsafePointer()
		}
		c.decode(i, p.elem, target)
		*(*unsafe.Pointer)(ptr) = target
	case tpStruct:
		switch n.Kind {
		case jsontape.Object:
			c.decodeStruct(i, p, ptr, "")
		case jsontape.Null:
		default:
			c.typeProblem("object", i)
		}
	case tpSlice:
		switch n.Kind {
		case jsontape.Array:
			c.decodeSlice(i, p, ptr)
		case jsontape.Null:
			*(*sliceHeader)(ptr) = sliceHeader{}
		default:
			c.typeProblem("array", i)
		}
	case tpMap:
		switch n.Kind {
		case jsontape.Object:
			if p.fill != nil {
				p.fill(c, i, p, ptr)
				return
			}
			m := reflect.MakeMapWithSize(p.typ, c.t.Count(i))
			key := reflect.New(p.typ.Key()).Elem()
			elem := reflect.New(p.elem.typ).Elem()
			eptr := elem.Addr().UnsafePointer()
			c.path = append(c.path, jsontape.Frame{Object: true})
			f := len(c.path) - 1
			for j := i + 1; j < n.Next; {
				c.path[f].Key = j
				key.SetString(c.text(&c.t.Nodes[j]))
				elem.SetZero()
				c.decode(j+1, p.elem, eptr)
				m.SetMapIndex(key, elem)
				j = c.t.Nodes[j+1].Next
			}
			c.path = c.path[:f]
			value(p, ptr).Set(m)
		case jsontape.Null:
			value(p, ptr).SetZero()
		default:
			c.typeProblem("object", i)
		}
	case tpInterface:
		if n.Kind == jsontape.Null {
			value(p, ptr).SetZero()
			return
		}
		value(p, ptr).Set(reflect.ValueOf(c.t.Generic(i)))
	case tpUnsupported:
		c.problem("internal: cannot decode into Go type " + p.typ.String())
	default:
		c.decodeScalar(i, p, ptr)
	}
}

// scalar reports whether p is decoded by decodeScalar.
func (p *tplan) scalar() bool {
	switch p.kind {
	case tpRaw, tpString, tpBool, tpInt, tpFloat:
		return true
	}
	return false
}

// decodeScalar stores node i in the value of type p.typ at ptr, for the
// scalar plans (raw JSON, strings, booleans, integers, floats). It keeps
// no pointer to ptr, so that a caller's local variable stays on the stack.
func (c *converter) decodeScalar(i uint32, p *tplan, ptr unsafe.Pointer) {
	n := &c.t.Nodes[i]
	switch p.kind {
	case tpRaw: // p.typ is json.RawMessage itself
		if n.Kind == jsontape.Null {
			*(*json.RawMessage)(ptr) = nil
			return
		}
		*(*json.RawMessage)(ptr) = c.t.Raw(i)
	case tpString: // a type of kind string
		switch n.Kind {
		case jsontape.String:
			*(*string)(ptr) = c.text(n)
		case jsontape.Null:
			*(*string)(ptr) = ""
		default:
			c.typeProblem("string", i)
		}
	case tpBool: // a type of kind bool
		switch n.Kind {
		case jsontape.True:
			*(*bool)(ptr) = true
		case jsontape.False, jsontape.Null:
			*(*bool)(ptr) = false
		default:
			c.typeProblem("boolean", i)
		}
	case tpInt: // a type of kind int64 or int
		switch n.Kind {
		case jsontape.Number:
			b := c.t.Data[n.Start:n.End]
			if v, ok := jsontape.SmallInt(b); ok && n.Flags&jsontape.Fraction == 0 {
				p.setInt(ptr, v)
				return
			}
			v, msg := jsontape.Int64(json.Number(unsafe.String(unsafe.SliceData(b), len(b))))
			if msg != "" {
				c.problem(msg)
				return
			}
			p.setInt(ptr, v)
		case jsontape.Null:
			p.setInt(ptr, 0)
		default:
			c.typeProblem("integer", i)
		}
	case tpFloat: // a type of kind float64
		switch n.Kind {
		case jsontape.Number:
			b := c.t.Data[n.Start:n.End]
			f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
			if err != nil {
				c.problem("number " + jsontape.Shorten(string(b)) + " is out of range for float64")
				return
			}
			*(*float64)(ptr) = f
		case jsontape.Null:
			*(*float64)(ptr) = 0
		default:
			c.typeProblem("number", i)
		}
	}
}

// setInt stores v in the integer of p's type (kind int64 or int) at ptr.
func (p *tplan) setInt(ptr unsafe.Pointer, v int64) {
	if p.isInt {
		*(*int)(ptr) = int(v)
		return
	}
	*(*int64)(ptr) = v
}

// sliceHeader is the layout of every slice type.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// decodeSlice stores array node i in the slice of type p.typ at ptr: a
// new backing array straight into it, without the slice header
// reflect.MakeSlice would allocate, and the empty array as p's shared
// empty slice, not nil.
func (c *converter) decodeSlice(i uint32, p *tplan, ptr unsafe.Pointer) {
	cnt := c.t.Count(i)
	if cnt == 0 {
		// ptr points to a slice: a slice header. p.empty's data pointer
		// points to no element (its capacity is 0).
		*(*sliceHeader)(ptr) = sliceHeader{data: p.emptyData}
		return
	}
	sv := value(p, ptr)
	sv.SetZero()
	sv.Grow(cnt)
	sv.SetLen(cnt)
	base := sv.UnsafePointer()
	size := p.elem.typ.Size()
	c.path = append(c.path, jsontape.Frame{})
	f := len(c.path) - 1
	n := &c.t.Nodes[i]
	k := 0
	// Count walked the same elements, so k stays below cnt; the test
	// keeps every element written within the cnt just allocated.
	for j := i + 1; j < n.Next && k < cnt; j = c.t.Nodes[j].Next {
		c.path[f].Index = k
		c.decode(j, p.elem, unsafe.Add(base, uintptr(k)*size))
		k++
	}
	c.path = c.path[:f]
}

// decodeStruct stores object node i in the struct of type p.typ at base,
// leaving out the member skip (if not "") when it has no field, instead
// of putting it in Extra.
func (c *converter) decodeStruct(i uint32, p *tplan, base unsafe.Pointer, skip string) {
	n := &c.t.Nodes[i]
	var extra map[string]json.RawMessage
	c.path = append(c.path, jsontape.Frame{Object: true})
	pf := len(c.path) - 1
	for j := i + 1; j < n.Next; {
		c.path[pf].Key = j
		k := &c.t.Nodes[j]
		v := j + 1
		j = c.t.Nodes[v].Next
		var f tfield
		ok := false
		if p.fieldOfKey != nil {
			if x := p.fieldOfKey[k.Key]; x != 0 {
				f, ok = p.fieldList[x-1], true
			}
		} else {
			f, ok = p.fields[c.t.View(k, &c.buf)]
		}
		if !ok {
			if p.extra < 0 {
				continue
			}
			key := c.t.View(k, &c.buf)
			if skip == "" || key != skip {
				if extra == nil {
					extra = make(map[string]json.RawMessage)
				}
				extra[c.text(k)] = c.t.Raw(v)
			}
			continue
		}
		// f.offset is the field's offset inside p.typ, from reflect.
		c.decode(v, f.plan, unsafe.Add(base, f.offset))
	}
	c.path = c.path[:pf]
	if p.extra >= 0 {
		// The Extra field has type map[string]json.RawMessage exactly.
		*(*map[string]json.RawMessage)(unsafe.Add(base, p.extraOffset)) = extra
	}
}
