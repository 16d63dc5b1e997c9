package lsresult_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestParseStrict checks the reading rules beyond the shapes: keys
// repeated in one object and invalid UTF-8 are refused, and integers
// written with a fraction or an exponent are read exactly, whatever the
// exponent.
func TestParseStrict(t *testing.T) {
	tests := []struct {
		value string
		want  []lswebhook.Problem // nil: parses
		n     int64
	}{
		{`{"rating": 1e3}`, nil, 1000},
		{`{"rating": 1.0}`, nil, 1},
		{`{"rating": -0.0e7}`, nil, 0},
		{`{"rating": 0.00}`, nil, 0},
		{`{"rating": 12.500e1}`, nil, 125},
		{`{"rating": 9223372036854775807}`, nil, 9223372036854775807},
		{`{"rating": -9223372036854775808}`, nil, -9223372036854775808},
		{`{"rating": 922337203685477580.7e1}`, nil, 9223372036854775807},
		{`{"rating": 1e-5}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "expected integer, but got number"}}, 0},
		{`{"rating": 9223372036854775808}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "integer 9223372036854775808 is out of range for int64"}}, 0},
		{`{"rating": 1e400000000}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "integer 1e400000000 is out of range for int64"}}, 0},
		{`{"rating": 1e99999999999999999999999}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "integer 1e99999999999999999999999 is out of range for int64"}}, 0},
		{`{"rating": 1e-99999999999999999999999}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "expected integer, but got number"}}, 0},
		{`{"rating": 1, "rating": 2}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "key repeated in one object"}}, 0},
		{`{"rating": 1, "k": 1, "k": 2}`, []lswebhook.Problem{{Pointer: "/value/k", Message: "key repeated in one object"}}, 0},
		{"{\"rating\": 1, \"k\": \"\xff\"}", []lswebhook.Problem{{Pointer: "/value", Message: "invalid JSON: invalid UTF-8"}}, 0},
	}
	for _, tt := range tests {
		r := lswebhook.Result{ID: "r", Type: "rating", FromName: "ctl", ToName: "obj", Value: raw(tt.value)}
		v, err := lsresult.Parse(&r)
		var e *lsresult.Error
		switch {
		case tt.want == nil && err != nil:
			t.Errorf("%s: %v", tt.value, err)
		case tt.want == nil && v.(*lsresult.Rating).Rating != tt.n:
			t.Errorf("%s: rating %d, want %d", tt.value, v.(*lsresult.Rating).Rating, tt.n)
		case tt.want != nil && !errors.As(err, &e):
			t.Errorf("%s: Parse = %v, %v; want an *lsresult.Error", tt.value, v, err)
		case tt.want != nil:
			if diff := cmp.Diff(tt.want, e.Problems); diff != "" {
				t.Errorf("%s: problems (-want +got):\n%s", tt.value, diff)
			}
		}
	}
	// Repeated buckets of a ranker are refused too.
	r := lswebhook.Result{Type: "ranker", FromName: "ctl", ToName: "obj", Value: raw(`{"ranker": {"a": [], "a": ["x"]}}`)}
	if _, err := lsresult.Parse(&r); err == nil || !strings.Contains(err.Error(), `/value/ranker/a: key repeated`) {
		t.Errorf("repeated bucket: %v", err)
	}
}
