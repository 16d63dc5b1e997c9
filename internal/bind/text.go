package bind

import (
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// The strings of a decode (string values, map keys, the names of Extra
// members) are copied, decoded, into a few byte arrays of the converter's
// own, its arena, instead of one allocation each. A string is made over
// its bytes with unsafe.String, which requires that they are never
// written afterwards, and they are not:
//
//   - the arena is the converter's alone: it is never handed out as a
//     []byte, and nothing else holds a slice of it;
//   - the converter only appends to it, within its capacity: the bytes
//     written by an append lie beyond the arena's length, where no string
//     made before lies, and every string lies below the length once made;
//   - a full arena is left as it is, and a new one allocated.
//
// A string's JSON form is at least as long as the string (every escape
// is at least as long as what it stands for), and the strings of a decode
// are distinct parts of the body, so their JSON forms together are at
// most the body's length. A new arena holds at most what remains of the
// body beyond the strings placed before, so the arenas of a decode total
// at most the body's length plus the unused tails of the arenas left
// full, each shorter than the string that did not fit (at most
// arenaLarge bytes). Strings longer than arenaLarge get an allocation of
// their own, and an arena holds at most arenaMax bytes, so that a caller
// keeping one short string keeps at most arenaMax bytes alive with it.

const (
	arenaFirst = 512      // the first arena's capacity
	arenaMax   = 16 << 10 // the largest arena
	arenaLarge = 1 << 10  // longer strings have their own allocation
)

// text returns the decoded string of string node n, to keep: in the
// converter's arena, or in its own allocation if it is long.
func (c *converter) text(n *jsontape.Node) string {
	size := int(n.End - n.Start) // at least the decoded length
	escaped := n.Flags&jsontape.Escaped != 0
	switch {
	case size == 0:
		return ""
	case size > arenaLarge && !escaped:
		return string(c.t.Data[n.Start:n.End])
	case size > arenaLarge:
		// Decoded into a new array of its own, which nothing else holds
		// and nothing writes once View returns.
		buf := make([]byte, 0, size)
		return c.t.View(n, &buf)
	}
	if cap(c.arena)-len(c.arena) < size {
		// The string's bytes are part of the body, outside every string
		// placed before: what remains of the body holds them.
		c.arenaSize = min(max(2*c.arenaSize, arenaFirst), arenaMax)
		capacity := max(size, min(c.arenaSize, len(c.t.Data)-c.placed))
		c.arena = make([]byte, 0, capacity)
		c.allocated += capacity
	}
	c.placed += size
	start := len(c.arena)
	// The arena's unused tail holds at least size bytes, and the decoded
	// string is at most size bytes long: the append, or View decoding into
	// the tail, writes there and nothing else, and never moves the arena.
	if !escaped {
		c.arena = append(c.arena, c.t.Data[n.Start:n.End]...)
	} else {
		tail := c.arena[start:start]
		v := c.t.View(n, &tail)
		if unsafe.StringData(v) == unsafe.SliceData(c.arena[start:start+1]) {
			c.arena = c.arena[:start+len(v)]
		} else {
			c.arena = append(c.arena, v...) // View decoded elsewhere (it does not)
		}
	}
	b := c.arena[start:]
	return unsafe.String(unsafe.SliceData(b), len(b))
}
