package lswebhook

import (
	"errors"
	"strconv"
)

// Mask decodes the brush's RLE into the mask of the image described by s:
// one byte per pixel, row by row from the top-left corner, 0 outside the
// mask and up to 255 inside (the alpha channel of the RGBA image Label
// Studio encodes; the color channels only carry the display color). The
// slice has s.Width*s.Height bytes; the size is usually the result's
// [Result.ImageSize].
//
// Label Studio's RLE is a bit stream (most significant bit first) over the
// RLE bytes: a 32-bit count of values, a 5-bit word size less one, four
// 4-bit run-length sizes less one, then chunks of a 1-bit kind, a 2-bit
// size selector, a run length less one in that many bits, and either one
// word repeated over the run or one word per value. Mask returns an error
// if the stream is truncated or malformed, if its value count is not
// 4*Width*Height, or if the format is not "rle".
func (v *BrushValue) Mask(s ImageSize) ([]byte, error) {
	if v.Format != "" && v.Format != "rle" {
		return nil, errors.New("lswebhook: brush format " + strconv.Quote(v.Format) + " is not \"rle\"")
	}
	if s.Width <= 0 || s.Height <= 0 {
		return nil, errors.New("lswebhook: brush mask needs a positive image size")
	}
	if s.Width > 1<<31/s.Height {
		return nil, errors.New("lswebhook: image size " + strconv.FormatInt(s.Width, 10) + "x" + strconv.FormatInt(s.Height, 10) + " is too large for a mask")
	}
	pixels := s.Width * s.Height
	d := rleReader{data: v.RLE}
	num, err := d.read(32)
	if err != nil {
		return nil, err
	}
	if num != uint64(pixels)*4 {
		return nil, errors.New("lswebhook: brush RLE holds " + strconv.FormatUint(num, 10) + " values, want " + strconv.FormatInt(pixels*4, 10) + " for a " + strconv.FormatInt(s.Width, 10) + "x" + strconv.FormatInt(s.Height, 10) + " RGBA image")
	}
	// Each chunk takes at least 1+2+1+1 bits and yields at most 1<<16
	// values: refuse counts the stream cannot produce before allocating.
	if maxValues := (uint64(len(v.RLE))*8/5 + 1) << 16; num > maxValues {
		return nil, errors.New("lswebhook: brush RLE is too short for " + strconv.FormatUint(num, 10) + " values")
	}
	w, err := d.read(5)
	if err != nil {
		return nil, err
	}
	wordSize := uint(w) + 1
	var sizes [4]uint
	for i := range sizes {
		n, err := d.read(4)
		if err != nil {
			return nil, err
		}
		sizes[i] = uint(n) + 1
	}
	mask := make([]byte, pixels)
	put := func(i uint64, val uint64) {
		if i%4 == 3 {
			mask[i/4] = byte(val)
		}
	}
	for i := uint64(0); i < num; {
		kind, err := d.read(1)
		if err != nil {
			return nil, err
		}
		sel, err := d.read(2)
		if err != nil {
			return nil, err
		}
		n, err := d.read(sizes[sel])
		if err != nil {
			return nil, err
		}
		end := i + n + 1
		if end > num {
			end = num
		}
		if kind == 1 {
			val, err := d.readWord(wordSize)
			if err != nil {
				return nil, err
			}
			for ; i < end; i++ {
				put(i, val)
			}
			continue
		}
		for ; i < end; i++ {
			val, err := d.readWord(wordSize)
			if err != nil {
				return nil, err
			}
			put(i, val)
		}
	}
	return mask, nil
}

// rleReader reads bits, most significant first, from RLE byte values.
type rleReader struct {
	data []int
	pos  uint64 // bit position
}

func (d *rleReader) read(n uint) (uint64, error) {
	var v uint64
	for k := uint(0); k < n; k++ {
		idx := d.pos / 8
		if idx >= uint64(len(d.data)) {
			return 0, errors.New("lswebhook: brush RLE ends early")
		}
		b := d.data[idx]
		if b < 0 || b > 255 {
			return 0, errors.New("lswebhook: brush RLE item " + strconv.FormatUint(idx, 10) + " is " + strconv.Itoa(b) + ", not a byte")
		}
		bit := (b >> (7 - d.pos%8)) & 1
		v = v<<1 | uint64(bit)
		d.pos++
	}
	return v, nil
}

// readWord reads one value; values wider than a byte are refused, as the
// mask holds bytes.
func (d *rleReader) readWord(size uint) (uint64, error) {
	v, err := d.read(size)
	if err != nil {
		return 0, err
	}
	if v > 255 {
		return 0, errors.New("lswebhook: brush RLE value " + strconv.FormatUint(v, 10) + " does not fit in a byte")
	}
	return v, nil
}
