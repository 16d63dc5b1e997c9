package lsresult_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestPosition covers the number-or-string span ends.
func TestPosition(t *testing.T) {
	tests := []struct {
		p        lsresult.Position
		json     string
		f        float64
		fok      bool
		i        int64
		iok      bool
		s        string
		zero, tx bool
	}{
		{lsresult.Position{}, `null`, 0, false, 0, false, "", true, false},
		{num(5), `5`, 5, true, 5, true, "5", false, false},
		{num(0), `0`, 0, true, 0, true, "0", false, false},
		{num(1.25), `1.25`, 1.25, true, 0, false, "1.25", false, false},
		{num(1714720360000), `1714720360000`, 1714720360000, true, 1714720360000, true, "1714720360000", false, false},
		{num(1e300), `1e+300`, 1e300, true, 0, false, "1e+300", false, false},
		{text("0"), `"0"`, 0, true, 0, true, "0", false, true},
		{text("2.5"), `"2.5"`, 2.5, true, 0, false, "2.5", false, true},
		{text("/div[1]"), `"/div[1]"`, 0, false, 0, false, "/div[1]", false, true},
		{text("Inf"), `"Inf"`, 0, false, 0, false, "Inf", false, true},
		{text(""), `""`, 0, false, 0, false, "", false, true},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.p)
		if err != nil || string(b) != tt.json {
			t.Errorf("%#v: Marshal = %s, %v", tt.p, b, err)
		}
		if f, ok := tt.p.Float(); f != tt.f || ok != tt.fok {
			t.Errorf("%s: Float = %v, %v", tt.json, f, ok)
		}
		if i, ok := tt.p.Int(); i != tt.i || ok != tt.iok {
			t.Errorf("%s: Int = %v, %v", tt.json, i, ok)
		}
		if s := tt.p.String(); s != tt.s {
			t.Errorf("%s: String = %q", tt.json, s)
		}
		if tt.p.IsZero() != tt.zero || tt.p.IsText() != tt.tx {
			t.Errorf("%s: IsZero %v IsText %v", tt.json, tt.p.IsZero(), tt.p.IsText())
		}
		var back lsresult.Position
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(tt.p) {
			t.Errorf("%s: Unmarshal = %#v, %v", tt.json, back, err)
		}
	}
	if num(1).Equal(text("1")) {
		t.Errorf("a number equals a string")
	}
	if _, err := json.Marshal(num(math.Inf(1))); err == nil {
		t.Errorf("Marshal of infinity succeeded")
	}
	var p lsresult.Position
	if err := json.Unmarshal([]byte(`true`), &p); err == nil {
		t.Errorf("Unmarshal of true succeeded")
	}
	if _, ok := num(1 << 63).Int(); ok {
		t.Errorf("Int of 2^63 succeeded")
	}
}
