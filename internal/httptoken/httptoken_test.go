package httptoken

import "testing"

func TestValid(t *testing.T) {
	for _, s := range []string{"X-Token", "Authorization", "a", "0", "!#$%&'*+-.^_`|~", "Basic"} {
		if !Valid(s) {
			t.Errorf("Valid(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "X Token", "X-Token:", "é", "a\x00", "(x)", "a/b", "\"q\"", "a\tb", "{", "a=b", "@", "x\x7f"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true, want false", s)
		}
	}
}

// TestValidAllBytes checks every single byte against the token alphabet
// written out differently: tchar is any visible ASCII character but the
// delimiters "(),/:;<=>?@[\]{} and DQUOTE.
func TestValidAllBytes(t *testing.T) {
	const delimiters = "\"(),/:;<=>?@[\\]{}"
	for b := 0; b < 256; b++ {
		want := b > 0x20 && b < 0x7f
		for i := 0; i < len(delimiters); i++ {
			if byte(b) == delimiters[i] {
				want = false
			}
		}
		if got := Valid(string([]byte{byte(b)})); got != want {
			t.Errorf("Valid(%q) = %v, want %v", []byte{byte(b)}, got, want)
		}
	}
}
