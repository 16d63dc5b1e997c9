package bind

import (
	"reflect"
	"unsafe"
)

// Pointer fields to small values (*int64, *bool, *float64, a *Time) are
// the most frequent allocations of a decode: a bulk body has several per
// task. The converter hands their targets out of chunks, arrays of the
// element type allocated a few at a time, so that a decode makes one
// allocation per chunk instead of one per pointer. The chunks belong to
// one decode; the values decoded keep them alive as long as they point
// into them.

const (
	// maxChunkSlots is how many pointer types get chunks; further types
	// (a binder sees few) allocate each target.
	maxChunkSlots = 16
	// maxChunkElemSize is the largest element kept in chunks: a chunk of
	// larger ones would hold too much memory for the few a payload has.
	maxChunkElemSize = 64
)

// chunkSizes are the lengths of a decode's successive chunks of one
// type: small first, so that a payload with a handful of pointers does
// not pay for hundreds.
var chunkSizes = []int{8, 32, 128, 256}

// chunk is the converter's current chunk of one pointer type.
type chunk struct {
	base unsafe.Pointer // the array; nil before the first
	size uintptr        // its element size
	len  int            // its length
	used int            // elements handed out of it
	k    int            // index in chunkSizes of its length
}

// next returns a pointer to a new zero element of p's pointer type, from
// the current chunk or a new one.
func (ch *chunk) next(p *tplan) unsafe.Pointer {
	if ch.used == ch.len {
		if ch.base != nil && ch.k < len(chunkSizes)-1 {
			ch.k++
		}
		ch.base = reflect.New(p.chunkTypes[ch.k]).UnsafePointer()
		ch.size = p.elem.typ.Size()
		ch.len = chunkSizes[ch.k]
		ch.used = 0
	}
	// base is an array of len elements of the element type, each size
	// bytes, and used < len: the pointer is to a whole element, never
	// handed out before.
	v := unsafe.Add(ch.base, uintptr(ch.used)*ch.size)
	ch.used++
	return v
}
