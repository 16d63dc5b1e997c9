package lswebhooktest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// Marshal returns the body a Label Studio server would send for ev: the
// event's JSON (see the MarshalJSON methods of the lswebhook event types)
// written the way Python's json module writes it, with ", " and ": "
// between members and every non-ASCII character escaped. Member order and
// number formatting are Go's (Label Studio writes 1.0 where Go writes 1).
//
// Without faults, Marshal guarantees that [lswebhook.Decode] accepts the
// body: it decodes the body and returns the decoding error, if any, so an
// event changed into something no server sends is reported here rather
// than in the receiver under test. Each fault makes the body invalid in
// one documented way; see [Fault].
func Marshal(ev lswebhook.Event, faults ...Fault) ([]byte, error) {
	if ev == nil {
		return nil, errors.New("lswebhooktest: nil event")
	}
	m, ok := ev.(json.Marshaler)
	if !ok {
		return nil, fmt.Errorf("lswebhooktest: %T has no MarshalJSON method", ev)
	}
	compact, err := m.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("lswebhooktest: encoding %s: %w", ev.Action(), err)
	}
	tree, err := parseTree(compact)
	if err != nil {
		return nil, fmt.Errorf("lswebhooktest: reading the encoding of %s: %w", ev.Action(), err)
	}
	var late []Fault
	for _, f := range faults {
		if f.edit == nil {
			late = append(late, f)
			continue
		}
		if err := f.edit(tree); err != nil {
			return nil, fmt.Errorf("lswebhooktest: %s: %w", f.name, err)
		}
	}
	var b bytes.Buffer
	tree.writePython(&b)
	body := b.Bytes()
	for _, f := range late {
		if body, err = f.finish(body); err != nil {
			return nil, fmt.Errorf("lswebhooktest: %s: %w", f.name, err)
		}
	}
	if len(faults) == 0 {
		if _, err := lswebhook.Decode(body); err != nil {
			return nil, fmt.Errorf("lswebhooktest: the %s event does not encode to a payload Decode accepts: %w", ev.Action(), err)
		}
	}
	return body, nil
}

// Body is [Marshal] for tests: it panics instead of returning an error,
// as [net/http/httptest.NewRequest] does for a malformed target.
func Body(ev lswebhook.Event, faults ...Fault) []byte {
	b, err := Marshal(ev, faults...)
	if err != nil {
		panic(err)
	}
	return b
}

// A Fault makes [Marshal] write an invalid or unusual body, for testing
// what a receiver does with a delivery it must refuse or limit. Faults
// apply in order; the body faults (Oversize, Truncated) apply after the
// member faults, whatever their place.
type Fault struct {
	name   string
	edit   func(*node) error
	finish func([]byte) ([]byte, error)
}

// String returns the fault as written in Go, such as
// `MissingMember("/annotation/id")`.
func (f Fault) String() string { return f.name }

// MissingMember removes the member at a JSON pointer (RFC 6901), such as
// "/annotation/id" or "/tasks/0/data". Removing a required member (an
// id) makes Decode return a *lswebhook.ValidationError, removing another
// one makes the event report it as drift (lswebhook.Event.Drift); removing
// "/action" makes it return an error wrapping lswebhook.ErrMissingAction.
func MissingMember(pointer string) Fault {
	return Fault{name: fmt.Sprintf("MissingMember(%q)", pointer), edit: func(root *node) error {
		parent, key, i, err := root.lookup(pointer)
		if err != nil {
			return err
		}
		if parent.kind != '{' {
			return fmt.Errorf("%s is an array element (key %s), not an object member", pointer, key)
		}
		parent.keys = append(parent.keys[:i], parent.keys[i+1:]...)
		parent.elems = append(parent.elems[:i], parent.elems[i+1:]...)
		return nil
	}}
}

// WrongType replaces the value at a JSON pointer with a value of another
// JSON type: a number becomes a string of its digits ("7"), a string
// becomes the number 7, a boolean the string "true", null the number 0,
// an object or an array the string "x". Decode then returns a
// *lswebhook.ValidationError whose problem is at that pointer (or, for
// "/action", an error wrapping lswebhook.ErrMissingAction).
func WrongType(pointer string) Fault {
	return Fault{name: fmt.Sprintf("WrongType(%q)", pointer), edit: func(root *node) error {
		parent, _, i, err := root.lookup(pointer)
		if err != nil {
			return err
		}
		v := parent.elems[i]
		var w *node
		switch v.kind {
		case '0':
			w = &node{kind: '"', text: v.text}
		case '"':
			w = &node{kind: '0', text: "7"}
		case 't', 'f':
			w = &node{kind: '"', text: "true"}
		case 'n':
			w = &node{kind: '0', text: "0"}
		default:
			w = &node{kind: '"', text: "x"}
		}
		parent.elems[i] = w
		return nil
	}}
}

// UnknownAction replaces the action with name, which must be an action
// the library does not know, such as "SOMETHING_NEW". Decode returns an
// *lswebhook.UnknownEvent with a nil error, unless the decoder disallows
// unknown actions.
func UnknownAction(name string) Fault {
	return Fault{name: fmt.Sprintf("UnknownAction(%q)", name), edit: func(root *node) error {
		if name == "" {
			return errors.New("empty action")
		}
		if _, known := lswebhook.Action(name).Canonical(); known {
			return fmt.Errorf("%s is a known action", name)
		}
		i := root.member("action")
		if i < 0 {
			return errors.New("the body has no action")
		}
		root.elems[i] = &node{kind: '"', text: name}
		return nil
	}}
}

// Oversize pads the body to exactly n bytes with a top-level member
// "padding" holding a string of "x": the body stays a valid payload
// (Decode keeps the member in Extra) but is larger than a receiver may
// accept, such as lswebhook.DefaultMaxBodyBytes+1. n must leave room for
// the member (about 16 bytes more than the body without it).
func Oversize(n int) Fault {
	return Fault{name: fmt.Sprintf("Oversize(%d)", n), finish: func(body []byte) ([]byte, error) {
		const member = `, "padding": ""`
		if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
			return nil, errors.New("the body is not an object")
		}
		if bytes.Contains(body, []byte(`"padding": `)) {
			return nil, errors.New(`the body already has a "padding" member`)
		}
		pad := n - len(body) - len(member)
		if pad < 0 {
			return nil, fmt.Errorf("the body is already %d bytes; want at least %d", len(body), len(body)+len(member))
		}
		out := make([]byte, 0, n)
		out = append(out, body[:len(body)-1]...)
		out = append(out, `, "padding": "`...)
		out = append(out, strings.Repeat("x", pad)...)
		out = append(out, `"}`...)
		return out, nil
	}}
}

// Truncated cuts the body in the middle, as a connection closed during the
// delivery would: Decode returns a *lswebhook.SyntaxError.
func Truncated() Fault {
	return Fault{name: "Truncated()", finish: func(body []byte) ([]byte, error) {
		return body[:len(body)/2], nil
	}}
}
