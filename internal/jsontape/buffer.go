package jsontape

import (
	"strconv"
	"unsafe"
)

// The buffers of nodes and of open keys, and how they grow.

// growLimitFrom is the buffer size, in nodes, from which a parse under a
// node limit grows its buffer to the limit at once: 256 KiB worth.
const growLimitFrom = (256 << 10) / int(unsafe.Sizeof(Node{}))

// growKeys makes room in the list of open keys as grow does for nodes:
// doubling (append grows large slices by a quarter, allocating about five
// times the final size in all), and under a node limit growing to the
// limit at once once large, as there are never more keys than nodes.
func (p *parser) growKeys() {
	size := 2*cap(p.keys) + 16
	if p.maxNodes > 0 && size >= growLimitFrom {
		size = max(p.maxNodes, len(p.keys)+1)
	}
	p.keys = append(make([]uint32, 0, size), p.keys...)
}

// push appends a node of a scalar value, whose Next is the node after
// it; begin uses it too and resets Next. It never grows the buffer (see
// reserve). It writes the fields in place: a Node built by the caller and
// passed in would be written to the stack in parts and copied into the
// buffer in one 16-byte load, which stalls on the store buffer.
func (p *parser) push(kind Kind, flags uint8, start, end uint32) {
	i := len(p.nodes)
	p.nodes = p.nodes[:i+1]
	nd := &p.nodes[i]
	nd.Kind, nd.Flags, nd.Key, nd.Start, nd.End, nd.Next = kind, flags, 0, start, end, uint32(i+1)
}

// setRoom sets room for the buffer and the limit.
func (p *parser) setRoom() {
	p.room = cap(p.nodes)
	if p.maxNodes > 0 {
		p.room = min(p.room, p.maxNodes)
	}
}

// grow makes room for more nodes. The buffer doubles (append grows large
// slices by a quarter, which would allocate about five times the final
// size in all), so a tape costs at most twice its final size. Under a
// limit it never grows beyond maxNodes (a full buffer at the limit fails
// the parse), and once it is large (growLimitFrom) it grows to the limit
// at once, so that the buffers it outgrew cost little beside it.
func (p *parser) grow() {
	if p.maxNodes > 0 && len(p.nodes) >= p.maxNodes {
		p.failCause = CauseNodeLimit
		p.fail("more than " + strconv.Itoa(p.maxNodes) + " values held at once")
	}
	size := 2*cap(p.nodes) + 16
	if p.maxNodes > 0 {
		if size >= growLimitFrom {
			size = p.maxNodes
		}
		size = min(size, p.maxNodes)
	}
	grown := make([]Node, len(p.nodes), size)
	copy(grown, p.nodes)
	p.nodes = grown
	p.setRoom()
}
