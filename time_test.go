package lswebhook_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

func TestTimeForms(t *testing.T) {
	tests := []struct {
		in    string // JSON
		want  time.Time
		write string // JSON written back
	}{
		{`"2021-08-17T13:51:02.590839Z"`, time.Date(2021, 8, 17, 13, 51, 2, 590839000, time.UTC), `"2021-08-17T13:51:02.590839Z"`},
		{`"2021-08-17T13:51:02Z"`, time.Date(2021, 8, 17, 13, 51, 2, 0, time.UTC), `"2021-08-17T13:51:02Z"`},
		{`"2021-08-17T13:51:02.5Z"`, time.Date(2021, 8, 17, 13, 51, 2, 500000000, time.UTC), `"2021-08-17T13:51:02.500000Z"`},
		{`"2021-08-17T13:51:02.123456789Z"`, time.Date(2021, 8, 17, 13, 51, 2, 123456789, time.UTC), `"2021-08-17T13:51:02.123456789Z"`},
		{`"2021-08-17T13:51:02.123456000Z"`, time.Date(2021, 8, 17, 13, 51, 2, 123456000, time.UTC), `"2021-08-17T13:51:02.123456Z"`},
		{`"2021-08-17T15:51:02.590839+02:00"`, time.Date(2021, 8, 17, 13, 51, 2, 590839000, time.UTC), `"2021-08-17T15:51:02.590839+02:00"`},
		{`"2021-08-17T13:51:02+00:00"`, time.Date(2021, 8, 17, 13, 51, 2, 0, time.UTC), `"2021-08-17T13:51:02Z"`},
		{`"2021-08-17T13:51:02.590839"`, time.Date(2021, 8, 17, 13, 51, 2, 590839000, time.UTC), `"2021-08-17T13:51:02.590839Z"`},
		{`null`, time.Time{}, `null`},
	}
	for _, tt := range tests {
		var got lswebhook.Time
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if !got.Time.Equal(tt.want) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got.Time, tt.want)
		}
		out, err := json.Marshal(got)
		if err != nil || string(out) != tt.write {
			t.Errorf("Marshal(%s) = %s, %v; want %s", tt.in, out, err, tt.write)
		}
	}
	for _, bad := range []string{`"yesterday"`, `"2021-08-17 13:51:02Z"`, `"2021-13-01T00:00:00Z"`, `17`, `""`, `{}`} {
		var got lswebhook.Time
		if err := json.Unmarshal([]byte(bad), &got); err == nil {
			t.Errorf("Unmarshal(%s) accepted it as %v", bad, got)
		}
	}
	if s := (lswebhook.Time{}).String(); s != "null" {
		t.Errorf("zero Time String() = %q", s)
	}
}
