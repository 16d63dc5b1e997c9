package lswebhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"sort"
	"strings"
)

// Redaction
//
// The secrets a project carries are [Secret] values, which hide themselves
// from fmt and log/slog wherever they are printed. This file covers what a
// type cannot: members named token, task_data_login or task_data_password
// inside the raw JSON of an Extra map (a newer server's unmodelled member,
// or any member of an UnknownEvent), which [Project.Format] and the
// events' Format methods replace with "[REDACTED]" at any depth; the
// events' Format methods, which print the entities an event points to and
// never its raw bytes; and the LogValue summaries, which hold ids, counts
// and names, never a value a secret could hide in. JSON encodings and
// Event.Raw keep everything (see [Secret]).

// secretKeys are the JSON member names whose values are secrets.
var secretKeys = map[string]bool{"token": true, "task_data_login": true, "task_data_password": true}

// Format implements [fmt.Formatter]. Every verb prints the project as fmt
// would print its fields; the [Secret] fields print as "[REDACTED]" (or ""
// when empty), and so do members named token, task_data_login or
// task_data_password at any depth inside Extra.
func (p Project) Format(f fmt.State, verb rune) {
	type project Project // the same fields without the methods
	r := project(p)
	r.Extra = redactExtra(p.Extra)
	if verb == 'v' && f.Flag('#') {
		s := fmt.Sprintf(fmt.FormatString(f, verb), r)
		_, _ = io.WriteString(f, strings.Replace(s, "lswebhook.project{", "lswebhook.Project{", 1))
		return
	}
	fmt.Fprintf(f, fmt.FormatString(f, verb), r)
}

// LogValue implements [slog.LogValuer]: a project is logged as a group of
// its id, title, organization, creator and known task counter, never with
// its secrets or its (large) label configuration.
func (p Project) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 5)
	attrs = append(attrs, slog.Int64("id", p.ID))
	if p.Title != "" {
		attrs = append(attrs, slog.String("title", p.Title))
	}
	if p.Organization != 0 {
		attrs = append(attrs, slog.Int64("organization", p.Organization))
	}
	if p.CreatedBy != 0 {
		attrs = append(attrs, slog.Int64("created_by", p.CreatedBy))
	}
	if p.TaskNumber != nil {
		attrs = append(attrs, slog.Int64("task_number", *p.TaskNumber))
	}
	return slog.GroupValue(attrs...)
}

// redactedJSON replaces a secret JSON value.
var redactedJSON = json.RawMessage(`"` + RedactedText + `"`)

// redactExtra returns m, or a copy of it in which the values of members
// named like a secret, at any depth, are replaced.
func redactExtra(m map[string]json.RawMessage) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for k, v := range m {
		nv := redactJSON(v)
		if secretKeys[k] {
			if s := bytes.TrimSpace(v); len(s) > 0 && string(s) != "null" && string(s) != `""` {
				nv = redactedJSON
			}
		}
		if bytes.Equal(nv, v) {
			continue
		}
		if out == nil {
			out = maps.Clone(m)
		}
		out[k] = nv
	}
	if out == nil {
		return m
	}
	return out
}

// redactJSON returns v, or v re-encoded with the values of members named
// like a secret replaced. A value that is not valid JSON and mentions a
// secret's name is replaced whole.
func redactJSON(v json.RawMessage) json.RawMessage {
	s := bytes.TrimSpace(v)
	if len(s) == 0 || (s[0] != '{' && s[0] != '[') {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(s))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		for k := range secretKeys {
			if bytes.Contains(s, []byte(k)) {
				return redactedJSON
			}
		}
		return v
	}
	if !redactTree(tree) {
		return v
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tree); err != nil {
		return redactedJSON
	}
	return json.RawMessage(bytes.TrimSpace(buf.Bytes()))
}

// redactTree replaces, in place, the non-empty values of members named like
// a secret, and reports whether it changed anything.
func redactTree(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if secretKeys[k] {
				if e != nil && e != "" {
					x[k] = RedactedText
					changed = true
				}
				continue
			}
			if redactTree(e) {
				changed = true
			}
		}
	case []any:
		for _, e := range x {
			if redactTree(e) {
				changed = true
			}
		}
	}
	return changed
}

// formatEvent prints an event for Format: its exported fields as fmt
// would print them, without the raw bytes it was decoded from, with
// secrets in Extra replaced, and with the entities the fields point to
// (fmt would print their addresses).
func formatEvent(f fmt.State, verb rune, ev Event) {
	v := reflect.ValueOf(ev).Elem()
	sharp := verb == 'v' && f.Flag('#')
	names := sharp || (verb == 'v' && f.Flag('+'))
	format := fmt.FormatString(f, verb)
	t := v.Type()
	if sharp {
		_, _ = io.WriteString(f, t.String())
	}
	_, _ = io.WriteString(f, "{")
	n := 0
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if n > 0 {
			if sharp {
				_, _ = io.WriteString(f, ", ")
			} else {
				_, _ = io.WriteString(f, " ")
			}
		}
		n++
		if names {
			_, _ = io.WriteString(f, sf.Name+":")
		}
		fv := v.Field(i)
		switch {
		case sf.Name == "Extra":
			fmt.Fprintf(f, format, redactExtra(fv.Interface().(map[string]json.RawMessage)))
		case fv.Kind() == reflect.Pointer && fv.IsNil():
			if sharp {
				_, _ = io.WriteString(f, "("+fv.Type().String()+")(nil)")
			} else {
				_, _ = io.WriteString(f, "<nil>")
			}
		case fv.Kind() == reflect.Pointer:
			_, _ = io.WriteString(f, "&")
			fmt.Fprintf(f, format, fv.Elem().Interface())
		default:
			fmt.Fprintf(f, format, fv.Interface())
		}
	}
	_, _ = io.WriteString(f, "}")
}

// eventLogValue summarises an event for LogValue: its action, its
// project (see [Project.LogValue]), the id of each entity, the number and
// first ids of each list, and the names of extra members.
func eventLogValue(ev Event) slog.Value {
	const maxIDs = 20
	v := reflect.ValueOf(ev).Elem()
	attrs := []slog.Attr{slog.String("action", string(ev.Action()))}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() || sf.Name == "Name" {
			continue
		}
		fv := v.Field(i)
		key, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if key == "" {
			key = strings.ToLower(sf.Name)
		}
		switch {
		case sf.Name == "Extra":
			if fv.Len() > 0 {
				keys := make([]string, 0, fv.Len())
				for _, k := range fv.MapKeys() {
					keys = append(keys, k.String())
				}
				sort.Strings(keys)
				attrs = append(attrs, slog.Any("members", keys))
			}
		case fv.Kind() == reflect.Pointer:
			if fv.IsNil() {
				continue
			}
			if p, ok := fv.Interface().(*Project); ok {
				attrs = append(attrs, slog.Any(key, *p))
			} else if id, ok := entityID(fv.Elem()); ok {
				attrs = append(attrs, slog.Group(key, slog.Int64("id", id)))
			}
		case fv.Kind() == reflect.Slice:
			if fv.IsNil() {
				continue
			}
			ids := make([]int64, 0, min(fv.Len(), maxIDs))
			for j := 0; j < fv.Len() && j < maxIDs; j++ {
				if id, ok := entityID(fv.Index(j)); ok {
					ids = append(ids, id)
				}
			}
			attrs = append(attrs, slog.Group(key, slog.Int("count", fv.Len()), slog.Any("ids", ids)))
		}
	}
	return slog.GroupValue(attrs...)
}

// entityID returns the ID field of an entity struct.
func entityID(v reflect.Value) (int64, bool) {
	if v.Kind() != reflect.Struct {
		return 0, false
	}
	f := v.FieldByName("ID")
	if !f.IsValid() || f.Kind() != reflect.Int64 {
		return 0, false
	}
	return f.Int(), true
}

// Format implements [fmt.Formatter]: every verb prints the event's exported
// fields and the entities they point to, never its raw bytes or the
// secrets of its project (see [Project.Format]).
func (e ProjectCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer] with a summary of the event that
// leaves secrets out: its action, its project (see [Project.LogValue]), the
// ids of its entities and the names of its Extra members.
func (e ProjectCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e ProjectUpdated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e ProjectUpdated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e ProjectDeleted) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e ProjectDeleted) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e TasksCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e TasksCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e TasksDeleted) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e TasksDeleted) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e AnnotationCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e AnnotationCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e AnnotationsCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e AnnotationsCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e AnnotationUpdated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e AnnotationUpdated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e AnnotationsDeleted) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e AnnotationsDeleted) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e LabelLinkCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e LabelLinkCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e LabelLinkUpdated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e LabelLinkUpdated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e LabelLinkDeleted) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e LabelLinkDeleted) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e StartTraining) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e StartTraining) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e ReviewCreated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e ReviewCreated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e ReviewUpdated) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e ReviewUpdated) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]; see [ProjectCreated.Format].
func (e ReviewsDeleted) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]; see [ProjectCreated.LogValue].
func (e ReviewsDeleted) LogValue() slog.Value { return eventLogValue(&e) }

// Format implements [fmt.Formatter]: every verb prints the action and the
// members, with the values of members named token, task_data_login or
// task_data_password replaced at any depth, never the raw bytes.
func (e UnknownEvent) Format(f fmt.State, verb rune) { formatEvent(f, verb, &e) }

// LogValue implements [slog.LogValuer]: the action and the names of the
// members, without their values.
func (e UnknownEvent) LogValue() slog.Value { return eventLogValue(&e) }
