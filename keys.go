package lswebhook

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"math"
	"reflect"
	"sync"
)

// keyTable numbers the member names that the bundled schemas and the event
// types name, so that the tape carries each key's id and the fast
// validator and the converter find a key's slot or field by indexing, not
// by hashing the name again.
type keyTable struct {
	ids   map[string]uint16 // name -> id, from 1
	names []string          // id -> name; names[0] is unused
	// slots is an open-addressing table of the ids by keyHash, for lookup.
	slots []uint16
	mask  uint32
}

// keyHash is a cheap hash of a member name: its length and four of its
// bytes. lookup compares the whole name, so collisions cost a probe only.
func keyHash(b []byte) uint32 {
	n := len(b)
	h := uint32(n) * 0x9E3779B1
	if n > 0 {
		h ^= uint32(b[0]) | uint32(b[n-1])<<8 | uint32(b[n/2])<<16 | uint32(b[n/4])<<24
	}
	h *= 0x85EBCA6B
	return h ^ h>>15
}

// lookup returns the id of the name b, 0 if it has none.
func (kt *keyTable) lookup(b []byte) uint16 {
	for i := keyHash(b) & kt.mask; ; i = (i + 1) & kt.mask {
		id := kt.slots[i]
		if id == 0 || kt.names[id] == string(b) {
			return id
		}
	}
}

var keyIDs = sync.OnceValue(buildKeyIDs)

// buildKeyIDs numbers the names of the schemas and of the event types.
func buildKeyIDs() *keyTable {
	kt := &keyTable{ids: map[string]uint16{}, names: []string{""}}
	add := func(name string) {
		if _, ok := kt.ids[name]; !ok && len(kt.names) < math.MaxUint16 {
			kt.ids[name] = uint16(len(kt.names))
			kt.names = append(kt.names, name)
		}
	}
	// Names in the schemas: properties, required and dependentRequired.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				switch k {
				case "properties", "dependentRequired":
					if m, ok := e.(map[string]any); ok {
						for name := range m {
							add(name)
						}
					}
				case "required":
					if a, ok := e.([]any); ok {
						for _, name := range a {
							if s, ok := name.(string); ok {
								add(s)
							}
						}
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	_ = fs.WalkDir(Schemas(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, err := fs.ReadFile(Schemas(), path); err == nil {
			if tree, err := decodeSchemaJSON(b); err == nil {
				walk(tree)
			}
		}
		return nil
	})
	// Names of the event types' fields, and of the types inside them.
	seen := map[reflect.Type]bool{}
	var walkType func(t reflect.Type)
	walkType = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			walkType(t.Elem())
		case reflect.Struct:
			for name, index := range planFor(t).fields {
				add(name)
				walkType(t.FieldByIndex(index).Type)
			}
		}
	}
	for _, v := range registry {
		walkType(reflect.TypeOf(v.new()).Elem())
	}
	add("action")
	size := 64
	for size < 8*len(kt.names) {
		size *= 2
	}
	kt.slots, kt.mask = make([]uint16, size), uint32(size-1)
	for id, name := range kt.names[1:] {
		i := keyHash([]byte(name)) & kt.mask
		for kt.slots[i] != 0 {
			i = (i + 1) & kt.mask
		}
		kt.slots[i] = uint16(id + 1)
	}
	return kt
}

// id returns the id of name, 0 if it has none.
func (kt *keyTable) id(name string) uint16 { return kt.ids[name] }

// decodeSchemaJSON reads a bundled schema document into the generic form:
// map[string]any, []any, json.Number, string, bool or nil.
func decodeSchemaJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}
