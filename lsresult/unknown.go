package lsresult

import (
	"encoding/json"
	"sort"
	"strings"
)

// Unknown is the value of a result whose type the package does not know,
// or of a result item of partial shape (see [Parse]). Nothing is lost:
// Value holds the value as sent.
type Unknown struct {
	// Type is the result's type; "" when it has none.
	Type string
	// Value is the result's "value" member, as sent; nil when absent.
	Value json.RawMessage
}

func (*Unknown) isValue() {}

// MarshalJSON writes Value as it was sent, or null when it is empty.
func (v Unknown) MarshalJSON() ([]byte, error) {
	if len(v.Value) == 0 {
		return []byte("null"), nil
	}
	return v.Value.MarshalJSON()
}

// LabelNames returns, in key order, the strings of the value's members
// named "labels" or ending in "labels" that hold arrays of strings, so
// that label lists of types newer than the package are still found;
// repeats are dropped. It returns nil when Value is not a JSON object. It
// takes time linear in the length of Value, and n log n in the number of
// its keys.
func (v *Unknown) LabelNames() []string {
	if len(v.Value) == 0 || checkJSON(v.Value) != "" {
		return nil
	}
	obj := trimJSON(v.Value)
	if obj[0] != '{' {
		return nil
	}
	type list struct {
		key  string
		vals []string
	}
	var lists []list
	members(obj, func(key string, e []byte) {
		if !strings.HasSuffix(key, "labels") || e[0] != '[' {
			return
		}
		var r reader
		l := r.stringList(e, false)
		if len(r.problems) == 0 {
			lists = append(lists, list{key, l})
		}
	})
	sort.SliceStable(lists, func(i, j int) bool { return lists[i].key < lists[j].key })
	all := make([][]string, len(lists))
	for i, l := range lists {
		all[i] = l.vals
	}
	return joinLabels(all...)
}
