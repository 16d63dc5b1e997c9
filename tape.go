package lswebhook

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
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

// The tape is the package's strict JSON reader: it reads a payload into a
// flat list of nodes instead of maps and interfaces, and refuses, in the
// same single pass, everything RFC 8259 refuses plus what Decode documents
// (repeated keys, a byte order mark, invalid UTF-8, lone surrogates,
// excessive nesting, oversized numbers). A refusal is a [*SyntaxError]
// with the offset, line, column and JSON Pointer of the fault.

// Kinds of tape nodes.
const (
	tkNull uint8 = iota
	tkFalse
	tkTrue
	tkNumber
	tkString
	tkArray
	tkObject
)

// Flags of tape nodes.
const (
	tfEscaped  = 1 << iota // a string with backslash escapes
	tfFraction             // a number with a fraction or an exponent
)

// tnode is one value of a tape. An object's members follow it as key
// (a string node) and value pairs; an array's elements follow it.
type tnode struct {
	kind  uint8
	flags uint8
	// key is the id of an object key in keyIDs, 0 for a name outside it.
	key uint16
	// start and end delimit the value in the data: the bytes between the
	// quotes of a string, the literal of a number, the brackets (included)
	// of an object or array.
	start, end uint32
	// next is the index of the node after this value and everything in it.
	next uint32
}

// tape is a parsed document.
type tape struct {
	data  []byte
	nodes []tnode
}

// count returns the number of members or elements of object or array
// node i.
func (t *tape) count(i uint32) int {
	nd := &t.nodes[i]
	n := 0
	for j := i + 1; j < nd.next; j = t.nodes[j].next {
		n++
	}
	if nd.kind == tkObject {
		n /= 2 // keys and values
	}
	return n
}

// own replaces the tape's data with a copy, which it returns: values cut
// from the tape afterwards share no memory with the bytes parsed.
func (t *tape) own() []byte {
	t.data = bytes.Clone(t.data)
	return t.data
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

// strSafe marks the ASCII bytes a string holds as they are.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// hasStringSpecial reports whether any of the 8 bytes in w is a quote, a
// backslash, a control character or not ASCII (the bit tricks of "Bit
// Twiddling Hacks": haszero and hasless, exact for presence).
func hasStringSpecial(w uint64) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(lo*'"'), w^(lo*'\\')
	control := (w - lo*0x20) &^ w
	return (control|((quote-lo)&^quote)|((backslash-lo)&^backslash)|w)&hi != 0
}

// str reads a string starting at the opening quote. It checks what
// parser.string checks: escapes, surrogate pairs, control characters and
// UTF-8.
func (p *tapeParser) str() {
	p.pos++ // opening quote
	start := p.pos
	var flags uint8
	d := p.data
	for {
		for p.pos+8 <= len(d) && !hasStringSpecial(binary.LittleEndian.Uint64(d[p.pos:])) {
			p.pos += 8
		}
		for p.pos < len(d) && strSafe[d[p.pos]] {
			p.pos++
		}
		if p.pos >= len(d) {
			p.failEOF(" in string")
		}
		c := d[p.pos]
		switch {
		case c == '"':
			n := uint32(len(p.nodes))
			p.push(tnode{kind: tkString, flags: flags, start: uint32(start), end: uint32(p.pos), next: n + 1})
			p.pos++
			return
		case c == '\\':
			flags |= tfEscaped
			if p.pos+1 >= len(d) {
				p.failEOF(" in string escape")
			}
			switch d[p.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos += 2
			case 'u':
				esc := p.pos
				r := p.hex4(p.pos + 2)
				p.pos += 6
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || p.pos+1 >= len(d) || d[p.pos] != '\\' || d[p.pos+1] != 'u' {
						p.pos = esc
						p.fail("lone UTF-16 surrogate in \\u escape")
					}
					r2 := p.hex4(p.pos + 2)
					if utf16.DecodeRune(r, r2) == utf8.RuneError {
						p.pos = esc
						p.fail("lone UTF-16 surrogate in \\u escape")
					}
					p.pos += 6
				}
			default:
				p.pos++
				p.fail("invalid escape character " + quoteChar(d[p.pos]) + " in string")
			}
		case c < 0x20:
			p.fail("invalid control character " + quoteChar(c) + " in string literal")
		default:
			r, size := utf8.DecodeRune(d[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				p.fail("invalid UTF-8 in string")
			}
			p.pos += size
		}
	}
}

func (p *tapeParser) hex4(at int) rune {
	var r rune
	for k := at; k < at+4; k++ {
		if k >= len(p.data) {
			p.failEOF(" in \\u escape")
		}
		c := p.data[k]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			p.pos = k
			p.fail("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
		}
		r = r<<4 | rune(d)
	}
	return r
}

// number reads a number literal with parser.number's grammar and limits.
func (p *tapeParser) number() {
	start := p.pos
	d := p.data
	var flags uint8
	if d[p.pos] == '-' {
		p.pos++
	}
	if p.pos >= len(d) {
		p.failEOF(" in number")
	}
	switch {
	case d[p.pos] == '0':
		p.pos++
	case d[p.pos] >= '1' && d[p.pos] <= '9':
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	default:
		p.fail("invalid character " + quoteChar(d[p.pos]) + " in numeric literal")
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		flags = tfFraction
		p.pos++
		if p.pos >= len(d) {
			p.failEOF(" in number")
		}
		if d[p.pos] < '0' || d[p.pos] > '9' {
			p.fail("invalid character " + quoteChar(d[p.pos]) + " after decimal point in numeric literal")
		}
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		flags = tfFraction
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if p.pos >= len(d) {
			p.failEOF(" in number")
		}
		if d[p.pos] < '0' || d[p.pos] > '9' {
			p.fail("invalid character " + quoteChar(d[p.pos]) + " in exponent of numeric literal")
		}
		expStart := p.pos
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
		digits := d[expStart:p.pos]
		for len(digits) > 1 && digits[0] == '0' {
			digits = digits[1:]
		}
		if n, _ := strconv.Atoi(string(digits)); len(digits) > 4 || n > maxNumberExponent {
			p.failErr = ErrNumberLimit
			p.pos = start
			p.fail("number exponent beyond ±" + strconv.Itoa(maxNumberExponent))
		}
	}
	if p.pos-start > maxNumberLen {
		p.failErr = ErrNumberLimit
		p.pos = start
		p.fail("number literal longer than " + strconv.Itoa(maxNumberLen) + " bytes")
	}
	n := uint32(len(p.nodes))
	p.push(tnode{kind: tkNumber, flags: flags, start: uint32(start), end: uint32(p.pos), next: n + 1})
}

// Reading tape values.

// tapeString returns the decoded string of a string node, sharing no
// memory with data.
func tapeString(data []byte, n *tnode) string {
	b := data[n.start:n.end]
	if n.flags&tfEscaped == 0 {
		return string(b)
	}
	return string(unescapeString(make([]byte, 0, len(b)), b))
}

// tapeView returns the decoded string of a string node for reading only:
// without escapes it shares data's memory and must not be kept. buf is
// used for escaped strings.
func tapeView(data []byte, n *tnode, buf *[]byte) string {
	b := data[n.start:n.end]
	if n.flags&tfEscaped == 0 {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	*buf = unescapeString((*buf)[:0], b)
	return unsafe.String(unsafe.SliceData(*buf), len(*buf))
}

// unescapeString appends the decoded contents of a string that str has
// checked.
func unescapeString(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		c := src[i]
		if c != '\\' {
			j := i + 1
			for j < len(src) && src[j] != '\\' {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
			continue
		}
		e := src[i+1]
		i += 2
		switch e {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hexRune(src[i : i+4])
			i += 4
			if utf16.IsSurrogate(r) {
				r = utf16.DecodeRune(r, hexRune(src[i+2:i+6]))
				i += 6
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, e)
		}
	}
	return dst
}

func hexRune(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}

// generic returns the value of node i the way parser reads it:
// map[string]any, []any, json.Number, string, bool or nil.
func (t *tape) generic(i uint32) any {
	n := &t.nodes[i]
	switch n.kind {
	case tkNull:
		return nil
	case tkFalse:
		return false
	case tkTrue:
		return true
	case tkNumber:
		return json.Number(t.data[n.start:n.end])
	case tkString:
		return tapeString(t.data, n)
	case tkArray:
		a := make([]any, 0, t.count(i))
		for j := i + 1; j < n.next; j = t.nodes[j].next {
			a = append(a, t.generic(j))
		}
		return a
	default:
		m := make(map[string]any, t.count(i))
		for j := i + 1; j < n.next; {
			k := tapeString(t.data, &t.nodes[j])
			m[k] = t.generic(j + 1)
			j = t.nodes[j+1].next
		}
		return m
	}
}
