package lswebhook

import (
	"bytes"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

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
