package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The engine is checked against two references: the tape against
// encoding/json (it refuses what encoding/json refuses, and reads what it
// accepts as encoding/json does), and the validator against jsonschema v5
// compiling the same bundled schemas. The tests compare them over every
// file under testdata, over mutations of the valid payloads and under
// fuzzing.

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
	tp, p, err := parseTape(data, depthLimit(depth))
	defer releaseTape(p)
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
	if got := tp.generic(0); !reflect.DeepEqual(got, std) {
		t.Errorf("%s (depth %d): the tape reads\n%#v\nencoding/json reads\n%#v", name, depth, got, std)
	}
	if n := uint32(len(tp.nodes)); tp.nodes[0].next != n {
		t.Errorf("%s: root spans %d of %d nodes", name, tp.nodes[0].next, n)
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
	count := 0
	for p, b := range testdataFiles(t) {
		count += compareValidators(t, p, b, registry)
	}
	for _, m := range mutatedPayloads(t) {
		if v, ok := byAction[m.action]; ok {
			count += compareValidators(t, m.name, m.data, []variant{*v})
		}
	}
	t.Logf("%d verdicts compared", count)
}

// compareValidators checks data against each action's schema with the
// validator and with jsonschema v5. They agree, except that the validator
// also refuses numbers the Go types cannot hold. Every problem has a
// pointer to a value of data (or to a missing member of an object), and
// whenever the validator accepts, Decode does.
func compareValidators(t testing.TB, name string, data []byte, actions []variant) int {
	t.Helper()
	cs := loadSchemas()
	tp, p, err := parseTape(data, DefaultMaxDepth)
	defer releaseTape(p)
	if err != nil {
		return 0
	}
	tree, err := decodeStd(data)
	if err != nil {
		return 0
	}
	for _, v := range actions {
		val := validator{t: tp, max: DefaultMaxProblems}
		got := val.check(cs.fast[v.action], 0)
		want := referenceSchema(t, v.action).Validate(tree) == nil
		if got != want && !(want && onlyRangeProblems(val.problems)) {
			t.Errorf("%s against %s: validator %v %v, jsonschema %v", name, v.schema, got, val.problems, want)
		}
		if got != (val.total == 0) || len(val.problems) > val.max {
			t.Errorf("%s against %s: verdict %v with %d problems (%d kept)", name, v.schema, got, val.total, len(val.problems))
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
		tree, err := parseJSON(b, 0)
		if err != nil {
			continue
		}
		action, _ := tree.(map[string]any)["action"].(string)
		walkTree(tree, "", func(ptr string, set func(any), orig any) {
			for i, r := range replacements {
				set(r)
				out = append(out, mutated{name: p + " " + ptr + " #" + strconv.Itoa(i), action: Action(action), data: encodeTree(tree)})
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
	})
}

// TestHasStringSpecial checks the word-at-a-time string scan against a
// byte-at-a-time reference: every byte value at every position, among
// ordinary and random neighbours.
func TestHasStringSpecial(t *testing.T) {
	ref := func(w uint64) bool {
		for i := 0; i < 8; i++ {
			if c := byte(w >> (8 * i)); !strSafe[c] {
				return true
			}
		}
		return false
	}
	words := []uint64{0x6161616161616161, 0x2020202020202020, 0x7e7e7e7e7e7e7e7e, 0x2121212121212121}
	seed := uint64(1)
	for i := 0; i < 1000; i++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		words = append(words, seed, seed&0x7f7f7f7f7f7f7f7f, (seed&0x3f3f3f3f3f3f3f3f)|0x4040404040404040)
	}
	for _, base := range words {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				w := base&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
				if got, want := hasStringSpecial(w), ref(w); got != want {
					t.Fatalf("hasStringSpecial(%#016x) = %v, want %v", w, got, want)
				}
			}
		}
	}
}

// TestKeyIDsCoverNames checks that every name the fast validator and the
// converter look up has an id, so that they index instead of hashing, and
// that lookup finds every name.
func TestKeyIDsCoverNames(t *testing.T) {
	kt := keyIDs()
	for id, name := range kt.names[1:] {
		if got := kt.lookup([]byte(name)); got != uint16(id+1) {
			t.Errorf("lookup(%q) = %d, want %d", name, got, id+1)
		}
	}
	for _, name := range []string{"", "qq", "Action", "actio", "actionx", "created_atx"} {
		if got := kt.lookup([]byte(name)); got != 0 {
			t.Errorf("lookup(%q) = %d (%q), want 0", name, got, kt.names[got])
		}
	}
	seen := map[*fastNode]bool{}
	var walk func(n *fastNode)
	walk = func(n *fastNode) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if len(n.slots) > 0 && n.slotOfKey == nil {
			t.Errorf("a schema node with slots %v has no key index", n.slots)
		}
		for _, c := range n.properties {
			walk(c)
		}
		for _, c := range [][]*fastNode{n.anyOf, n.allOf, n.oneOf} {
			for _, e := range c {
				walk(e)
			}
		}
		for _, c := range []*fastNode{n.additional, n.items, n.ref, n.ifNode, n.then, n.elseNd, n.not} {
			walk(c)
		}
	}
	for _, f := range loadSchemas().fast {
		walk(f)
	}
	plansSeen := map[*tplan]bool{}
	var walkPlan func(p *tplan)
	walkPlan = func(p *tplan) {
		if p == nil || plansSeen[p] {
			return
		}
		plansSeen[p] = true
		if p.kind == tpStruct && p.fieldOfKey == nil {
			t.Errorf("the plan of %s has no key index", p.typ)
		}
		walkPlan(p.elem)
		for _, f := range p.fieldList {
			walkPlan(f.plan)
		}
	}
	for _, v := range registry {
		walkPlan(tplanFor(reflect.TypeOf(v.new()).Elem()))
	}
	t.Logf("%d names, %d schema nodes, %d plans", len(kt.names)-1, len(seen), len(plansSeen))
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
