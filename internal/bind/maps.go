package bind

import (
	"encoding/json"
	"reflect"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// Maps of string keys are filled by typed code rather than by reflect
// (reflect.MakeMapWithSize, a reflect.New for the key and one for the
// element, SetMapIndex per member): Go code instantiated for the map
// type makes the map with its size, decodes each element into a local
// variable of the element type and assigns it. The package has such code
// for the maps of the usual element types; a caller adds its own element
// types with [Map]. Any other map of string keys goes through reflect.

// MapType is a map type of string keys that a [Binder] fills with typed
// code: see [Map].
type MapType struct {
	typ  reflect.Type
	fill fillFunc
}

// fillFunc stores object node i in the map of p's type at ptr.
type fillFunc func(c *converter, i uint32, p *tplan, ptr unsafe.Pointer)

// Map returns the MapType of map[string]V, for [New].
func Map[V any]() MapType {
	return MapType{typ: reflect.TypeFor[map[string]V](), fill: fillMap[V]}
}

// TypedMap reports whether the binder fills maps of type t with typed
// code rather than by reflect.
func (b *Binder) TypedMap(t reflect.Type) bool {
	return t.Kind() == reflect.Map && b.plan(t).fill != nil
}

// builtinMaps are the map types every binder fills with typed code.
var builtinMaps = []MapType{
	Map[json.RawMessage](), Map[string](), Map[float64](), Map[int64](), Map[int](), Map[bool](), Map[any](),
}

// fillMap stores object node i in the map[string]V at ptr. p is the
// plan of map[string]V, so p.elem is the plan of V and each element is
// decoded into a variable of type V, which is what p.elem's stores
// write: a whole V.
func fillMap[V any](c *converter, i uint32, p *tplan, ptr unsafe.Pointer) {
	n := &c.t.Nodes[i]
	m := make(map[string]V, c.t.Count(i))
	c.path = append(c.path, jsontape.Frame{Object: true})
	f := len(c.path) - 1
	if p.elem.scalar() {
		// decodeScalar keeps no pointer to v, which stays on the stack.
		for j := i + 1; j < n.Next; j = c.t.Nodes[j+1].Next {
			c.path[f].Key = j
			var v V
			c.decodeScalar(j+1, p.elem, unsafe.Pointer(&v))
			m[c.text(&c.t.Nodes[j])] = v
		}
	} else {
		// One variable for all the elements, allocated once.
		v := new(V)
		var zero V
		for j := i + 1; j < n.Next; j = c.t.Nodes[j+1].Next {
			c.path[f].Key = j
			*v = zero
			c.decode(j+1, p.elem, unsafe.Pointer(v))
			m[c.text(&c.t.Nodes[j])] = *v
		}
	}
	c.path = c.path[:f]
	// ptr points to a map[string]V: p's type.
	*(*map[string]V)(ptr) = m
}
