package lsresult

import (
	"strconv"
	"strings"
)

// floatOf reads a JSON number as a float64.
func (r *reader) floatOf(v []byte) (float64, bool) {
	if !isNumber(v) {
		r.typeProblem("number", v)
		return 0, false
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil {
		r.problem("number " + shorten(string(v)) + " is out of range for float64")
		return 0, false
	}
	return f, true
}

// intOf reads a JSON number that is an integer as JSON Schema counts them:
// integral values written with a fraction or an exponent (1.0, 1e3) too.
// It takes time linear in the literal, whatever its exponent.
func (r *reader) intOf(v []byte) (int64, bool) {
	if !isNumber(v) {
		r.typeProblem("integer", v)
		return 0, false
	}
	lit := string(v)
	if n, err := strconv.ParseInt(lit, 10, 64); err == nil {
		return n, true
	}
	neg := lit[0] == '-'
	lit = strings.TrimPrefix(lit, "-")
	mant, exp, hasExp := strings.Cut(strings.ToLower(lit), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	shift := -len(frac) // the value is digits * 10^(shift + e)
	for strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		shift++
	}
	if digits == "" {
		return 0, true // a zero such as 0.0 or 0e5
	}
	e := 0
	if hasExp {
		var err error
		if e, err = strconv.Atoi(exp); err != nil {
			// An exponent beyond int: huge (out of range) or tiny (a
			// fraction).
			if strings.HasPrefix(exp, "-") {
				r.problem("expected integer, but got number")
			} else {
				r.problem("integer " + shorten(string(v)) + " is out of range for int64")
			}
			return 0, false
		}
	}
	switch scale := shift + e; {
	case scale < 0:
		r.problem("expected integer, but got number")
		return 0, false
	case len(digits)+scale <= 19:
		s := digits + strings.Repeat("0", scale)
		if neg {
			s = "-" + s
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, true
		}
	}
	r.problem("integer " + shorten(string(v)) + " is out of range for int64")
	return 0, false
}

func isNumber(v []byte) bool { return v[0] == '-' || (v[0] >= '0' && v[0] <= '9') }

// shorten cuts a long literal for a message.
func shorten(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:20] + "..." + s[len(s)-10:] + " (" + strconv.Itoa(len(s)) + " bytes)"
}
