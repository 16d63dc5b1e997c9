package lswebhook

import (
	"bytes"
	"errors"
	"reflect"
	"sync"
	"unsafe"

	"github.com/seed-d2dfa170/lswebhook/internal/bind"
	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
	"github.com/seed-d2dfa170/lswebhook/internal/validate"
)

// This file joins the package to its decoding engine: the strict reader
// (internal/jsontape), the validator compiled from the bundled schemas
// (internal/validate) and the converter to the package's structs
// (internal/bind).

// DefaultMaxDepth is the nesting limit used when [Decoder.MaxDepth] is zero.
// The deepest value Label Studio itself produces is about 8 levels; the rest
// of the allowance is for user data inside tasks.
const DefaultMaxDepth = 1000

// MaxDepthLimit is the highest nesting limit a [Decoder] applies: a larger
// MaxDepth means MaxDepthLimit. Reading, validating and converting recurse
// once per level, so the limit keeps the stack far below Go's maximum
// whatever the setting.
const MaxDepthLimit = 10000

// DefaultMaxProblems is how many problems a [*ValidationError] lists unless
// [Decoder.MaxProblems] says otherwise; the rest are only counted.
const DefaultMaxProblems = 100

// depthLimit returns the nesting limit for a MaxDepth setting.
func depthLimit(maxDepth int) int {
	switch {
	case maxDepth <= 0:
		return DefaultMaxDepth
	case maxDepth > MaxDepthLimit:
		return MaxDepthLimit
	}
	return maxDepth
}

// memberKeys numbers the member names of the bundled schemas and of the
// event types, once: tapes carry each key's id, and the validator and the
// binder find a member's slot or field by it.
var memberKeys = sync.OnceValue(buildMemberKeys)

func buildMemberKeys() *jsontape.Keys {
	names := validate.MemberNames(Schemas())
	names = append(names, bind.MemberNames(eventTypes()...)...)
	return jsontape.NewKeys(append(names, "action"))
}

// eventTypes returns the struct type of every event.
func eventTypes() []reflect.Type {
	types := make([]reflect.Type, 0, len(registry)+1)
	for _, v := range registry {
		types = append(types, reflect.TypeOf(v.new()).Elem())
	}
	return append(types, reflect.TypeOf(UnknownEvent{}))
}

// binder stores tapes in the package's types, reading [Time] and [Secret]
// with their own rules.
var binder = sync.OnceValue(newBinder)

func newBinder() *bind.Binder {
	return bind.New(memberKeys(), map[reflect.Type]*bind.Hook{
		// parseTime keeps nothing of its argument (its error quotes a copy).
		reflect.TypeOf(Time{}): {Want: "date-time string", String: func(dst unsafe.Pointer, s string) error {
			tt, err := parseTime(s)
			if err != nil {
				return err
			}
			*(*Time)(dst) = Time{Time: tt, sent: true}
			return nil
		}},
		reflect.TypeOf(Secret{}): {Want: "string", Keep: true, String: func(dst unsafe.Pointer, s string) error {
			*(*Secret)(dst) = NewSecret(s)
			return nil
		}},
	}, bind.Map[ControlWeight]())
}

// parse reads data into a tape with the package's member keys, or returns
// the [*SyntaxError] that refuses it. The caller releases the tape.
func parse(data []byte, maxDepth int) (*jsontape.Tape, error) {
	t, serr := jsontape.Parse(data, depthLimit(maxDepth), memberKeys())
	if serr != nil {
		return nil, syntaxError(serr)
	}
	return t, nil
}

// syntaxError is the package's form of the reader's error.
func syntaxError(e *jsontape.SyntaxError) *SyntaxError {
	var cause error
	switch e.Cause {
	case jsontape.CauseTooDeep:
		cause = ErrTooDeep
	case jsontape.CauseNumberLimit:
		cause = ErrNumberLimit
	case jsontape.CauseTooLarge:
		cause = ErrTooLarge
	case jsontape.CauseNodeLimit:
		cause = ErrTooWide
	}
	return &SyntaxError{Offset: e.Offset, Line: e.Line, Column: e.Column, Pointer: e.Pointer, Msg: e.Msg, err: cause}
}

// problems converts the engine's problems to the package's.
func problems(ps []jsontape.Problem) []Problem {
	if ps == nil {
		return nil
	}
	out := make([]Problem, len(ps))
	for i, p := range ps {
		out[i] = Problem(p)
	}
	return out
}

// unmarshalTape parses data and stores it in v (a pointer to a type of
// this package) with the same exact-key rules as Decode, without schema
// validation. Any problem is returned as a *ValidationError without an
// action.
func unmarshalTape(data []byte, v any) error {
	// Raw JSON fields are cut from the bytes parsed, and UnmarshalJSON must
	// not keep its argument (a json.Decoder reuses its buffer): parse a copy.
	t, err := parse(bytes.Clone(data), DefaultMaxDepth)
	if err != nil {
		return err
	}
	defer t.Release()
	ps, total := binder().Decode(t, 0, v, "", DefaultMaxProblems)
	if total > 0 {
		return &ValidationError{Problems: problems(ps), More: total - len(ps)}
	}
	return nil
}

// unmarshalString reads data, one JSON string or null, for the
// UnmarshalJSON methods of [Time] and [Secret]: null calls null, a string
// calls str with its decoded value, and any other value is an error that
// says what was expected: "lswebhook: <expected>, but got number".
func unmarshalString(data []byte, expected string, str func(s string) error, null func()) error {
	t, err := parse(data, 1)
	if err != nil {
		return err
	}
	defer t.Release()
	switch n := &t.Nodes[0]; n.Kind {
	case jsontape.Null:
		null()
		return nil
	case jsontape.String:
		return str(t.Text(n))
	default:
		return errors.New("lswebhook: " + expected + ", but got " + t.TypeName(n))
	}
}
