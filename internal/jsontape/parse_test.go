package jsontape

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// parseJSON reads data into the generic form, as encoding/json does with
// UseNumber.
func parseJSON(data []byte, maxDepth int) (any, error) {
	if maxDepth <= 0 {
		maxDepth = 1000
	}
	t, err := Parse(data, maxDepth, nil)
	if err != nil {
		return nil, err
	}
	defer t.Release()
	return t.Generic(0), nil
}

// decodeStd reads data the way encoding/json does with UseNumber: exactly
// one JSON value, with white space around it.
func decodeStd(data []byte) (any, error) {
	if !json.Valid(data) {
		return nil, errors.New("encoding/json: not one valid JSON value")
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

func TestParseAgreesWithEncodingJSON(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `{"a":1}`, ` {"a" : [1, 2.5, -3e2, 0, -0, 1E+2, 0.5e-3]} `,
		`{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00"}`, `{"u":"é日本"}`,
		`{"t":true,"f":false,"n":null}`, `"str"`, `12`, `null`,
		`{"nested":{"deeper":[{"x":[[]]}]}}`, "{\"ws\":\t\r\n1}",
	}
	for _, in := range inputs {
		got, err := parseJSON([]byte(in), 0)
		if err != nil {
			t.Errorf("parseJSON(%s): %v", in, err)
			continue
		}
		want, err := decodeStd([]byte(in))
		if err != nil {
			t.Fatalf("encoding/json rejects %s: %v", in, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("parseJSON(%s) = %#v, encoding/json reads %#v", in, got, want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in      string
		offset  int64
		pointer string
		msg     string
		cause   Cause
		stdToo  bool // encoding/json rejects it too
	}{
		{``, 0, "", "empty body", CauseNone, true},
		{`   `, 3, "", "no JSON value, only white space", CauseNone, true},
		{"\xef\xbb\xbf{}", 0, "", "byte order mark before JSON value", CauseNone, true},
		{`{"a":1} x`, 8, "", "trailing data after the JSON value", CauseNone, true},
		{`{"a":1,"a":2}`, 7, "/a", `key "a" repeated in one object`, CauseNone, false},
		{`{"a":1,"\u0061":2}`, 7, "/a", `key "a" repeated in one object`, CauseNone, false},
		{`{"a":"x` + "\xff" + `"}`, 7, "/a", "invalid UTF-8 in string", CauseNone, false},
		{`{"a":"\ud800"}`, 6, "/a", `lone UTF-16 surrogate in \u escape`, CauseNone, false},
		{`{"a":"\udc00\ud800"}`, 6, "/a", `lone UTF-16 surrogate in \u escape`, CauseNone, false},
		{`{"a":[1,2,}`, 10, "/a/2", "invalid character '}' looking for beginning of value", CauseNone, true},
		{`{"a":01}`, 6, "/a", "invalid character '1' after object key:value pair", CauseNone, true},
		{`{"a":1.}`, 7, "/a", "invalid character '}' after decimal point in numeric literal", CauseNone, true},
		{`{"a":tru}`, 8, "/a", "invalid character '}' in literal true", CauseNone, true},
		{`{"a":"b`, 7, "/a", "unexpected end of JSON input in string", CauseNone, true},
		{"{\"a\":\"b\tc\"}", 7, "/a", `invalid control character '\t' in string literal`, CauseNone, true},
		{`{"a":"\x"}`, 7, "/a", "invalid escape character 'x' in string", CauseNone, true},
		{`{'a':1}`, 1, "", `invalid character '\'' looking for beginning of object key string`, CauseNone, true},
		{`{"a":1e5000}`, 5, "/a", "number exponent beyond ±1024", CauseNumberLimit, false},
		{`{"a":1e-99999999999999999999}`, 5, "/a", "number exponent beyond ±1024", CauseNumberLimit, false},
		{`{"a":` + strings.Repeat("9", 1025) + `}`, 5, "/a", "number literal longer than 1024 bytes", CauseNumberLimit, false},
	}
	for _, tt := range tests {
		_, err := parseJSON([]byte(tt.in), 0)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("parseJSON(%.40q) error = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if se.Cause != tt.cause {
			t.Errorf("parseJSON(%.40q): cause %d, want %d", tt.in, se.Cause, tt.cause)
		}
		if se.Offset != tt.offset || se.Pointer != tt.pointer || se.Msg != tt.msg {
			t.Errorf("parseJSON(%.40q) = offset %d pointer %q msg %q; want %d %q %q", tt.in, se.Offset, se.Pointer, se.Msg, tt.offset, tt.pointer, tt.msg)
		}
		if std := json.Valid([]byte(tt.in)); std == tt.stdToo {
			t.Errorf("parseJSON(%.40q): encoding/json valid = %v, but the case says it refuses = %v", tt.in, std, tt.stdToo)
		}
	}
}

func TestParseDepth(t *testing.T) {
	for _, depth := range []int{10, 1000, 1001, 100000} {
		in := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		_, err := parseJSON([]byte(in), 1000)
		if depth <= 1000 {
			if err != nil {
				t.Errorf("depth %d: %v", depth, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Cause != CauseTooDeep {
			t.Errorf("depth %d: error %v, want one caused by the depth", depth, err)
		}
	}
	// A limit below 1 means 1.
	for _, limit := range []int{2, 1, 0, -1} {
		tp, err := Parse([]byte(`[[[1]]]`), limit, nil)
		if err == nil || err.Cause != CauseTooDeep {
			t.Errorf("limit %d accepted depth 3: %v", limit, err)
		}
		tp.Release()
	}
	tp, err := Parse([]byte(`[1]`), -1, nil)
	if err != nil {
		t.Errorf("limit -1 refused depth 1: %v", err)
	}
	tp.Release()
}

// TestParseTruncations checks that every prefix of a valid payload is
// refused with a *SyntaxError and no panic.
func TestParseTruncations(t *testing.T) {
	data := []byte(`{"action":"ANNOTATION_CREATED","annotation":{"id":1,"result":[{"value":{"x":1.5e1,"t":"\u00e9\"q"},"type":"rectanglelabels"}],"ok":true,"n":null}}`)
	if _, err := parseJSON(data, 0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(data); i++ {
		_, err := parseJSON(data[:i], 0)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("prefix %d: error %v, want *SyntaxError", i, err)
		}
	}
}

// TestKeys checks that Lookup finds every name by its id, and no other.
func TestKeys(t *testing.T) {
	names := []string{"action", "id", "created_at", "a", "", "data", "id"}
	kt := NewKeys(names)
	if kt.Len() != 7 {
		t.Errorf("Len = %d, want 7 (six distinct names plus one)", kt.Len())
	}
	for _, name := range names {
		id := kt.ID(name)
		if id == 0 {
			t.Errorf("ID(%q) = 0", name)
		}
		if got := kt.Lookup([]byte(name)); got != id {
			t.Errorf("Lookup(%q) = %d, want %d", name, got, id)
		}
	}
	for _, name := range []string{"qq", "Action", "actio", "actionx", "created_atx", "b"} {
		if got := kt.Lookup([]byte(name)); got != 0 {
			t.Errorf("Lookup(%q) = %d, want 0", name, got)
		}
	}
	var none *Keys
	if none.Lookup([]byte("id")) != 0 {
		t.Error("nil Keys found a name")
	}
	tp, err := Parse([]byte(`{"id":1,"x":{"data":2}}`), 10, kt)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.Release()
	if tp.Nodes[1].Key != kt.ID("id") || tp.Nodes[3].Key != 0 || tp.Nodes[5].Key != kt.ID("data") {
		t.Errorf("key ids in the tape: %d %d %d", tp.Nodes[1].Key, tp.Nodes[3].Key, tp.Nodes[5].Key)
	}
}

// TestMaxNodes checks the node limit: a tape of exactly the limit parses,
// one more value fails with CauseNodeLimit, whatever buffer the pooled
// parser brings, and a watcher's dropped values do not count.
func TestMaxNodes(t *testing.T) {
	big := []byte("[" + strings.Repeat("0,", 9999) + "0]") // 10,001 nodes
	tp, err := Parse(big, 10, nil)                         // leaves a large buffer in the pool
	if err != nil {
		t.Fatal(err)
	}
	tp.Release()
	for _, limit := range []int{3, 100, 10000, 10001} {
		tp, err := ParseWith(big, Options{MaxDepth: 10, MaxNodes: limit})
		if limit >= 10001 {
			if err != nil {
				t.Errorf("limit %d: %v", limit, err)
			}
			tp.Release()
			continue
		}
		if err == nil || err.Cause != CauseNodeLimit {
			t.Errorf("limit %d: error %v, want the node limit", limit, err)
		}
	}
	drop := dropAll{}
	if tp, err := ParseWith(big, Options{MaxDepth: 10, MaxNodes: 3, Watch: drop}); err != nil {
		t.Errorf("dropping every element, limit 3: %v", err)
	} else {
		tp.Release()
	}
}

// dropAll is a Watcher that drops every value inside the top level.
type dropAll struct{}

func (dropAll) Open(*Tape, uint32, []Frame) bool           { return false }
func (dropAll) Value(_ *Tape, _ uint32, path []Frame) bool { return len(path) > 0 }

// TestRepeatedKeys checks the repeated-key check of every size of object
// (compared pairwise, with a hash table, by sorting) with and without
// escaped keys: it fails at the first key, in document order, that repeats
// an earlier one.
func TestRepeatedKeys(t *testing.T) {
	for _, n := range []int{2, 12, 13, 300, sortKeysAbove + 10} {
		for _, escaped := range []bool{false, true} {
			for _, dups := range [][2][2]int{{{n - 1, 0}, {n - 1, 0}}, {{n / 2, 1}, {n - 1, 0}}, {{n - 1, n / 3}, {n / 2, n / 4}}} {
				names := make([]string, n)
				for i := range names {
					names[i] = fmt.Sprintf("k%d", i)
				}
				// Each pair {at, of} makes the key at position at repeat the
				// one at position of.
				first := -1
				for _, d := range dups {
					at, of := d[0], d[1]
					if at <= of {
						continue
					}
					names[at] = names[of]
					if first < 0 || at < first {
						first = at
					}
				}
				var b strings.Builder
				b.WriteString("{")
				offsets := make([]int, n)
				for i, name := range names {
					if i > 0 {
						b.WriteString(",")
					}
					offsets[i] = b.Len()
					if escaped && i%2 == 1 {
						name = `\u006b` + name[1:] // "k" escaped
					}
					b.WriteString(`"` + name + `":0`)
				}
				b.WriteString("}")
				// Without key ids; with ids for every other name (the
				// others compared by name); with ids for all.
				var half, all []string
				for i := range n {
					all = append(all, fmt.Sprintf("k%d", i))
					if i%2 == 0 {
						half = append(half, fmt.Sprintf("k%d", i))
					}
				}
				for _, keys := range []*Keys{nil, NewKeys(half), NewKeys(all)} {
					tp, err := Parse([]byte(b.String()), 10, keys)
					tp.Release()
					if first < 0 {
						if err != nil {
							t.Errorf("n %d escaped %v: %v", n, escaped, err)
						}
						continue
					}
					if err == nil || err.Offset != int64(offsets[first]) || err.Pointer != "/"+names[first] {
						t.Errorf("n %d escaped %v dups %v keys %d: error %v, want one at offset %d, /%s", n, escaped, dups, keys.Len(), err, offsets[first], names[first])
					}
				}
			}
		}
	}
}

// TestMaxNodesEvery checks the node limit at every value of a body that
// holds every kind of node: the parse succeeds exactly when the limit is
// at least the tape's length and fails with CauseNodeLimit otherwise
// (never a panic), whatever buffer the pooled parser brings.
func TestMaxNodesEvery(t *testing.T) {
	body := []byte(`{"a": [1, "s", true, false, null, {}, [], {"b": [[-2.5e3]], "c\u0064": "x\"y"}], "e": {"f": {"g": 0}}, "h": ""}`)
	full, err := Parse(body, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := len(full.Nodes)
	full.Release()
	wide, err := Parse([]byte("["+strings.Repeat("0,", 999)+"0]"), 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	wide.Release() // a large buffer in the pool
	for limit := 1; limit <= want+1; limit++ {
		for _, keys := range []*Keys{nil, NewKeys([]string{"a", "b", "g"})} {
			tp, err := ParseWith(body, Options{MaxDepth: 10, MaxNodes: limit, Keys: keys})
			if limit < want {
				if err == nil || err.Cause != CauseNodeLimit {
					t.Errorf("limit %d of %d: error %v, want the node limit", limit, want, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("limit %d of %d: %v", limit, want, err)
				continue
			}
			if len(tp.Nodes) != want {
				t.Errorf("limit %d: %d nodes, want %d", limit, len(tp.Nodes), want)
			}
			tp.Release()
		}
	}
}

// TestLineColumn checks lineColumn against counting byte by byte, on
// documents on one line and on several, at every offset.
func TestLineColumn(t *testing.T) {
	docs := []string{"", "{}", `{"a": [1, 2]}`, "{\n\"a\": 1\n}", "\n\n[1,\n 2]", "[1,\r\n2]\n"}
	for _, doc := range docs {
		data := []byte(doc)
		for off := 0; off <= len(data)+1; off++ {
			wantLine, wantCol := 1, 1
			for _, c := range data[:min(off, len(data))] {
				if c == '\n' {
					wantLine, wantCol = wantLine+1, 1
				} else {
					wantCol++
				}
			}
			line, col := lineColumn(data, off)
			if line != wantLine || col != wantCol {
				t.Errorf("lineColumn(%q, %d) = %d:%d, want %d:%d", doc, off, line, col, wantLine, wantCol)
			}
		}
	}
}

// TestText checks that Tape.Text decodes a string as encoding/json does,
// in one allocation, and shares no memory with the data: writing over the
// data afterwards leaves the string as it was.
func TestText(t *testing.T) {
	for _, doc := range []string{`"plain"`, `"tab\there"`, `"\u00e9t\u00e9 \ud83d\ude00"`, `"\\\/\""`,
		`"a longer string, with an escape at its end that makes it decoded\n"`} {
		data := []byte(doc)
		tp, err := Parse(data, 10, nil)
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
		got := tp.Text(&tp.Nodes[0])
		if allocs := testing.AllocsPerRun(100, func() { _ = tp.Text(&tp.Nodes[0]) }); allocs != 1 {
			t.Errorf("%s: Text made %v allocations, want 1", doc, allocs)
		}
		for i := range data {
			data[i] = 'x'
		}
		if got != want {
			t.Errorf("Text(%s) = %q after the data was overwritten, want %q", doc, got, want)
		}
	}
}
