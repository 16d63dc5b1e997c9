package jsontape

import (
	"strconv"
	"strings"
)

// Frame is one object or array on the way from the top-level value to a
// node: for an object, the node of the current member's key; for an array,
// the current element's index.
type Frame struct {
	Object bool
	Key    uint32
	Index  int
}

// Pointer returns the RFC 6901 JSON Pointer of the value that path leads
// to, "" for the top-level value.
func (t *Tape) Pointer(path []Frame) string {
	if len(path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, f := range path {
		b.WriteByte('/')
		if f.Object {
			b.WriteString(EscapeToken(text(t.Data, &t.Nodes[f.Key])))
		} else {
			b.WriteString(strconv.Itoa(f.Index))
		}
	}
	return b.String()
}

// EscapeToken escapes one reference token of a JSON Pointer (RFC 6901 §3).
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
