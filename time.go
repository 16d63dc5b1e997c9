package lswebhook

import (
	"encoding/json"
	"fmt"
	"time"
)

// Time is a timestamp as Label Studio writes it: RFC 3339 with an optional
// fractional second, in UTC with a "Z" suffix unless the server runs in
// another time zone.
//
// Time reads every form seen from Label Studio and Django REST Framework:
// with or without fractional seconds (any number of digits), with "Z" or a
// numeric offset, and, leniently, without any offset (a server with USE_TZ
// off), which is read as UTC. JSON null reads as the zero Time. Time writes
// the form Label Studio produces (Python's isoformat with "+00:00" written as
// "Z"): microseconds when they are not zero, no fraction otherwise (nine
// digits for a time finer than a microsecond), and the offset the time was
// read with. The zero Time writes null, unless it was read from a string
// (the instant 0001-01-01T00:00:00Z), which it writes back as sent.
type Time struct {
	time.Time

	sent bool // read from a JSON string, not from null or built in Go
}

// Equal reports whether t and u are the same instant. It makes Time
// comparable with [github.com/google/go-cmp/cmp].
func (t Time) Equal(u Time) bool { return t.Time.Equal(u.Time) }

// Layouts accepted by parseTime, most common first.
var timeLayouts = []string{
	time.RFC3339Nano,                // 2021-08-17T13:51:02.590839Z, ...+02:00, no fraction
	"2006-01-02T15:04:05.999999999", // no offset: read as UTC
}

// parseTime reads s in one of the forms described on [Time]. The forms
// Label Studio sends ("Z" or no offset, with or without a fraction) are
// read by parseTimeUTC; anything else (a numeric offset, and every
// leniency of time.Parse) by parseTimeLayouts, which decides alone what
// is refused and with which error.
func parseTime(s string) (time.Time, error) {
	if t, ok := parseTimeUTC(s); ok {
		return t, nil
	}
	return parseTimeLayouts(s)
}

// parseTimeLayouts is parseTime by time.Parse, trying each of timeLayouts.
func parseTimeLayouts(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an RFC 3339 date-time", s)
}

// format writes t the way Label Studio does. A time read with more than
// microsecond precision, which Label Studio never sends, keeps all nine
// digits so that it is written back as the same instant.
func (t Time) format() string {
	layout := "2006-01-02T15:04:05Z07:00"
	switch ns := t.Nanosecond(); {
	case ns%1000 != 0:
		layout = "2006-01-02T15:04:05.000000000Z07:00"
	case ns != 0:
		layout = "2006-01-02T15:04:05.000000Z07:00"
	}
	return t.Time.Format(layout)
}

// IsZero reports whether t is the zero Time and was not read from a
// string: such a time is written as null, and a struct field tagged
// omitzero leaves it out, so that a member the payload did not have is not
// written back.
func (t Time) IsZero() bool { return t.Time.IsZero() && !t.sent }

// String returns the time in the form Label Studio writes, or "null" for the
// zero Time (unless it was read from a string).
func (t Time) String() string {
	if t.IsZero() {
		return "null"
	}
	return t.format()
}

// MarshalJSON writes the time as a JSON string in Label Studio's form, or
// null for the zero Time (unless it was read from a string).
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	if y := t.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("lswebhook: time year %d outside 0000-9999", y)
	}
	return json.Marshal(t.format())
}

// UnmarshalJSON reads a JSON string in any of the forms described on [Time],
// or null.
func (t *Time) UnmarshalJSON(data []byte) error {
	return unmarshalString(data, "expected date-time string", func(s string) error {
		tt, err := parseTime(s)
		if err != nil {
			return err
		}
		*t = Time{Time: tt, sent: true}
		return nil
	}, func() { *t = Time{} })
}
