package jsontape

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Strings and numbers: the reader's scanning of scalar values.

// str reads the string whose opening quote is at pos and returns the
// position after its closing quote. It checks escapes, surrogate pairs,
// control characters and UTF-8.
func (p *parser) str(pos int) int {
	d := p.data
	start := pos + 1 // after the opening quote
	pos = start
	var flags uint8
	for {
		pos = scanString(d, pos)
		if pos >= len(d) {
			p.failEOF(" in string")
		}
		if d[pos] == '"' {
			p.push(String, flags, uint32(start), uint32(pos))
			return pos + 1
		}
		if d[pos] == '\\' {
			flags = Escaped
		}
		pos = p.strSpecial(pos)
	}
}

// strSpecial reads what str found at pos that is not a plain ASCII
// character nor the closing quote: an escape, a control character (a
// fault) or a non-ASCII character, which must be valid UTF-8. It returns
// the position after it.
func (p *parser) strSpecial(pos int) int {
	d := p.data
	p.pos = pos
	switch c := d[pos]; {
	case c == '\\':
		if pos+1 >= len(d) {
			p.failEOF(" in string escape")
		}
		switch d[pos+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			return pos + 2
		case 'u':
			r := p.hex4(pos + 2)
			next := pos + 6
			if utf16.IsSurrogate(r) {
				if r >= 0xDC00 || next+1 >= len(d) || d[next] != '\\' || d[next+1] != 'u' {
					p.fail("lone UTF-16 surrogate in \\u escape")
				}
				r2 := p.hex4(next + 2)
				if utf16.DecodeRune(r, r2) == utf8.RuneError {
					p.fail("lone UTF-16 surrogate in \\u escape")
				}
				next += 6
			}
			return next
		default:
			p.pos++
			p.fail("invalid escape character " + quoteChar(d[p.pos]) + " in string")
		}
	case c < 0x20:
		p.fail("invalid control character " + quoteChar(c) + " in string literal")
	}
	r, size := utf8.DecodeRune(d[pos:])
	if r == utf8.RuneError && size <= 1 {
		p.fail("invalid UTF-8 in string")
	}
	return pos + size
}

func (p *parser) hex4(at int) rune {
	var r rune
	for k := at; k < at+4; k++ {
		if k >= len(p.data) {
			p.failEOF(" in \\u escape")
		}
		c := p.data[k]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			p.pos = k
			p.fail("invalid character " + quoteChar(c) + " in \\u hexadecimal character escape")
		}
		r = r<<4 | rune(d)
	}
	return r
}

// number reads the number literal at pos with parser.number's grammar
// and limits.
func (p *parser) number(pos int) int {
	start := pos
	d := p.data
	var flags uint8
	if d[pos] == '-' {
		pos++
	}
	if pos >= len(d) {
		p.failEOF(" in number")
	}
	switch c := d[pos]; {
	case c == '0':
		pos++
	case c >= '1' && c <= '9':
		pos++
		for pos < len(d) && d[pos]-'0' <= 9 {
			pos++
		}
	default:
		p.faultAt(pos, "invalid character "+quoteChar(c)+" in numeric literal")
	}
	if pos < len(d) && (d[pos] == '.' || d[pos]|0x20 == 'e') {
		flags = Fraction
		pos = p.numberTail(start, pos)
	}
	if pos-start > maxNumberLen {
		p.failCause = CauseNumberLimit
		p.faultAt(start, "number literal longer than "+strconv.Itoa(maxNumberLen)+" bytes")
	}
	p.push(Number, flags, uint32(start), uint32(pos))
	return pos
}

// numberTail reads the fraction and exponent at pos of a number literal
// that begins at start.
func (p *parser) numberTail(start, pos int) int {
	d := p.data
	if pos < len(d) && d[pos] == '.' {
		pos++
		if pos >= len(d) {
			p.failEOF(" in number")
		}
		if d[pos] < '0' || d[pos] > '9' {
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" after decimal point in numeric literal")
		}
		for pos < len(d) && d[pos] >= '0' && d[pos] <= '9' {
			pos++
		}
	}
	if pos < len(d) && (d[pos] == 'e' || d[pos] == 'E') {
		pos++
		if pos < len(d) && (d[pos] == '+' || d[pos] == '-') {
			pos++
		}
		if pos >= len(d) {
			p.failEOF(" in number")
		}
		if d[pos] < '0' || d[pos] > '9' {
			p.faultAt(pos, "invalid character "+quoteChar(d[pos])+" in exponent of numeric literal")
		}
		expStart := pos
		for pos < len(d) && d[pos] >= '0' && d[pos] <= '9' {
			pos++
		}
		digits := d[expStart:pos]
		for len(digits) > 1 && digits[0] == '0' {
			digits = digits[1:]
		}
		if n, _ := strconv.Atoi(string(digits)); len(digits) > 4 || n > maxNumberExponent {
			p.failCause = CauseNumberLimit
			p.faultAt(start, "number exponent beyond ±"+strconv.Itoa(maxNumberExponent))
		}
	}
	return pos
}
