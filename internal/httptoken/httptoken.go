// Package httptoken recognises the tokens of HTTP (RFC 9110, section 5.6.2),
// the syntax of header field names and of authentication schemes.
package httptoken

import "strings"

// Valid reports whether s is a token: one or more letters, digits and
// characters of "!#$%&'*+-.^_`|~".
func Valid(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
