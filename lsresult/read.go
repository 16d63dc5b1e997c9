package lsresult

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/seed-d2dfa170/lswebhook"
)

// This file reads JSON values into the value types. The bytes are checked
// once (json.Valid and utf8.Valid), then read in place: an object's members
// and an array's elements are found by skipping over values, never by
// building a generic tree, and only the levels the Go types model are
// visited, so reading a value costs time linear in its size times the depth
// of the Go types (at most four levels). Keys match the json tags exactly
// (encoding/json would also accept keys that differ in case), keys without
// a field go to the struct's Extra map, and a key repeated in one object is
// a problem.

// reader records problems with JSON Pointers while reading a value.
type reader struct {
	path     []seg
	problems []lswebhook.Problem
	// fromName is the result's from_name, the key of a ranker's flat list.
	fromName string
}

// seg is one step of the reader's path: an object key, or an array index
// when index >= 0.
type seg struct {
	key   string
	index int
}

func (r *reader) push(key string, index int) { r.path = append(r.path, seg{key, index}) }
func (r *reader) pop()                       { r.path = r.path[:len(r.path)-1] }

// pointer returns the JSON Pointer (RFC 6901) of the value being read.
func (r *reader) pointer() string {
	var b strings.Builder
	for _, s := range r.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
			continue
		}
		b.WriteString(escapeToken.Replace(s.key))
	}
	return b.String()
}

// escapeToken escapes a key for a JSON Pointer.
var escapeToken = strings.NewReplacer("~", "~0", "/", "~1")

func (r *reader) problem(msg string) {
	r.problems = append(r.problems, lswebhook.Problem{Pointer: r.pointer(), Message: msg})
}

// typeProblem reports a value of the wrong JSON type.
func (r *reader) typeProblem(want string, v []byte) {
	r.problem("expected " + want + ", but got " + typeName(v))
}

// sorted returns the problems ordered by pointer, then message.
func (r *reader) sorted() []lswebhook.Problem {
	ps := r.problems
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Pointer != ps[j].Pointer {
			return ps[i].Pointer < ps[j].Pointer
		}
		return ps[i].Message < ps[j].Message
	})
	return ps
}

// checkJSON reports why data is not one well-formed JSON value in UTF-8,
// or "".
func checkJSON(data []byte) string {
	if !json.Valid(data) {
		var v struct{}
		err := json.Unmarshal(data, &v)
		if se, ok := err.(*json.SyntaxError); ok {
			return se.Error() + " (offset " + strconv.FormatInt(se.Offset, 10) + ")"
		}
		return "not a JSON value"
	}
	if !utf8.Valid(data) {
		return "invalid UTF-8"
	}
	return ""
}

// typeName names the JSON type of the value v (checked JSON, white space
// trimmed) as JSON Schema does: "integer" for a number without a fraction.
func typeName(v []byte) string {
	switch v[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
		return "integer"
	}
	return "number"
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first byte at or after i that is not
// white space.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at data[i],
// in checked JSON. It does not recurse: nesting is counted.
func valueEnd(data []byte, i int) int {
	depth := 0
	for ; i < len(data); i++ {
		switch c := data[i]; c {
		case '"':
			i++
			for data[i] != '"' {
				if data[i] == '\\' {
					i++
				}
				i++
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		default:
			if depth == 0 {
				j := i
				for j < len(data) && !isSpace(data[j]) && data[j] != ',' && data[j] != '}' && data[j] != ']' {
					j++
				}
				return j
			}
		}
	}
	return i
}

// members calls f with each member of the object v (checked JSON, white
// space trimmed), in order, with the key unquoted and the value trimmed.
func members(v []byte, f func(key string, val []byte)) {
	i := skipSpace(v, 1)
	for i < len(v) && v[i] == '"' {
		end := valueEnd(v, i)
		key := unquote(v[i:end])
		i = skipSpace(v, end)
		i = skipSpace(v, i+1) // ':'
		end = valueEnd(v, i)
		f(key, v[i:end])
		i = next(v, end)
	}
}

// next returns the index of the member or element after the one ending at
// end, past the comma; len(v)-1 (the closing bracket) after the last.
func next(v []byte, end int) int {
	i := skipSpace(v, end)
	if i < len(v) && v[i] == ',' {
		i = skipSpace(v, i+1)
	}
	return i
}

// elements calls f with each element of the array v (checked JSON, white
// space trimmed), in order, trimmed.
func elements(v []byte, f func(i int, val []byte)) {
	i := skipSpace(v, 1)
	for n := 0; i < len(v) && v[i] != ']'; n++ {
		end := valueEnd(v, i)
		f(n, v[i:end])
		i = next(v, end)
	}
}

// count returns the number of elements of the array v.
func count(v []byte) int {
	n := 0
	elements(v, func(int, []byte) { n++ })
	return n
}

// unquote returns the string a JSON string literal (checked JSON) holds.
func unquote(lit []byte) string {
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1])
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return string(lit[1 : len(lit)-1]) // unreachable for checked JSON
	}
	return s
}

// stringOf reads a JSON string; ok is false, with a problem recorded, for
// anything else.
func (r *reader) stringOf(v []byte) (s string, ok bool) {
	if v[0] != '"' {
		r.typeProblem("string", v)
		return "", false
	}
	return unquote(v), true
}

// stringList reads an array of strings. A problem is recorded for each
// element that is not a string (null reads as "" when nullable); the list
// then holds "" in its place.
func (r *reader) stringList(v []byte, nullable bool) []string {
	if v[0] != '[' {
		r.typeProblem("array", v)
		return nil
	}
	out := make([]string, 0, count(v))
	r.push("", 0)
	elements(v, func(i int, e []byte) {
		r.path[len(r.path)-1].index = i
		if nullable && e[0] == 'n' {
			out = append(out, "")
			return
		}
		s, _ := r.stringOf(e)
		out = append(out, s)
	})
	r.pop()
	return out
}

// intList reads an array of integers, as intOf reads them; a problem is
// recorded for each element that is not one, which then reads as 0.
func (r *reader) intList(v []byte) []int {
	out := make([]int, 0, count(v))
	r.push("", 0)
	elements(v, func(i int, e []byte) {
		r.path[len(r.path)-1].index = i
		if e[0] == 'n' {
			out = append(out, 0)
			return
		}
		n, _ := r.intOf(e)
		out = append(out, int(n))
	})
	r.pop()
	return out
}

// selfReader is implemented by types that read themselves from JSON
// (Position, Point), recording problems in r.
type selfReader interface {
	readJSON(r *reader, v []byte)
}

// keyReader is implemented by value types with keys reflection cannot read
// (a key holding a string or a list). readKey reports whether it read the
// key; the reader's path ends at the key.
type keyReader interface {
	readKey(r *reader, key string, v []byte) bool
}

var extraType = reflect.TypeOf(map[string]json.RawMessage(nil))

// plan lists the JSON keys of a struct type.
type plan struct {
	fields map[string]int // key -> field index
	extra  int            // index of the Extra field, or -1
}

var plans sync.Map // reflect.Type -> *plan

func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{fields: make(map[string]int), extra: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "Extra" && f.Type == extraType {
			p.extra = i
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" && name != "" {
			p.fields[name] = i
		}
	}
	actual, _ := plans.LoadOrStore(t, p)
	return actual.(*plan)
}

// object reads the JSON object v into the struct rv, which must be
// addressable.
func (r *reader) object(v []byte, rv reflect.Value) {
	if v[0] != '{' {
		r.typeProblem("object", v)
		return
	}
	p := planOf(rv.Type())
	kr, _ := rv.Addr().Interface().(keyReader)
	var extra map[string]json.RawMessage
	var seen keySet
	r.push("", -1)
	members(v, func(key string, e []byte) {
		r.path[len(r.path)-1].key = key
		if !seen.add(key) {
			r.problem("key repeated in one object")
			return
		}
		if kr != nil && kr.readKey(r, key, e) {
			return
		}
		if i, ok := p.fields[key]; ok {
			r.value(e, rv.Field(i))
			return
		}
		if p.extra >= 0 {
			if extra == nil {
				extra = make(map[string]json.RawMessage)
			}
			extra[key] = json.RawMessage(bytes.Clone(e))
		}
	})
	r.pop()
	if p.extra >= 0 {
		rv.Field(p.extra).Set(reflect.ValueOf(extra))
	}
}

// value reads the JSON value v into rv. null reads as the zero value.
func (r *reader) value(v []byte, rv reflect.Value) {
	if sr, ok := rv.Addr().Interface().(selfReader); ok {
		sr.readJSON(r, v)
		return
	}
	if v[0] == 'n' {
		rv.SetZero()
		return
	}
	switch t := rv.Type(); t.Kind() {
	case reflect.Pointer:
		n := reflect.New(t.Elem())
		r.value(v, n.Elem())
		rv.Set(n)
	case reflect.Struct:
		r.object(v, rv)
	case reflect.Slice:
		if v[0] != '[' {
			r.typeProblem("array", v)
			return
		}
		switch p := rv.Addr().Interface().(type) {
		case *[]string: // label lists
			*p = r.stringList(v, true)
			return
		case *[]int: // brush RLE
			*p = r.intList(v)
			return
		}
		n := count(v)
		s := reflect.MakeSlice(t, n, n)
		r.push("", 0)
		elements(v, func(i int, e []byte) {
			r.path[len(r.path)-1].index = i
			r.value(e, s.Index(i))
		})
		r.pop()
		rv.Set(s)
	case reflect.String:
		if s, ok := r.stringOf(v); ok {
			rv.SetString(s)
		}
	case reflect.Bool:
		if v[0] != 't' && v[0] != 'f' {
			r.typeProblem("boolean", v)
			return
		}
		rv.SetBool(v[0] == 't')
	case reflect.Int64, reflect.Int:
		if n, ok := r.intOf(v); ok {
			rv.SetInt(n)
		}
	case reflect.Float64:
		if f, ok := r.floatOf(v); ok {
			rv.SetFloat(f)
		}
	default:
		r.problem("internal: cannot read into Go type " + t.String())
	}
}

// decode reads data, a whole JSON value, into v (a pointer to a struct);
// it returns the problems found, sorted, with r's path as a prefix.
func (r *reader) decode(data []byte, v any) []lswebhook.Problem {
	if msg := checkJSON(data); msg != "" {
		r.problem("invalid JSON: " + msg)
		return r.problems
	}
	data = trimJSON(data)
	rv := reflect.ValueOf(v).Elem()
	if _, self := v.(selfReader); self {
		r.value(data, rv)
	} else {
		r.object(data, rv) // a value is an object, never null
	}
	return r.sorted()
}

// trimJSON removes the white space around checked JSON.
func trimJSON(data []byte) []byte { return bytes.TrimSpace(data) }
