package lswebhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// RedactedText is what formatting and logging print in place of a
// non-empty [Secret].
const RedactedText = "[REDACTED]"

// A Secret is a string that formatting and logging do not show: the invite
// token and the task-data credentials a webhook project carries in clear
// text ([Project.Token], [Project.TaskDataLogin],
// [Project.TaskDataPassword]). Use [Secret.Reveal] to read the value.
//
// Formatting and logging hide the value. For a non-empty secret, String,
// every fmt verb and LogValue give [RedactedText] ("[REDACTED]"); for an
// empty one they give "", so that a log still tells a set credential from
// an unset one. The verbs %v, %+v, %s, %q, %x and %X format that text as
// they would a string (%q gives "\"[REDACTED]\"", %x the marker's hex
// digits), %#v gives the Go syntax of GoString, and any other verb, %d
// say, prints %!d(lswebhook.Secret=[REDACTED]) as fmt does for a verb a
// type does not take. fmt prints a value by reflection, without its methods, for %p on a
// value that is not a pointer, for %w outside [fmt.Errorf] or with an
// argument that is not an error, and inside unexported struct fields: the
// text sits behind a pointer, so these paths show an address, never the
// text. The rules hold for a Secret inside any value fmt prints, such as a
// [Project] or an event. A Secret implements no TextMarshaler, so text
// encoders use String.
//
// JSON keeps the value. MarshalJSON writes the secret as the JSON string
// it was and UnmarshalJSON reads it back, so a decoded event marshals to a
// payload that can be forwarded and decodes to an equal event. For the same
// reason [Event.Raw] holds the bytes as sent, secrets included: do not log
// JSON encodings of projects or events, and do not log Raw. In particular,
// slog's JSON handler encodes with [json.Marshal] any value that is not an
// [slog.LogValuer]: log a [Project], an event or a Secret itself (each is a
// LogValuer), not a struct of your own that holds one.
//
// The zero Secret is empty. JSON null and "" both decode to it, and it
// encodes as "". Compare secrets with [Secret.Equal]: a Secret is not
// comparable with ==.
type Secret struct {
	_ [0]func() // not comparable: == would compare pointers, not values
	// v points to the value; nil when empty. A pointer, so that fmt
	// printing by reflection (bad verbs) shows an address.
	v *string
}

// NewSecret returns a Secret holding s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: &s}
}

// Reveal returns the value of the secret; "" for an empty one.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == nil || *s.v == "" }

// Equal reports whether s and t hold the same value. It compares in time
// that depends on the lengths and contents; it is not meant for checking
// credentials against an attacker's guess.
func (s Secret) Equal(t Secret) bool { return s.Reveal() == t.Reveal() }

// String returns [RedactedText] for a non-empty secret and "" for an empty
// one, never the value.
func (s Secret) String() string {
	if s.IsZero() {
		return ""
	}
	return RedactedText
}

// GoString returns lswebhook.Secret{} for an empty secret and
// lswebhook.NewSecret("[REDACTED]") otherwise, never the value. It
// implements [fmt.GoStringer].
func (s Secret) GoString() string {
	if s.IsZero() {
		return "lswebhook.Secret{}"
	}
	return `lswebhook.NewSecret("` + RedactedText + `")`
}

// Format implements [fmt.Formatter] as described on [Secret]: every verb
// it receives prints [Secret.String] or [Secret.GoString], never the value.
func (s Secret) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			_, _ = io.WriteString(f, s.GoString())
			return
		}
		fallthrough
	case 's', 'q', 'x', 'X':
		fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
	default:
		fmt.Fprintf(f, "%%!%c(lswebhook.Secret=%s)", verb, s.String())
	}
}

// LogValue implements [slog.LogValuer]: a string value, [RedactedText] or
// "", never the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the value as a JSON string ("" when empty), without
// escaping HTML characters: JSON keeps secrets, see [Secret].
func (s Secret) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s.Reveal()); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a JSON string, or null for the empty secret. Any
// other JSON value is an error, which does not quote the data.
func (s *Secret) UnmarshalJSON(data []byte) error {
	return unmarshalString(data, "secret: expected string", func(v string) error {
		*s = NewSecret(v)
		return nil
	}, func() { *s = Secret{} })
}
