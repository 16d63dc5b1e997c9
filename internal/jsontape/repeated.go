package jsontape

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
)

// The check that no object repeats a key.

// checkKeys fails if two keys of one object are the same string, at the
// first key in document order that repeats an earlier one. Keys with an id
// (see [Keys]) are the same exactly when their ids are, which a stamp per
// id tells at once; only the keys without one are compared by name, among
// themselves.
func (p *parser) checkKeys(keys []uint32) {
	if len(keys) < 2 {
		return
	}
	if p.ids == nil {
		if dup := p.firstRepeat(keys); dup != noRepeat {
			p.dupKey(dup)
		}
		return
	}
	if len(p.stamps) < p.ids.Len() || p.stamp == math.MaxUint32 {
		p.stamps, p.stamp = make([]uint32, p.ids.Len()), 0
	}
	p.stamp++
	dup := uint32(noRepeat)
	unknown := 0
	for _, k := range keys {
		id := p.nodes[k].Key
		if id == 0 {
			// The keys without an id move to the front, in order: the list
			// is the parser's, to be dropped after this check.
			keys[unknown] = k
			unknown++
			continue
		}
		if p.stamps[id] == p.stamp {
			dup = min(dup, k)
		}
		p.stamps[id] = p.stamp
	}
	if unknown >= 2 {
		dup = min(dup, p.firstRepeat(keys[:unknown]))
	}
	if dup != noRepeat {
		p.dupKey(dup)
	}
}

// noRepeat is firstRepeat's answer when no key repeats.
const noRepeat = math.MaxUint32

// firstRepeat returns the first key node, in document order, whose name
// repeats an earlier one's, or noRepeat. keys is in document order; it may
// be reordered.
func (p *parser) firstRepeat(keys []uint32) uint32 {
	if len(keys) > sortKeysAbove {
		return p.firstRepeatSorted(keys)
	}
	for _, k := range keys {
		if p.nodes[k].Flags&Escaped != 0 {
			return p.firstRepeatSorted(keys)
		}
	}
	if len(keys) <= 12 {
		for i := 1; i < len(keys); i++ {
			a := p.keyBytes(keys[i])
			for _, k := range keys[:i] {
				if string(a) == string(p.keyBytes(k)) {
					return keys[i]
				}
			}
		}
		return noRepeat
	}
	size := 32
	for size < 2*len(keys) {
		size *= 2
	}
	if cap(p.table) < size {
		p.table = make([]uint32, size)
	}
	table := p.table[:size]
	clear(table)
	if p.seed == (maphash.Seed{}) {
		p.seed = maphash.MakeSeed()
	}
	mask := uint64(size - 1)
	for _, k := range keys {
		b := p.keyBytes(k)
		for h := maphash.Bytes(p.seed, b) & mask; ; h = (h + 1) & mask {
			slot := table[h]
			if slot == 0 {
				table[h] = k + 1
				break
			}
			if string(p.keyBytes(slot-1)) == string(b) {
				return k
			}
		}
	}
	return noRepeat
}

// sortKeysAbove is the number of keys above which an object's keys are
// checked by sorting rather than with a hash table: no memory beyond the
// keys' list, for the objects of a body made to be wide.
const sortKeysAbove = 4096

// firstRepeatSorted is firstRepeat by sorting the key nodes by their
// decoded names (escapes resolved): it allocates nothing but the two
// scratch buffers of escaped names, and finds the same key as the other
// ways.
func (p *parser) firstRepeatSorted(keys []uint32) uint32 {
	slices.SortFunc(keys, func(a, b uint32) int {
		if c := p.compareKeys(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	dup := uint32(noRepeat)
	for i := 1; i < len(keys); i++ {
		// Within a run of equal names the nodes are in document order, so
		// keys[i] repeats an earlier key.
		if keys[i] < dup && p.compareKeys(keys[i-1], keys[i]) == 0 {
			dup = keys[i]
		}
	}
	return dup
}

// compareKeys compares the decoded names of key nodes a and b.
func (p *parser) compareKeys(a, b uint32) int {
	na, nb := &p.nodes[a], &p.nodes[b]
	ka, kb := p.data[na.Start:na.End], p.data[nb.Start:nb.End]
	if na.Flags&Escaped != 0 {
		p.scratch = unescapeString(p.scratch[:0], ka)
		ka = p.scratch
	}
	if nb.Flags&Escaped != 0 {
		p.scratch2 = unescapeString(p.scratch2[:0], kb)
		kb = p.scratch2
	}
	return bytes.Compare(ka, kb)
}

// dupKey fails at key node k, which repeats an earlier key of its object.
func (p *parser) dupKey(k uint32) {
	p.path[len(p.path)-1].Key = k
	p.pos = int(p.nodes[k].Start) - 1
	p.fail("key " + strconv.Quote(text(p.data, &p.nodes[k])) + " repeated in one object")
}

// keyBytes returns the raw bytes of key node k.
func (p *parser) keyBytes(k uint32) []byte {
	n := &p.nodes[k]
	return p.data[n.Start:n.End]
}
