package validate

import (
	"encoding/json"
	"math/big"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// Comparing values: types, enum and const.

// jsonEqual reports whether two tree values are equal JSON values, numbers
// compared by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		rx, ok1 := new(big.Rat).SetString(string(x))
		ry, ok2 := new(big.Rat).SetString(string(y))
		return ok1 && ok2 && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

func (n *Schema) typeOKTape(t *jsontape.Tape, nd *jsontape.Node) bool {
	switch nd.Kind {
	case jsontape.Null:
		return n.types&tNull != 0
	case jsontape.True, jsontape.False:
		return n.types&tBool != 0
	case jsontape.String:
		return n.types&tString != 0
	case jsontape.Array:
		return n.types&tArray != 0
	case jsontape.Object:
		return n.types&tObject != 0
	default: // jsontape.Number
		if n.types&tNumber != 0 {
			return true
		}
		return n.types&tInteger != 0 && (nd.Flags&jsontape.Fraction == 0 || jsontape.IsIntegral(json.Number(t.Data[nd.Start:nd.End])))
	}
}

// tapeEqual is jsonEqual for node i of a tape and a tree value.
func tapeEqual(t *jsontape.Tape, i uint32, b any, buf *[]byte) bool {
	nd := &t.Nodes[i]
	switch y := b.(type) {
	case nil:
		return nd.Kind == jsontape.Null
	case bool:
		return (nd.Kind == jsontape.True && y) || (nd.Kind == jsontape.False && !y)
	case string:
		return nd.Kind == jsontape.String && t.View(nd, buf) == y
	case json.Number:
		return nd.Kind == jsontape.Number && jsonEqual(json.Number(t.Data[nd.Start:nd.End]), y)
	case []any:
		if nd.Kind != jsontape.Array || t.Count(i) != len(y) {
			return false
		}
		k := 0
		for j := i + 1; j < nd.Next; j = t.Nodes[j].Next {
			if !tapeEqual(t, j, y[k], buf) {
				return false
			}
			k++
		}
		return true
	case map[string]any:
		if nd.Kind != jsontape.Object || t.Count(i) != len(y) {
			return false
		}
		for j := i + 1; j < nd.Next; {
			yv, ok := y[t.View(&t.Nodes[j], buf)]
			if !ok || !tapeEqual(t, j+1, yv, buf) {
				return false
			}
			j = t.Nodes[j+1].Next
		}
		return true
	}
	return false
}
