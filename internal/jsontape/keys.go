package jsontape

import "math"

// Keys numbers the member names that the tape's readers look up, so that
// a parse stores each key's id in its node and a reader finds a key's slot
// or field by indexing, not by hashing the name again.
type Keys struct {
	ids   map[string]uint16 // name -> id, from 1
	names []string          // id -> name; names[0] is unused
	// slots is an open-addressing table of the ids by keyHash, for Lookup.
	slots []uint16
	mask  uint32
}

// NewKeys numbers names from 1, in order, leaving out repeats; names
// beyond the 65,535th get no id.
func NewKeys(names []string) *Keys {
	kt := &Keys{ids: map[string]uint16{}, names: []string{""}}
	for _, name := range names {
		if _, ok := kt.ids[name]; !ok && len(kt.names) < math.MaxUint16 {
			kt.ids[name] = uint16(len(kt.names))
			kt.names = append(kt.names, name)
		}
	}
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

// keyHash is a cheap hash of a member name: its length and four of its
// bytes. Lookup compares the whole name, so collisions cost a probe only.
func keyHash(b []byte) uint32 {
	n := len(b)
	h := uint32(n) * 0x9E3779B1
	if n > 0 {
		h ^= uint32(b[0]) | uint32(b[n-1])<<8 | uint32(b[n/2])<<16 | uint32(b[n/4])<<24
	}
	h *= 0x85EBCA6B
	return h ^ h>>15
}

// Lookup returns the id of the name b, 0 if it has none. On nil Keys it
// returns 0.
func (kt *Keys) Lookup(b []byte) uint16 {
	if kt == nil {
		return 0
	}
	for i := keyHash(b) & kt.mask; ; i = (i + 1) & kt.mask {
		id := kt.slots[i]
		if id == 0 || kt.names[id] == string(b) {
			return id
		}
	}
}

// ID returns the id of name, 0 if it has none (or kt is nil).
func (kt *Keys) ID(name string) uint16 {
	if kt == nil {
		return 0
	}
	return kt.ids[name]
}

// Len returns the number of ids plus one: ids run from 1 to Len()-1.
func (kt *Keys) Len() int {
	if kt == nil {
		return 1
	}
	return len(kt.names)
}
