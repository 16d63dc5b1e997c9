// Package jsontape is the strict JSON reader of lswebhook: it reads a
// payload into a tape, a flat list of nodes in document order, instead of
// maps and interfaces, and refuses in the same single pass everything
// RFC 8259 refuses plus what lswebhook.Decode documents (repeated keys, a
// byte order mark, invalid UTF-8, lone surrogates, excessive nesting,
// oversized numbers, documents of 4 GiB or more). A refusal is a
// [*SyntaxError] with the offset, line, column and JSON Pointer of the
// fault.
//
// Each value, member names included, is a 16-byte [Node]. [Options]
// bounds the nodes a tape may hold (MaxNodes), and a [Watcher] (Watch)
// checks a document as it is read, keeping only the nodes of the open
// objects and arrays, for a document whose tape would be too large.
//
// The package knows JSON syntax only; the schema validator
// (internal/validate) and the converter to Go values (internal/bind) read
// the tape it makes.
package jsontape

import (
	"bytes"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// Kind is the JSON type of a node.
type Kind uint8

// Kinds of tape nodes.
const (
	Null Kind = iota
	False
	True
	Number
	String
	Array
	Object
)

// Flags of tape nodes.
const (
	Escaped  = 1 << iota // a string with backslash escapes
	Fraction             // a number with a fraction or an exponent
)

// Node is one value of a tape. An object's members follow it as key
// (a string node) and value pairs; an array's elements follow it.
type Node struct {
	Kind  Kind
	Flags uint8
	// Key is the id of an object key in the parse's [Keys], 0 for a name
	// outside them.
	Key uint16
	// Start and End delimit the value in the data: the bytes between the
	// quotes of a string, the literal of a number, the brackets (included)
	// of an object or array.
	Start, End uint32
	// Next is the index of the node after this value and everything in it.
	Next uint32
}

// Tape is a parsed document: Nodes[0] is its top-level value.
type Tape struct {
	Data  []byte
	Nodes []Node

	p *parser // owns the memory, unless a Reader does; see Release
}

// Release hands the tape's memory back for reuse by later parses. Neither
// the tape nor anything viewed in it (see [Tape.View]) may be used
// afterwards. Release on nil does nothing.
func (t *Tape) Release() {
	if t != nil && t.p != nil {
		release(t.p)
	}
}

// Count returns the number of members or elements of object or array
// node i.
func (t *Tape) Count(i uint32) int {
	nd := &t.Nodes[i]
	n := 0
	for j := i + 1; j < nd.Next; j = t.Nodes[j].Next {
		n++
	}
	if nd.Kind == Object {
		n /= 2 // keys and values
	}
	return n
}

// Own replaces the tape's data with a copy, which it returns: values cut
// from the tape afterwards share no memory with the bytes parsed.
func (t *Tape) Own() []byte {
	t.Data = bytes.Clone(t.Data)
	return t.Data
}

// Text returns the decoded string of a string node, sharing no memory
// with the data.
func (t *Tape) Text(n *Node) string { return text(t.Data, n) }

// View returns the decoded string of a string node for reading only:
// without escapes it shares the data's memory and must not be kept. buf
// is used for escaped strings.
func (t *Tape) View(n *Node, buf *[]byte) string { return view(t.Data, n, buf) }

// Reading tape values.

// text returns the decoded string of a string node, sharing no
// memory with data.
func text(data []byte, n *Node) string {
	b := data[n.Start:n.End]
	if n.Flags&Escaped == 0 {
		return string(b)
	}
	// The decoded bytes are in memory of their own that nothing else
	// refers to, so they become the string without a second copy.
	u := unescapeString(make([]byte, 0, len(b)), b)
	return unsafe.String(unsafe.SliceData(u), len(u))
}

// view returns the decoded string of a string node for reading only:
// without escapes it shares data's memory and must not be kept. buf is
// used for escaped strings.
func view(data []byte, n *Node, buf *[]byte) string {
	b := data[n.Start:n.End]
	if n.Flags&Escaped == 0 {
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

// Generic returns the value of node i in the form encoding/json reads
// with UseNumber:
// map[string]any, []any, json.Number, string, bool or nil.
func (t *Tape) Generic(i uint32) any {
	n := &t.Nodes[i]
	switch n.Kind {
	case Null:
		return nil
	case False:
		return false
	case True:
		return true
	case Number:
		return json.Number(t.Data[n.Start:n.End])
	case String:
		return text(t.Data, n)
	case Array:
		a := make([]any, 0, t.Count(i))
		for j := i + 1; j < n.Next; j = t.Nodes[j].Next {
			a = append(a, t.Generic(j))
		}
		return a
	default:
		m := make(map[string]any, t.Count(i))
		for j := i + 1; j < n.Next; {
			k := text(t.Data, &t.Nodes[j])
			m[k] = t.Generic(j + 1)
			j = t.Nodes[j+1].Next
		}
		return m
	}
}
