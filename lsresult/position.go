package lsresult

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
)

// Position is the start or end of a span, which Label Studio sends either as
// a JSON number or as a JSON string depending on the object being labeled:
//
//   - text: a character offset, a number ("start": 5);
//   - audio: seconds, a number ("start": 1.25);
//   - paragraphs: the paragraph index, a number or a string ("start": "0");
//   - time series: an index or a timestamp, a number, or a string formatted
//     with the object's timeFormat ("start": "2024-05-01 10:30:00");
//   - HTML labeled with a plain Labels tag: an XPath string.
//
// A Position keeps the form it was sent in, so it marshals back unchanged.
// The zero Position stands for an absent key; [NumberPosition] and
// [TextPosition] build the others. Compare Positions with == or Equal.
type Position struct {
	kind   positionKind
	number float64
	text   string
}

type positionKind uint8

const (
	positionAbsent positionKind = iota
	positionNumber
	positionText
)

// NumberPosition returns a Position sent as the JSON number f.
func NumberPosition(f float64) Position { return Position{kind: positionNumber, number: f} }

// TextPosition returns a Position sent as the JSON string s.
func TextPosition(s string) Position { return Position{kind: positionText, text: s} }

// IsZero reports whether the position is absent (the key was not sent, or
// was null).
func (p Position) IsZero() bool { return p.kind == positionAbsent }

// IsText reports whether the position was sent as a JSON string.
func (p Position) IsText() bool { return p.kind == positionText }

// Float returns the position as a number: the number sent, or the string
// sent if it spells a finite number ("3", "1.5"). ok is false for an absent
// position and for other strings.
func (p Position) Float() (f float64, ok bool) {
	switch p.kind {
	case positionNumber:
		return p.number, true
	case positionText:
		f, err := strconv.ParseFloat(p.text, 64)
		if err != nil || !finite(f) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

// Int returns the position as an integer: the number sent if it is
// integral and fits in an int64, or the string sent if it spells a decimal
// integer ("0", as paragraph indexes are often sent). ok is false
// otherwise.
func (p Position) Int() (n int64, ok bool) {
	switch p.kind {
	case positionNumber:
		f := p.number
		if f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
			return 0, false
		}
		return int64(f), true
	case positionText:
		n, err := strconv.ParseInt(p.text, 10, 64)
		if err != nil {
			return 0, false
		}
		return n, true
	}
	return 0, false
}

// String returns the string sent, or the number sent in its shortest form
// as encoding/json writes it ("5", "1.25", "1714720360000"); "" for an
// absent position.
func (p Position) String() string {
	switch p.kind {
	case positionNumber:
		return formatNumber(p.number)
	case positionText:
		return p.text
	}
	return ""
}

// Equal reports whether p and q hold the same form and value.
func (p Position) Equal(q Position) bool { return p == q }

// MarshalJSON writes the position in the form it was sent: a number, a
// string, or null when absent.
func (p Position) MarshalJSON() ([]byte, error) {
	switch p.kind {
	case positionNumber:
		if !finite(p.number) {
			return nil, errors.New("lsresult: position " + p.String() + " is not a JSON number")
		}
		return []byte(formatNumber(p.number)), nil
	case positionText:
		return json.Marshal(p.text)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads a JSON number, string or null (absent); a problem
// is returned as an [*Error].
func (p *Position) UnmarshalJSON(data []byte) error { return unmarshal(data, p) }

func (p *Position) readJSON(r *reader, v []byte) {
	switch {
	case v[0] == 'n':
		*p = Position{}
	case v[0] == '"':
		*p = TextPosition(unquote(v))
	case isNumber(v):
		if f, ok := r.floatOf(v); ok {
			*p = NumberPosition(f)
		}
	default:
		r.typeProblem("number or string", v)
	}
}
