package lsresult

import (
	"strconv"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// Value is the typed value of a result, as returned by [Parse]: one of the
// pointer types of this package named after its control ([*Rectangle],
// [*Choices], ...), [*Relation] for a relation, or [*Unknown] for a type
// the package does not know and for a result item of partial shape. Use a
// type switch to reach the fields. The set of implementations is closed;
// [Types] lists the result types with a Go type of their own.
type Value interface {
	// LabelNames returns the label values the result assigns: the
	// "<type>labels" and "labels" lists of a region, the selected choices
	// (the last element of each nested or taxonomy path), or a relation's
	// labels, without repeats. It returns nil for values that hold no
	// labels (a rating, a text area, ...). The slice is new; changing it
	// changes nothing else. It takes time linear in the number of labels.
	LabelNames() []string

	// isValue is unexported so that only this package implements Value.
	isValue()
}

// kind is one row of the result type registry. The package documentation's
// table, the schema's per-type rules and the tests are checked against it.
type kind struct {
	typ string
	new func() Value // nil for relations, which have no value
}

var kinds = []kind{
	{"choices", func() Value { return new(Choices) }},
	{"taxonomy", func() Value { return new(Taxonomy) }},
	{"textarea", func() Value { return new(TextArea) }},
	{"rating", func() Value { return new(Rating) }},
	{"number", func() Value { return new(Number) }},
	{"datetime", func() Value { return new(DateTime) }},
	{"pairwise", func() Value { return new(Pairwise) }},
	{"ranker", func() Value { return new(Ranker) }},
	{"labels", func() Value { return new(Labels) }},
	{"hypertextlabels", func() Value { return new(HyperTextLabels) }},
	{"paragraphlabels", func() Value { return new(ParagraphLabels) }},
	{"timeserieslabels", func() Value { return new(TimeSeriesLabels) }},
	{"rectangle", func() Value { return new(Rectangle) }},
	{"rectanglelabels", func() Value { return new(Rectangle) }},
	{"ellipse", func() Value { return new(Ellipse) }},
	{"ellipselabels", func() Value { return new(Ellipse) }},
	{"keypoint", func() Value { return new(KeyPoint) }},
	{"keypointlabels", func() Value { return new(KeyPoint) }},
	{"polygon", func() Value { return new(Polygon) }},
	{"polygonlabels", func() Value { return new(Polygon) }},
	{"brush", func() Value { return new(Brush) }},
	{"brushlabels", func() Value { return new(Brush) }},
	{"vector", func() Value { return new(Vector) }},
	{"vectorlabels", func() Value { return new(Vector) }},
	{"ocrlabels", func() Value { return new(OCRLabels) }},
	{"videorectangle", func() Value { return new(VideoRectangle) }},
	{"timelinelabels", func() Value { return new(TimelineLabels) }},
	{"chatmessage", func() Value { return new(ChatMessage) }},
	{lswebhook.ResultTypeRelation, nil},
}

var kindOf = func() map[string]*kind {
	m := make(map[string]*kind, len(kinds))
	for i := range kinds {
		m[kinds[i].typ] = &kinds[i]
	}
	return m
}()

// Types returns the result types (the "type" member of a result, such as
// "rectanglelabels") that [Parse] decodes to a Go type of their own, in a
// fixed order; the package documentation lists the Go type of each.
// Results of other types parse as [*Unknown]. The slice is new.
func Types() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.typ
	}
	return out
}

// An Error reports a result whose value does not have the shape its type
// requires, found by [Parse], or a value refused by one of the value
// types' UnmarshalJSON methods. [lswebhook.Decode] reports the same faults
// as problems of its validation error, so a result of a decoded event
// parses without error (numbers beyond the range of the Go types aside).
type Error struct {
	// Type and ID are the result's type and id; both are "" for an error
	// of an UnmarshalJSON method.
	Type string
	ID   string
	// Problems lists each fault, ordered by Pointer. For Parse the JSON
	// Pointer is relative to the result (for example "/value/x"); for
	// UnmarshalJSON, to the value read ("/x").
	Problems []lswebhook.Problem
}

// Error returns `lsresult: invalid TYPE result "ID": ` followed by the first
// problem and a count of the others.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("lsresult: invalid ")
	if e.Type != "" {
		b.WriteString(e.Type + " result")
	} else {
		b.WriteString("value")
	}
	if e.ID != "" {
		b.WriteString(" " + strconv.Quote(e.ID))
	}
	if len(e.Problems) > 0 {
		b.WriteString(": " + e.Problems[0].String())
	}
	if n := len(e.Problems) - 1; n == 1 {
		b.WriteString(" (and 1 more problem)")
	} else if n > 1 {
		b.WriteString(" (and " + strconv.Itoa(n) + " more problems)")
	}
	return b.String()
}

// Parse returns the value of the result r as a typed Go value; see
// [Value]. The Go type depends on r.Type, as the package documentation's
// table lists: [*Rectangle] for "rectanglelabels", [*Relation] (built
// from FromID, ToID, Direction and Labels) for "relation", and so on.
//
// A result of a type the package does not know parses, without an error,
// as an [*Unknown] holding r.Value as sent. So does a result item of
// partial shape: one without a type, or, relations aside, without a
// from_name or a to_name. Label Studio stores such items as they are
// posted (its own webhook test sends {"value": {"choices": ["x"]}}), and
// the control they belong to is unknown.
//
// A result of a known type whose value is missing, not JSON, or of the
// wrong shape (a string where a number belongs) gives an [*Error]. Keys
// are matched exactly, keys the Go type does not model are kept in its
// Extra map, and the same alternative forms are accepted as by the
// bundled schema; each value type's documentation lists them.
//
// Parse reads r.Value afresh on each call, in time linear in its length,
// and never panics; a nil r parses as an empty [*Unknown].
func Parse(r *lswebhook.Result) (Value, error) {
	if r == nil {
		return &Unknown{}, nil
	}
	k, known := kindOf[r.Type]
	if !known || (k.new != nil && (r.FromName == "" || r.ToName == "")) {
		return &Unknown{Type: r.Type, Value: r.Value}, nil
	}
	if k.new == nil {
		return &Relation{FromID: r.FromID, ToID: r.ToID, Direction: r.Direction, Labels: clone(r.Labels)}, nil
	}
	fail := func(ps []lswebhook.Problem) error { return &Error{Type: r.Type, ID: r.ID, Problems: ps} }
	if len(r.Value) == 0 {
		return nil, fail([]lswebhook.Problem{{Pointer: "/value", Message: "required property is missing"}})
	}
	v := k.new()
	rd := reader{path: append(make([]seg, 0, 8), seg{key: "value", index: -1}), fromName: r.FromName}
	if ps := rd.decode(r.Value, v); len(ps) > 0 {
		return nil, fail(ps)
	}
	return v, nil
}

// unmarshal implements the value types' UnmarshalJSON methods with the
// rules of [Parse]; problems are returned as an [*Error] without a type.
func unmarshal(data []byte, v any) error {
	var r reader
	if ps := r.decode(data, v); len(ps) > 0 {
		return &Error{Problems: ps}
	}
	return nil
}

// LabelNames returns the labels the result r assigns, whatever its type;
// see [Value]. For a result that parses as [*Unknown] it returns the
// string lists under value keys named "labels" or ending in "labels". It
// returns nil when the value does not parse. It takes time linear in the
// length of r.Value (n log n in the number of keys of an unknown value).
func LabelNames(r *lswebhook.Result) []string {
	v, err := Parse(r)
	if err != nil {
		return nil
	}
	return v.LabelNames()
}
