package lswebhooktest

import (
	"bytes"
	"testing"
)

// TestWritePythonReproducesCaptures: every embedded body was written by
// Label Studio's Python; reading it and writing it again gives the same
// bytes, so the writer writes what Python writes.
func TestWritePythonReproducesCaptures(t *testing.T) {
	n := 0
	for f := range Fixtures() {
		tree, err := parseTree(f.Body)
		if err != nil {
			t.Fatalf("%s: %v", f.Source(), err)
		}
		var b bytes.Buffer
		tree.writePython(&b)
		if !bytes.Equal(b.Bytes(), f.Body) {
			t.Errorf("%s: written again differs:\n got %.200s\nwant %.200s", f.Source(), b.Bytes(), f.Body)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no fixtures")
	}
}

// TestWritePythonString checks the escapes of Python's json.dumps with
// ensure_ascii (the values are what Python 3.11 prints for
// json.dumps(s)).
func TestWritePythonString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain", `"plain"`},
		{`quote " backslash \ slash /`, `"quote \" backslash \\ slash /"`},
		{"tab\tnl\ncr\rbs\bff\f", `"tab\tnl\ncr\rbs\bff\f"`},
		{"\x00\x1f\x7f", `"\u0000\u001f\u007f"`},
		{"café ü", `"caf\u00e9 \u00fc"`},
		{"<b>&amp;</b>", `"<b>&amp;</b>"`},
		{"\u2028 €", `"\u2028 \u20ac"`},
		{"😀", `"\ud83d\ude00"`},
	} {
		var b bytes.Buffer
		writePythonString(&b, tt.in)
		if b.String() != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, b.String(), tt.want)
		}
	}
}

func TestParseTreeRefuses(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a": 1} {}`, `[1,]`} {
		if _, err := parseTree([]byte(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
