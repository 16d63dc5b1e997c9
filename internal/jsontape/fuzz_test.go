package jsontape

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzDepth is the nesting limit of FuzzParse: low, so that the fuzzer
// reaches it.
const fuzzDepth = 16

// strictFacts are what an independent reading of a body that
// encoding/json finds valid says of the rules it does not check.
type strictFacts struct {
	repeated  bool // an object repeats a key (decoded names compared)
	tooDeep   bool // nesting beyond fuzzDepth
	bigNumber bool // a number literal beyond the limits
}

// readStrict reads a body that json.Valid accepts with encoding/json's
// token stream, finding repeated keys, the nesting depth and oversized
// numbers.
func readStrict(data []byte) (strictFacts, error) {
	var f strictFacts
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object, wantKey bool
		keys            map[string]bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return f, nil
		}
		if err != nil {
			return f, err
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantKey {
			key, isKey := tok.(string)
			if !isKey { // the '}' of an object
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].object {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
			if top.keys[key] {
				f.repeated = true
			}
			top.keys[key] = true
			top.wantKey = false
			continue
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				stack = append(stack, frame{object: v == '{', wantKey: v == '{', keys: map[string]bool{}})
				if len(stack) > fuzzDepth {
					f.tooDeep = true
				}
				continue // the value ends at its closing delimiter
			default:
				stack = stack[:len(stack)-1]
			}
		case json.Number:
			if numberBeyondLimits(string(v)) {
				f.bigNumber = true
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].wantKey = true
		}
	}
}

// numberBeyondLimits reports whether a valid number literal is longer
// than maxNumberLen or has an exponent beyond ±maxNumberExponent.
func numberBeyondLimits(s string) bool {
	if len(s) > maxNumberLen {
		return true
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return false
	}
	exp := strings.TrimLeft(strings.TrimLeft(s[i+1:], "+-"), "0")
	n, err := strconv.Atoi(exp)
	return len(exp) > 4 || err == nil && n > maxNumberExponent
}

// loneSurrogateAt reports whether data holds, at offset, a \u escape of a
// UTF-16 surrogate.
func loneSurrogateAt(data []byte, offset int64) bool {
	if offset < 0 || offset+6 > int64(len(data)) || data[offset] != '\\' || data[offset+1] != 'u' {
		return false
	}
	r, err := strconv.ParseUint(string(data[offset+2:offset+6]), 16, 32)
	return err == nil && r >= 0xD800 && r <= 0xDFFF
}

// fuzzKeys numbers a few member names, so that the fuzzer checks the key
// ids too.
var fuzzKeys = NewKeys([]string{"a", "b", "id", "x", "value", "result", "from_name", "created_at", "original_width", "rectanglelabels", "a_rather_long_member_name_beyond_16", "é", ""})

// FuzzParse checks the reader against encoding/json and an independent
// reading of the strict rules: a body is accepted exactly when
// encoding/json finds it valid and it breaks none of the rules beyond
// (repeated keys, invalid UTF-8, lone surrogates, depth, number limits),
// an accepted body reads as encoding/json reads it, every key node has
// the id of its decoded name, and a refusal for a strict rule is true.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/labelstudio-1.23.2/*.json")
	for _, name := range seeds {
		if b, err := os.ReadFile(name); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		`{}`, `[]`, `{"a":1,"b":[true,false,null,"x\"y\\z\u00e9\ud83d\ude00"]}`, `{"a":1,"\u0061":2}`,
		`{"a":"\ud800"}`, `{"a":"\udc00\ud800"}`, "{\"a\":\"\xff\"}", `{"a":1e5000}`, `[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]`,
		"\xef\xbb\xbf{}", ` {"id" : 7 , "value":{"x":-0.5E+3}} `, `"é日本"`, `{"a_rather_long_member_name_beyond_16":0,"a_rather_long_member_name_beyond_17":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, serr := Parse(data, fuzzDepth, fuzzKeys)
		stdValid := json.Valid(data)
		if serr == nil {
			defer tp.Release()
			if !stdValid {
				t.Fatalf("accepted a body encoding/json refuses: %q", data)
			}
			if !utf8.Valid(data) {
				t.Fatalf("accepted invalid UTF-8: %q", data)
			}
			facts, err := readStrict(data)
			if err != nil || facts != (strictFacts{}) {
				t.Fatalf("accepted %q, which breaks a strict rule: %+v %v", data, facts, err)
			}
			want, err := decodeStd(data)
			if err != nil {
				t.Fatalf("encoding/json cannot decode %q: %v", data, err)
			}
			if got := tp.Generic(0); !reflect.DeepEqual(got, want) {
				t.Fatalf("read %q as %#v, encoding/json as %#v", data, got, want)
			}
			for i := range tp.Nodes {
				checkNode(t, tp, uint32(i))
			}
			return
		}
		if serr.Offset < 0 || serr.Offset > int64(len(data)) || serr.Line < 1 || serr.Column < 1 {
			t.Fatalf("refused %q at offset %d, line %d, column %d", data, serr.Offset, serr.Line, serr.Column)
		}
		if !stdValid {
			return
		}
		facts, err := readStrict(data)
		if err != nil {
			t.Fatalf("encoding/json's token stream fails on a valid body %q: %v", data, err)
		}
		var ok bool
		switch {
		case serr.Cause == CauseTooDeep:
			ok = facts.tooDeep
		case serr.Cause == CauseNumberLimit:
			ok = facts.bigNumber
		case strings.HasSuffix(serr.Msg, "repeated in one object"):
			ok = facts.repeated
		case serr.Msg == "invalid UTF-8 in string":
			ok = !utf8.Valid(data)
		case serr.Msg == `lone UTF-16 surrogate in \u escape`:
			ok = loneSurrogateAt(data, serr.Offset)
		}
		if !ok {
			t.Fatalf("refused %q, which encoding/json accepts, with %v (%+v)", data, serr, facts)
		}
	})
}

// checkNode checks node i of an accepted tape: its extent and Next, and
// for a key, the id of its decoded name.
func checkNode(t *testing.T, tp *Tape, i uint32) {
	n := &tp.Nodes[i]
	if n.Start > n.End || int(n.End) > len(tp.Data) || n.Next <= i || int(n.Next) > len(tp.Nodes) {
		t.Fatalf("node %d %+v out of bounds (%d bytes, %d nodes)", i, *n, len(tp.Data), len(tp.Nodes))
	}
	if n.Kind != Object {
		return
	}
	for k := i + 1; k < n.Next; k = tp.Nodes[k+1].Next {
		key := &tp.Nodes[k]
		if key.Kind != String {
			t.Fatalf("member %d of object %d is a %v", k, i, key.Kind)
		}
		if want := fuzzKeys.ID(tp.Text(key)); key.Key != want {
			t.Fatalf("key %q has id %d, want %d", tp.Text(key), key.Key, want)
		}
	}
}

// TestFuzzHelpers checks the fuzzer's independent reading on bodies whose
// answers are known, so that FuzzParse cannot pass by a blind reference.
func TestFuzzHelpers(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want strictFacts
	}{
		{`{"a":1,"b":{"a":2}}`, strictFacts{}},
		{`{"a":1,"b":2,"a":3}`, strictFacts{repeated: true}},
		{`{"a":1,"\u0061":3}`, strictFacts{repeated: true}},
		{`[{"a":1},{"a":1}]`, strictFacts{}},
		{`{"a":{},"b":[],"a":0}`, strictFacts{repeated: true}},
		{strings.Repeat("[", fuzzDepth) + strings.Repeat("]", fuzzDepth), strictFacts{}},
		{strings.Repeat("[", fuzzDepth+1) + strings.Repeat("]", fuzzDepth+1), strictFacts{tooDeep: true}},
		{`[1e1024, -1E-1024, 1e+0001024]`, strictFacts{}},
		{`[1e1025]`, strictFacts{bigNumber: true}},
		{`[1e00000]`, strictFacts{}},
		{`[1e100000]`, strictFacts{bigNumber: true}},
		{`[` + strings.Repeat("1", maxNumberLen+1) + `]`, strictFacts{bigNumber: true}},
	} {
		got, err := readStrict([]byte(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("readStrict(%.40s) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	if !loneSurrogateAt([]byte(`"\ud800"`), 1) || loneSurrogateAt([]byte(`"\u0800"`), 1) || loneSurrogateAt([]byte(`"\ud8"`), 1) {
		t.Error("loneSurrogateAt is wrong")
	}
	var se *SyntaxError
	if _, err := parseJSON([]byte(`{"a":1,"a":2}`), 0); !errors.As(err, &se) {
		t.Fatal("repeated key accepted")
	}
}
