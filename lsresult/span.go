package lsresult

import (
	"encoding/json"
)

// This file holds the values of span results: a range of a text, an
// audio, an HTML document, paragraphs or a time series.

// Labels is the value of a "labels" result (a Labels tag): a labeled
// span. Its keys depend on the object labeled:
//
//   - text: {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]},
//     Start and End character offsets (integers; see [Position.Int]) and
//     the covered Text when the object saves it;
//   - audio: {"start": 1.25, "end": 3.5, "channel": 0, "labels": [...]},
//     Start and End in seconds, with the audio Channel;
//   - HTML, paragraphs and time series labeled with a plain Labels tag use
//     the keys of [HyperTextLabels], [ParagraphLabels] and
//     [TimeSeriesLabels], so Start and End may be strings; their other
//     keys (startOffset, globalOffsets, instant) are kept in Extra;
//   - image and video regions drawn with a separate tool (Rectangle with
//     Labels) carry their geometry, kept in Extra, and no Start or End.
type Labels struct {
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

func (*Labels) isValue() {}

// LabelNames returns the labels.
func (v *Labels) LabelNames() []string { return joinLabels(v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v Labels) MarshalJSON() ([]byte, error) {
	type plain Labels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a labels value.
func (v *Labels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// HyperTextLabels is the value of a "hypertextlabels" result (a
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
type HyperTextLabels struct {
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
	return withExtra(plain(g), g.Extra)
}

func (*HyperTextLabels) isValue() {}

// LabelNames returns the labels.
func (v *HyperTextLabels) LabelNames() []string { return joinLabels(v.HyperTextLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v HyperTextLabels) MarshalJSON() ([]byte, error) {
	type plain HyperTextLabels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a hypertextlabels value.
func (v *HyperTextLabels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// ParagraphLabels is the value of a "paragraphlabels" result (a
// ParagraphLabels tag on a Paragraphs object): a span from character
// StartOffset of paragraph Start to character EndOffset of paragraph End,
//
//	{"start": "0", "end": "2", "startOffset": 0, "endOffset": 12,
//	 "text": "How are you?", "paragraphlabels": ["Question"]}
//
// The paragraph indexes are sent as strings by the editor ("0") and as
// numbers by the documentation and by ML backends (0); [Position.Int] reads
// either. text is sent when the object saves it.
type ParagraphLabels struct {
	Start           Position `json:"start,omitzero"`
	End             Position `json:"end,omitzero"`
	StartOffset     int64    `json:"startOffset"`
	EndOffset       int64    `json:"endOffset"`
	Text            string   `json:"text,omitempty"`
	ParagraphLabels []string `json:"paragraphlabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*ParagraphLabels) isValue() {}

// LabelNames returns the labels.
func (v *ParagraphLabels) LabelNames() []string { return joinLabels(v.ParagraphLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v ParagraphLabels) MarshalJSON() ([]byte, error) {
	type plain ParagraphLabels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a paragraphlabels value.
func (v *ParagraphLabels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// TimeSeriesLabels is the value of a "timeserieslabels" result (a
// TimeSeriesLabels tag): a range of the time axis,
// {"start": 1, "end": 3, "instant": false, "timeserieslabels": ["Run"]}.
// Start and End are numbers (a row index, seconds, or a Unix time in
// milliseconds) or, when the TimeSeries object has a timeFormat, strings in
// that format ("2024-05-01 10:30:00"). Instant marks a single point
// (Start equals End).
type TimeSeriesLabels struct {
	Start            Position `json:"start,omitzero"`
	End              Position `json:"end,omitzero"`
	Instant          bool     `json:"instant"`
	TimeSeriesLabels []string `json:"timeserieslabels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*TimeSeriesLabels) isValue() {}

// LabelNames returns the labels.
func (v *TimeSeriesLabels) LabelNames() []string { return joinLabels(v.TimeSeriesLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v TimeSeriesLabels) MarshalJSON() ([]byte, error) {
	type plain TimeSeriesLabels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a timeserieslabels value.
func (v *TimeSeriesLabels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }
