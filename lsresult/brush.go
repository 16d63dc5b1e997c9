package lsresult

import (
	"encoding/json"
	"strconv"
)

// Brush is the value of a "brush" or "brushlabels" result (Brush and
// BrushLabels tags): a mask encoded in Label Studio's run-length format,
// {"format": "rle", "rle": [0, 0, 19, 224, ...], "brushlabels": ["Cat"]}.
// The RLE encodes the RGBA pixels of a mask the size of the original image;
// [Brush.Mask] decodes it.
type Brush struct {
	// Format is "rle", the only format Label Studio writes.
	Format string `json:"format"`
	// RLE holds the encoded bytes, each 0-255.
	RLE         []int    `json:"rle"`
	BrushLabels []string `json:"brushlabels,omitzero"`
	// Labels are labels from a separate Labels tag.
	Labels []string `json:"labels,omitzero"`
	// Extra holds the keys the type does not model, as sent.
	Extra map[string]json.RawMessage `json:"-"`
}

func (*Brush) isValue() {}

// LabelNames returns the brush labels and the labels.
func (v *Brush) LabelNames() []string { return joinLabels(v.BrushLabels, v.Labels) }

// MarshalJSON writes the value with its Extra keys.
func (v Brush) MarshalJSON() ([]byte, error) {
	type plain Brush
	return withExtra(plain(v), v.Extra)
}

// UnmarshalJSON reads a brush value.
func (v *Brush) UnmarshalJSON(data []byte) error { return unmarshal(data, v) }

// DefaultMaskLimit is the largest mask, in bytes (one byte per pixel),
// that [Brush.Mask] allocates: 256 MiB, a 16,384 x 16,384 image. The
// width and height come from the result (original_width,
// original_height), that is from the sender, and a few kilobytes of RLE
// can describe a mask of any size up to the format's own ceiling of
// 1 GiB; use [Brush.MaskLimit] for another limit.
const DefaultMaskLimit = 256 << 20

// A MaskSizeError reports a mask that [Brush.Mask] refuses to allocate:
// its image has more pixels than the limit. Nothing was allocated.
type MaskSizeError struct {
	// Width and Height are the image size asked for.
	Width, Height int64
	// Limit is the largest mask allowed, in bytes.
	Limit int64
}

// Error returns "lsresult: brush mask of WxH pixels is too large ...".
func (e *MaskSizeError) Error() string {
	return "lsresult: brush mask of " + strconv.FormatInt(e.Width, 10) + "x" + strconv.FormatInt(e.Height, 10) +
		" pixels is too large: the limit is " + strconv.FormatInt(e.Limit, 10) + " bytes"
}

// A MaskError reports a brush value that does not decode into a mask of
// the image size given: a format other than "rle", an image without a
// size, or an RLE stream that is malformed, truncated, or encodes another
// number of values.
type MaskError struct {
	// Pointer is the JSON Pointer, within the brush value, of the member
	// at fault: "/format", or "/rle" for the stream ("/rle/N" for a bad
	// item N). It is "" for a bad image size.
	Pointer string
	// Message says what is wrong.
	Message string
}

// Error returns "lsresult: brush mask: " followed by the pointer and the
// message.
func (e *MaskError) Error() string {
	if e.Pointer == "" {
		return "lsresult: brush mask: " + e.Message
	}
	return "lsresult: brush mask: " + e.Pointer + ": " + e.Message
}

// Mask decodes the brush's RLE into the mask of the image described by s:
// one byte per pixel, row by row from the top-left corner, 0 outside the
// mask and up to 255 inside (the alpha channel of the RGBA image Label
// Studio encodes; the color channels only carry the display color). The
// slice has s.Width*s.Height bytes; the size is usually the result's,
// from [SizeOf].
//
// Label Studio's RLE is a bit stream (most significant bit first) over the
// RLE bytes: a 32-bit count of values, a 5-bit word size less one, four
// 4-bit run-length sizes less one, then chunks of a 1-bit kind, a 2-bit
// size selector, a run length less one in that many bits, and either one
// word repeated over the run or one word per value.
//
// Mask refuses, before allocating anything, a mask of more than
// [DefaultMaskLimit] bytes with a [*MaskSizeError], and a stream whose
// value count is not 4*s.Width*s.Height (a mask longer or shorter than
// its image) or larger than its bytes can encode with a [*MaskError].
// Other faults of the stream and a format other than "rle" are also
// reported as a [*MaskError]. It takes time linear in the length of the
// RLE plus the size of the mask.
func (v *Brush) Mask(s ImageSize) ([]byte, error) { return v.MaskLimit(s, DefaultMaskLimit) }

// MaskLimit is [Brush.Mask] with limit, instead of [DefaultMaskLimit], as
// the largest mask to allocate, in bytes; a limit below 1 refuses every
// mask. The RLE format cannot describe masks of 1 GiB or more, whatever
// the limit.
func (v *Brush) MaskLimit(s ImageSize, limit int64) ([]byte, error) {
	if v.Format != "" && v.Format != "rle" {
		return nil, &MaskError{Pointer: "/format", Message: "format " + strconv.Quote(v.Format) + " is not \"rle\""}
	}
	if s.Width <= 0 || s.Height <= 0 {
		return nil, &MaskError{Message: "a mask needs a positive image size"}
	}
	if s.Width > limit/s.Height || s.Width > (1<<30-1)/s.Height {
		return nil, &MaskSizeError{Width: s.Width, Height: s.Height, Limit: min(max(limit, 0), 1<<30-1)}
	}
	pixels := s.Width * s.Height
	d := rleReader{data: v.RLE}
	num := d.read(32)
	if d.err == nil && num != uint64(pixels)*4 {
		return nil, &MaskError{Pointer: "/rle", Message: "the RLE holds " + strconv.FormatUint(num, 10) +
			" values, want " + strconv.FormatInt(pixels*4, 10) + " for a " +
			strconv.FormatInt(s.Width, 10) + "x" + strconv.FormatInt(s.Height, 10) + " RGBA image"}
	}
	// Each chunk takes at least 1+2+1+1 bits and yields at most 1<<16
	// values: refuse counts the stream cannot produce before allocating.
	if maxValues := (uint64(len(v.RLE))*8/5 + 1) << 16; d.err == nil && num > maxValues {
		return nil, &MaskError{Pointer: "/rle", Message: "the RLE is too short for " + strconv.FormatUint(num, 10) + " values"}
	}
	wordSize := uint(d.read(5)) + 1
	var sizes [4]uint
	for i := range sizes {
		sizes[i] = uint(d.read(4)) + 1
	}
	if d.err != nil {
		return nil, d.err
	}
	mask := make([]byte, pixels)
	// Value k of the stream is channel k%4 of pixel k/4; only the alpha
	// channel (k%4 == 3) is kept. The values i..end-1 hold the alpha of
	// pixels i/4 to end/4-1.
	for i := uint64(0); i < num && d.err == nil; {
		repeat := d.read(1) == 1
		n := d.read(sizes[d.read(2)])
		end := min(i+n+1, num)
		if repeat {
			if val := byte(d.word(wordSize)); val != 0 {
				for p := range mask[i/4 : end/4] {
					mask[i/4+uint64(p)] = val
				}
			}
			i = end
			continue
		}
		for ; i < end && d.err == nil; i++ {
			val := d.word(wordSize)
			if i%4 == 3 {
				mask[i/4] = byte(val)
			}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	return mask, nil
}

// rleReader reads bits, most significant first, from RLE byte values. The
// first fault is kept in err; reads after it return 0.
type rleReader struct {
	data []int
	pos  uint64 // bit position
	err  *MaskError
}

func (d *rleReader) read(n uint) uint64 {
	var v uint64
	for n > 0 && d.err == nil {
		idx := d.pos / 8
		if idx >= uint64(len(d.data)) {
			d.err = &MaskError{Pointer: "/rle", Message: "the RLE ends early"}
			return 0
		}
		b := d.data[idx]
		if b < 0 || b > 255 {
			d.err = &MaskError{Pointer: "/rle/" + strconv.FormatUint(idx, 10), Message: "RLE item " + strconv.Itoa(b) + " is not a byte"}
			return 0
		}
		avail := 8 - uint(d.pos%8) // bits left in this byte
		take := min(avail, n)
		v = v<<take | uint64(b>>(avail-take))&(1<<take-1)
		d.pos += uint64(take)
		n -= take
	}
	return v
}

// word reads one value; values wider than a byte are refused, as the mask
// holds bytes.
func (d *rleReader) word(size uint) uint64 {
	v := d.read(size)
	if v > 255 && d.err == nil {
		d.err = &MaskError{Pointer: "/rle", Message: "RLE value " + strconv.FormatUint(v, 10) + " does not fit in a byte"}
	}
	return v
}
