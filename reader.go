package lswebhook

import (
	"bytes"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Limits on number literals; see [ErrNumberLimit].
const (
	maxNumberLen      = 1024
	maxNumberExponent = 1024
)

// DefaultMaxDepth is the nesting limit used when [Decoder.MaxDepth] is zero.
// The deepest value Label Studio itself produces is about 8 levels; the rest
// of the allowance is for user data inside tasks.
const DefaultMaxDepth = 1000

// MaxDepthLimit is the highest nesting limit a [Decoder] applies: a larger
// MaxDepth means MaxDepthLimit. Reading, validating and converting recurse
// once per level, so the limit keeps the stack far below Go's maximum
// whatever the setting.
const MaxDepthLimit = 10000

// depthLimit returns the nesting limit for a MaxDepth setting.
func depthLimit(maxDepth int) int {
	switch {
	case maxDepth <= 0:
		return DefaultMaxDepth
	case maxDepth > MaxDepthLimit:
		return MaxDepthLimit
	}
	return maxDepth
}

// quoteChar quotes a byte for a syntax error message, as encoding/json does.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c >= utf8.RuneSelf {
		return "byte 0x" + strconv.FormatUint(uint64(c), 16)
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

type tapeParser struct {
	data     []byte
	pos      int
	maxDepth int
	depth    int
	nodes    []tnode
	keys     []uint32 // key nodes of the open objects
	table    []uint32 // hash table for the repeated-key check
	seed     maphash.Seed
	ids      *keyTable
	scratch  []byte
	path     []pathFrame // the open objects and arrays, outermost first

	failAt  int
	failMsg string
	failErr error
}

// pathFrame is one open object or array of a tapeParser: for an object
// the node of its current key, for an array its current index.
type pathFrame struct {
	object bool
	key    uint32
	index  int
}

// tapeFailure is the panic value of a failed tape parse; the parser holds
// the details.
type tapeFailure struct{}

var tapePool = sync.Pool{New: func() any { return new(tapeParser) }}

// Pooled parsers keep their buffers up to this many bytes of nodes (and
// as many entries of their smaller buffers): 16 MiB, enough for the nodes
// of a body of about 8 MiB. Larger buffers are dropped after use.
const tapePoolMaxNodes = (16 << 20) / int(unsafe.Sizeof(tnode{}))

// tapeInitialNodes caps the nodes allocated before parsing: 64 KiB worth.
const tapeInitialNodes = (64 << 10) / int(unsafe.Sizeof(tnode{}))

// maxTapeBytes is the largest body the tape can hold: its offsets are 32 bits.
const maxTapeBytes = math.MaxUint32 - 1

// parseTape reads data into a tape, or returns the [*SyntaxError] that
// refuses it. maxDepth is the nesting limit, already clamped. The parser p
// owns the tape's memory: hand it back with releaseTape once the tape is
// no longer used (also after an error).
func parseTape(data []byte, maxDepth int) (t *tape, p *tapeParser, err error) {
	p = tapePool.Get().(*tapeParser)
	p.data, p.pos, p.maxDepth, p.depth = data, 0, maxDepth, 0
	p.ids = keyIDs()
	p.path = p.path[:0]
	p.failErr = nil
	if p.nodes == nil {
		p.nodes = make([]tnode, 0, 64)
	}
	// Room for the nodes of a typical payload, up to a cap: a body
	// refused early costs no buffer in proportion to its length.
	if want := min(len(data)/8+16, tapeInitialNodes); cap(p.nodes) < want {
		p.nodes = make([]tnode, 0, want)
	}
	p.nodes = p.nodes[:0]
	p.keys = p.keys[:0]
	defer func() {
		if r := recover(); r != nil {
			if _, isFail := r.(tapeFailure); !isFail {
				panic(r)
			}
			t, err = nil, p.syntaxError()
		}
	}()
	if len(data) > maxTapeBytes {
		p.failErr = ErrTooLarge
		p.fail("body of " + strconv.Itoa(len(data)) + " bytes is larger than 4 GiB")
	}
	p.skipSpace()
	if p.pos == 0 && len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.fail("byte order mark before JSON value")
	}
	if p.pos >= len(data) {
		if len(data) == 0 {
			p.fail("empty body")
		}
		p.fail("no JSON value, only white space")
	}
	p.value()
	p.skipSpace()
	if p.pos < len(data) {
		p.fail("trailing data after the JSON value")
	}
	return &tape{data: data, nodes: p.nodes}, p, nil
}

// syntaxError describes the parser's failure.
func (p *tapeParser) syntaxError() *SyntaxError {
	line, col := lineColumn(p.data, p.failAt)
	return &SyntaxError{Offset: int64(p.failAt), Line: line, Column: col, Pointer: p.pointer(), Msg: p.failMsg, err: p.failErr}
}

// lineColumn returns the 1-based line and column (in bytes) of offset.
func lineColumn(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	return line, offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// pointer is the JSON Pointer of the value being read.
func (p *tapeParser) pointer() string {
	var b strings.Builder
	for _, f := range p.path {
		b.WriteByte('/')
		if f.object {
			if f.key == noKey {
				break
			}
			b.WriteString(escapePointerToken(tapeString(p.data, &p.nodes[f.key])))
		} else {
			b.WriteString(strconv.Itoa(f.index))
		}
	}
	return strings.TrimSuffix(b.String(), "/")
}

// noKey marks an object frame before its first key is read.
const noKey = math.MaxUint32

// releaseTape returns the parser's buffers for reuse; t must not be used
// afterwards.
func releaseTape(p *tapeParser) {
	if p == nil {
		return
	}
	p.data = nil
	if cap(p.nodes) > tapePoolMaxNodes {
		p.nodes = nil
	}
	if cap(p.table) > tapePoolMaxNodes {
		p.table = nil
	}
	if cap(p.keys) > tapePoolMaxNodes {
		p.keys = nil
	}
	if cap(p.scratch) > tapePoolMaxNodes {
		p.scratch = nil
	}
	tapePool.Put(p)
}

// fail stops the parse with msg at the current position.
func (p *tapeParser) fail(msg string) {
	p.failAt, p.failMsg = p.pos, msg
	panic(tapeFailure{})
}

// failEOF is fail for input that ends too early; where says in what.
func (p *tapeParser) failEOF(where string) {
	p.pos = len(p.data)
	p.fail("unexpected end of JSON input" + where)
}

func (p *tapeParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *tapeParser) value() {
	if p.pos >= len(p.data) {
		p.failEOF("")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		p.object()
	case c == '[':
		p.array()
	case c == '"':
		p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		p.number()
	case c == 't':
		p.literal("true", tkTrue)
	case c == 'f':
		p.literal("false", tkFalse)
	case c == 'n':
		p.literal("null", tkNull)
	default:
		p.fail("invalid character " + quoteChar(c) + " looking for beginning of value")
	}
}

func (p *tapeParser) literal(word string, kind uint8) {
	for i := 0; i < len(word); i++ {
		if p.pos+i >= len(p.data) {
			p.failEOF("")
		}
		if p.data[p.pos+i] != word[i] {
			p.pos += i
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " in literal " + word)
		}
	}
	n := uint32(len(p.nodes))
	p.push(tnode{kind: kind, start: uint32(p.pos), end: uint32(p.pos + len(word)), next: n + 1})
	p.pos += len(word)
}

// enter opens an object or array.
func (p *tapeParser) enter(object bool) {
	p.depth++
	if p.depth > p.maxDepth {
		p.failErr = ErrTooDeep
		p.fail("nesting deeper than " + strconv.Itoa(p.maxDepth) + " levels")
	}
	p.path = append(p.path, pathFrame{object: object, key: noKey})
}

// leave closes the innermost object or array.
func (p *tapeParser) leave() {
	p.depth--
	p.path = p.path[:len(p.path)-1]
}

func (p *tapeParser) object() {
	p.enter(true)
	idx := len(p.nodes)
	p.push(tnode{kind: tkObject, start: uint32(p.pos)})
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.leave()
		p.finish(idx, 0)
		return
	}
	base := len(p.keys)
	frame := len(p.path) - 1
	n := 0
	for {
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.failEOF("")
		}
		if p.data[p.pos] != '"' {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " looking for beginning of object key string")
		}
		p.keys = append(p.keys, uint32(len(p.nodes)))
		p.str()
		p.path[frame].key = uint32(len(p.nodes) - 1)
		k := &p.nodes[len(p.nodes)-1]
		if k.flags&tfEscaped == 0 {
			k.key = p.ids.lookup(p.data[k.start:k.end])
		} else {
			p.scratch = unescapeString(p.scratch[:0], p.data[k.start:k.end])
			k.key = p.ids.lookup(p.scratch)
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.failEOF("")
		}
		if p.data[p.pos] != ':' {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after object key")
		}
		p.pos++
		p.skipSpace()
		p.value()
		n++
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.failEOF("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.checkKeys(p.keys[base:])
			p.pos++
			p.keys = p.keys[:base]
			p.leave()
			p.finish(idx, n)
			return
		default:
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after object key:value pair")
		}
	}
}

func (p *tapeParser) finish(idx, n int) {
	nd := &p.nodes[idx]
	nd.end = uint32(p.pos)
	nd.next = uint32(len(p.nodes))
}

func (p *tapeParser) array() {
	p.enter(false)
	idx := len(p.nodes)
	p.push(tnode{kind: tkArray, start: uint32(p.pos)})
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.leave()
		p.finish(idx, 0)
		return
	}
	frame := len(p.path) - 1
	n := 0
	for {
		p.skipSpace()
		p.path[frame].index = n
		p.value()
		n++
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.failEOF("")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.leave()
			p.finish(idx, n)
			return
		default:
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after array element")
		}
	}
}

// checkKeys fails if two keys of one object are the same string.
func (p *tapeParser) checkKeys(keys []uint32) {
	if len(keys) < 2 {
		return
	}
	for _, k := range keys {
		if p.nodes[k].flags&tfEscaped != 0 {
			// Compare the decoded keys; rare, so allocating is fine.
			seen := make(map[string]bool, len(keys))
			for _, k := range keys {
				s := tapeString(p.data, &p.nodes[k])
				if seen[s] {
					p.dupKey(k)
				}
				seen[s] = true
			}
			return
		}
	}
	if len(keys) <= 12 {
		for i := 1; i < len(keys); i++ {
			a := p.keyBytes(keys[i])
			for _, k := range keys[:i] {
				if string(a) == string(p.keyBytes(k)) {
					p.dupKey(keys[i])
				}
			}
		}
		return
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
				p.dupKey(k)
			}
		}
	}
}

// dupKey fails at key node k, which repeats an earlier key of its object.
func (p *tapeParser) dupKey(k uint32) {
	p.path[len(p.path)-1].key = k
	p.pos = int(p.nodes[k].start) - 1
	p.fail("key " + strconv.Quote(tapeString(p.data, &p.nodes[k])) + " repeated in one object")
}

// push appends a node. The buffer doubles when full (append grows large
// slices by a quarter, which would allocate about five times the final
// size in all), so a tape costs at most twice its final size.
func (p *tapeParser) push(n tnode) {
	if len(p.nodes) == cap(p.nodes) {
		grown := make([]tnode, len(p.nodes), 2*cap(p.nodes)+16)
		copy(grown, p.nodes)
		p.nodes = grown
	}
	p.nodes = append(p.nodes, n)
}

func (p *tapeParser) keyBytes(k uint32) []byte {
	n := &p.nodes[k]
	return p.data[n.start:n.end]
}
