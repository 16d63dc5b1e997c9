package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

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
		in       string
		offset   int64
		pointer  string
		msg      string
		sentinel error
		stdToo   bool // encoding/json rejects it too
	}{
		{``, 0, "", "empty body", nil, true},
		{`   `, 3, "", "no JSON value, only white space", nil, true},
		{"\xef\xbb\xbf{}", 0, "", "byte order mark before JSON value", nil, true},
		{`{"a":1} x`, 8, "", "trailing data after the JSON value", nil, true},
		{`{"a":1,"a":2}`, 7, "/a", `key "a" repeated in one object`, nil, false},
		{`{"a":1,"\u0061":2}`, 7, "/a", `key "a" repeated in one object`, nil, false},
		{`{"a":"x` + "\xff" + `"}`, 7, "/a", "invalid UTF-8 in string", nil, false},
		{`{"a":"\ud800"}`, 6, "/a", `lone UTF-16 surrogate in \u escape`, nil, false},
		{`{"a":"\udc00\ud800"}`, 6, "/a", `lone UTF-16 surrogate in \u escape`, nil, false},
		{`{"a":[1,2,}`, 10, "/a/2", "invalid character '}' looking for beginning of value", nil, true},
		{`{"a":01}`, 6, "/a", "invalid character '1' after object key:value pair", nil, true},
		{`{"a":1.}`, 7, "/a", "invalid character '}' after decimal point in numeric literal", nil, true},
		{`{"a":tru}`, 8, "/a", "invalid character '}' in literal true", nil, true},
		{`{"a":"b`, 7, "/a", "unexpected end of JSON input in string", nil, true},
		{"{\"a\":\"b\tc\"}", 7, "/a", `invalid control character '\t' in string literal`, nil, true},
		{`{"a":"\x"}`, 7, "/a", "invalid escape character 'x' in string", nil, true},
		{`{'a':1}`, 1, "", `invalid character '\'' looking for beginning of object key string`, nil, true},
		{`{"a":1e5000}`, 5, "/a", "number exponent beyond ±1024", ErrNumberLimit, false},
		{`{"a":1e-99999999999999999999}`, 5, "/a", "number exponent beyond ±1024", ErrNumberLimit, false},
		{`{"a":` + strings.Repeat("9", 1025) + `}`, 5, "/a", "number literal longer than 1024 bytes", ErrNumberLimit, false},
	}
	for _, tt := range tests {
		_, err := parseJSON([]byte(tt.in), 0)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("parseJSON(%.40q) error = %v, want *SyntaxError", tt.in, err)
			continue
		}
		if se.Offset != tt.offset || se.Pointer != tt.pointer || se.Msg != tt.msg {
			t.Errorf("parseJSON(%.40q) = offset %d pointer %q msg %q; want %d %q %q", tt.in, se.Offset, se.Pointer, se.Msg, tt.offset, tt.pointer, tt.msg)
		}
		if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
			t.Errorf("parseJSON(%.40q): error does not wrap %v", tt.in, tt.sentinel)
		}
		if std := json.Valid([]byte(tt.in)); std == tt.stdToo {
			t.Errorf("parseJSON(%.40q): encoding/json valid = %v, but the case says it refuses = %v", tt.in, std, tt.stdToo)
		}
	}
}

func TestParseDepth(t *testing.T) {
	for _, depth := range []int{10, 1000, 1001, 100000} {
		in := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		_, err := parseJSON([]byte(in), 0)
		if depth <= DefaultMaxDepth {
			if err != nil {
				t.Errorf("depth %d: %v", depth, err)
			}
			continue
		}
		if !errors.Is(err, ErrTooDeep) {
			t.Errorf("depth %d: error %v, want ErrTooDeep", depth, err)
		}
	}
	if _, err := parseJSON([]byte(`[[[1]]]`), 2); !errors.Is(err, ErrTooDeep) {
		t.Errorf("MaxDepth 2 accepted depth 3: %v", err)
	}
	// Settings beyond MaxDepthLimit are clamped: no setting lets the
	// reader, the validator or the converter recurse without bound.
	deep := []byte(strings.Repeat("[", MaxDepthLimit+1) + strings.Repeat("]", MaxDepthLimit+1))
	for _, setting := range []int{MaxDepthLimit + 1, 1 << 30, math.MaxInt} {
		d := Decoder{MaxDepth: setting}
		if _, err := d.Decode(deep); !errors.Is(err, ErrTooDeep) {
			t.Errorf("MaxDepth %d accepted depth %d: %v", setting, MaxDepthLimit+1, err)
		}
	}
}

// TestSyntaxErrorLocation checks the line and column of a syntax error.
func TestSyntaxErrorLocation(t *testing.T) {
	in := "{\n  \"action\": \"X\",\n  \"n\": 1.e5\n}"
	_, err := Decode([]byte(in))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Decode = %v, want *SyntaxError", err)
	}
	if se.Line != 3 || se.Column != 10 || se.Offset != 28 || se.Pointer != "/n" {
		t.Errorf("got line %d column %d offset %d pointer %q; want 3, 10, 28, /n", se.Line, se.Column, se.Offset, se.Pointer)
	}
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
