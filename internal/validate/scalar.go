package validate

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// The checks of scalar values: strings, numbers, and the shortcut that
// settles a value whose schema checks only its type.

// settled reports whether value node vn satisfies n without a call to
// check: n checks only a value's type, vn is of that type, and it is not
// a number whose range needs a look. False means check decides.
func settled(n *Schema, vn *jsontape.Node) bool {
	if !n.typeOnly {
		return false
	}
	if vn.Kind != jsontape.Number {
		return n.kinds&(1<<vn.Kind) != 0
	}
	// At most 18 digits: an int64, and a float64.
	return vn.Flags&jsontape.Fraction == 0 && vn.End-vn.Start <= 18 && n.kinds&(1<<integerLiteral) != 0
}

// str checks the string keywords.
func (v *validator) str(n *Schema, nd *jsontape.Node) bool {
	x := v.t.View(nd, &v.buf)
	ok := true
	if n.minLength > 0 || n.maxLength >= 0 {
		l := utf8.RuneCountInString(x)
		if l < n.minLength {
			if v.report() {
				v.add("", "length must be at least "+strconv.Itoa(n.minLength)+", but got "+strconv.Itoa(l))
			}
			ok = false
		}
		if n.maxLength >= 0 && l > n.maxLength {
			if v.report() {
				v.add("", "length must be at most "+strconv.Itoa(n.maxLength)+", but got "+strconv.Itoa(l))
			}
			ok = false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(x) {
		if v.report() {
			v.add("", "does not match pattern "+strconv.Quote(n.pattern.String()))
		}
		ok = false
	}
	if n.dateTime != nil {
		if err := n.dateTime(x); err != nil {
			if v.report() {
				v.add("", err.Error())
			}
			ok = false
		}
	}
	return ok
}

// number checks that a number the schema allows fits the Go type that
// holds it: every integer-only member is an int64, every other number a
// float64.
func (v *validator) number(n *Schema, nd *jsontape.Node) bool {
	b := v.t.Data[nd.Start:nd.End]
	if nd.Flags&jsontape.Fraction == 0 {
		if _, ok := jsontape.SmallInt(b); ok {
			return true
		}
	}
	// A read-only view of the literal; nothing below keeps it.
	s := unsafe.String(unsafe.SliceData(b), len(b))
	if n.types&tNumber == 0 {
		if _, msg := jsontape.Int64(json.Number(s)); msg != "" {
			if v.report() {
				v.add("", msg)
			}
			return false
		}
		return true
	}
	if surelyFloat64(b) {
		return true
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		if v.report() {
			v.add("", "number "+jsontape.Shorten(s)+" is out of range for float64")
		}
		return false
	}
	return true
}

// surelyFloat64 reports whether the JSON number literal b is surely
// within the range of float64 (below 10^308 in magnitude), without
// converting it; false means it may not be, for strconv.ParseFloat to
// decide. Numbers too small for float64 are in range: they round to 0.
func surelyFloat64(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	for i < len(b) && b[i] == '0' {
		i++
	}
	digits := 0 // of the integer part, without leading zeros
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		digits++
	}
	for i < len(b) && b[i] != 'e' && b[i] != 'E' {
		i++ // the fraction
	}
	if i == len(b) {
		return digits <= 308
	}
	i++
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	if len(b)-i > 3 {
		return false
	}
	exp := 0
	for ; i < len(b); i++ {
		exp = exp*10 + int(b[i]-'0')
	}
	if neg {
		exp = -exp
	}
	return digits+exp <= 308
}
