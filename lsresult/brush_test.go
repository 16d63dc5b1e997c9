package lsresult_test

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestBrushMask decodes the brush masks of the image fixture.
func TestBrushMask(t *testing.T) {
	rs := resultsOf(t, fixture("image.json"))
	size, _ := lsresult.SizeOf(&rs[7])
	sky, err := mustParse[*lsresult.Brush](t, rs[7]).Mask(size)
	if err != nil {
		t.Fatal(err)
	}
	if len(sky) != 1920*1080 {
		t.Fatalf("mask has %d bytes", len(sky))
	}
	at := func(m []byte, x, y int) byte { return m[y*1920+x] }
	count := func(m []byte) int {
		n := 0
		for _, b := range m {
			if b != 0 {
				if b != 255 {
					t.Errorf("mask byte %d", b)
				}
				n++
			}
		}
		return n
	}
	if n := count(sky); n != 200*1920+100*600 {
		t.Errorf("sky covers %d pixels", n)
	}
	for _, p := range []struct {
		x, y int
		want byte
	}{{0, 0, 255}, {1919, 199, 255}, {599, 299, 255}, {600, 200, 0}, {0, 300, 0}, {1919, 1079, 0}} {
		if got := at(sky, p.x, p.y); got != p.want {
			t.Errorf("sky at (%d, %d) = %d", p.x, p.y, got)
		}
	}
	paint, err := mustParse[*lsresult.Brush](t, rs[13]).Mask(size)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(paint); n != 50 || at(paint, 1000, 500) != 255 || at(paint, 1009, 504) != 255 || at(paint, 1010, 504) != 0 {
		t.Errorf("paint covers %d pixels", n)
	}
}

// bitWriter builds RLE streams for tests, most significant bit first.
type bitWriter struct{ bits []byte }

func (w *bitWriter) write(v uint64, n int) {
	for k := n - 1; k >= 0; k-- {
		w.bits = append(w.bits, byte(v>>uint(k)&1))
	}
}

func (w *bitWriter) ints() []int {
	bits := w.bits
	for len(bits)%8 != 0 {
		bits = append(bits, 0)
	}
	out := make([]int, len(bits)/8)
	for i := range out {
		for k := 0; k < 8; k++ {
			out[i] = out[i]<<1 | int(bits[i*8+k])
		}
	}
	return out
}

// encodeRLE is a straightforward encoder of Label Studio's brush RLE, for
// tests: one repeat chunk per run of equal values.
func encodeRLE(values []byte) []int {
	var w bitWriter
	sizes := []int{3, 4, 8, 16}
	w.write(uint64(len(values)), 32)
	w.write(7, 5)
	for _, s := range sizes {
		w.write(uint64(s-1), 4)
	}
	for i := 0; i < len(values); {
		j := i
		for j < len(values) && values[j] == values[i] && j-i < 1<<16 {
			j++
		}
		sel := 0
		for (j-i-1)>>uint(sizes[sel]) != 0 {
			sel++
		}
		w.write(1, 1)
		w.write(uint64(sel), 2)
		w.write(uint64(j-i-1), sizes[sel])
		w.write(uint64(values[i]), 8)
		i = j
	}
	return w.ints()
}

// TestBrushMaskRoundTrip encodes random masks and decodes them.
func TestBrushMaskRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for n := 0; n < 50; n++ {
		w, h := 1+rng.Intn(40), 1+rng.Intn(40)
		alpha := make([]byte, w*h)
		rgba := make([]byte, 4*w*h)
		for i := range alpha {
			if rng.Intn(3) == 0 {
				alpha[i] = byte(rng.Intn(256))
			}
			copy(rgba[4*i:], []byte{alpha[i], 0, alpha[i] / 2, alpha[i]})
		}
		b := lsresult.Brush{Format: "rle", RLE: encodeRLE(rgba)}
		got, err := b.Mask(lsresult.ImageSize{Width: int64(w), Height: int64(h)})
		if err != nil {
			t.Fatalf("%dx%d: %v", w, h, err)
		}
		if diff := cmp.Diff(alpha, got); diff != "" {
			t.Fatalf("%dx%d mask (-want +got):\n%s", w, h, diff)
		}
	}
}

// TestBrushMaskErrors checks malformed and mismatched masks.
func TestBrushMaskErrors(t *testing.T) {
	good := encodeRLE(make([]byte, 4*6))
	size := lsresult.ImageSize{Width: 3, Height: 2}
	tests := []struct {
		name string
		b    lsresult.Brush
		s    lsresult.ImageSize
		want string
	}{
		{"format", lsresult.Brush{Format: "png", RLE: good}, size, `format "png"`},
		{"no size", lsresult.Brush{RLE: good}, lsresult.ImageSize{}, "positive image size"},
		{"huge size", lsresult.Brush{RLE: good}, lsresult.ImageSize{Width: 1 << 20, Height: 1 << 20}, "too large"},
		{"wrong size", lsresult.Brush{RLE: good}, lsresult.ImageSize{Width: 2, Height: 2}, "holds 24 values, want 16"},
		{"empty", lsresult.Brush{}, size, "ends early"},
		{"truncated", lsresult.Brush{RLE: good[:len(good)-1]}, size, "ends early"},
		{"not a byte", lsresult.Brush{RLE: append([]int{0, 0, 0, 24, 300}, good[5:]...)}, size, "not a byte"},
		{"too short for count", lsresult.Brush{RLE: []int{0x40, 0, 0, 0, 0}}, lsresult.ImageSize{Width: 16384, Height: 16384}, "too short"},
		{"the capture's made-up RLE", lsresult.Brush{RLE: []int{0, 0, 19, 224, 0, 255, 3, 7, 255, 224, 0, 0}}, lsresult.ImageSize{Width: 640, Height: 480}, "holds 5088 values"},
	}
	for _, tt := range tests {
		_, err := tt.b.Mask(tt.s)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "lsresult: ") {
			t.Errorf("%s: Mask error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
	// A word size over 8 bits holding a value over 255 is refused; one
	// holding bytes is read.
	for _, val := range []uint64{300, 200} {
		var w bitWriter
		w.write(4, 32)
		w.write(15, 5) // 16-bit words
		for i := 0; i < 4; i++ {
			w.write(2, 4) // 3-bit run lengths
		}
		w.write(1, 1)
		w.write(0, 2)
		w.write(3, 3) // a run of 4
		w.write(val, 16)
		m, err := (&lsresult.Brush{RLE: w.ints()}).Mask(lsresult.ImageSize{Width: 1, Height: 1})
		if val > 255 && (err == nil || !strings.Contains(err.Error(), "does not fit in a byte")) {
			t.Errorf("wide word %d: %v", val, err)
		}
		if val <= 255 && (err != nil || len(m) != 1 || m[0] != byte(val)) {
			t.Errorf("wide word %d: %v, %v", val, m, err)
		}
	}
}

// TestMaskLimit checks the bound on masks: a mask larger than the limit
// is refused with a *MaskSizeError before anything is allocated, whatever
// the RLE claims; a stream that encodes more or fewer values than its
// image has pixels is refused with a *MaskError, also before the mask is
// allocated.
func TestMaskLimit(t *testing.T) {
	// 64 KiB values of one repeated word per 8 bytes of RLE: a 39 KB
	// result can describe a 64 MiB mask.
	var w bitWriter
	const width, height = 8192, 8192
	w.write(4*width*height, 32)
	w.write(7, 5)
	for i := 0; i < 4; i++ {
		w.write(15, 4) // 16-bit run lengths
	}
	for left := 4 * width * height; left > 0; left -= 1 << 16 {
		w.write(1, 1)
		w.write(3, 2)
		w.write(1<<16-1, 16)
		w.write(255, 8)
	}
	big := &lsresult.Brush{Format: "rle", RLE: w.ints()}
	size := lsresult.ImageSize{Width: width, Height: height}
	t.Logf("an RLE of %d items describes a %d-byte mask", len(big.RLE), width*height)

	for _, limit := range []int64{width*height - 1, 1 << 20, 0, -1} {
		var err error
		n := testing.AllocsPerRun(3, func() { _, err = big.MaskLimit(size, limit) })
		var se *lsresult.MaskSizeError
		if !errors.As(err, &se) || se.Width != width || se.Height != height || se.Limit != max(limit, 0) {
			t.Errorf("limit %d: MaskLimit error = %v", limit, err)
		}
		if n > 1 {
			t.Errorf("limit %d: %v allocations to refuse, want only the error", limit, n)
		}
	}
	m, err := big.MaskLimit(size, width*height)
	if err != nil || len(m) != width*height || m[0] != 255 || m[len(m)-1] != 255 {
		t.Errorf("at the limit: %d bytes, %v", len(m), err)
	}
	huge := lsresult.ImageSize{Width: 1 << 15, Height: 1 << 15}
	if _, err := big.MaskLimit(huge, 1<<62); !errors.As(err, new(*lsresult.MaskSizeError)) {
		t.Errorf("a mask beyond the format's 1 GiB: %v", err)
	}

	// The image is 2x2, the stream encodes 3x2 or 1x2 pixels.
	for _, s := range []lsresult.ImageSize{{Width: 3, Height: 2}, {Width: 1, Height: 2}} {
		b := &lsresult.Brush{RLE: encodeRLE(make([]byte, 4*4))}
		var err error
		n := testing.AllocsPerRun(3, func() { _, err = b.Mask(s) })
		var me *lsresult.MaskError
		if !errors.As(err, &me) || me.Pointer != "/rle" || !strings.Contains(me.Message, "holds 16 values") {
			t.Errorf("%dx%d: Mask error = %#v", s.Width, s.Height, err)
		}
		if n > 6 {
			t.Errorf("%dx%d: %v allocations to refuse", s.Width, s.Height, n)
		}
	}
}

// TestMaskErrorPointers checks where a MaskError says the fault is.
func TestMaskErrorPointers(t *testing.T) {
	good := encodeRLE(make([]byte, 4*6))
	size := lsresult.ImageSize{Width: 3, Height: 2}
	bad := append([]int{}, good...)
	bad[5] = -1
	tests := []struct {
		b    lsresult.Brush
		want string
	}{
		{lsresult.Brush{Format: "png", RLE: good}, "/format"},
		{lsresult.Brush{RLE: bad}, "/rle/5"},
		{lsresult.Brush{RLE: good[:3]}, "/rle"},
	}
	for _, tt := range tests {
		_, err := tt.b.Mask(size)
		var me *lsresult.MaskError
		if !errors.As(err, &me) || me.Pointer != tt.want || !strings.HasPrefix(err.Error(), "lsresult: brush mask: "+tt.want+": ") {
			t.Errorf("Mask error = %v, want one at %s", err, tt.want)
		}
	}
}
