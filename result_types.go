package lswebhook

import (
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Result types: the lower-case control tag names Label Studio writes in a
// result's "type" member. [ResultTypes] lists them with their Go value
// types; [ResultTypeRelation] is declared with [Result].
const (
	ResultTypeChoices          = "choices"
	ResultTypeTaxonomy         = "taxonomy"
	ResultTypeTextArea         = "textarea"
	ResultTypeRating           = "rating"
	ResultTypeNumber           = "number"
	ResultTypeDateTime         = "datetime"
	ResultTypePairwise         = "pairwise"
	ResultTypeRanker           = "ranker"
	ResultTypeLabels           = "labels"
	ResultTypeHyperTextLabels  = "hypertextlabels"
	ResultTypeParagraphLabels  = "paragraphlabels"
	ResultTypeTimeSeriesLabels = "timeserieslabels"
	ResultTypeRectangle        = "rectangle"
	ResultTypeRectangleLabels  = "rectanglelabels"
	ResultTypeEllipse          = "ellipse"
	ResultTypeEllipseLabels    = "ellipselabels"
	ResultTypeKeyPoint         = "keypoint"
	ResultTypeKeyPointLabels   = "keypointlabels"
	ResultTypePolygon          = "polygon"
	ResultTypePolygonLabels    = "polygonlabels"
	ResultTypeBrush            = "brush"
	ResultTypeBrushLabels      = "brushlabels"
	ResultTypeVector           = "vector"
	ResultTypeVectorLabels     = "vectorlabels"
	ResultTypeOCRLabels        = "ocrlabels"
	ResultTypeVideoRectangle   = "videorectangle"
	ResultTypeTimelineLabels   = "timelinelabels"
	ResultTypeChatMessage      = "chatmessage"
)

// ResultValue is the typed value of a [Result], as returned by
// [Result.ParseValue]: one of the pointer types of this package named
// *Value ([*RectangleValue], [*ChoicesValue], ...), [*RelationValue] for a
// relation, or [*UnknownValue] for a type the library does not know. Use a
// type switch to reach the fields:
//
//	v, err := r.ParseValue()
//	if err != nil {
//		return err
//	}
//	switch v := v.(type) {
//	case *lswebhook.RectangleValue:
//		use(v.X, v.Y, v.Width, v.Height, v.RectangleLabels)
//	case *lswebhook.ChoicesValue:
//		use(v.Choices)
//	}
//
// The set of implementations is closed; [ResultTypes] lists them.
type ResultValue interface {
	// LabelNames returns the label values the result assigns: the
	// "<type>labels" and "labels" lists of a region, the selected choices
	// (the last element of each nested or taxonomy path), or a relation's
	// labels. It returns nil for values that hold no labels (a rating, a
	// text area, ...). The slice is new; changing it changes nothing else.
	LabelNames() []string

	// resultValue is unexported so that only this package implements
	// ResultValue.
	resultValue()
}

// ResultTypeInfo describes one result type the library knows.
type ResultTypeInfo struct {
	// Type is the result's "type" member, e.g. "rectanglelabels".
	Type string
	// GoType is the type [Result.ParseValue] returns for it, e.g.
	// *lswebhook.RectangleValue. Several result types share one Go type
	// ("rectangle" and "rectanglelabels" both give *RectangleValue).
	GoType reflect.Type
}

// resultKind is one row of the result type registry. The README table, the
// schema's per-type rules and the tests are all checked against it.
type resultKind struct {
	typ string
	new func() ResultValue // nil for relations, which have no value
}

var resultKinds = []resultKind{
	{ResultTypeChoices, func() ResultValue { return new(ChoicesValue) }},
	{ResultTypeTaxonomy, func() ResultValue { return new(TaxonomyValue) }},
	{ResultTypeTextArea, func() ResultValue { return new(TextAreaValue) }},
	{ResultTypeRating, func() ResultValue { return new(RatingValue) }},
	{ResultTypeNumber, func() ResultValue { return new(NumberValue) }},
	{ResultTypeDateTime, func() ResultValue { return new(DateTimeValue) }},
	{ResultTypePairwise, func() ResultValue { return new(PairwiseValue) }},
	{ResultTypeRanker, func() ResultValue { return new(RankerValue) }},
	{ResultTypeLabels, func() ResultValue { return new(LabelsValue) }},
	{ResultTypeHyperTextLabels, func() ResultValue { return new(HyperTextLabelsValue) }},
	{ResultTypeParagraphLabels, func() ResultValue { return new(ParagraphLabelsValue) }},
	{ResultTypeTimeSeriesLabels, func() ResultValue { return new(TimeSeriesLabelsValue) }},
	{ResultTypeRectangle, func() ResultValue { return new(RectangleValue) }},
	{ResultTypeRectangleLabels, func() ResultValue { return new(RectangleValue) }},
	{ResultTypeEllipse, func() ResultValue { return new(EllipseValue) }},
	{ResultTypeEllipseLabels, func() ResultValue { return new(EllipseValue) }},
	{ResultTypeKeyPoint, func() ResultValue { return new(KeyPointValue) }},
	{ResultTypeKeyPointLabels, func() ResultValue { return new(KeyPointValue) }},
	{ResultTypePolygon, func() ResultValue { return new(PolygonValue) }},
	{ResultTypePolygonLabels, func() ResultValue { return new(PolygonValue) }},
	{ResultTypeBrush, func() ResultValue { return new(BrushValue) }},
	{ResultTypeBrushLabels, func() ResultValue { return new(BrushValue) }},
	{ResultTypeVector, func() ResultValue { return new(VectorValue) }},
	{ResultTypeVectorLabels, func() ResultValue { return new(VectorValue) }},
	{ResultTypeOCRLabels, func() ResultValue { return new(OCRLabelsValue) }},
	{ResultTypeVideoRectangle, func() ResultValue { return new(VideoRectangleValue) }},
	{ResultTypeTimelineLabels, func() ResultValue { return new(TimelineLabelsValue) }},
	{ResultTypeChatMessage, func() ResultValue { return new(ChatMessageValue) }},
	{ResultTypeRelation, nil},
}

var resultKindByType = func() map[string]*resultKind {
	m := make(map[string]*resultKind, len(resultKinds))
	for i := range resultKinds {
		m[resultKinds[i].typ] = &resultKinds[i]
	}
	return m
}()

// ResultTypes lists every result type the library decodes to a typed
// value, with the Go type [Result.ParseValue] returns for it, in a fixed
// order. Results of other types parse as [*UnknownValue].
func ResultTypes() []ResultTypeInfo {
	out := make([]ResultTypeInfo, len(resultKinds))
	for i, k := range resultKinds {
		t := reflect.TypeOf(&RelationValue{})
		if k.new != nil {
			t = reflect.TypeOf(k.new())
		}
		out[i] = ResultTypeInfo{Type: k.typ, GoType: t}
	}
	return out
}

// A ResultValueError reports a result whose value does not have the shape
// its type requires, found by [Result.ParseValue]. [Decode] reports the
// same faults as [*ValidationError] problems, so a result of a decoded
// event parses without error (numbers beyond the range of the Go types
// aside).
type ResultValueError struct {
	// Type and ID are the result's type and id.
	Type string
	ID   string
	// Problems lists each fault, with a JSON Pointer relative to the result
	// (for example "/value/x"), ordered by Pointer.
	Problems []Problem
}

// Error returns "lswebhook: invalid TYPE result "ID": " and the first
// problem, with a count of the others.
func (e *ResultValueError) Error() string {
	var b strings.Builder
	b.WriteString("lswebhook: invalid ")
	b.WriteString(e.Type)
	b.WriteString(" result")
	if e.ID != "" {
		b.WriteString(" " + strconv.Quote(e.ID))
	}
	if len(e.Problems) > 0 {
		b.WriteString(": ")
		b.WriteString(e.Problems[0].String())
	}
	if n := len(e.Problems) - 1; n == 1 {
		b.WriteString(" (and 1 more problem)")
	} else if n > 1 {
		b.WriteString(" (and " + strconv.Itoa(n) + " more problems)")
	}
	return b.String()
}

// ParseValue returns the result's value as a typed Go value; see
// [ResultValue]. The Go type depends on Type, as [ResultTypes] lists:
// *RectangleValue for "rectanglelabels", *RelationValue (built from FromID,
// ToID, Direction and Labels) for "relation", and so on.
//
// A result of a type the library does not know parses, without an error,
// as an [*UnknownValue] holding Value as sent. A result of a known type
// whose value is missing or has the wrong shape (a string where a number
// belongs) gives a [*ResultValueError]. Keys are matched exactly, keys the
// Go type does not model are kept in its Extra map, and the same alternative
// forms are accepted as by the schema; each value type's documentation
// lists them. ParseValue reads Value afresh on each call and never panics.
func (r *Result) ParseValue() (ResultValue, error) {
	k, known := resultKindByType[r.Type]
	if !known {
		return &UnknownValue{Type: r.Type, Value: r.Value}, nil
	}
	if k.new == nil {
		return &RelationValue{FromID: r.FromID, ToID: r.ToID, Direction: r.Direction, Labels: cloneStrings(r.Labels)}, nil
	}
	fail := func(ps []Problem) error {
		return &ResultValueError{Type: r.Type, ID: r.ID, Problems: sortProblems(ps)}
	}
	if len(r.Value) == 0 {
		return nil, fail([]Problem{{Pointer: "/value", Message: "required property is missing"}})
	}
	tree, err := parseJSON(r.Value, 0)
	if err != nil {
		return nil, fail([]Problem{{Pointer: "/value", Message: "invalid JSON: " + err.Error()}})
	}
	v := k.new()
	c := converter{path: []pathSeg{{key: "value", index: -1}}}
	decodeValueTree(&c, tree, v)
	if len(c.problems) > 0 {
		return nil, fail(c.problems)
	}
	if rv, ok := v.(*RankerValue); ok {
		if m, _ := tree.(map[string]any); m != nil {
			if _, flat := m["ranker"].([]any); flat {
				rv.rekeyFlat(r.FromName)
			}
		}
	}
	return v, nil
}

// LabelNames returns the labels the result assigns, whatever its type; see
// [ResultValue.LabelNames]. For a type the library does not know it returns
// the string lists under value keys named "labels" or ending in "labels".
// It returns nil when the value does not parse.
func (r *Result) LabelNames() []string {
	v, err := r.ParseValue()
	if err != nil {
		return nil
	}
	return v.LabelNames()
}

// specialValue is implemented by value types that read some of their keys
// with rules reflection cannot express (a key that is a string or a list).
type specialValue interface {
	decodeSpecial(c *converter, m map[string]any)
}

// decodeValueTree stores the parsed value tree in v, a pointer to one of
// the value types, recording problems in c.
func decodeValueTree(c *converter, tree any, v ResultValue) {
	m, ok := tree.(map[string]any)
	if !ok {
		c.typeProblem("object", tree)
		return
	}
	if s, ok := v.(specialValue); ok {
		s.decodeSpecial(c, m)
		return
	}
	c.decodeStruct(m, reflect.ValueOf(v).Elem())
}

// unmarshalValue implements UnmarshalJSON for the value types, with the
// rules of [Result.ParseValue]. A problem is returned as a
// [*ValidationError] without an action, as for the entity types.
func unmarshalValue(data []byte, v ResultValue) error {
	tree, err := parseJSON(data, 0)
	if err != nil {
		return err
	}
	var c converter
	decodeValueTree(&c, tree, v)
	if len(c.problems) > 0 {
		return &ValidationError{Problems: sortProblems(c.problems)}
	}
	return nil
}

// decodeWithSpecial decodes m into the struct rv points to: each key in
// special is handed to its function with the key pushed on the path; the
// other keys are decoded by reflection (and land in Extra when unmodelled).
func decodeWithSpecial(c *converter, m map[string]any, rv reflect.Value, special map[string]func(e any)) {
	rest := make(map[string]any, len(m))
	for k, e := range m {
		f, ok := special[k]
		if !ok {
			rest[k] = e
			continue
		}
		c.path = append(c.path, pathSeg{key: k, index: -1})
		f(e)
		c.path = c.path[:len(c.path)-1]
	}
	c.decodeStruct(rest, rv.Elem())
}

// stringOrList reads a string or an array of strings as a list.
func stringOrList(c *converter, e any) []string {
	switch e := e.(type) {
	case nil:
		return nil
	case string:
		return []string{e}
	case []any:
		return stringItems(c, e)
	}
	c.typeProblem("string or array of strings", e)
	return nil
}

// stringItems reads the elements of a JSON array that must be strings.
func stringItems(c *converter, a []any) []string {
	out := make([]string, len(a))
	c.path = append(c.path, pathSeg{})
	for i, e := range a {
		c.path[len(c.path)-1].index = i
		s, ok := e.(string)
		if !ok {
			c.typeProblem("string", e)
			continue
		}
		out[i] = s
	}
	c.path = c.path[:len(c.path)-1]
	return out
}

// pathList reads an array whose elements are strings or arrays of strings
// (choice paths). Each element becomes a path; a string is a one-element
// path. nested reports whether any element was an array.
func pathList(c *converter, e any) (paths [][]string, nested bool) {
	a, ok := e.([]any)
	if !ok {
		if e != nil {
			c.typeProblem("array", e)
		}
		return nil, false
	}
	paths = make([][]string, len(a))
	c.path = append(c.path, pathSeg{})
	for i, item := range a {
		c.path[len(c.path)-1].index = i
		switch item := item.(type) {
		case string:
			paths[i] = []string{item}
		case []any:
			nested = true
			paths[i] = stringItems(c, item)
		default:
			c.typeProblem("string or array of strings", item)
		}
	}
	c.path = c.path[:len(c.path)-1]
	return paths, nested
}

// leaves returns the last element of each non-empty path.
func leaves(paths [][]string) []string {
	var out []string
	for _, p := range paths {
		if len(p) > 0 {
			out = append(out, p[len(p)-1])
		}
	}
	return out
}

// joinLabels concatenates label lists, dropping repeats, into a new slice;
// nil when there are none.
func joinLabels(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
	next:
		for _, s := range l {
			for _, have := range out {
				if have == s {
					continue next
				}
			}
			out = append(out, s)
		}
	}
	return out
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

// RelationValue is the value of a relation result (type "relation"), which
// links two regions. Label Studio sends its members at the top level of the
// result, not under "value"; [Result.ParseValue] copies them from the
// [Result]. [GroupRegions] resolves the ids to regions.
//
// It marshals to the relation's members as Label Studio writes them.
type RelationValue struct {
	// FromID and ToID are the ids of the linked regions.
	FromID string `json:"from_id"`
	ToID   string `json:"to_id"`
	// Direction is "right" (from FromID to ToID), "left" (from ToID to
	// FromID) or "bi" (both ways).
	Direction string `json:"direction,omitempty"`
	// Labels are the relation's labels, from a Relations tag; often none.
	Labels []string `json:"labels,omitzero"`
}

func (*RelationValue) resultValue() {}

// LabelNames returns the relation's labels.
func (v *RelationValue) LabelNames() []string { return cloneStrings(v.Labels) }

// UnknownValue is the value of a result whose type the library does not
// know. Nothing is lost: Value holds the value as sent.
type UnknownValue struct {
	// Type is the result's type.
	Type string
	// Value is the result's "value" member, as sent; nil when absent.
	Value json.RawMessage
}

func (*UnknownValue) resultValue() {}

// MarshalJSON writes Value as it was sent, or null when it is empty.
func (v UnknownValue) MarshalJSON() ([]byte, error) {
	if len(v.Value) == 0 {
		return []byte("null"), nil
	}
	return v.Value.MarshalJSON()
}

// LabelNames returns, in key order, the strings of the value's members
// named "labels" or ending in "labels" that hold arrays of strings, so that
// label lists of types newer than the library are still found.
func (v *UnknownValue) LabelNames() []string {
	if len(v.Value) == 0 {
		return nil
	}
	tree, err := parseJSON(v.Value, 0)
	if err != nil {
		return nil
	}
	m, ok := tree.(map[string]any)
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if strings.HasSuffix(k, "labels") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var lists [][]string
	for _, k := range keys {
		a, ok := m[k].([]any)
		if !ok {
			continue
		}
		var c converter
		l := stringItems(&c, a)
		if len(c.problems) == 0 {
			lists = append(lists, l)
		}
	}
	return joinLabels(lists...)
}
