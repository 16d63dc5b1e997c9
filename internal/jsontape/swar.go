package jsontape

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf8"
)

// Scanning eight bytes at a time ("SWAR": SIMD within a register), with
// plain 64-bit loads and the bit tricks of "Bit Twiddling Hacks".

// Repeated bytes: lo has 0x01 in every byte, hi 0x80.
const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// strSafe marks the ASCII bytes a string holds as they are.
var strSafe = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// stringSpecial returns a mask of the bytes of w (little-endian: byte i is
// bits 8i to 8i+7) that a string cannot hold as they are: a quote, a
// backslash, a control character or a byte of a non-ASCII character. The
// mask is 0 exactly when there is none, and its lowest set bit, 8i+7, is
// exactly at the first such byte i; bits above it may be set falsely (a
// borrow of haszero and hasless runs into the byte above a match only).
func stringSpecial(w uint64) uint64 {
	quote, backslash := w^(swarLo*'"'), w^(swarLo*'\\')
	control := (w - swarLo*0x20) &^ w
	return (control | ((quote - swarLo) &^ quote) | ((backslash - swarLo) &^ backslash) | w) & swarHi
}

// scanString returns the index of the first byte at or after pos that a
// string cannot hold as it is (see stringSpecial), or len(d) if there is
// none.
func scanString(d []byte, pos int) int {
	for pos+8 <= len(d) {
		if m := stringSpecial(binary.LittleEndian.Uint64(d[pos:])); m != 0 {
			return pos + bits.TrailingZeros64(m)>>3
		}
		pos += 8
	}
	for pos < len(d) && strSafe[d[pos]] {
		pos++
	}
	return pos
}
