package lswebhook

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/maphash"
	"io/fs"
	"math"
	"reflect"
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

// parser reads exactly one JSON value into the generic form that
// encoding/json produces with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. Unlike encoding/json it rejects invalid UTF-8,
// lone surrogate escapes and repeated keys, so that the tree handed to the
// validator and the tree turned into Go values are one reading of the bytes.
type parser struct {
	data     []byte
	pos      int
	maxDepth int
	depth    int
	path     []pathSeg
	spans    map[uintptr]span // nil: do not record
}

// span is the byte range of an object or array in the parsed data.
type span struct{ start, end int }

// document is a parsed payload with the byte ranges of its objects and
// arrays, keyed by the address of the map or of the slice's first element,
// so that json.RawMessage fields can be cut from the original bytes instead
// of being encoded again.
type document struct {
	tree  any
	data  []byte
	spans map[uintptr]span
}

// rawOf returns the JSON text of v, a value of the document's tree: the
// original bytes for objects and non-empty arrays, a fresh encoding for
// anything else. The result must not be modified.
func (d *document) rawOf(v any) json.RawMessage {
	if d != nil {
		var key uintptr
		switch x := v.(type) {
		case map[string]any:
			key = uintptr(reflect.ValueOf(x).UnsafePointer())
		case []any:
			if len(x) > 0 {
				key = uintptr(unsafe.Pointer(unsafe.SliceData(x)))
			}
		}
		if sp, ok := d.spans[key]; ok && key != 0 {
			return json.RawMessage(d.data[sp.start:sp.end:sp.end])
		}
	}
	return encodeTree(v)
}

// parseDocument parses data like parseJSON and records where each object
// and array lies in data.
func parseDocument(data []byte, maxDepth int) (*document, error) {
	spans := make(map[uintptr]span)
	tree, err := parseWith(data, maxDepth, spans)
	if err != nil {
		return nil, err
	}
	return &document{tree: tree, data: data, spans: spans}, nil
}

type pathSeg struct {
	key   string
	index int // -1 for object keys
}

type parseFailure struct {
	offset int
	msg    string
	err    error
}

func parseJSON(data []byte, maxDepth int) (v any, err error) {
	return parseWith(data, maxDepth, nil)
}

func parseWith(data []byte, maxDepth int, spans map[uintptr]span) (v any, err error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p := &parser{data: data, maxDepth: maxDepth, spans: spans}
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		f, ok := r.(*parseFailure)
		if !ok {
			panic(r)
		}
		v, err = nil, p.syntaxError(f)
	}()
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
	v = p.value()
	p.skipSpace()
	if p.pos < len(data) {
		p.fail("trailing data after the JSON value")
	}
	return v, nil
}

func (p *parser) syntaxError(f *parseFailure) *SyntaxError {
	e := &SyntaxError{Offset: int64(f.offset), Pointer: p.pointer(), Msg: f.msg, err: f.err}
	if e.err == nil {
		var js *json.SyntaxError
		if err := json.Unmarshal(p.data, new(any)); errors.As(err, &js) {
			e.err = js
		}
	}
	return e
}

func (p *parser) pointer() string {
	if len(p.path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, s := range p.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(escapePointerToken(s.key))
		}
	}
	return b.String()
}

func (p *parser) fail(msg string) {
	panic(&parseFailure{offset: p.pos, msg: msg})
}

func (p *parser) failErr(msg string, err error) {
	panic(&parseFailure{offset: p.pos, msg: msg, err: err})
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() any {
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		p.literal("true")
		return true
	case c == 'f':
		p.literal("false")
		return false
	case c == 'n':
		p.literal("null")
		return nil
	default:
		p.fail("invalid character " + quoteChar(c) + " looking for beginning of value")
		return nil
	}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = "byte 0x" + strconv.FormatUint(uint64(c), 16)
		return s
	}
	return "'" + s[1:len(s)-1] + "'"
}

func (p *parser) literal(word string) {
	for i := 0; i < len(word); i++ {
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
		}
		if p.data[p.pos] != word[i] {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " in literal " + word)
		}
		p.pos++
	}
}

func (p *parser) record(key uintptr, start int) {
	if p.spans != nil {
		p.spans[key] = span{start, p.pos}
	}
}

func (p *parser) enter() {
	p.depth++
	if p.depth > p.maxDepth {
		p.failErr("nesting deeper than "+strconv.Itoa(p.maxDepth)+" levels", ErrTooDeep)
	}
}

func (p *parser) object() map[string]any {
	p.enter()
	start := p.pos
	p.pos++ // '{'
	m := make(map[string]any)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		p.record(uintptr(reflect.ValueOf(m).UnsafePointer()), start)
		return m
	}
	pushed := false
	for {
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
		}
		if p.data[p.pos] != '"' {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " looking for beginning of object key string")
		}
		keyStart := p.pos
		key := p.string()
		if !pushed {
			p.path = append(p.path, pathSeg{index: -1})
			pushed = true
		}
		p.path[len(p.path)-1].key = key
		if _, dup := m[key]; dup {
			p.pos = keyStart
			p.fail("key " + strconv.Quote(key) + " repeated in one object")
		}
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
		}
		if p.data[p.pos] != ':' {
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after object key")
		}
		p.pos++
		p.skipSpace()
		m[key] = p.value()
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.path = p.path[:len(p.path)-1]
			p.depth--
			p.record(uintptr(reflect.ValueOf(m).UnsafePointer()), start)
			return m
		default:
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after object key:value pair")
		}
	}
}

func (p *parser) array() []any {
	p.enter()
	start := p.pos
	p.pos++ // '['
	a := make([]any, 0)
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		return a
	}
	p.path = append(p.path, pathSeg{index: 0})
	for {
		p.path[len(p.path)-1].index = len(a)
		p.skipSpace()
		a = append(a, p.value())
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.path = p.path[:len(p.path)-1]
			p.depth--
			p.record(uintptr(unsafe.Pointer(unsafe.SliceData(a))), start)
			return a
		default:
			p.fail("invalid character " + quoteChar(p.data[p.pos]) + " after array element")
		}
	}
}

// string reads a string starting at the opening quote.
func (p *parser) string() string {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes, all ASCII or valid UTF-8.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			p.fail("invalid control character " + quoteChar(c) + " in string literal")
		}
		if c < utf8.RuneSelf {
			p.pos++
			continue
		}
		r, size := utf8.DecodeRune(p.data[p.pos:])
		if r == utf8.RuneError && size <= 1 {
			p.fail("invalid UTF-8 in string")
		}
		p.pos += size
	}
	if p.pos >= len(p.data) {
		p.fail("unexpected end of JSON input in string")
	}
	// Slow path with escapes.
	buf := make([]byte, 0, p.pos-start+16)
	buf = append(buf, p.data[start:p.pos]...)
	for {
		if p.pos >= len(p.data) {
			p.fail("unexpected end of JSON input in string")
		}
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf)
		case c == '\\':
			p.pos++
			if p.pos >= len(p.data) {
				p.fail("unexpected end of JSON input in string escape")
			}
			e := p.data[p.pos]
			p.pos++
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r := p.hex4()
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || p.pos+1 >= len(p.data) || p.data[p.pos] != '\\' || p.data[p.pos+1] != 'u' {
						p.pos -= 6
						p.fail("lone UTF-16 surrogate in \\u escape")
					}
					p.pos += 2
					r2 := p.hex4()
					dec := utf16.DecodeRune(r, r2)
					if dec == utf8.RuneError {
						p.pos -= 12
						p.fail("lone UTF-16 surrogate in \\u escape")
					}
					r = dec
				}
				buf = utf8.AppendRune(buf, r)
			default:
				p.pos--
				p.fail("invalid escape character " + quoteChar(e) + " in string")
			}
		case c < 0x20:
			p.fail("invalid control character " + quoteChar(c) + " in string literal")
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.pos++
		default:
			r, size := utf8.DecodeRune(p.data[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				p.fail("invalid UTF-8 in string")
			}
			buf = append(buf, p.data[p.pos:p.pos+size]...)
			p.pos += size
		}
	}
}

func (p *parser) hex4() rune {
	if p.pos+4 > len(p.data) {
		p.pos = len(p.data)
		p.fail("unexpected end of JSON input in \\u escape")
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := p.data[p.pos]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			p.fail("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
		}
		r = r<<4 | rune(d)
		p.pos++
	}
	return r
}

// number reads a number literal (RFC 8259 §6) and returns it as json.Number.
func (p *parser) number() json.Number {
	start := p.pos
	d := p.data
	if d[p.pos] == '-' {
		p.pos++
	}
	if p.pos >= len(d) {
		p.fail("unexpected end of JSON input in number")
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
		p.pos++
		if p.pos >= len(d) {
			p.fail("unexpected end of JSON input in number")
		}
		if d[p.pos] < '0' || d[p.pos] > '9' {
			p.fail("invalid character " + quoteChar(d[p.pos]) + " after decimal point in numeric literal")
		}
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if p.pos >= len(d) {
			p.fail("unexpected end of JSON input in number")
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
		if len(digits) > 4 {
			p.pos = start
			p.failErr("number exponent beyond ±"+strconv.Itoa(maxNumberExponent), ErrNumberLimit)
		}
		if n, _ := strconv.Atoi(string(digits)); n > maxNumberExponent {
			p.pos = start
			p.failErr("number exponent beyond ±"+strconv.Itoa(maxNumberExponent), ErrNumberLimit)
		}
	}
	if p.pos-start > maxNumberLen {
		p.pos = start
		p.failErr("number literal longer than "+strconv.Itoa(maxNumberLen)+" bytes", ErrNumberLimit)
	}
	return json.Number(d[start:p.pos])
}

// The tape: Decode's fast path reads the payload into a flat list of
// nodes instead of maps and interfaces. It accepts a subset of what parser
// accepts (everything parser accepts, except bodies of 4 GiB or more), so
// any failure here is answered by running parser, which produces the
// error; a document it accepts is read by parser as the same tree (see
// tape.generic and the differential tests).

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
	// n is the number of members or elements of an object or array.
	n uint32
	// next is the index of the node after this value and everything in it.
	next uint32
}

// tape is a parsed document.
type tape struct {
	data  []byte
	nodes []tnode
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
}

// tapeFailure is the panic value of a failed tape parse.
type tapeFailure struct{}

var tapePool = sync.Pool{New: func() any { return new(tapeParser) }}

// Pooled parsers keep their buffers up to this many nodes.
const tapePoolMaxNodes = 1 << 16

// parseTape reads data into a tape. ok is false if parser would refuse
// data (or if data is too large for the tape's 32-bit offsets). The parser
// p owns the tape's memory: hand it back with releaseTape (p may be nil)
// once the tape is no longer used.
func parseTape(data []byte, maxDepth int) (t *tape, p *tapeParser, ok bool) {
	if uint64(len(data)) >= math.MaxUint32 {
		return nil, nil, false
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p = tapePool.Get().(*tapeParser)
	p.data, p.pos, p.maxDepth, p.depth = data, 0, maxDepth, 0
	p.ids = keyIDs()
	if p.nodes == nil {
		p.nodes = make([]tnode, 0, 64)
	}
	if want := len(data)/8 + 16; cap(p.nodes) < want {
		p.nodes = make([]tnode, 0, want)
	}
	p.nodes = p.nodes[:0]
	p.keys = p.keys[:0]
	defer func() {
		if r := recover(); r != nil {
			if _, isFail := r.(tapeFailure); !isFail {
				panic(r)
			}
			t, ok = nil, false
		}
	}()
	p.skipSpace()
	p.value()
	p.skipSpace()
	if p.pos < len(data) {
		p.fail()
	}
	return &tape{data: data, nodes: p.nodes}, p, true
}

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

func (p *tapeParser) fail() { panic(tapeFailure{}) }

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
		p.fail()
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
		p.fail()
	}
}

func (p *tapeParser) literal(word string, kind uint8) {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		p.fail()
	}
	n := uint32(len(p.nodes))
	p.nodes = append(p.nodes, tnode{kind: kind, start: uint32(p.pos), end: uint32(p.pos + len(word)), next: n + 1})
	p.pos += len(word)
}

func (p *tapeParser) enter() {
	p.depth++
	if p.depth > p.maxDepth {
		p.fail()
	}
}

func (p *tapeParser) object() {
	p.enter()
	idx := len(p.nodes)
	p.nodes = append(p.nodes, tnode{kind: tkObject, start: uint32(p.pos)})
	p.pos++ // '{'
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		p.depth--
		p.finish(idx, 0)
		return
	}
	base := len(p.keys)
	n := 0
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			p.fail()
		}
		p.keys = append(p.keys, uint32(len(p.nodes)))
		p.str()
		k := &p.nodes[len(p.nodes)-1]
		if k.flags&tfEscaped == 0 {
			k.key = p.ids.lookup(p.data[k.start:k.end])
		} else {
			p.scratch = unescapeString(p.scratch[:0], p.data[k.start:k.end])
			k.key = p.ids.lookup(p.scratch)
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			p.fail()
		}
		p.pos++
		p.skipSpace()
		p.value()
		n++
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail()
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.checkKeys(p.keys[base:])
			p.keys = p.keys[:base]
			p.depth--
			p.finish(idx, n)
			return
		default:
			p.fail()
		}
	}
}

func (p *tapeParser) finish(idx, n int) {
	nd := &p.nodes[idx]
	nd.end = uint32(p.pos)
	nd.n = uint32(n)
	nd.next = uint32(len(p.nodes))
}

func (p *tapeParser) array() {
	p.enter()
	idx := len(p.nodes)
	p.nodes = append(p.nodes, tnode{kind: tkArray, start: uint32(p.pos)})
	p.pos++ // '['
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		p.depth--
		p.finish(idx, 0)
		return
	}
	n := 0
	for {
		p.skipSpace()
		p.value()
		n++
		p.skipSpace()
		if p.pos >= len(p.data) {
			p.fail()
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			p.depth--
			p.finish(idx, n)
			return
		default:
			p.fail()
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
					p.fail()
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
					p.fail()
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
				p.fail()
			}
		}
	}
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
			p.fail()
		}
		c := d[p.pos]
		switch {
		case c == '"':
			n := uint32(len(p.nodes))
			p.nodes = append(p.nodes, tnode{kind: tkString, flags: flags, start: uint32(start), end: uint32(p.pos), next: n + 1})
			p.pos++
			return
		case c == '\\':
			flags |= tfEscaped
			if p.pos+1 >= len(d) {
				p.fail()
			}
			switch d[p.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.pos += 2
			case 'u':
				r := p.hex4(p.pos + 2)
				p.pos += 6
				if utf16.IsSurrogate(r) {
					if r >= 0xDC00 || p.pos+1 >= len(d) || d[p.pos] != '\\' || d[p.pos+1] != 'u' {
						p.fail()
					}
					r2 := p.hex4(p.pos + 2)
					if utf16.DecodeRune(r, r2) == utf8.RuneError {
						p.fail()
					}
					p.pos += 6
				}
			default:
				p.fail()
			}
		case c < 0x20:
			p.fail()
		default:
			r, size := utf8.DecodeRune(d[p.pos:])
			if r == utf8.RuneError && size <= 1 {
				p.fail()
			}
			p.pos += size
		}
	}
}

func (p *tapeParser) hex4(at int) rune {
	if at+4 > len(p.data) {
		p.fail()
	}
	var r rune
	for _, c := range p.data[at : at+4] {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			p.fail()
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
		p.fail()
	}
	switch {
	case d[p.pos] == '0':
		p.pos++
	case d[p.pos] >= '1' && d[p.pos] <= '9':
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
	default:
		p.fail()
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		flags = tfFraction
		p.pos++
		if p.pos >= len(d) || d[p.pos] < '0' || d[p.pos] > '9' {
			p.fail()
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
		if p.pos >= len(d) || d[p.pos] < '0' || d[p.pos] > '9' {
			p.fail()
		}
		expStart := p.pos
		for p.pos < len(d) && d[p.pos] >= '0' && d[p.pos] <= '9' {
			p.pos++
		}
		digits := d[expStart:p.pos]
		for len(digits) > 1 && digits[0] == '0' {
			digits = digits[1:]
		}
		if len(digits) > 4 {
			p.fail()
		}
		if n, _ := strconv.Atoi(string(digits)); n > maxNumberExponent {
			p.fail()
		}
	}
	if p.pos-start > maxNumberLen {
		p.fail()
	}
	n := uint32(len(p.nodes))
	p.nodes = append(p.nodes, tnode{kind: tkNumber, flags: flags, start: uint32(start), end: uint32(p.pos), next: n + 1})
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
		a := make([]any, 0, n.n)
		for j := i + 1; j < n.next; j = t.nodes[j].next {
			a = append(a, t.generic(j))
		}
		return a
	default:
		m := make(map[string]any, n.n)
		for j := i + 1; j < n.next; {
			k := tapeString(t.data, &t.nodes[j])
			m[k] = t.generic(j + 1)
			j = t.nodes[j+1].next
		}
		return m
	}
}

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

var keyIDs = sync.OnceValue(func() *keyTable {
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
			if tree, err := parseJSON(b, 0); err == nil {
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
})

// id returns the id of name, 0 if it has none.
func (kt *keyTable) id(name string) uint16 { return kt.ids[name] }
