package lswebhooktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
)

// node is a JSON value that keeps the order of object members and the
// text of numbers, so that a body can be edited and written again.
type node struct {
	kind   byte // '{', '[', '"', '0' (number), 't', 'f', 'n'
	keys   []string
	elems  []*node // object values (parallel to keys) or array elements
	text   string  // string value or number literal
	isTrue bool
}

// parseTree reads one JSON value.
func parseTree(data []byte) (*node, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	n, err := readNode(d)
	if err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("trailing data after the JSON value")
	}
	return n, nil
}

func readNode(d *json.Decoder) (*node, error) {
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &node{kind: '{'}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return nil, err
				}
				v, err := readNode(d)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, k.(string))
				n.elems = append(n.elems, v)
			}
			_, err := d.Token()
			return n, err
		case '[':
			n := &node{kind: '['}
			for d.More() {
				v, err := readNode(d)
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := d.Token()
			return n, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	case string:
		return &node{kind: '"', text: t}, nil
	case json.Number:
		return &node{kind: '0', text: string(t)}, nil
	case bool:
		if t {
			return &node{kind: 't', isTrue: true}, nil
		}
		return &node{kind: 'f'}, nil
	case nil:
		return &node{kind: 'n'}, nil
	}
	return nil, fmt.Errorf("unexpected token %v", tok)
}

// member returns the index of key in an object, or -1.
func (n *node) member(key string) int {
	for i, k := range n.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// lookup returns the parent of the value at a JSON pointer (RFC 6901) and
// the value's key or index in it.
func (n *node) lookup(pointer string) (parent *node, key string, index int, err error) {
	if pointer == "" || pointer[0] != '/' {
		return nil, "", 0, fmt.Errorf("pointer %q does not start with /", pointer)
	}
	tokens := strings.Split(pointer[1:], "/")
	cur := n
	for i, tok := range tokens {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		var idx int
		switch cur.kind {
		case '{':
			idx = cur.member(tok)
			if idx < 0 {
				return nil, "", 0, fmt.Errorf("no member %q at %s", tok, pointer)
			}
		case '[':
			v, err := strconv.Atoi(tok)
			if err != nil || v < 0 || v >= len(cur.elems) {
				return nil, "", 0, fmt.Errorf("no element %q at %s", tok, pointer)
			}
			idx = v
		default:
			return nil, "", 0, fmt.Errorf("%s goes into a scalar", pointer)
		}
		if i == len(tokens)-1 {
			return cur, tok, idx, nil
		}
		cur = cur.elems[idx]
	}
	return nil, "", 0, fmt.Errorf("pointer %q is empty", pointer)
}

// writePython writes the value as Python's json.dumps does with its
// defaults, which is how Label Studio's requests sends a body: ", " and
// ": " between members, non-ASCII characters escaped as \uXXXX.
func (n *node) writePython(b *bytes.Buffer) {
	switch n.kind {
	case '{':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writePythonString(b, k)
			b.WriteString(": ")
			n.elems[i].writePython(b)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, e := range n.elems {
			if i > 0 {
				b.WriteString(", ")
			}
			e.writePython(b)
		}
		b.WriteByte(']')
	case '"':
		writePythonString(b, n.text)
	case '0':
		b.WriteString(n.text)
	case 't':
		b.WriteString("true")
	case 'f':
		b.WriteString("false")
	default:
		b.WriteString("null")
	}
}

// writePythonString writes s as Python's json module does with
// ensure_ascii: quote, backslash and the usual control characters as
// two-character escapes, everything else outside ' ' to '~' as \uXXXX
// (lower-case hex; UTF-16 surrogate pairs above U+FFFF).
func writePythonString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case r >= ' ' && r <= '~':
				b.WriteRune(r)
			case r > 0xFFFF:
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}
