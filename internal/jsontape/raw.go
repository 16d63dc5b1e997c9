package jsontape

import (
	"bytes"
	"encoding/json"
)

// TypeName names the JSON type of a node, "integer" for integral numbers.
func (t *Tape) TypeName(nd *Node) string {
	switch nd.Kind {
	case Null:
		return "null"
	case True, False:
		return "boolean"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	if nd.Flags&Fraction == 0 || IsIntegral(json.Number(t.Data[nd.Start:nd.End])) {
		return "integer"
	}
	return "number"
}

// Raw returns node i as JSON: the bytes as sent where they are already in
// the form [EncodeTree] writes (every object, array, number and literal,
// and strings without escapes or line separators), else the value written
// anew by EncodeTree. The bytes share the tape's data.
func (t *Tape) Raw(i uint32) json.RawMessage {
	n := &t.Nodes[i]
	d := t.Data
	switch n.Kind {
	case Object:
		return json.RawMessage(d[n.Start:n.End:n.End])
	case Array:
		if n.Next > i+1 {
			return json.RawMessage(d[n.Start:n.End:n.End])
		}
	case Number, True, False, Null:
		return json.RawMessage(d[n.Start:n.End:n.End])
	case String:
		// EncodeTree writes a string as it was sent unless it had escapes
		// or holds U+2028 or U+2029, which it escapes.
		if n.Flags&Escaped == 0 && !hasLineSeparator(d[n.Start:n.End]) {
			return json.RawMessage(d[n.Start-1 : n.End+1 : n.End+1])
		}
	}
	return EncodeTree(t.Generic(i))
}

// hasLineSeparator reports whether b holds U+2028 or U+2029.
func hasLineSeparator(b []byte) bool {
	for {
		i := bytes.IndexByte(b, 0xE2)
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9) {
			return true
		}
		b = b[i+1:]
	}
}

// EncodeTree writes a value of the form [Tape.Generic] returns as compact
// JSON. Object keys come out sorted; strings are not HTML-escaped.
func EncodeTree(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// A tree from Generic always encodes.
		return json.RawMessage("null")
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}
