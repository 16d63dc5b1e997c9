package jsontape

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

// Limits on number literals (a SyntaxError with the cause NumberLimit).
const (
	maxNumberLen      = 1024
	maxNumberExponent = 1024
)

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

// parser reads one document; pooled with its buffers.
type parser struct {
	data     []byte
	pos      int
	maxDepth int
	depth    int
	nodes    []Node
	keys     []uint32 // key nodes of the open objects
	table    []uint32 // hash table for the repeated-key check
	seed     maphash.Seed
	ids      *Keys
	stamps   []uint32 // per key id: the stamp of the last object that had it
	stamp    uint32   // this object's stamp in stamps
	maxNodes int      // 0: no limit
	room     int      // push grows the buffer (or fails) at this length: min(cap, maxNodes)
	watch    Watcher  // nil: none
	silent   bool     // inside an object or array whose values watch is not told of
	view     Tape     // what watch is shown
	scratch  []byte
	scratch2 []byte
	path     []Frame // the open objects and arrays, outermost first

	failAt    int
	failMsg   string
	failCause Cause

	tape Tape
}

// tapeFailure is the panic value of a failed tape parse; the parser holds
// the details.
type tapeFailure struct{}

var pool = sync.Pool{New: func() any { return new(parser) }}

// Pooled parsers keep their buffers up to this many bytes of nodes (and
// as many entries of their smaller buffers): 16 MiB, enough for the nodes
// of a body of about 8 MiB. Larger buffers are dropped after use.
const tapePoolMaxNodes = (16 << 20) / int(unsafe.Sizeof(Node{}))

// tapeInitialNodes caps the nodes allocated before parsing: 64 KiB worth.
const tapeInitialNodes = (64 << 10) / int(unsafe.Sizeof(Node{}))

// maxTapeBytes is the largest body the tape can hold: its offsets are 32 bits.
const maxTapeBytes = math.MaxUint32 - 1

// Parse reads data into a tape, or returns the [*SyntaxError] that
// refuses it. maxDepth is the nesting limit (at least 1); keys numbers
// the member names the tape's users look up by id, and may be nil. The
// tape shares data; hand its memory back with [Tape.Release] once it is no
// longer used. A refused parse keeps nothing.
func Parse(data []byte, maxDepth int, keys *Keys) (t *Tape, err *SyntaxError) {
	return ParseWith(data, Options{MaxDepth: maxDepth, Keys: keys})
}

// Options are the settings of [ParseWith].
type Options struct {
	// MaxDepth is the nesting limit; less than 1 means 1.
	MaxDepth int
	// Keys numbers the member names the tape's users look up by id; nil
	// for none.
	Keys *Keys
	// MaxNodes, if above 0, limits the nodes the tape may hold: the parse
	// stops with a SyntaxError caused by CauseNodeLimit when the tape
	// would hold more. The node buffer never grows beyond the limit.
	MaxNodes int
	// Watch, if not nil, is told of every value as it is read, and may
	// have the nodes of a finished value dropped; see [Watcher].
	Watch Watcher
}

// A Watcher follows a parse as it reads, to check a document whose tape
// would not fit in memory: it checks each value when it is complete and
// has its nodes dropped. The tape it is shown holds the nodes read so
// far, less the ones dropped: the open objects and arrays, the keys of
// the open objects' members (kept for the repeated-key check and for
// pointers) and whatever values the watcher kept.
type Watcher interface {
	// Open is told that the object or array at node i has begun; path
	// leads to it (its last frame is the parent's). If it returns true,
	// the watcher is told nothing of the values inside, which are dropped
	// (the repeated-key check still applies), only of the object or array
	// itself once it closes.
	Open(t *Tape, i uint32, path []Frame) (silent bool)
	// Value is told that the value at node i is complete (for an object
	// or array: closed); path leads to it, empty for the top-level value.
	// If it returns true, the value's nodes are dropped.
	Value(t *Tape, i uint32, path []Frame) (drop bool)
}

// ParseWith is [Parse] with more settings.
func ParseWith(data []byte, opts Options) (t *Tape, err *SyntaxError) {
	p := pool.Get().(*parser)
	t, err = p.parse(data, opts)
	if err != nil {
		release(p)
		return nil, err
	}
	t.p = p
	return t, nil
}

// A Reader reads documents one after the other into the same buffers,
// which it takes from the pool [Parse] uses and gives back on Close: for a
// caller that reads one body several times (checking it as a stream,
// then reading it into a tape) and wants the passes to share their memory.
// A Reader is not safe for concurrent use.
type Reader struct {
	p *parser
}

// NewReader returns a Reader; Close it when done.
func NewReader() *Reader {
	return &Reader{p: pool.Get().(*parser)}
}

// Parse is [ParseWith] into the reader's buffers. The tape is valid until
// the next Parse or Close; its Release does nothing.
func (r *Reader) Parse(data []byte, opts Options) (*Tape, *SyntaxError) {
	return r.p.parse(data, opts)
}

// Close gives the reader's buffers back; the reader and its tapes must not
// be used afterwards.
func (r *Reader) Close() {
	if r.p != nil {
		release(r.p)
		r.p = nil
	}
}

// parse reads data into the parser's tape. The tape does not release the
// parser: the caller does.
func (p *parser) parse(data []byte, opts Options) (t *Tape, err *SyntaxError) {
	p.data, p.pos, p.maxDepth, p.depth = data, 0, max(opts.MaxDepth, 1), 0
	p.ids = opts.Keys
	p.maxNodes, p.watch, p.silent = opts.MaxNodes, opts.Watch, false
	p.view = Tape{Data: data} // what the watcher is shown: Nodes is set before each call
	p.path = p.path[:0]
	p.failCause = CauseNone
	if p.nodes == nil {
		p.nodes = make([]Node, 0, 64)
	}
	// Room for the nodes of a typical payload, up to a cap: a body
	// refused early costs no buffer in proportion to its length.
	if want := min(len(data)/8+16, tapeInitialNodes); cap(p.nodes) < want {
		p.nodes = make([]Node, 0, want)
	}
	p.nodes = p.nodes[:0]
	p.setRoom()
	p.keys = p.keys[:0]
	defer func() {
		if r := recover(); r != nil {
			if _, isFail := r.(tapeFailure); !isFail {
				panic(r)
			}
			t, err = nil, p.syntaxError()
			p.watch, p.view = nil, Tape{}
		}
	}()
	if len(data) > maxTapeBytes {
		p.failCause = CauseTooLarge
		p.fail("body of " + strconv.Itoa(len(data)) + " bytes is larger than 4 GiB")
	}
	pos := skipSpace(data, 0)
	p.pos = pos
	if pos == 0 && len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.fail("byte order mark before JSON value")
	}
	if pos >= len(data) {
		if len(data) == 0 {
			p.fail("empty body")
		}
		p.fail("no JSON value, only white space")
	}
	pos = skipSpace(data, p.value(pos))
	if pos < len(data) {
		p.faultAt(pos, "trailing data after the JSON value")
	}
	p.watch, p.view = nil, Tape{}
	p.tape = Tape{Data: data, Nodes: p.nodes}
	return &p.tape, nil
}

// syntaxError describes the parser's failure.
func (p *parser) syntaxError() *SyntaxError {
	line, col := lineColumn(p.data, p.failAt)
	return &SyntaxError{Offset: int64(p.failAt), Line: line, Column: col, Pointer: p.pointer(), Msg: p.failMsg, Cause: p.failCause}
}

// lineColumn returns the 1-based line and column (in bytes) of offset.
// Counting newlines is vectorised, looking for the last one is not, so a
// document on one line (as Label Studio sends them) is not searched again.
func lineColumn(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	before := data[:offset]
	line = 1 + bytes.Count(before, []byte{'\n'})
	if line == 1 {
		return 1, offset + 1
	}
	return line, offset - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// pointer is the JSON Pointer of the value being read.
func (p *parser) pointer() string {
	var b strings.Builder
	for _, f := range p.path {
		b.WriteByte('/')
		if f.Object {
			if f.Key == noKey {
				break
			}
			b.WriteString(EscapeToken(text(p.data, &p.nodes[f.Key])))
		} else {
			b.WriteString(strconv.Itoa(f.Index))
		}
	}
	return strings.TrimSuffix(b.String(), "/")
}

// noKey marks an object frame before its first key is read.
const noKey = math.MaxUint32

// release returns the parser's buffers for reuse.
func release(p *parser) {
	p.data = nil
	p.tape = Tape{}
	p.watch = nil
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
	if cap(p.scratch2) > tapePoolMaxNodes {
		p.scratch2 = nil
	}
	pool.Put(p)
}

// fail stops the parse with msg at the current position.
func (p *parser) fail(msg string) {
	p.failAt, p.failMsg = p.pos, msg
	panic(tapeFailure{})
}

// faultAt is fail at pos.
func (p *parser) faultAt(pos int, msg string) {
	p.pos = pos
	p.fail(msg)
}

// failEOF is fail for input that ends too early; where says in what.
func (p *parser) failEOF(where string) {
	p.pos = len(p.data)
	p.fail("unexpected end of JSON input" + where)
}
