package lswebhook

import (
	"encoding/json"
	"reflect"
	"time"
)

// This file holds the values of classification and span results. Every
// value type keeps the keys it does not model in Extra, marshals back with
// them, and reads JSON with the rules of [Result.ParseValue] in its
// UnmarshalJSON method. Classifications made per region (perRegion="true")
// also carry the region's keys (x, y, start, end, ...), which land in Extra.

// ChoicesValue is the value of a "choices" result (a Choices tag). Choices
// are sent in one of two forms, both accepted:
//
//   - flat: {"choices": ["pos", "neg"]};
//   - nested, for hierarchical Choice elements: {"choices": [["Animal",
//     "Cat"], ["Plant"]]}, each element the path from the outermost choice
//     to the selected one. A list may mix strings and paths.
type ChoicesValue struct {
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

func (*ChoicesValue) resultValue() {}

// LabelNames returns the selected choices.
func (v *ChoicesValue) LabelNames() []string { return joinLabels(v.Choices) }

func (v *ChoicesValue) decodeSpecial(c *converter, m map[string]any) {
	decodeWithSpecial(c, m, reflect.ValueOf(v), map[string]func(any){
		"choices": func(e any) {
			paths, nested := pathList(c, e)
			v.Choices = leaves(paths)
			if paths != nil && v.Choices == nil {
				v.Choices = []string{}
			}
			if nested {
				v.Paths = paths
			}
		},
	})
}

// MarshalJSON writes {"choices": ...} in the nested form when Paths is set,
// else in the flat form, with the Extra keys.
func (v ChoicesValue) MarshalJSON() ([]byte, error) {
	var choices any = v.Choices
	if v.Paths != nil {
		choices = v.Paths
	}
	return marshalObject("", struct {
		Choices any `json:"choices"`
	}{choices}, v.Extra)
}

// UnmarshalJSON reads a choices value in either form.
func (v *ChoicesValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// TaxonomyValue is the value of a "taxonomy" result (a Taxonomy tag):
// {"taxonomy": [["Science", "Physics"], ["Art"]]}, one path per selected
// item from the top of the tree. A bare string element is read as a
// one-element path.
type TaxonomyValue struct {
	// Taxonomy holds the selected paths.
	Taxonomy [][]string `json:"-"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*TaxonomyValue) resultValue() {}

// LabelNames returns the last element of each path.
func (v *TaxonomyValue) LabelNames() []string { return joinLabels(leaves(v.Taxonomy)) }

func (v *TaxonomyValue) decodeSpecial(c *converter, m map[string]any) {
	decodeWithSpecial(c, m, reflect.ValueOf(v), map[string]func(any){
		"taxonomy": func(e any) { v.Taxonomy, _ = pathList(c, e) },
	})
}

// MarshalJSON writes {"taxonomy": [[...], ...]} with the Extra keys.
func (v TaxonomyValue) MarshalJSON() ([]byte, error) {
	return marshalObject("", struct {
		Taxonomy [][]string `json:"taxonomy"`
	}{v.Taxonomy}, v.Extra)
}

// UnmarshalJSON reads a taxonomy value.
func (v *TaxonomyValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// TextAreaValue is the value of a "textarea" result (a TextArea tag): the
// text typed in, usually a list with one string per submitted line,
// {"text": ["first", "second"]}; a single string {"text": "only"} is also
// sent and is read as a one-element list. Transcriptions of regions (OCR,
// audio) are text areas made per region.
type TextAreaValue struct {
	// Text holds the texts, in order.
	Text []string `json:"-"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*TextAreaValue) resultValue() {}

// LabelNames returns nil: a text area assigns no labels.
func (v *TextAreaValue) LabelNames() []string { return nil }

func (v *TextAreaValue) decodeSpecial(c *converter, m map[string]any) {
	decodeWithSpecial(c, m, reflect.ValueOf(v), map[string]func(any){
		"text": func(e any) { v.Text = stringOrList(c, e) },
	})
}

// MarshalJSON writes {"text": [...]} (always the list form) with the Extra
// keys.
func (v TextAreaValue) MarshalJSON() ([]byte, error) {
	return marshalObject("", struct {
		Text []string `json:"text"`
	}{v.Text}, v.Extra)
}

// UnmarshalJSON reads a text area value in either form.
func (v *TextAreaValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// RatingValue is the value of a "rating" result (a Rating tag):
// {"rating": 4}, the number of stars.
type RatingValue struct {
	Rating int64 `json:"rating"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*RatingValue) resultValue() {}

// LabelNames returns nil: a rating assigns no labels.
func (v *RatingValue) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v RatingValue) MarshalJSON() ([]byte, error) {
	type plain RatingValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a rating value.
func (v *RatingValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// NumberValue is the value of a "number" result (a Number tag):
// {"number": 42.5}.
type NumberValue struct {
	Number float64 `json:"number"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*NumberValue) resultValue() {}

// LabelNames returns nil: a number assigns no labels.
func (v *NumberValue) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v NumberValue) MarshalJSON() ([]byte, error) {
	type plain NumberValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a number value.
func (v *NumberValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// DateTimeValue is the value of a "datetime" result (a DateTime tag):
// {"datetime": "2024-05-01T10:30"}. The string's layout follows the tag's
// "only" setting: a date and time without seconds or zone
// ("2024-05-01T10:30"), a date ("2024-05-01"), a time ("10:30"), a month
// ("2024-05") or a year ("2024"); it is kept as sent.
type DateTimeValue struct {
	DateTime string `json:"datetime"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*DateTimeValue) resultValue() {}

// LabelNames returns nil: a date assigns no labels.
func (v *DateTimeValue) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v DateTimeValue) MarshalJSON() ([]byte, error) {
	type plain DateTimeValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a datetime value.
func (v *DateTimeValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// PairwiseValue is the value of a "pairwise" result (a Pairwise tag):
// {"selected": "left"} or {"selected": "right"}. The result's ToName names
// both compared objects, comma-separated ("left,right").
type PairwiseValue struct {
	Selected string `json:"selected"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*PairwiseValue) resultValue() {}

// LabelNames returns nil: a pairwise choice assigns no labels.
func (v *PairwiseValue) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v PairwiseValue) MarshalJSON() ([]byte, error) {
	type plain PairwiseValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a pairwise value.
func (v *PairwiseValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// RankerValue is the value of a "ranker" result (a Ranker tag over a List):
// {"ranker": {"relevant": ["a", "c"], "irrelevant": ["b"]}}, the ids of the
// list's items in each bucket, in order. Without buckets the only key is
// the Ranker tag's name and holds all items in ranked order; with buckets
// and no default bucket, items left in the original list are under "_".
// The older form, a flat list of ids {"ranker": ["a", "c", "b"]}, is also
// read: [Result.ParseValue] keys it by the result's FromName (as the
// bucket-less form is), UnmarshalJSON by "".
type RankerValue struct {
	// Ranker maps each bucket to the ids of its items, in order.
	Ranker map[string][]string `json:"ranker"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*RankerValue) resultValue() {}

// LabelNames returns nil: a ranking assigns no labels.
func (v *RankerValue) LabelNames() []string { return nil }

func (v *RankerValue) decodeSpecial(c *converter, m map[string]any) {
	decodeWithSpecial(c, m, reflect.ValueOf(v), map[string]func(any){
		"ranker": func(e any) {
			switch e := e.(type) {
			case nil:
			case []any:
				v.Ranker = map[string][]string{"": stringItems(c, e)}
			case map[string]any:
				v.Ranker = make(map[string][]string, len(e))
				c.path = append(c.path, pathSeg{index: -1})
				for k, ids := range e {
					c.path[len(c.path)-1].key = k
					a, ok := ids.([]any)
					if !ok {
						c.typeProblem("array", ids)
						continue
					}
					v.Ranker[k] = stringItems(c, a)
				}
				c.path = c.path[:len(c.path)-1]
			default:
				c.typeProblem("object", e)
			}
		},
	})
}

// rekeyFlat files the list read from the flat form (under "") under
// name.
func (v *RankerValue) rekeyFlat(name string) {
	if name != "" {
		v.Ranker[name] = v.Ranker[""]
		delete(v.Ranker, "")
	}
}

// MarshalJSON writes the object form with the Extra keys.
func (v RankerValue) MarshalJSON() ([]byte, error) {
	return marshalObject("", struct {
		Ranker map[string][]string `json:"ranker"`
	}{v.Ranker}, v.Extra)
}

// UnmarshalJSON reads a ranker value in either form.
func (v *RankerValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// LabelsValue is the value of a "labels" result (a Labels tag): a labeled
// span. Its keys depend on the object labeled:
//
//   - text: {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]},
//     Start and End character offsets (integers; see [Position.Int]) and
//     the covered Text when the object saves it;
//   - audio: {"start": 1.25, "end": 3.5, "channel": 0, "labels": [...]},
//     Start and End in seconds, with the audio Channel;
//   - HTML, paragraphs and time series labeled with a plain Labels tag use
//     the keys of [HyperTextLabelsValue], [ParagraphLabelsValue] and
//     [TimeSeriesLabelsValue], so Start and End may be strings; their other
//     keys (startOffset, globalOffsets, instant) are kept in Extra;
//   - image and video regions drawn with a separate tool (Rectangle with
//     Labels) carry their geometry, kept in Extra, and no Start or End.
type LabelsValue struct {
	// Start and End delimit the span; zero (absent) for regions that are
	// not spans.
	Start Position `json:"start,omitzero"`
	End   Position `json:"end,omitzero"`
	// Channel is the audio channel; nil when absent (text).
	Channel *int64 `json:"channel,omitempty"`
	// Text is the covered text, when sent.
	Text string `json:"text,omitempty"`
	// Labels are the labels assigned.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*LabelsValue) resultValue() {}

// LabelNames returns the labels.
func (v *LabelsValue) LabelNames() []string { return joinLabels(v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v LabelsValue) MarshalJSON() ([]byte, error) {
	type plain LabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a labels value.
func (v *LabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// HyperTextLabelsValue is the value of a "hypertextlabels" result (a
// HyperTextLabels tag on an HTML object): a span located by the XPaths of
// its first and last text nodes and the character offsets inside them,
//
//	{"start": "/div[1]/p[2]/text()[1]", "startOffset": 0,
//	 "end": "/div[1]/p[2]/text()[1]", "endOffset": 5,
//	 "globalOffsets": {"start": 10, "end": 15},
//	 "text": "Hello", "hypertextlabels": ["Title"]}
//
// globalOffsets (offsets into the document's whole text) is sent by newer
// versions only, text when the object saves it.
type HyperTextLabelsValue struct {
	Start       string `json:"start"`
	End         string `json:"end"`
	StartOffset int64  `json:"startOffset"`
	EndOffset   int64  `json:"endOffset"`
	// GlobalOffsets is nil when not sent.
	GlobalOffsets *GlobalOffsets `json:"globalOffsets,omitempty"`
	// Text is the covered text, when sent.
	Text            string   `json:"text,omitempty"`
	HyperTextLabels []string `json:"hypertextlabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// GlobalOffsets locates an HTML span by character offsets into the
// document's text content.
type GlobalOffsets struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the offsets with their Extra keys.
func (g GlobalOffsets) MarshalJSON() ([]byte, error) {
	type plain GlobalOffsets
	return marshalObject("", plain(g), g.Extra)
}

func (*HyperTextLabelsValue) resultValue() {}

// LabelNames returns the labels.
func (v *HyperTextLabelsValue) LabelNames() []string { return joinLabels(v.HyperTextLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v HyperTextLabelsValue) MarshalJSON() ([]byte, error) {
	type plain HyperTextLabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a hypertextlabels value.
func (v *HyperTextLabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// ParagraphLabelsValue is the value of a "paragraphlabels" result (a
// ParagraphLabels tag on a Paragraphs object): a span from character
// StartOffset of paragraph Start to character EndOffset of paragraph End,
//
//	{"start": "0", "end": "2", "startOffset": 0, "endOffset": 12,
//	 "text": "How are you?", "paragraphlabels": ["Question"]}
//
// The paragraph indexes are sent as strings by the editor ("0") and as
// numbers by the documentation and by ML backends (0); [Position.Int] reads
// either. text is sent when the object saves it.
type ParagraphLabelsValue struct {
	Start           Position `json:"start,omitzero"`
	End             Position `json:"end,omitzero"`
	StartOffset     int64    `json:"startOffset"`
	EndOffset       int64    `json:"endOffset"`
	Text            string   `json:"text,omitempty"`
	ParagraphLabels []string `json:"paragraphlabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*ParagraphLabelsValue) resultValue() {}

// LabelNames returns the labels.
func (v *ParagraphLabelsValue) LabelNames() []string { return joinLabels(v.ParagraphLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v ParagraphLabelsValue) MarshalJSON() ([]byte, error) {
	type plain ParagraphLabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a paragraphlabels value.
func (v *ParagraphLabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// TimeSeriesLabelsValue is the value of a "timeserieslabels" result (a
// TimeSeriesLabels tag): a range of the time axis,
// {"start": 1, "end": 3, "instant": false, "timeserieslabels": ["Run"]}.
// Start and End are numbers (a row index, seconds, or a Unix time in
// milliseconds) or, when the TimeSeries object has a timeFormat, strings in
// that format ("2024-05-01 10:30:00"). Instant marks a single point
// (Start equals End).
type TimeSeriesLabelsValue struct {
	Start            Position `json:"start,omitzero"`
	End              Position `json:"end,omitzero"`
	Instant          bool     `json:"instant"`
	TimeSeriesLabels []string `json:"timeserieslabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*TimeSeriesLabelsValue) resultValue() {}

// LabelNames returns the labels.
func (v *TimeSeriesLabelsValue) LabelNames() []string { return joinLabels(v.TimeSeriesLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v TimeSeriesLabelsValue) MarshalJSON() ([]byte, error) {
	type plain TimeSeriesLabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a timeserieslabels value.
func (v *TimeSeriesLabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// VideoRectangleValue is the value of a "videorectangle" result (a
// VideoRectangle tag): a box tracked through a video by keyframes,
//
//	{"framesCount": 250, "duration": 10,
//	 "sequence": [{"frame": 1, "time": 0.04, "x": 10, "y": 20,
//	   "width": 30, "height": 15.5, "rotation": 0, "enabled": true}, ...],
//	 "labels": ["Car"]}
//
// Between keyframes the box is interpolated linearly; a keyframe with
// Enabled false ends the box's lifespan until the next enabled one.
// Coordinates are percentages of the frame size. Labels come from a Labels
// tag attached to the video.
type VideoRectangleValue struct {
	// FramesCount is the video's number of frames.
	FramesCount int64 `json:"framesCount"`
	// Duration is the video's length in seconds.
	Duration float64         `json:"duration"`
	Sequence []VideoKeyframe `json:"sequence"`
	Labels   []string        `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// VideoKeyframe is one keyframe of a [VideoRectangleValue].
type VideoKeyframe struct {
	// Frame is the frame number, from 1.
	Frame int64 `json:"frame"`
	// Time is the frame's time in seconds.
	Time float64 `json:"time"`
	// X, Y, Width and Height are percentages of the frame size; Rotation
	// is in degrees, clockwise, around the top-left corner.
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Width    float64 `json:"width"`
	Height   float64 `json:"height"`
	Rotation float64 `json:"rotation"`
	// Enabled is false for a keyframe that ends the box's lifespan.
	Enabled bool `json:"enabled"`
	// Score is a prediction's score for the keyframe; nil when absent.
	Score *float64 `json:"score,omitempty"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the keyframe with its Extra keys.
func (k VideoKeyframe) MarshalJSON() ([]byte, error) {
	type plain VideoKeyframe
	return marshalObject("", plain(k), k.Extra)
}

func (*VideoRectangleValue) resultValue() {}

// LabelNames returns the labels.
func (v *VideoRectangleValue) LabelNames() []string { return joinLabels(v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v VideoRectangleValue) MarshalJSON() ([]byte, error) {
	type plain VideoRectangleValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a videorectangle value.
func (v *VideoRectangleValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// TimelineLabelsValue is the value of a "timelinelabels" result (a
// TimelineLabels tag on a video): frame ranges,
// {"ranges": [{"start": 3, "end": 5}], "timelinelabels": ["Moving"]}.
type TimelineLabelsValue struct {
	Ranges         []FrameRange `json:"ranges"`
	TimelineLabels []string     `json:"timelinelabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// FrameRange is a range of video frames, both ends included. Frames are
// numbered from 1; an end sent as null (a range still being drawn) reads
// as 0.
type FrameRange struct {
	Start int64 `json:"start"`
	End   int64 `json:"end"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the range with its Extra keys.
func (f FrameRange) MarshalJSON() ([]byte, error) {
	type plain FrameRange
	return marshalObject("", plain(f), f.Extra)
}

func (*TimelineLabelsValue) resultValue() {}

// LabelNames returns the labels.
func (v *TimelineLabelsValue) LabelNames() []string { return joinLabels(v.TimelineLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v TimelineLabelsValue) MarshalJSON() ([]byte, error) {
	type plain TimelineLabelsValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a timelinelabels value.
func (v *TimelineLabelsValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }

// ChatMessageValue is the value of a "chatmessage" result, a message an
// annotator added to a Chat object (newest versions):
// {"chatmessage": {"role": "user", "content": "Hello", "timestamp":
// 1755872989436}}.
type ChatMessageValue struct {
	ChatMessage ChatMessage `json:"chatmessage"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// ChatMessage is one message of a chat.
type ChatMessage struct {
	// Role is "user", "assistant", "system", "tool" or "developer".
	Role    string `json:"role"`
	Content string `json:"content"`
	// Timestamp is the Unix time in milliseconds; 0 when absent.
	Timestamp int64 `json:"timestamp,omitempty"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// Time returns Timestamp as a time; ok is false when it is absent.
func (m ChatMessage) Time() (t time.Time, ok bool) {
	if m.Timestamp == 0 {
		return time.Time{}, false
	}
	return time.UnixMilli(m.Timestamp).UTC(), true
}

// MarshalJSON writes the message with its Extra keys.
func (m ChatMessage) MarshalJSON() ([]byte, error) {
	type plain ChatMessage
	return marshalObject("", plain(m), m.Extra)
}

func (*ChatMessageValue) resultValue() {}

// LabelNames returns nil: a message assigns no labels.
func (v *ChatMessageValue) LabelNames() []string { return nil }

// MarshalJSON writes the value with its Extra keys.
func (v ChatMessageValue) MarshalJSON() ([]byte, error) {
	type plain ChatMessageValue
	return marshalObject("", plain(v), v.Extra)
}

// UnmarshalJSON reads a chatmessage value.
func (v *ChatMessageValue) UnmarshalJSON(data []byte) error { return unmarshalValue(data, v) }
