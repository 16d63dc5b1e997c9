package jsontape

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Keys numbers the member names that the tape's readers look up, so that
// a parse stores each key's id in its node and a reader finds a key's slot
// or field by indexing, not by hashing the name again.
type Keys struct {
	ids   map[string]uint16 // name -> id, from 1
	names []string          // id -> name; names[0] is unused
	// words holds each id's name as keyWords gives it, for Lookup to
	// compare a name with in registers; words[0] matches no name.
	words []keyWords
	// slots is an open-addressing table of the ids by the hash of their
	// words, for Lookup.
	slots []uint16
	shift uint8 // the hash's top bits index slots: 64 - log2(len(slots))
}

// keyWords is a member name as three integers: its length and its first
// and last 8 bytes (4 bytes for a name of 4 to 7, and for a name of 1 to
// 3 its first, middle and last byte in lo). The words overlap in a name
// shorter than 16 bytes and hold it whole: two names of at most 16 bytes
// are equal exactly when their keyWords are.
type keyWords struct {
	lo, hi uint64
	n      int
}

// wordsOf returns the keyWords of b.
func wordsOf(b []byte) keyWords {
	n := len(b)
	switch {
	case n >= 8:
		return keyWords{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[n-8:]), n}
	case n >= 4:
		return keyWords{uint64(binary.LittleEndian.Uint32(b)), uint64(binary.LittleEndian.Uint32(b[n-4:])), n}
	case n > 0:
		return keyWords{uint64(b[0]) | uint64(b[n/2])<<8 | uint64(b[n-1])<<16, 0, n}
	}
	return keyWords{n: 0}
}

// hash mixes the words into 64 bits whose top bits index the slots.
func (w keyWords) hash() uint64 {
	return (w.lo ^ bits.RotateLeft64(w.hi, 31) ^ uint64(w.n)) * 0x9E3779B97F4A7C15
}

// NewKeys numbers names from 1, in order, leaving out repeats; names
// beyond the 65,535th get no id.
func NewKeys(names []string) *Keys {
	kt := &Keys{ids: map[string]uint16{}, names: []string{""}, words: []keyWords{{n: -1}}}
	for _, name := range names {
		if _, ok := kt.ids[name]; !ok && len(kt.names) < math.MaxUint16 {
			kt.ids[name] = uint16(len(kt.names))
			kt.names = append(kt.names, name)
			kt.words = append(kt.words, wordsOf([]byte(name)))
		}
	}
	size, log := 64, 6
	for size < 8*len(kt.names) {
		size, log = size*2, log+1
	}
	kt.slots, kt.shift = make([]uint16, size), uint8(64-log)
	mask := uint64(size - 1)
	for id := 1; id < len(kt.words); id++ {
		i := kt.words[id].hash() >> kt.shift
		for kt.slots[i] != 0 {
			i = (i + 1) & mask
		}
		kt.slots[i] = uint16(id)
	}
	return kt
}

// Lookup returns the id of the name b, 0 if it has none. On nil Keys it
// returns 0.
func (kt *Keys) Lookup(b []byte) uint16 {
	if kt == nil {
		return 0
	}
	w := wordsOf(b)
	mask := uint64(len(kt.slots) - 1)
	for i := w.hash() >> kt.shift; ; i = (i + 1) & mask {
		id := kt.slots[i&mask]
		if id == 0 {
			return 0
		}
		if int(id) < len(kt.words) && kt.words[id] == w && (w.n <= 16 || kt.names[id][8:w.n-8] == string(b[8:w.n-8])) {
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
