package bind

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"unsafe"
)

var (
	rawMessageType = reflect.TypeOf(json.RawMessage(nil))
	extraType      = reflect.TypeOf(map[string]json.RawMessage(nil))
)

type structPlan struct {
	fields map[string][]int // JSON key -> field index path (embedded structs are flattened)
	extra  int              // index of the Extra field, or -1
}

// fieldsOf maps the JSON member names of struct type t to its fields.
func fieldsOf(t reflect.Type) *structPlan {
	p := &structPlan{fields: make(map[string][]int), extra: -1}
	p.add(t, nil)
	return p
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

// The tape converter stores a tape in the package's structs, from plans
// compiled once per Go type. A value the Go type cannot hold (a string
// where an integer goes, an integer beyond int64, a malformed time) is a
// problem; the converter records it with its JSON Pointer and goes on.
// With validation on, the validator has already reported every such value,
// so the converter finds none.

type tplanKind uint8

const (
	tpUnsupported tplanKind = iota
	tpHook
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
	hook *Hook
	fill fillFunc // maps filled by typed code; nil: by reflect

	// Pointers: the element is taken from the converter's chunk of index
	// slot, arrays of chunkSizes[k] elements of type chunkTypes[k]; slot
	// is -1 when each element gets its own allocation.
	slot       int
	chunkTypes []reflect.Type

	// Slices: the data pointer of a zero-length slice that is not nil,
	// for empty arrays. Its capacity is 0, so appending to it never
	// writes where it points.
	emptyData unsafe.Pointer

	// Structs.
	fields      map[string]tfield
	fieldList   []tfield
	fieldOfKey  []uint16 // key id -> index in fieldList+1; nil: look names up in fields
	extra       int      // index of the Extra field, or -1
	extraOffset uintptr  // its offset

	// Integers: the kind is int, not int64.
	isInt bool
}

type tfield struct {
	index  []int
	offset uintptr // inside the struct: the sum of the offsets along index
	plan   *tplan
}

// fieldOffset returns the offset inside struct type t of the field at
// index, a path through embedded structs held by value.
func fieldOffset(t reflect.Type, index []int) uintptr {
	var off uintptr
	for _, x := range index {
		f := t.Field(x)
		off += f.Offset
		t = f.Type
	}
	return off
}

// plan returns the compiled plan of t.
func (b *Binder) plan(t reflect.Type) *tplan {
	if p, ok := b.plans.Load(t); ok {
		return p.(*tplan)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	building := map[reflect.Type]*tplan{}
	b.build(t, building)
	for bt, bp := range building {
		b.plans.LoadOrStore(bt, bp)
	}
	actual, _ := b.plans.Load(t)
	return actual.(*tplan)
}

func (b *Binder) build(t reflect.Type, building map[reflect.Type]*tplan) *tplan {
	if p, ok := b.plans.Load(t); ok {
		return p.(*tplan)
	}
	if p, ok := building[t]; ok {
		return p
	}
	p := &tplan{typ: t, extra: -1}
	building[t] = p
	if h, ok := b.hooks[t]; ok {
		p.kind, p.hook = tpHook, h
		return p
	}
	switch {
	case t == rawMessageType:
		p.kind = tpRaw
		return p
	}
	switch t.Kind() {
	case reflect.Pointer:
		p.kind = tpPointer
		p.elem = b.build(t.Elem(), building)
		p.slot = -1
		if b.slots < maxChunkSlots && t.Elem().Size() <= maxChunkElemSize && t.Elem().Size() > 0 {
			p.slot = b.slots
			b.slots++
			for _, n := range chunkSizes {
				p.chunkTypes = append(p.chunkTypes, reflect.ArrayOf(n, t.Elem()))
			}
		}
	case reflect.Struct:
		p.kind = tpStruct
		sp := fieldsOf(t)
		p.extra = sp.extra
		if p.extra >= 0 {
			p.extraOffset = t.Field(p.extra).Offset
		}
		p.fields = make(map[string]tfield, len(sp.fields))
		kt := b.keys
		if kt != nil {
			p.fieldOfKey = make([]uint16, kt.Len())
		}
		for name, index := range sp.fields {
			f := tfield{index: index, offset: fieldOffset(t, index), plan: b.build(t.FieldByIndex(index).Type, building)}
			p.fields[name] = f
			p.fieldList = append(p.fieldList, f)
			if p.fieldOfKey == nil {
				continue
			}
			if id := kt.ID(name); id != 0 {
				p.fieldOfKey[id] = uint16(len(p.fieldList))
			} else {
				p.fieldOfKey = nil
			}
		}
	case reflect.Slice:
		p.kind = tpSlice
		p.elem = b.build(t.Elem(), building)
		p.emptyData = reflect.MakeSlice(t, 0, 0).UnsafePointer()
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			p.kind = tpUnsupported
			break
		}
		p.kind = tpMap
		p.elem = b.build(t.Elem(), building)
		p.fill = b.maps[t]
	case reflect.String:
		p.kind = tpString
	case reflect.Bool:
		p.kind = tpBool
	case reflect.Int64, reflect.Int:
		p.kind = tpInt
		p.isInt = t.Kind() == reflect.Int
	case reflect.Float64:
		p.kind = tpFloat
	case reflect.Interface:
		p.kind = tpInterface
	default:
		p.kind = tpUnsupported
	}
	return p
}

// MemberNames returns the JSON member names of the fields of the given
// types and of the struct types inside them, for [jsontape.NewKeys].
func MemberNames(types ...reflect.Type) []string {
	var names []string
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walk(t.Elem())
		case reflect.Struct:
			fields := fieldsOf(t).fields
			sorted := make([]string, 0, len(fields))
			for name := range fields {
				sorted = append(sorted, name)
			}
			slices.Sort(sorted)
			for _, name := range sorted {
				names = append(names, name)
				walk(t.FieldByIndex(fields[name]).Type)
			}
		}
	}
	for _, t := range types {
		walk(t)
	}
	return names
}
