package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/internal/bind"
	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
	"github.com/seed-d2dfa170/lswebhook/internal/validate"
)

// The engine is checked against two references: the tape against
// encoding/json (it refuses what encoding/json refuses, and reads what it
// accepts as encoding/json does), and the validator against jsonschema v5
// compiling the same bundled schemas. The tests compare them over every
// file under testdata, over mutations of the valid payloads and under
// fuzzing.

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

// testdataFiles returns the bytes of every JSON file under testdata,
// parseable or not.
func testdataFiles(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tapeEdgeCases are inputs at the edges of the grammar and of the limits.
var tapeEdgeCases = []string{
	``, ` `, `{}`, `[]`, `[ ]`, `{ }`, `null`, `true`, `false`, `0`, `-0`, `1.5e3`, `-1E-2`, `1e+9`,
	`01`, `1.`, `.5`, `-`, `1e`, `1e+`, `+1`, `0x1`, `1e1025`, `1e1024`, `1e00001024`, `1e00001025`, `1e-1025`,
	"\xEF\xBB\xBF{}", `{"a":1,}`, `[1,]`, `{"a" 1}`, `{"a":1 "b":2}`, `{1:1}`, `[1 2]`, `{"a":1}x`, `{"a":1} `,
	`"\u00e9"`, `"\uD83D\uDE00"`, `"\uD83D"`, `"\uDE00"`, `"\uD83Dx"`, `"\uD83D\u0041"`, `"\uD83D\n"`, `"\u12"`, `"\u12G4"`,
	`"\/\b\f\n\r\t\"\\"`, `"\x"`, `"a` + "\x01" + `"`, `"a` + "\x7f" + `"`, "\"\xff\"", "\"\xe2\x80\xa8\"", "\"\xed\xa0\x80\"",
	`{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, `{"a":{"b":1,"b":2}}`, `{"\u00e9":1,"é":2}`, `{"é":1,"e":2}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k5":1}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":1}`,
	`[[[[1]]]]`, `{"a":[{"b":[{"c":{}}]}]}`, `tru`, `nul`, `fals`, `truex`, `[true,false,null]`,
	`"` + strings.Repeat("1", 2000) + `"`, strings.Repeat("1", 1025), strings.Repeat("1", 1024),
}

// TestTapeParserAgrees compares the tape with encoding/json at several
// depth limits, for every file under testdata, the edge cases, and every
// prefix and one-byte change of a real payload.
func TestTapeParserAgrees(t *testing.T) {
	inputs := map[string][]byte{}
	for p, b := range testdataFiles(t) {
		inputs[p] = b
	}
	for i, s := range tapeEdgeCases {
		inputs["edge "+strconv.Itoa(i)] = []byte(s)
	}
	real, err := os.ReadFile("testdata/valid/tasks-created-one.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range real {
		inputs["prefix "+strconv.Itoa(i)] = real[:i]
		for _, c := range []byte{'"', '\\', '{', '}', '[', ']', ',', ':', 'x', '1', ' ', 0, 0xC3} {
			b := bytes.Clone(real)
			b[i] = c
			inputs["change "+strconv.Itoa(i)+" "+strconv.Itoa(int(c))] = b
		}
	}
	accepted := 0
	for name, data := range inputs {
		for _, depth := range []int{0, 1, 3, 8} {
			if compareParsers(t, name, data, depth) {
				accepted++
			}
		}
	}
	t.Logf("%d inputs, %d of %d parses accepted", len(inputs), accepted, 4*len(inputs))
}

// compareParsers parses data with the tape and with encoding/json: the
// tape refuses what encoding/json refuses, refuses more only for the
// reasons Decode documents, and reads what it accepts as encoding/json
// does. It reports whether the tape accepted data.
func compareParsers(t testing.TB, name string, data []byte, depth int) bool {
	t.Helper()
	std, stdErr := decodeStd(data)
	tp, err := parse(data, depth)
	defer tp.Release()
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %T, want *SyntaxError", name, err)
		}
		if stdErr == nil && !extraRefusal(se) {
			t.Errorf("%s (depth %d): the tape refuses what encoding/json accepts: %v", name, depth, err)
		}
		if se != nil && (se.Offset < 0 || se.Offset > int64(len(data)) || se.Line < 1 || se.Column < 1) {
			t.Errorf("%s: location offset %d line %d column %d out of range", name, se.Offset, se.Line, se.Column)
		}
		return false
	}
	if stdErr != nil {
		t.Errorf("%s (depth %d): the tape accepts what encoding/json refuses: %v", name, depth, stdErr)
		return true
	}
	if got := tp.Generic(0); !reflect.DeepEqual(got, std) {
		t.Errorf("%s (depth %d): the tape reads\n%#v\nencoding/json reads\n%#v", name, depth, got, std)
	}
	if n := uint32(len(tp.Nodes)); tp.Nodes[0].Next != n {
		t.Errorf("%s: root spans %d of %d nodes", name, tp.Nodes[0].Next, n)
	}
	return true
}

// extraRefusal reports whether a syntax error is one of the refusals
// Decode adds to RFC 8259 as encoding/json reads it.
func extraRefusal(se *SyntaxError) bool {
	if errors.Is(se, ErrTooDeep) || errors.Is(se, ErrNumberLimit) {
		return true
	}
	for _, s := range []string{"repeated in one object", "invalid UTF-8", "surrogate"} {
		if strings.Contains(se.Msg, s) {
			return true
		}
	}
	return false
}

// TestValidatorAgrees compares the validator with jsonschema v5 for every
// payload under testdata against every action's schema, and for the
// mutations of mutatedPayloads against their own action's schema.
func TestValidatorAgrees(t *testing.T) {
	count, files, mutations := 0, 0, 0
	for p, b := range testdataFiles(t) {
		if n := compareValidators(t, p, b, registry); n > 0 {
			count += n
			files++
		}
	}
	for _, m := range mutatedPayloads(t) {
		if v, ok := byAction[m.action]; ok {
			if n := compareValidators(t, m.name, m.data, []variant{*v}); n > 0 {
				count += n
				mutations++
			}
		}
	}
	t.Logf("%d verdicts compared, on %d files and %d mutations", count, files, mutations)
	// compareValidators skips what the reader refuses: the test must not
	// pass by comparing nothing.
	if files < 100 || mutations < 1000 {
		t.Errorf("compared only %d files under testdata and %d mutations", files, mutations)
	}
}

// compareValidators checks data against each action's schema with the
// validator and with jsonschema v5. They agree, except that the validator
// also refuses numbers the Go types cannot hold. Every problem has a
// pointer to a value of data (or to a missing member of an object), and
// whenever the validator accepts, Decode does.
func compareValidators(t testing.TB, name string, data []byte, actions []variant) int {
	t.Helper()
	cs := loadSchemas()
	tp, err := parse(data, DefaultMaxDepth)
	defer tp.Release()
	if err != nil {
		return 0
	}
	tree, err := decodeStd(data)
	if err != nil {
		return 0
	}
	for _, v := range actions {
		res, got := validate.Validate(tp, cs.compiled[v.action], DefaultMaxProblems)
		want := referenceSchema(t, v.action).Validate(tree) == nil
		if got != want && !(want && onlyRangeProblems(problems(res.Problems))) {
			t.Errorf("%s against %s: validator %v %v, jsonschema %v", name, v.schema, got, res.Problems, want)
		}
		if got != (res.Total == 0) || len(res.Problems) > DefaultMaxProblems {
			t.Errorf("%s against %s: verdict %v with %d problems (%d kept)", name, v.schema, got, res.Total, len(res.Problems))
		}
	}
	return len(actions)
}

// onlyRangeProblems reports whether every problem is a number the Go
// types cannot hold, which JSON Schema does not refuse.
func onlyRangeProblems(ps []Problem) bool {
	for _, p := range ps {
		if !strings.Contains(p.Message, "out of range") {
			return false
		}
	}
	return len(ps) > 0
}

type mutated struct {
	name   string
	action Action
	data   []byte
}

// mutatedPayloads returns every valid payload under testdata/valid and
// testdata/docs with, in turn, each value below the top level replaced by
// null, a string, an integer, a fraction, a big integer, an object and an
// array.
func mutatedPayloads(t testing.TB) []mutated {
	var out []mutated
	replacements := []any{nil, "x", json.Number("7"), json.Number("1.5"), json.Number("1e40"), json.Number("2.0"), map[string]any{}, []any{}, true}
	for p, b := range testdataFiles(t) {
		slash := filepath.ToSlash(p)
		if !strings.HasPrefix(slash, "testdata/valid/") && !strings.HasPrefix(slash, "testdata/docs/") {
			continue
		}
		tree, err := decodeStd(b)
		if err != nil {
			continue
		}
		action, _ := tree.(map[string]any)["action"].(string)
		walkTree(tree, "", func(ptr string, set func(any), orig any) {
			for i, r := range replacements {
				set(r)
				out = append(out, mutated{name: p + " " + ptr + " #" + strconv.Itoa(i), action: Action(action), data: jsontape.EncodeTree(tree)})
			}
			set(orig)
		})
	}
	return out
}

func walkTree(v any, ptr string, f func(ptr string, set func(any), orig any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			f(ptr+"/"+k, func(n any) { x[k] = n }, e)
			walkTree(e, ptr+"/"+k, f)
		}
	case []any:
		for i, e := range x {
			f(ptr+"/"+strconv.Itoa(i), func(n any) { x[i] = n }, e)
			walkTree(e, ptr+"/"+strconv.Itoa(i), f)
		}
	}
}

// decodeEdgeCases builds payloads around a real one with the members and
// values where the fast path could differ: escapes that encodeTree writes
// differently, U+2028, number spellings, empty containers, scalars in raw
// JSON fields, keys with escapes.
func decodeEdgeCases(t testing.TB) map[string][]byte {
	base, err := os.ReadFile("testdata/valid/tasks-created-one.json")
	if err != nil {
		t.Fatal(err)
	}
	values := []string{`"caf\u00e9"`, `"a\/b"`, `"\u2028"`, "\"\xe2\x80\xa8\"", "\"\xe2\x80\xa9x\"", `"\ud83d\ude00"`, `"<&>"`, `"\u003c"`, `"\t\"\\"`,
		`1.0E+2`, `-0`, `1e-7`, `12345678901234567890`, `-9223372036854775808`, `9223372036854775807`, `9223372036854775808`, `3.0`, `1e2`, `1.5`,
		`[]`, `{}`, `[1, "x"]`, `{"\u0061": 1}`, `null`, `true`, `false`, `""`}
	out := map[string][]byte{}
	for i, v := range values {
		s := string(base)
		out["top extra "+v] = []byte(strings.Replace(s, `"action": "TASKS_CREATED",`, `"action": "TASKS_CREATED", "x`+strconv.Itoa(i)+`": `+v+`,`, 1))
		out["task extra "+v] = []byte(strings.Replace(s, `"id": 101,`, `"id": 101, "x\u00e9": `+v+`,`, 1))
		out["data "+v] = []byte(strings.Replace(s, `"meta": {},`, `"meta": {}, "data": `+v+`,`, 1))
		out["data "+v] = []byte(strings.Replace(strings.Replace(s, `"meta": {},`, `"meta": `+v+`,`, 1), `"data": {`, `"data": {"v": `+v+`, `, 1))
		out["id "+v] = []byte(strings.Replace(s, `"id": 101,`, `"id": `+v+`,`, 1))
		out["overlap "+v] = []byte(strings.Replace(s, `"overlap": 1,`, `"overlap": `+v+`,`, 1))
		out["precomputed_agreement "+v] = []byte(strings.Replace(s, `"precomputed_agreement": null,`, `"precomputed_agreement": `+v+`,`, 1))
		out["title "+v] = []byte(strings.Replace(s, `"title": "Street scenes",`, `"title": `+v+`,`, 1))
		out["created_at "+v] = []byte(strings.Replace(s, `"created_at": "2026-03-02T10:01:00.000001Z",`, `"created_at": `+v+`,`, 1))
		out["control_weights "+v] = []byte(strings.Replace(s, `"Car": 1.0`, `"Car": `+v, 1))
		out["data_types "+v] = []byte(strings.Replace(s, `"image": "Image"`, `"image": `+v, 1))
		out["comment_authors "+v] = []byte(strings.Replace(s, `"comment_authors": []`, `"comment_authors": [`+v+`]`, 1))
	}
	for _, a := range []string{`"TASK_CREATED"`, `"TASKS\u005fCREATED"`, `"tasks_created"`, `""`, `null`, `1`, `"NO_SUCH"`} {
		out["action "+a] = []byte(strings.Replace(string(base), `"TASKS_CREATED"`, a, 1))
	}
	for _, ts := range []string{"2026-03-02T10:01:00+02:00", "2026-03-02T10:01:00", "2026-03-02T10:01:00.1234567891Z", "2026-03-02 10:01:00Z", "2026-03-02T10:01:00\u005a", "2026-13-02T10:01:00Z"} {
		out["time "+ts] = []byte(strings.Replace(string(base), `2026-03-02T10:01:00.000001Z`, ts, 1))
	}
	return out
}

// TestDecodeEdgeCases decodes the edge cases with several decoder
// settings: no panic, typed errors, and an event with its bytes whenever
// there is no error. (The round trip of what is accepted is
// TestRoundTrip's and FuzzDecode's.)
func TestDecodeEdgeCases(t *testing.T) {
	accepted := 0
	for name, b := range decodeEdgeCases(t) {
		for _, d := range []Decoder{{}, {SkipValidation: true}, {MaxDepth: 4}} {
			ev, err := d.Decode(b)
			if err != nil {
				var se *SyntaxError
				var ve *ValidationError
				if !errors.As(err, &se) && !errors.As(err, &ve) && !errors.Is(err, ErrMissingAction) && !errors.Is(err, ErrNotObject) {
					t.Errorf("%s %+v: untyped error %v", name, d, err)
				}
				continue
			}
			accepted++
			if ev == nil || ev.Raw() == nil {
				t.Errorf("%s %+v: accepted without an event or its bytes", name, d)
			}
		}
	}
	t.Logf("%d decodes accepted", accepted)
}

// FuzzEngine checks the engine against its references on arbitrary bytes:
// the tape against encoding/json, the validator against jsonschema v5
// (against every action's schema), and Decode's verdict against the
// validator's.
func FuzzEngine(f *testing.F) {
	for _, b := range testdataFiles(f) {
		f.Add(b)
	}
	for _, s := range tapeEdgeCases {
		f.Add([]byte(s))
	}
	for _, b := range decodeEdgeCases(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		compareParsers(t, "input", data, 0)
		compareParsers(t, "input", data, 3)
		compareValidators(t, "input", data, registry)
		compareDense(t, "input", data)
	})
}

// TestKeysCoverNames checks that every member name the validator and the
// binder look up has a key id, so that they index instead of hashing.
// (The validate and bind packages check that they do index when names
// have ids.)
func TestKeysCoverNames(t *testing.T) {
	kt := memberKeys()
	names := append(validate.MemberNames(Schemas()), bind.MemberNames(eventTypes()...)...)
	for _, name := range names {
		if kt.ID(name) == 0 {
			t.Errorf("member name %q has no key id", name)
		}
	}
	if len(names) < 100 {
		t.Errorf("only %d member names found", len(names))
	}
	t.Logf("%d names, %d ids", len(names), kt.Len()-1)
}

// TestUnmarshalJSONKeepsNoAlias checks that the UnmarshalJSON methods do
// not keep their argument's memory in raw JSON fields: encoding/json's
// Decoder reuses its buffer for the next value.
func TestUnmarshalJSONKeepsNoAlias(t *testing.T) {
	data := []byte(`{"id": 1, "data": {"text": "first"}, "meta": {"m": 1}, "project": 1, "created_at": null, "updated_at": null, "is_labeled": false, "overlap": 1, "file_upload": null, "x": [1]}`)
	var task Task
	if err := task.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 'X'
	}
	if string(task.Data) != `{"text": "first"}` || string(task.Meta) != `{"m": 1}` || string(task.Extra["x"]) != `[1]` {
		t.Errorf("raw fields changed with the argument: %s %s %s", task.Data, task.Meta, task.Extra["x"])
	}
}

func TestParseDepth(t *testing.T) {
	for _, depth := range []int{10, 1000, 1001, 100000} {
		in := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		tp, err := parse([]byte(in), 0)
		tp.Release()
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
	if _, err := parse([]byte(`[[[1]]]`), 2); !errors.Is(err, ErrTooDeep) {
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
