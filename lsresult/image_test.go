package lsresult_test

import (
	"encoding/json"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestVectorVertexJSON checks that the first vertex's missing previous
// point is written as null, as the editor writes it.
func TestVectorVertexJSON(t *testing.T) {
	b, err := json.Marshal(lsresult.Vertex{ID: "a", X: 1, Y: 2, Extra: map[string]json.RawMessage{"k": raw(`1`)}})
	if err != nil || string(b) != `{"id":"a","x":1,"y":2,"isBezier":false,"prevPointId":null,"k":1}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}
