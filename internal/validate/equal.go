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
	k := nd.Kind
	if k == jsontape.Number && nd.Flags&jsontape.Fraction == 0 {
		k = integerLiteral
	}
	if n.kinds&(1<<k) != 0 {
		return true
	}
	// Only an integral number written with a fraction or an exponent
	// ("1.0", "1e2") is left to look at.
	return nd.Kind == jsontape.Number && n.types&tInteger != 0 && jsontape.IsIntegral(json.Number(t.Data[nd.Start:nd.End]))
}

// integerLiteral stands, in a set of kinds, for a number written without
// a fraction or an exponent; the kinds of jsontape take bits 0 to 6.
const integerLiteral jsontape.Kind = 7

// kindsOf returns, as a bit per kind, the tape kinds that the type set
// types accepts at once: "number" accepts every number, "integer" those
// written as integers (integerLiteral).
func kindsOf(types uint8) uint8 {
	var k uint8
	add := func(t uint8, kinds ...jsontape.Kind) {
		if types&t != 0 {
			for _, kind := range kinds {
				k |= 1 << kind
			}
		}
	}
	add(tNull, jsontape.Null)
	add(tBool, jsontape.True, jsontape.False)
	add(tString, jsontape.String)
	add(tArray, jsontape.Array)
	add(tObject, jsontape.Object)
	add(tNumber, jsontape.Number, integerLiteral)
	add(tInteger, integerLiteral)
	return k
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
