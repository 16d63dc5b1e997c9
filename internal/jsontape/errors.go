package jsontape

// Cause classifies a [SyntaxError] that a limit, not the grammar, caused.
type Cause uint8

// Causes of syntax errors.
const (
	CauseNone        Cause = iota // the grammar: a malformed document
	CauseTooDeep                  // nesting beyond the parse's limit
	CauseNumberLimit              // a number literal too long or its exponent too large
	CauseTooLarge                 // a document of 4 GiB or more
	CauseNodeLimit                // more values than Options.MaxNodes
)

// SyntaxError says where and why a document was refused.
type SyntaxError struct {
	// Offset is the number of bytes read before the problem was found.
	Offset int64
	// Line and Column locate Offset: both start at 1, and Column counts
	// bytes.
	Line, Column int
	// Pointer is the JSON Pointer of the value being read ("" for the top
	// level).
	Pointer string
	// Msg describes the problem.
	Msg string
	// Cause is the limit that refused the document, if any.
	Cause Cause
}

// Error returns the message with its offset.
func (e *SyntaxError) Error() string {
	return "jsontape: " + e.Msg
}

// Problem is one fault of a parsed document that a reader of the tape
// found: where it is and what is wrong.
type Problem struct {
	// Pointer is the RFC 6901 JSON Pointer of the faulty value.
	Pointer string
	// Message says what is wrong, in lower case.
	Message string
}
