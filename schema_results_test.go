package lswebhook_test

import (
	"encoding/json"
	"io/fs"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
)

// TestResultSchemaTypes walks the per-type rules of schema/result.json, a
// tree of if/then/else over sets of types, and checks that its leaves name
// exactly the registry's types (relations aside), each once, each applying
// its own $defs entry to the value, and that every inner set is the union of
// the leaves below it.
func TestResultSchemaTypes(t *testing.T) {
	b, err := fs.ReadFile(lswebhook.Schemas(), "result-values.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AllOf []json.RawMessage          `json:"allOf"`
		Defs  map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	type node struct {
		If struct {
			Required   []string `json:"required"`
			Properties struct {
				Type struct {
					Const *string  `json:"const"`
					Enum  []string `json:"enum"`
				} `json:"type"`
			} `json:"properties"`
		} `json:"if"`
		Then json.RawMessage `json:"then"`
		Else json.RawMessage `json:"else"`
	}
	var leaves []string
	var walk func(raw json.RawMessage, depth int) []string
	walk = func(raw json.RawMessage, depth int) []string {
		var n node
		if err := json.Unmarshal(raw, &n); err != nil {
			t.Fatal(err)
		}
		if depth > 8 {
			t.Fatalf("tree deeper than 8 levels")
		}
		if len(n.If.Required) != 1 || n.If.Required[0] != "type" {
			t.Errorf("condition does not require type: %s", raw)
		}
		if c := n.If.Properties.Type.Const; c != nil {
			var then struct {
				Properties struct {
					Value struct {
						Ref string `json:"$ref"`
					} `json:"value"`
				} `json:"properties"`
			}
			if err := json.Unmarshal(n.Then, &then); err != nil {
				t.Fatal(err)
			}
			if then.Properties.Value.Ref != "#/$defs/"+*c {
				t.Errorf("%s: value rule is %q", *c, then.Properties.Value.Ref)
			}
			if _, ok := doc.Defs[*c]; !ok {
				t.Errorf("%s: no $defs entry", *c)
			}
			if n.Else != nil {
				t.Errorf("%s: a leaf with an else", *c)
			}
			leaves = append(leaves, *c)
			return []string{*c}
		}
		set := append([]string(nil), n.If.Properties.Type.Enum...)
		below := walk(n.Then, depth+1)
		sort.Strings(set)
		sort.Strings(below)
		if diff := cmp.Diff(set, below); diff != "" {
			t.Errorf("set differs from its leaves (-set +leaves):\n%s", diff)
		}
		return append(below, walk(n.Else, depth+1)...)
	}
	if len(doc.AllOf) != 1 {
		t.Fatalf("allOf has %d rules, want the one tree", len(doc.AllOf))
	}
	walk(doc.AllOf[0], 0)
	var want []string
	for _, info := range lswebhook.ResultTypes() {
		if info.Type != lswebhook.ResultTypeRelation {
			want = append(want, info.Type)
		}
	}
	sort.Strings(want)
	sort.Strings(leaves)
	if diff := cmp.Diff(want, leaves); diff != "" {
		t.Errorf("schema types differ from ResultTypes (-registry +schema):\n%s", diff)
	}
}
