package jsontape

import (
	"math/bits"
	"testing"
)

// firstSpecial is the byte-at-a-time reference for stringSpecial: the
// index of the first byte of w a string cannot hold as it is, or 8.
func firstSpecial(w uint64) int {
	for i := 0; i < 8; i++ {
		if c := byte(w >> (8 * i)); !strSafe[c] {
			return i
		}
	}
	return 8
}

// TestStringSpecial checks the word-at-a-time string scan against a
// byte-at-a-time reference: every byte value at every position, among
// ordinary and random neighbours; the mask's lowest bit must be at the
// first special byte exactly.
func TestStringSpecial(t *testing.T) {
	words := []uint64{0x6161616161616161, 0x2020202020202020, 0x7e7e7e7e7e7e7e7e, 0x2121212121212121, 0x2222222222222222, 0x5c5c5c5c5c5c5c5c, 0x1f1f1f1f1f1f1f1f, 0x8080808080808080}
	seed := uint64(1)
	for i := 0; i < 1000; i++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		words = append(words, seed, seed&0x7f7f7f7f7f7f7f7f, (seed&0x3f3f3f3f3f3f3f3f)|0x4040404040404040)
	}
	for _, base := range words {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				w := base&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
				m := stringSpecial(w)
				got := 8
				if m != 0 {
					got = bits.TrailingZeros64(m) >> 3
				}
				if want := firstSpecial(w); got != want {
					t.Fatalf("stringSpecial(%#016x) = %#016x: first special byte %d, want %d", w, m, got, want)
				}
			}
		}
	}
}

// TestScanString checks scanString against a byte loop at every start
// and length, with the special byte anywhere and nowhere.
func TestScanString(t *testing.T) {
	for _, special := range []byte{'"', '\\', 0, 0x1f, 0x7f + 1, 0xff} {
		for n := 0; n <= 24; n++ {
			for at := 0; at <= n; at++ {
				d := make([]byte, n)
				for i := range d {
					d[i] = 'a' + byte(i%26)
				}
				if at < n {
					d[at] = special
				}
				for start := 0; start <= n; start++ {
					want := start
					for want < n && strSafe[d[want]] {
						want++
					}
					if got := scanString(d, start); got != want {
						t.Fatalf("scanString(%q, %d) = %d, want %d", d, start, got, want)
					}
				}
			}
		}
	}
}
