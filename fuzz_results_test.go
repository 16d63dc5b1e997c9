package lswebhook_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// FuzzResultValue feeds arbitrary result types and value bytes to
// ParseValue and every helper built on it, seeded with every result of the
// fixtures. It checks that nothing panics, that errors are
// *ResultValueError without a value, that a parsed value marshals and
// parses back to an equal value, and that a value the schema accepts (in a
// whole ANNOTATION_CREATED) also parses.
func FuzzResultValue(f *testing.F) {
	for _, path := range validFixtures(f) {
		for _, a := range annotationsOf(f, path) {
			for _, r := range a.Result {
				f.Add(r.Type, []byte(r.Value))
			}
		}
	}
	for _, info := range lswebhook.ResultTypes() {
		f.Add(info.Type, []byte(`{}`))
		f.Add(info.Type, []byte(`null`))
	}
	f.Add("brush", []byte(`{"format":"rle","rle":[0,0,0,192,7,16,255,255,128]}`))
	f.Add("ranker", []byte(`{"ranker":["a","b"]}`))
	f.Fuzz(func(t *testing.T, typ string, value []byte) {
		r := lswebhook.Result{
			ID: "f1", FromName: "ctl", ToName: "obj", Type: typ, Value: value,
			OriginalWidth: 8, OriginalHeight: 6, ImageRotation: 90,
			FromID: "f1", ToID: "f2", Direction: "right",
		}
		v, err := r.ParseValue()
		if err != nil {
			var rve *lswebhook.ResultValueError
			if !errors.As(err, &rve) || v != nil || len(rve.Problems) == 0 {
				t.Fatalf("ParseValue = %T, %v", v, err)
			}
		} else {
			exercise(t, r, v)
			roundTrip(t, r, v)
		}
		_ = r.LabelNames()
		rs := lswebhook.GroupRegions([]lswebhook.Result{r, {Type: "relation", FromID: "f1", ToID: "f1"}})
		for _, g := range rs.All {
			_ = g.LabelNames()
		}
		schemaAgrees(t, typ, value, err)
	})
}

// exercise calls the helpers of a parsed value.
func exercise(t *testing.T, r lswebhook.Result, v lswebhook.ResultValue) {
	_ = v.LabelNames()
	size, _ := r.ImageSize()
	switch v := v.(type) {
	case *lswebhook.RectangleValue:
		px := v.Pixels(size)
		px.Bounds()
	case *lswebhook.EllipseValue:
		v.Pixels(size)
	case *lswebhook.KeyPointValue:
		size.Rotate(v.Pixels(size))
	case *lswebhook.PolygonValue:
		v.Pixels(size)
		v.IsClosed()
	case *lswebhook.VectorValue:
		v.Pixels(size)
	case *lswebhook.OCRLabelsValue:
		v.Pixels(size).Corners()
	case *lswebhook.BrushValue:
		if m, err := v.Mask(size); err == nil && len(m) != 48 {
			t.Fatalf("mask of %d bytes", len(m))
		}
	case *lswebhook.LabelsValue:
		for _, p := range []lswebhook.Position{v.Start, v.End} {
			p.Int()
			p.Float()
			_ = p.String()
		}
	case *lswebhook.ChatMessageValue:
		v.ChatMessage.Time()
	}
}

// roundTrip marshals a value and parses it again.
func roundTrip(t *testing.T, r lswebhook.Result, v lswebhook.ResultValue) {
	switch v.(type) {
	case *lswebhook.RelationValue, *lswebhook.UnknownValue:
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal %T: %v", v, err)
	}
	r.Value = b
	again, err := r.ParseValue()
	if err != nil {
		t.Fatalf("marshalled value does not parse: %v\n%s", err, b)
	}
	if diff := cmp.Diff(v, again, lswebhooktest.CmpOptions()); diff != "" {
		t.Fatalf("value changed by a marshal round trip (-first +second):\n%s\n%s", diff, b)
	}
}

// schemaAgrees decodes the value inside a whole payload: if the schema
// accepts it, ParseValue must have accepted it too, unless a number was
// beyond the range of the Go type.
func schemaAgrees(t *testing.T, typ string, value []byte, parseErr error) {
	if !json.Valid(value) {
		return
	}
	name, _ := json.Marshal(typ)
	body := `{"action":"ANNOTATION_CREATED","annotation":{"id":1,"task":1,"completed_by":1,` +
		`"was_cancelled":false,"ground_truth":false,"created_at":"2024-01-01T00:00:00Z",` +
		`"updated_at":"2024-01-01T00:00:00Z","lead_time":1,"prediction":{},"result_count":1,` +
		`"result":[{"id":"f1","from_name":"ctl","to_name":"obj","type":` + string(name) + `,"value":` + string(value) + `}]}}`
	if _, err := lswebhook.Decode([]byte(body)); err != nil || parseErr == nil {
		return
	}
	var rve *lswebhook.ResultValueError
	if errors.As(parseErr, &rve) {
		for _, p := range rve.Problems {
			if !strings.Contains(p.Message, "out of range") {
				t.Fatalf("the schema accepts a %s value ParseValue refuses: %v", typ, parseErr)
			}
		}
	}
}
