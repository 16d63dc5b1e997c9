package lswebhook

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// Decode's fast path (tape, validTape, tapeConverter) must agree with the
// general path (parser, valid and jsonschema v5, converter): these tests
// compare them over every file under testdata, over mutations of the valid
// payloads and under fuzzing.

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

// TestTapeParserAgrees checks that the tape accepts what parser accepts,
// refuses what it refuses, and reads the same tree, at several depth
// limits, for every file under testdata, the edge cases, and every prefix
// and one-byte change of a real payload.
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
			compareParsers(t, name, data, depth)
		}
		if _, p, ok := parseTape(data, 0); ok {
			accepted++
			releaseTape(p)
		}
	}
	t.Logf("%d inputs, %d accepted", len(inputs), accepted)
}

func compareParsers(t testing.TB, name string, data []byte, depth int) {
	t.Helper()
	tree, err := parseJSON(data, depth)
	tp, p, ok := parseTape(data, depth)
	defer releaseTape(p)
	switch {
	case ok && err != nil:
		t.Errorf("%s (depth %d): the tape accepts what parser refuses: %v", name, depth, err)
	case !ok && err == nil:
		t.Errorf("%s (depth %d): the tape refuses what parser accepts", name, depth)
	case ok:
		if got := tp.generic(0); !reflect.DeepEqual(got, tree) {
			t.Errorf("%s (depth %d): the tape reads\n%#v\nparser reads\n%#v", name, depth, got, tree)
		}
		if n := uint32(len(tp.nodes)); tp.nodes[0].next != n {
			t.Errorf("%s: root spans %d of %d nodes", name, tp.nodes[0].next, n)
		}
	}
}

// TestTapeValidatorAgrees compares validTape with the tree fast path and
// with jsonschema v5 for every payload under testdata against every
// action's schema, and with the mutations of mutatedPayloads against their
// own action's schema.
func TestTapeValidatorAgrees(t *testing.T) {
	cs := loadSchemas()
	count := 0
	check := func(name string, data []byte, actions []variant) {
		tp, p, ok := parseTape(data, 0)
		defer releaseTape(p)
		if !ok {
			return
		}
		tree, err := parseJSON(data, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var buf []byte
		for _, v := range actions {
			tapeV := cs.fast[v.action].validTape(tp, 0, &buf)
			treeV := cs.fast[v.action].valid(tree)
			full := cs.byAction[v.action].Validate(tree) == nil
			if tapeV != treeV || tapeV != full {
				t.Errorf("%s against %s: tape %v, tree %v, jsonschema %v", name, v.schema, tapeV, treeV, full)
			}
			count++
		}
	}
	for p, b := range testdataFiles(t) {
		check(p, b, registry)
	}
	for _, m := range mutatedPayloads(t) {
		if v, ok := byAction[m.action]; ok {
			check(m.name, m.data, []variant{*v})
		}
	}
	t.Logf("%d verdicts compared", count)
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

// compareDecoders runs the fast and the general path of d on data and
// reports any difference: whenever the fast path returns an event, the
// general path must return the same event and no error.
func compareDecoders(t testing.TB, name string, d *Decoder, data []byte) (fast bool) {
	t.Helper()
	ev := d.decodeTape(bytes.Clone(data))
	want, err := d.decodeTree(bytes.Clone(data))
	if ev == nil {
		return false
	}
	if err != nil {
		t.Errorf("%s: the fast path decodes what the general path refuses: %v", name, err)
		return true
	}
	if !reflect.DeepEqual(ev, want) {
		a, _ := json.Marshal(ev)
		b, _ := json.Marshal(want)
		t.Errorf("%s: the fast path decodes\n%s\nthe general path\n%s", name, a, b)
	}
	return true
}

var compareDecoderSettings = []struct {
	name string
	d    Decoder
}{
	{"validating", Decoder{}},
	{"SkipValidation", Decoder{SkipValidation: true}},
	{"MaxDepth 4", Decoder{MaxDepth: 4}},
}

// TestFastDecodeAgrees compares the fast and the general path on every
// file under testdata and on the mutated payloads, validating and not, and
// checks that every valid payload takes the fast path.
func TestFastDecodeAgrees(t *testing.T) {
	fastCount, total := 0, 0
	for p, b := range testdataFiles(t) {
		for _, s := range compareDecoderSettings {
			fast := compareDecoders(t, p+" "+s.name, &s.d, b)
			if fast {
				fastCount++
			}
			total++
			slash := filepath.ToSlash(p)
			mustBeFast := s.name == "validating" && (strings.HasPrefix(slash, "testdata/valid/") || strings.HasPrefix(slash, "testdata/docs/") || strings.HasPrefix(slash, "testdata/labelstudio-"))
			if mustBeFast && !fast {
				if _, err := Decode(b); err == nil {
					t.Errorf("%s: a valid payload does not take the fast path", p)
				}
			}
		}
	}
	for _, m := range mutatedPayloads(t) {
		for _, s := range compareDecoderSettings[:2] {
			if compareDecoders(t, m.name+" "+s.name, &s.d, m.data) {
				fastCount++
			}
			total++
		}
	}
	t.Logf("%d of %d decodes took the fast path", fastCount, total)
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

// TestFastDecodeEdgeCases compares the two paths on decodeEdgeCases.
func TestFastDecodeEdgeCases(t *testing.T) {
	fastCount := 0
	cases := decodeEdgeCases(t)
	for name, b := range cases {
		for _, s := range compareDecoderSettings {
			if compareDecoders(t, name+" "+s.name, &s.d, b) {
				fastCount++
			}
		}
	}
	t.Logf("%d of %d decodes took the fast path", fastCount, len(cases)*len(compareDecoderSettings))
}

// FuzzFastDecode compares the fast and the general path on arbitrary
// bytes: parsers, validators (against every action's schema) and decoders.
func FuzzFastDecode(f *testing.F) {
	for _, b := range testdataFiles(f) {
		f.Add(b)
	}
	for _, s := range tapeEdgeCases {
		f.Add([]byte(s))
	}
	for _, b := range decodeEdgeCases(f) {
		f.Add(b)
	}
	cs := loadSchemas()
	f.Fuzz(func(t *testing.T, data []byte) {
		compareParsers(t, "input", data, 0)
		compareParsers(t, "input", data, 3)
		if tp, p, ok := parseTape(data, 0); ok {
			tree := tp.generic(0)
			var buf []byte
			for _, v := range registry {
				if got, want := cs.fast[v.action].validTape(tp, 0, &buf), cs.byAction[v.action].Validate(tree) == nil; got != want {
					t.Errorf("%s: tape validator says %v, jsonschema says %v", v.action, got, want)
				}
			}
			releaseTape(p)
		}
		for _, s := range compareDecoderSettings {
			compareDecoders(t, s.name, &s.d, data)
		}
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
