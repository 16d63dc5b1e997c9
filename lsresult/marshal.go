package lsresult

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"sort"
	"strconv"
)

// withExtra encodes v, a struct without a MarshalJSON method (a local
// copy of one of the package's types), as a JSON object followed by the
// extra members in key order. An extra member whose key the struct writes
// is left out: the field wins.
func withExtra(v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	obj := bytes.TrimSpace(buf.Bytes())
	if len(extra) == 0 {
		return obj, nil
	}
	written := make(map[string]bool)
	members(obj, func(key string, _ []byte) { written[key] = true })
	keys := make([]string, 0, len(extra))
	for k := range extra {
		if !written[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := append([]byte(nil), obj[:len(obj)-1]...)
	for _, k := range keys {
		val := extra[k]
		if len(val) == 0 {
			val = json.RawMessage("null")
		} else if !json.Valid(val) {
			return nil, &json.MarshalerError{Type: reflect.TypeOf(v), Err: errors.New("lsresult: Extra[" + strconv.Quote(k) + "] is not valid JSON")}
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		kb, _ := json.Marshal(k)
		out = append(append(append(out, kb...), ':'), val...)
	}
	return append(out, '}'), nil
}

// formatNumber writes a finite float as encoding/json does: the shortest
// decimal that reads back the same, with an exponent only for very large
// or small magnitudes.
func formatNumber(f float64) string {
	b, err := json.Marshal(f)
	if err != nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return string(b)
}

// finite reports whether every f is neither infinite nor NaN.
func finite(fs ...float64) bool {
	for _, f := range fs {
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return false
		}
	}
	return true
}
