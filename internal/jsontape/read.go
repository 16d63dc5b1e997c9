package jsontape

import (
	"encoding/binary"
	"strconv"
)

// Reading values: the dispatch on a value's first byte, objects, arrays,
// literals and the white space between them.
//
// The reading functions take the position of what they read and return
// the position after it, so that the position stays in a register along
// a document; p.pos is set only for a fault (see faultAt).

// skipSpace returns the position of the first byte at or after pos that
// is not white space, or len(d).
func skipSpace(d []byte, pos int) int {
	for pos < len(d) {
		switch d[pos] {
		case ' ', '\t', '\n', '\r':
			pos++
		default:
			return pos
		}
	}
	return pos
}

// reserve makes room for the node of the value or key that begins at pos:
// push never grows the buffer, and each value and each key pushes one
// node before anything else can.
func (p *parser) reserve(pos int) {
	if len(p.nodes) == p.room {
		p.pos = pos
		p.grow()
	}
}

// value reads the value at pos, after white space.
func (p *parser) value(pos int) int {
	if pos >= len(p.data) {
		p.failEOF("")
	}
	p.reserve(pos)
	if p.watch != nil {
		return p.watched(pos)
	}
	return p.read(pos)
}

// watched is value with a watcher.
func (p *parser) watched(pos int) int {
	i := len(p.nodes)
	if p.silent {
		pos = p.read(pos)
		p.nodes = p.nodes[:i]
		return pos
	}
	pos = p.read(pos)
	p.silent = false       // if the value was an object or array that silenced its inside
	p.view.Nodes = p.nodes // p.view.Data is set for the whole parse
	if p.watch.Value(&p.view, uint32(i), p.path) {
		p.nodes = p.nodes[:i]
	}
	return pos
}

// read reads one value.
func (p *parser) read(pos int) int {
	switch c := p.data[pos]; {
	case c == '{':
		return p.object(pos)
	case c == '[':
		return p.array(pos)
	case c == '"':
		return p.str(pos)
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number(pos)
	case c == 't':
		return p.literal(pos, "true", True, 't'|'r'<<8|'u'<<16|'e'<<24)
	case c == 'f':
		return p.literal(pos, "false", False, 'f'|'a'<<8|'l'<<16|'s'<<24)
	case c == 'n':
		return p.literal(pos, "null", Null, 'n'|'u'<<8|'l'<<16|'l'<<24)
	default:
		p.faultAt(pos, "invalid character "+quoteChar(c)+" looking for beginning of value")
		return pos
	}
}

// literal reads true, false or null at pos; head is the word's first 4
// bytes, little-endian.
func (p *parser) literal(pos int, word string, kind Kind, head uint32) int {
	d := p.data
	if pos+len(word) > len(d) || binary.LittleEndian.Uint32(d[pos:]) != head || len(word) == 5 && d[pos+4] != 'e' {
		// A fault: find where.
		for i := 0; i < len(word); i++ {
			if pos+i >= len(d) {
				p.failEOF("")
			}
			if d[pos+i] != word[i] {
				p.faultAt(pos+i, "invalid character "+quoteChar(d[pos+i])+" in literal "+word)
			}
		}
	}
	p.push(kind, 0, uint32(pos), uint32(pos+len(word)))
	return pos + len(word)
}

// enter opens an object or array at pos.
func (p *parser) enter(object bool, pos int) {
	p.depth++
	if p.depth > p.maxDepth {
		p.failCause = CauseTooDeep
		p.faultAt(pos, "nesting deeper than "+strconv.Itoa(p.maxDepth)+" levels")
	}
	p.path = append(p.path, Frame{Object: object, Key: noKey})
}

// leave closes the innermost object or array.
func (p *parser) leave() {
	p.depth--
	p.path = p.path[:len(p.path)-1]
}

// begin opens the object or array whose first byte is at pos: its node,
// its frame and the watcher's Open. It returns the position of what
// follows the opening bracket and white space; an empty object or array
// is closed at once, and begin reports that with the position after it.
func (p *parser) begin(kind Kind, closer byte, pos int) (idx, next int, empty bool) {
	p.enter(kind == Object, pos)
	idx = len(p.nodes)
	p.push(kind, 0, uint32(pos), 0)
	p.nodes[idx].Next = 0
	p.opened(idx)
	pos = skipSpace(p.data, pos+1)
	if pos < len(p.data) && p.data[pos] == closer {
		pos++
		p.leave()
		p.finish(idx, pos)
		return idx, pos, true
	}
	return idx, pos, false
}

// finish closes the node of the object or array at idx, which ends
// before end.
func (p *parser) finish(idx, end int) {
	nd := &p.nodes[idx]
	nd.End = uint32(end)
	nd.Next = uint32(len(p.nodes))
}

func (p *parser) object(pos int) int {
	idx, pos, empty := p.begin(Object, '}', pos)
	if empty {
		return pos
	}
	d := p.data
	base := len(p.keys)
	frame := len(p.path) - 1
	for {
		pos = skipSpace(d, pos)
		if pos >= len(d) {
			p.failEOF("")
		}
		if d[pos] != '"' {
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" looking for beginning of object key string")
		}
		if len(p.keys) == cap(p.keys) {
			p.growKeys()
		}
		p.keys = append(p.keys, uint32(len(p.nodes)))
		p.reserve(pos)
		pos = skipSpace(d, p.key(pos))
		p.path[frame].Key = uint32(len(p.nodes) - 1)
		if pos >= len(d) {
			p.failEOF("")
		}
		if d[pos] != ':' {
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" after object key")
		}
		pos = skipSpace(d, p.value(skipSpace(d, pos+1)))
		if pos >= len(d) {
			p.failEOF("")
		}
		switch d[pos] {
		case ',':
			pos++
		case '}':
			p.checkKeys(p.keys[base:])
			pos++
			p.keys = p.keys[:base]
			p.leave()
			p.finish(idx, pos)
			return pos
		default:
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" after object key:value pair")
		}
	}
}

// key reads the member name at pos into a string node with the name's
// id.
func (p *parser) key(pos int) int {
	d := p.data
	start := pos + 1
	if end := scanString(d, start); end < len(d) && d[end] == '"' {
		// A plain name: no escapes, ASCII.
		i := len(p.nodes)
		p.push(String, 0, uint32(start), uint32(end))
		p.nodes[i].Key = p.ids.Lookup(d[start:end])
		return end + 1
	}
	pos = p.str(pos)
	k := &p.nodes[len(p.nodes)-1]
	name := d[k.Start:k.End]
	if k.Flags&Escaped != 0 {
		p.scratch = unescapeString(p.scratch[:0], name)
		name = p.scratch
	}
	k.Key = p.ids.Lookup(name)
	return pos
}

func (p *parser) array(pos int) int {
	idx, pos, empty := p.begin(Array, ']', pos)
	if empty {
		return pos
	}
	d := p.data
	frame := len(p.path) - 1
	n := 0
	for {
		p.path[frame].Index = n
		pos = skipSpace(d, p.value(skipSpace(d, pos)))
		n++
		if pos >= len(d) {
			p.failEOF("")
		}
		switch d[pos] {
		case ',':
			pos++
		case ']':
			pos++
			p.leave()
			p.finish(idx, pos)
			return pos
		default:
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" after array element")
		}
	}
}

// opened tells the watcher that the object or array at node idx began.
func (p *parser) opened(idx int) {
	if p.watch != nil && !p.silent {
		p.view.Nodes = p.nodes
		p.silent = p.watch.Open(&p.view, uint32(idx), p.path[:len(p.path)-1])
	}
}
