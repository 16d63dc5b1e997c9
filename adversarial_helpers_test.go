package lswebhook_test

import (
	"bytes"
	"encoding/json"
	"strconv"
)

func jsonUnmarshalNumber(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

// restoreMarker tells a setter from walkPositions to put the original
// value back.
var restoreMarker = new(int)

// walkPositions calls f for every value position below the top level, with
// its JSON Pointer and a setter; set(restoreMarker) restores the original.
func walkPositions(v any, ptr string, f func(ptr string, set func(any))) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			k, e := k, e
			p := ptr + "/" + k
			f(p, func(n any) {
				if n == restoreMarker {
					x[k] = e
				} else {
					x[k] = n
				}
			})
			walkPositions(e, p, f)
		}
	case []any:
		for i, e := range x {
			i, e := i, e
			p := ptr + "/" + strconv.Itoa(i)
			f(p, func(n any) {
				if n == restoreMarker {
					x[i] = e
				} else {
					x[i] = n
				}
			})
			walkPositions(e, p, f)
		}
	}
}
