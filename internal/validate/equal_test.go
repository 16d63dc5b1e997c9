package validate

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// TestTypeOK checks typeOKTape's table of kinds against the rules of
// JSON Schema's "type" for every set of types and every kind of value.
func TestTypeOK(t *testing.T) {
	literals := []string{"null", "true", "false", "0", "-7", "1.0", "1.5", "1e2", "2.5e-1", `"s"`, "[]", "{}"}
	want := func(types uint8, lit string) bool {
		var v any
		if err := json.Unmarshal([]byte(lit), &v); err != nil {
			t.Fatal(err)
		}
		switch x := v.(type) {
		case nil:
			return types&tNull != 0
		case bool:
			return types&tBool != 0
		case string:
			return types&tString != 0
		case []any:
			return types&tArray != 0
		case map[string]any:
			return types&tObject != 0
		case float64:
			return types&tNumber != 0 || (types&tInteger != 0 && x == math.Trunc(x))
		}
		t.Fatalf("%s: unexpected %T", lit, v)
		return false
	}
	all := uint8(tNull | tBool | tInteger | tNumber | tString | tArray | tObject)
	for types := uint8(1); types <= all; types++ {
		if types&^all != 0 {
			continue
		}
		n := &Schema{types: types, kinds: kindsOf(types)}
		for _, lit := range literals {
			tp, err := jsontape.Parse([]byte(lit), 4, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := n.typeOKTape(tp, &tp.Nodes[0]); got != want(types, lit) {
				t.Errorf("types %s, %s: typeOKTape = %v", typeList(types), lit, got)
			}
			tp.Release()
		}
	}
}
