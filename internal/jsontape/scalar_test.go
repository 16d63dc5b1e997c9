package jsontape

import "testing"

// TestHasStringSpecial checks the word-at-a-time string scan against a
// byte-at-a-time reference: every byte value at every position, among
// ordinary and random neighbours.
func TestHasStringSpecial(t *testing.T) {
	ref := func(w uint64) bool {
		for i := 0; i < 8; i++ {
			if c := byte(w >> (8 * i)); !strSafe[c] {
				return true
			}
		}
		return false
	}
	words := []uint64{0x6161616161616161, 0x2020202020202020, 0x7e7e7e7e7e7e7e7e, 0x2121212121212121}
	seed := uint64(1)
	for i := 0; i < 1000; i++ {
		seed = seed*6364136223846793005 + 1442695040888963407
		words = append(words, seed, seed&0x7f7f7f7f7f7f7f7f, (seed&0x3f3f3f3f3f3f3f3f)|0x4040404040404040)
	}
	for _, base := range words {
		for pos := 0; pos < 8; pos++ {
			for c := 0; c < 256; c++ {
				w := base&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
				if got, want := hasStringSpecial(w), ref(w); got != want {
					t.Fatalf("hasStringSpecial(%#016x) = %v, want %v", w, got, want)
				}
			}
		}
	}
}
