package lswebhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// marshalObject encodes v (a struct without MarshalJSON, usually a local
// alias of one of the package's types) as a JSON object, with an "action"
// member first when action is not empty and the extra members last, in key
// order. Extra members that collide with a struct field are skipped: the
// field wins.
func marshalObject(action Action, v any, extra map[string]json.RawMessage) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	body := bytes.TrimSpace(buf.Bytes()) // {...}
	if action == "" && len(extra) == 0 {
		return body, nil
	}
	inner := bytes.TrimSpace(body[1 : len(body)-1])
	var out bytes.Buffer
	out.WriteByte('{')
	n := 0
	sep := func() {
		if n > 0 {
			out.WriteByte(',')
		}
		n++
	}
	if action != "" {
		sep()
		out.WriteString(`"action":`)
		b, _ := json.Marshal(string(action))
		out.Write(b)
	}
	if len(inner) > 0 {
		sep()
		out.Write(inner)
	}
	if len(extra) > 0 {
		var known map[string]json.RawMessage
		_ = json.Unmarshal(body, &known)
		keys := make([]string, 0, len(extra))
		for k := range extra {
			if _, dup := known[k]; !dup && (action == "" || k != "action") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			sep()
			kb, _ := json.Marshal(k)
			out.Write(kb)
			out.WriteByte(':')
			val := extra[k]
			if len(val) == 0 {
				val = json.RawMessage("null")
			} else if !json.Valid(val) {
				return nil, &json.MarshalerError{Type: reflect.TypeOf(v), Err: errors.New("lswebhook: Extra[" + strconv.Quote(k) + "] is not valid JSON")}
			}
			out.Write(val)
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// marshalEvent encodes an event as a payload. Every entity field of an
// event is a pointer or a slice and is written only when set, so the event
// types need no alias types: the members are encoded one by one.
func marshalEvent(e Event, extra map[string]json.RawMessage) ([]byte, error) {
	rv := reflect.ValueOf(e).Elem()
	t := rv.Type()
	var members []json.RawMessage
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous || f.Name == "Extra" {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		fv := rv.Field(i)
		if fv.IsNil() {
			continue
		}
		b, err := json.Marshal(fv.Interface())
		if err != nil {
			return nil, err
		}
		names = append(names, name)
		members = append(members, b)
	}
	obj := make(map[string]json.RawMessage, len(members)+len(extra))
	for k, v := range extra {
		obj[k] = v
	}
	var buf bytes.Buffer
	buf.WriteString(`{"action":`)
	ab, _ := json.Marshal(string(e.Action()))
	buf.Write(ab)
	for i, name := range names {
		delete(obj, name)
		buf.WriteByte(',')
		nb, _ := json.Marshal(name)
		buf.Write(nb)
		buf.WriteByte(':')
		buf.Write(members[i])
	}
	delete(obj, "action")
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := obj[k]
		if len(v) == 0 {
			v = json.RawMessage("null")
		} else if !json.Valid(v) {
			return nil, errors.New("lswebhook: Extra[" + strconv.Quote(k) + "] is not valid JSON")
		}
		buf.WriteByte(',')
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
