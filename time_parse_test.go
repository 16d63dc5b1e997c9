package lswebhook

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// checkParseTime fails t unless parseTime and the time.Parse path read s
// the same: the same time (== on time.Time: instant, location and all)
// or the same error text.
func checkParseTime(t *testing.T, s string) (fast bool) {
	t.Helper()
	got, gerr := parseTime(s)
	want, werr := parseTimeLayouts(s)
	switch {
	case (gerr == nil) != (werr == nil):
		t.Errorf("parseTime(%q): error %v, time.Parse path: error %v", s, gerr, werr)
	case gerr != nil && gerr.Error() != werr.Error():
		t.Errorf("parseTime(%q): error %q, want %q", s, gerr, werr)
	case !sameTime(got, want):
		t.Errorf("parseTime(%q) = %v (%v), time.Parse path: %v (%v)", s, got, got.Location(), want, want.Location())
	}
	_, fast = parseTimeUTC(s)
	if fast && got != want {
		t.Errorf("parseTimeUTC(%q) = %#v, time.Parse path: %#v", s, got, want)
	}
	return fast
}

// sameTime reports whether a and b are the same instant in the same kind
// of location. Two calls of time.Parse with a numeric offset return
// distinct *time.Location values, so == cannot compare those.
func sameTime(a, b time.Time) bool {
	an, ao := a.Zone()
	bn, bo := b.Zone()
	return a.Equal(b) && an == bn && ao == bo && a.Location().String() == b.Location().String() &&
		(a.Location() == time.Local) == (b.Location() == time.Local) && a.Nanosecond() == b.Nanosecond()
}

// timeParts are the pieces generated strings are made of: every form
// Label Studio sends, the edges of each range, and the leniencies and
// quirks of time.Parse (comma fractions, single-digit hours, fractions
// beyond nine digits, leap seconds, year 0000, offsets like +24:00).
var timeParts = [][]string{
	{"2021", "0000", "0001", "1969", "1970", "1999", "2000", "2024", "2100", "2400", "9999", "abcd", "-001", "+123", " 123", "202"},
	{"-"},
	{"01", "02", "12", "00", "13", "1", "1x", " 1", "09"},
	{"-"},
	{"01", "28", "29", "30", "31", "00", "32", "1", "9x"},
	{"T", "t", " ", "T"},
	{"00", "09", "23", "24", "1", "9", "99"},
	{":"},
	{"00", "59", "60", "5", "07"},
	{":", ":", "-"},
	{"00", "59", "60", "61", "5", "05"},
	{"", "", ".", ".0", ".5", ".123456", ".590839", ".123456789", ".1234567891", ".99999999999", ",5", ".x", "..5", ".000000000000000001"},
	{"", "Z", "Z", "z", "+00:00", "-00:00", "+24:00", "+23:59", "-23:59", "+02:00", "+0200", "+02", "ZZ", " ", "Z ", "+02:60", "+2:00"},
}

func TestParseTimeAgreesWithTimeParse(t *testing.T) {
	for _, s := range []string{
		"", "Z", "2021-08-17T13:51:02.590839Z", "2021-08-17T13:51:02Z", "2021-08-17T13:51:02",
		"2021-08-17T13:51:02.590839", "2021-08-17T15:51:02.590839+02:00", "0000-01-01T00:00:00Z",
		"0000-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2023-02-29T00:00:00Z",
		"9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.9Z",
		"2021-08-17T13:51:60Z", "2021-08-17T24:00:00Z", "2021-08-17T13:51:02.Z", "2021-08-17T13:51:02.",
	} {
		checkParseTime(t, s)
	}
	rng := rand.New(rand.NewPCG(19, 2021))
	n := 200000
	if testing.Short() {
		n = 20000
	}
	fast := 0
	var b strings.Builder
	for range n {
		b.Reset()
		for k, choices := range timeParts {
			// Mostly the first choice (valid) for the date and time, so
			// that one or two odd parts at a time are tried.
			c := choices[0]
			if k >= len(timeParts)-2 || rng.IntN(5) == 0 {
				c = choices[rng.IntN(len(choices))]
			}
			b.WriteString(c)
		}
		if checkParseTime(t, b.String()) {
			fast++
		}
	}
	t.Logf("%d of %d generated strings took the fast path", fast, n)
	// The generator must reach the fast path often, or the test says
	// little about it.
	if fast < n/100 {
		t.Errorf("only %d of %d generated strings took the fast path", fast, n)
	}
}

func TestParseTimeUTCForms(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2021-08-17T13:51:02.590839Z", time.Date(2021, 8, 17, 13, 51, 2, 590839000, time.UTC)},
		{"2021-08-17T13:51:02", time.Date(2021, 8, 17, 13, 51, 2, 0, time.UTC)},
		{"0000-03-01T00:00:00.1234567891Z", time.Date(0, 3, 1, 0, 0, 0, 123456789, time.UTC)},
		{"1600-02-29T23:59:59.9", time.Date(1600, 2, 29, 23, 59, 59, 900000000, time.UTC)},
	} {
		got, ok := parseTimeUTC(tt.in)
		if !ok || got != tt.want {
			t.Errorf("parseTimeUTC(%q) = %v, %t; want %v", tt.in, got, ok, tt.want)
		}
	}
	for _, s := range []string{"2021-08-17T15:51:02+02:00", "2021-08-17T13:51:02,5Z", "2021-08-17T1:51:02Z", "2021-02-29T00:00:00Z"} {
		if got, ok := parseTimeUTC(s); ok {
			t.Errorf("parseTimeUTC(%q) = %v, want it left to time.Parse", s, got)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2021-08-17T13:51:02.590839Z", "2021-08-17T13:51:02", "2021-08-17T15:51:02+02:00",
		"0000-01-01T00:00:00Z", "2021-08-17T13:51:60Z", "2021-08-17T13:51:02,5Z", "2021-08-17T1:51:02Z",
		"2021-08-17T13:51:02.1234567891Z", "2021-08-17T13:51:02+24:00", "2024-02-29T00:00:00.Z",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkParseTime(t, s)
	})
}

func BenchmarkParseTime(b *testing.B) {
	for _, s := range []string{"2026-12-03T08:01:26.205845Z", "2026-12-03T08:01:26.205845"} {
		b.Run("fast/"+s, func(b *testing.B) {
			for b.Loop() {
				if _, err := parseTime(s); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("layouts/"+s, func(b *testing.B) {
			for b.Loop() {
				if _, err := parseTimeLayouts(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
