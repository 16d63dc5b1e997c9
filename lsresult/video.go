package lsresult

import (
	"encoding/json"
)

// VideoRectangle is the value of a "videorectangle" result (a
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
type VideoRectangle struct {
	// FramesCount is the video's number of frames.
	FramesCount int64 `json:"framesCount"`
	// Duration is the video's length in seconds.
	Duration float64    `json:"duration"`
	Sequence []Keyframe `json:"sequence"`
	Labels   []string   `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

// Keyframe is one keyframe of a [VideoRectangle].
type Keyframe struct {
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
func (k Keyframe) MarshalJSON() ([]byte, error) {
	type plain Keyframe
	return withExtra(plain(k), k.Extra)
}

func (*VideoRectangle) isValue() {}

// LabelNames returns the labels.
func (v *VideoRectangle) LabelNames() []string { return joinLabels(v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v VideoRectangle) MarshalJSON() ([]byte, error) {
	type plain VideoRectangle
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a videorectangle value.
func (v *VideoRectangle) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// TimelineLabels is the value of a "timelinelabels" result (a
// TimelineLabels tag on a video): frame ranges,
// {"ranges": [{"start": 3, "end": 5}], "timelinelabels": ["Moving"]}.
type TimelineLabels struct {
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
	return withExtra(plain(f), f.Extra)
}

func (*TimelineLabels) isValue() {}

// LabelNames returns the labels.
func (v *TimelineLabels) LabelNames() []string { return joinLabels(v.TimelineLabels) }

// MarshalJSON writes the value with its Extra keys.
func (v TimelineLabels) MarshalJSON() ([]byte, error) {
	type plain TimelineLabels
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a timelinelabels value.
func (v *TimelineLabels) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }
