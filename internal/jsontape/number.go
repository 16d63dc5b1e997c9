package jsontape

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// Numbers as the validator and the converter read them.

// SmallInt reads an integer literal of at most 18 digits; ok is false for
// anything else (a fraction, an exponent, more digits).
func SmallInt(b []byte) (v int64, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// Int64 converts a JSON number to int64. Integral values written with a
// fraction or exponent (1.0, 1e3) are accepted, as JSON Schema counts them
// as integers. The message says why n is refused; it is empty on success.
func Int64(n json.Number) (int64, string) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, ""
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return 0, "invalid number " + string(n)
	}
	if !r.IsInt() {
		return 0, "expected integer, but got number"
	}
	if !r.Num().IsInt64() {
		return 0, "integer " + Shorten(string(n)) + " is out of range for int64"
	}
	return r.Num().Int64(), ""
}

// IsIntegral reports whether a JSON number is an integer in JSON Schema's
// sense (1.0 and 1e3 are).
func IsIntegral(n json.Number) bool {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		return true
	}
	r, ok := new(big.Rat).SetString(s)
	return ok && r.IsInt()
}

// Shorten abbreviates a long literal for a message: its first 20 and last
// 10 bytes and its length.
func Shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:20] + "..." + s[len(s)-10:] + " (" + strconv.Itoa(len(s)) + " bytes)"
}
