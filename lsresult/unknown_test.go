package lsresult_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestRelationAndUnknownJSON checks how the values without a "value"
// shape of their own marshal.
func TestRelationAndUnknownJSON(t *testing.T) {
	b, err := json.Marshal(&lsresult.Relation{FromID: "a", ToID: "b", Direction: "bi", Labels: []string{}})
	if err != nil || string(b) != `{"from_id":"a","to_id":"b","direction":"bi","labels":[]}` {
		t.Errorf("relation: %s, %v", b, err)
	}
	b, err = json.Marshal(&lsresult.Unknown{Type: "x", Value: raw(`{"k": [1, 2]}`)})
	if err != nil || string(b) != `{"k":[1,2]}` {
		t.Errorf("unknown: %s, %v", b, err)
	}
	b, err = json.Marshal(&lsresult.Unknown{Type: "x"})
	if err != nil || string(b) != `null` {
		t.Errorf("unknown without a value: %s, %v", b, err)
	}
}

// TestUnknownLabelNames reads the label lists of a value of an unknown
// type: the arrays of strings under keys ending in "labels", in key order,
// without repeats.
func TestUnknownLabelNames(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{`{"b_labels": ["x", "y"], "alabels": ["y", "z"], "labels": [1], "other": ["q"], "xlabels": "s", "zlabels": []}`, []string{"y", "z", "x"}},
		{`{"labels": ["a", "a"]}`, []string{"a"}},
		{`["labels"]`, nil},
		{`{"labels": [}`, nil},
		{``, nil},
	}
	for _, tt := range tests {
		u := &lsresult.Unknown{Type: "x", Value: raw(tt.value)}
		if diff := cmp.Diff(tt.want, u.LabelNames()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.value, diff)
		}
	}
}
