package lsresult

import (
	"encoding/json"
)

// This file holds the values of classification results. Every value type
// keeps the keys it does not model in Extra, marshals back with them, and
// reads JSON with the rules of [Parse] in its UnmarshalJSON method.
// Classifications made per region (perRegion="true") also carry the
// region's keys (x, y, start, end, ...), which land in Extra.

// Choices is the value of a "choices" result (a Choices tag). Choices
// are sent in one of two forms, both accepted:
//
//   - flat: {"choices": ["pos", "neg"]};
//   - nested, for hierarchical Choice elements: {"choices": [["Animal",
//     "Cat"], ["Plant"]]}, each element the path from the outermost choice
//     to the selected one. A list may mix strings and paths.
type Choices struct {
	// Choices holds the selected choice values: the list as sent in the
	// flat form, the last element of each path in the nested form.
	Choices []string `json:"-"`
	// Paths holds the nested form, one path per selected choice (a string
	// element as a one-element path); nil when no element was an array.
	// When Paths is not nil it is what MarshalJSON writes.
	Paths [][]string `json:"-"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Choices) isValue() {}

// LabelNames returns the selected choices.
func (v *Choices) LabelNames() []string { return joinLabels(v.Choices) }

func (v *Choices) readKey(r *reader, key string, e []byte) bool {
	if key != "choices" {
		return false
	}
	paths, nested := r.pathList(e)
	v.Choices = leaves(paths)
	if nested {
		v.Paths = paths
	}
	return true
}

// MarshalJSON writes {"choices": ...} in the nested form when Paths is set,
// else in the flat form, with the Extra keys.
func (v Choices) MarshalJSON() ([]byte, error) {
	var choices any = v.Choices
	if v.Paths != nil {
		choices = v.Paths
	}
	return withExtra(struct {
		Choices any `json:"choices"`
	}{choices}, v.Extra)
}

// UnmarshalJSON reads a choices value in either form.
func (v *Choices) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Taxonomy is the value of a "taxonomy" result (a Taxonomy tag):
// {"taxonomy": [["Science", "Physics"], ["Art"]]}, one path per selected
// item from the top of the tree. A bare string element is read as a
// one-element path.
type Taxonomy struct {
	// Taxonomy holds the selected paths.
	Taxonomy [][]string `json:"-"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Taxonomy) isValue() {}

// LabelNames returns the last element of each path.
func (v *Taxonomy) LabelNames() []string { return joinLabels(leaves(v.Taxonomy)) }

func (v *Taxonomy) readKey(r *reader, key string, e []byte) bool {
	if key != "taxonomy" {
		return false
	}
	v.Taxonomy, _ = r.pathList(e)
	return true
}

// MarshalJSON writes {"taxonomy": [[...], ...]} with the Extra keys.
func (v Taxonomy) MarshalJSON() ([]byte, error) {
	return withExtra(struct {
		Taxonomy [][]string `json:"taxonomy"`
	}{v.Taxonomy}, v.Extra)
}

// UnmarshalJSON reads a taxonomy value.
func (v *Taxonomy) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// TextArea is the value of a "textarea" result (a TextArea tag): the
// text typed in, usually a list with one string per submitted line,
// {"text": ["first", "second"]}; a single string {"text": "only"} is also
// sent and is read as a one-element list. Transcriptions of regions (OCR,
// audio) are text areas made per region.
type TextArea struct {
	// Text holds the texts, in order.
	Text []string `json:"-"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*TextArea) isValue() {}

// LabelNames returns nil: a text area assigns no labels.
func (v *TextArea) LabelNames() []string { return nil }

func (v *TextArea) readKey(r *reader, key string, e []byte) bool {
	if key != "text" {
		return false
	}
	switch e[0] {
	case 'n':
		v.Text = nil
	case '"':
		v.Text = []string{unquote(e)}
	case '[':
		v.Text = r.stringList(e, false)
	default:
		r.typeProblem("string or array of strings", e)
	}
	return true
}

// MarshalJSON writes {"text": [...]} (always the list form) with the Extra
// keys.
func (v TextArea) MarshalJSON() ([]byte, error) {
	return withExtra(struct {
		Text []string `json:"text"`
	}{v.Text}, v.Extra)
}

// UnmarshalJSON reads a text area value in either form.
func (v *TextArea) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Rating is the value of a "rating" result (a Rating tag):
// {"rating": 4}, the number of stars.
type Rating struct {
	Rating int64 `json:"rating"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Rating) isValue() {}

// LabelNames returns nil: a rating assigns no labels.
func (v *Rating) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v Rating) MarshalJSON() ([]byte, error) {
	type plain Rating
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a rating value.
func (v *Rating) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Number is the value of a "number" result (a Number tag):
// {"number": 42.5}.
type Number struct {
	Number float64 `json:"number"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Number) isValue() {}

// LabelNames returns nil: a number assigns no labels.
func (v *Number) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v Number) MarshalJSON() ([]byte, error) {
	type plain Number
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a number value.
func (v *Number) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// DateTime is the value of a "datetime" result (a DateTime tag):
// {"datetime": "2024-05-01T10:30"}. The string's layout follows the tag's
// "only" setting: a date and time without seconds or zone
// ("2024-05-01T10:30"), a date ("2024-05-01"), a time ("10:30"), a month
// ("2024-05") or a year ("2024"); it is kept as sent.
type DateTime struct {
	DateTime string `json:"datetime"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*DateTime) isValue() {}

// LabelNames returns nil: a date assigns no labels.
func (v *DateTime) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v DateTime) MarshalJSON() ([]byte, error) {
	type plain DateTime
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a datetime value.
func (v *DateTime) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Pairwise is the value of a "pairwise" result (a Pairwise tag):
// {"selected": "left"} or {"selected": "right"}. The result's ToName names
// both compared objects, comma-separated ("left,right").
type Pairwise struct {
	Selected string `json:"selected"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Pairwise) isValue() {}

// LabelNames returns nil: a pairwise choice assigns no labels.
func (v *Pairwise) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v Pairwise) MarshalJSON() ([]byte, error) {
	type plain Pairwise
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a pairwise value.
func (v *Pairwise) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// Ranker is the value of a "ranker" result (a Ranker tag over a List):
// {"ranker": {"relevant": ["a", "c"], "irrelevant": ["b"]}}, the ids of the
// list's items in each bucket, in order. Without buckets the only key is
// the Ranker tag's name and holds all items in ranked order; with buckets
// and no default bucket, items left in the original list are under "_".
// The older form, a flat list of ids {"ranker": ["a", "c", "b"]}, is also
// read: [Parse] keys it by the result's FromName (as the bucket-less form
// is), UnmarshalJSON by "".
type Ranker struct {
	// Ranker maps each bucket to the ids of its items, in order.
	Ranker map[string][]string `json:"ranker"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Ranker) isValue() {}

// LabelNames returns nil: a ranking assigns no labels.
func (v *Ranker) LabelNames() []string { return nil }

func (v *Ranker) readKey(r *reader, key string, e []byte) bool {
	if key != "ranker" {
		return false
	}
	switch e[0] {
	case 'n':
		v.Ranker = nil
	case '[':
		v.Ranker = map[string][]string{r.fromName: r.stringList(e, false)}
	case '{':
		v.Ranker = make(map[string][]string)
		r.push("", -1)
		members(e, func(bucket string, ids []byte) {
			r.path[len(r.path)-1].key = bucket
			if _, dup := v.Ranker[bucket]; dup {
				r.problem("key repeated in one object")
				return
			}
			v.Ranker[bucket] = r.stringList(ids, false)
		})
		r.pop()
	default:
		r.typeProblem("object", e)
	}
	return true
}

// MarshalJSON writes the object form with the Extra keys.
func (v Ranker) MarshalJSON() ([]byte, error) {
	return withExtra(struct {
		Ranker map[string][]string `json:"ranker"`
	}{v.Ranker}, v.Extra)
}

// UnmarshalJSON reads a ranker value in either form.
func (v *Ranker) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// pathList reads an array whose elements are strings or arrays of strings
// (choice paths). Each element becomes a path; a string is a one-element
// path. nested reports whether any element was an array. null reads as
// nil.
func (r *reader) pathList(e []byte) (paths [][]string, nested bool) {
	switch e[0] {
	case 'n':
		return nil, false
	case '[':
	default:
		r.typeProblem("array", e)
		return nil, false
	}
	paths = make([][]string, 0, count(e))
	r.push("", 0)
	elements(e, func(i int, item []byte) {
		r.path[len(r.path)-1].index = i
		switch item[0] {
		case '"':
			paths = append(paths, []string{unquote(item)})
		case '[':
			nested = true
			paths = append(paths, r.stringList(item, false))
		default:
			r.typeProblem("string or array of strings", item)
			paths = append(paths, nil)
		}
	})
	r.pop()
	return paths, nested
}

// leaves returns the last element of each non-empty path; empty (not nil)
// for an empty list of paths, nil for nil.
func leaves(paths [][]string) []string {
	if paths == nil {
		return nil
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if len(p) > 0 {
			out = append(out, p[len(p)-1])
		}
	}
	return out
}
