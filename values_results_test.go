package lswebhook_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// annotationsOf decodes a fixture and returns its annotations, for the
// annotation events.
func annotationsOf(t testing.TB, path string) []lswebhook.Annotation {
	t.Helper()
	ev, err := lswebhook.Decode(readFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	switch ev := ev.(type) {
	case *lswebhook.AnnotationCreated:
		if ev.Annotation != nil {
			return []lswebhook.Annotation{*ev.Annotation}
		}
	case *lswebhook.AnnotationUpdated:
		if ev.Annotation != nil {
			return []lswebhook.Annotation{*ev.Annotation}
		}
	case *lswebhook.AnnotationsCreated:
		return ev.Annotations
	}
	return nil
}

// resultsOf returns the results of a fixture's first annotation.
func resultsOf(t testing.TB, path string) []lswebhook.Result {
	t.Helper()
	anns := annotationsOf(t, path)
	if len(anns) == 0 {
		t.Fatalf("%s has no annotation", path)
	}
	return anns[0].Result
}

// parseAll parses every result's value, failing on an error.
func parseAll(t testing.TB, results []lswebhook.Result) []lswebhook.ResultValue {
	t.Helper()
	out := make([]lswebhook.ResultValue, len(results))
	for i := range results {
		v, err := results[i].ParseValue()
		if err != nil {
			t.Fatalf("result %d (%s): %v", i, results[i].Type, err)
		}
		out[i] = v
	}
	return out
}

// rleAt reads the "rle" list of result i of a fixture with encoding/json,
// independently of the package.
func rleAt(t *testing.T, path string, i int) []int {
	t.Helper()
	var doc struct {
		Annotation struct {
			Result []struct {
				Value struct {
					RLE []int `json:"rle"`
				} `json:"value"`
			} `json:"result"`
		} `json:"annotation"`
	}
	if err := json.Unmarshal(readFile(t, path), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Annotation.Result[i].Value.RLE
}

func num(f float64) lswebhook.Position { return lswebhook.NumberPosition(f) }
func text(s string) lswebhook.Position { return lswebhook.TextPosition(s) }
func extra(kv ...string) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = json.RawMessage(kv[i+1])
	}
	return m
}

// geometry is the Extra of a classification made per region of the car
// box in image.json.
var carGeometry = extra("x", `12.5`, "y", `40.0`, "width", `20.0`, "height", `15.5`, "rotation", `0`)

// TestResultValues decodes one fixture per control family and checks every
// result's typed value field by field.
func TestResultValues(t *testing.T) {
	image := "testdata/results/image.json"
	tests := []struct {
		path string
		want []lswebhook.ResultValue
	}{
		{image, []lswebhook.ResultValue{
			&lswebhook.RectangleValue{X: 12.5, Y: 40, Width: 20, Height: 15.5, RectangleLabels: []string{"Car"}},
			&lswebhook.ChoicesValue{Choices: []string{"no"}, Extra: carGeometry},
			&lswebhook.TextAreaValue{Text: []string{"B-AB 1234"}, Extra: carGeometry},
			&lswebhook.RectangleValue{X: 55.25, Y: 30, Width: 6.5, Height: 30, Rotation: 12.5, RectangleLabels: []string{"Pedestrian"}},
			&lswebhook.PolygonValue{
				Points: []lswebhook.Point{{X: 0, Y: 100}, {X: 40, Y: 55}, {X: 60, Y: 55}, {X: 100, Y: 100}},
				Closed: boolp(true), PolygonLabels: []string{"Road"},
			},
			&lswebhook.EllipseValue{X: 80, Y: 20, RadiusX: 2.5, RadiusY: 4.444444444444445, EllipseLabels: []string{"Sign"}},
			&lswebhook.KeyPointValue{X: 58.5, Y: 32.5, Width: 0.5, KeyPointLabels: []string{"Head"}},
			&lswebhook.BrushValue{Format: "rle", RLE: rleAt(t, image, 7), BrushLabels: []string{"Sky"}},
			&lswebhook.VectorValue{
				Vertices: []lswebhook.VectorVertex{
					{ID: "v1", X: 45, Y: 100},
					{ID: "v2", X: 48, Y: 75, PrevPointID: "v1", IsBezier: true,
						ControlPoint1: &lswebhook.ControlPoint{X: 46, Y: 90}, ControlPoint2: &lswebhook.ControlPoint{X: 47.5, Y: 80}},
					{ID: "v3", X: 50, Y: 56, PrevPointID: "v2"},
				},
				VectorLabels: []string{"Lane"},
			},
			&lswebhook.RectangleValue{X: 70, Y: 60, Width: 10, Height: 8, Labels: []string{"Blurred"}},
			&lswebhook.PolygonValue{Points: []lswebhook.Point{{X: 20, Y: 10}, {X: 30, Y: 10}, {X: 25, Y: 18}}},
			&lswebhook.KeyPointValue{X: 57, Y: 45, Width: 0.4, Labels: []string{"Head"}},
			&lswebhook.EllipseValue{X: 10, Y: 80, RadiusX: 3, RadiusY: 2, Rotation: 30},
			&lswebhook.BrushValue{Format: "rle", RLE: rleAt(t, image, 13)},
			&lswebhook.VectorValue{
				Vertices: []lswebhook.VectorVertex{
					{ID: "a", X: 5, Y: 5}, {ID: "b", X: 15, Y: 5, PrevPointID: "a"}, {ID: "c", X: 10, Y: 12, PrevPointID: "b"},
				},
				Closed: true,
			},
			&lswebhook.RelationValue{FromID: "pD2r8LwQeT", ToID: "Xk3vQ9mZpA", Direction: "right", Labels: []string{"behind"}},
		}},
		{"testdata/results/text.json", []lswebhook.ResultValue{
			&lswebhook.LabelsValue{Start: num(0), End: num(13), Text: "Alice Johnson", Labels: []string{"PER"}},
			&lswebhook.ChoicesValue{Choices: []string{"sure"}, Extra: extra("start", `0`, "end", `13`, "text", `"Alice Johnson"`)},
			&lswebhook.LabelsValue{Start: num(21), End: num(30), Text: "Acme Corp", Labels: []string{"ORG"}},
			&lswebhook.LabelsValue{Start: num(34), End: num(40), Text: "Berlin", Labels: []string{"LOC"}},
			&lswebhook.LabelsValue{Start: num(44), End: num(54), Text: "3 May 2024", Labels: []string{"DATE"}},
			&lswebhook.LabelsValue{Start: num(74), End: num(80), Text: "Berlin", Labels: []string{"LOC"}},
			&lswebhook.RelationValue{FromID: "n1Per0aliC", ToID: "n2Org0acMe", Direction: "right", Labels: []string{"works_at"}},
			&lswebhook.RelationValue{FromID: "n3Loc0bErL", ToID: "n2Org0acMe", Direction: "left", Labels: []string{"located_in"}},
			&lswebhook.RelationValue{FromID: "n3Loc0bErL", ToID: "n5Loc1bErL", Direction: "bi"},
			&lswebhook.RelationValue{FromID: "n4Dat03maY", ToID: "n2Org0acMe", Direction: "right", Labels: []string{}},
			&lswebhook.ChoicesValue{Choices: []string{"positive"}},
			&lswebhook.ChoicesValue{
				Choices: []string{"Hiring", "Offices", "Politics"},
				Paths:   [][]string{{"Business", "Hiring"}, {"Business", "Offices"}, {"Politics"}},
			},
			&lswebhook.TaxonomyValue{Taxonomy: [][]string{{"News", "Economy", "Companies"}, {"Opinion"}}},
			&lswebhook.TextAreaValue{Text: []string{"Alice Johnson joins Acme Corp in Berlin."}},
			&lswebhook.TextAreaValue{Text: []string{"Check the date.", "Second office?"}},
			&lswebhook.RatingValue{Rating: 4},
			&lswebhook.NumberValue{Number: 5},
			&lswebhook.DateTimeValue{DateTime: "2024-05-03"},
		}},
		{"testdata/results/audio.json", []lswebhook.ResultValue{
			&lswebhook.LabelsValue{Start: num(0.52), End: num(4.875), Channel: i64(0), Labels: []string{"Agent"}},
			&lswebhook.TextAreaValue{
				Text:  []string{"Thank you for calling, how can I help?"},
				Extra: extra("start", `0.52`, "end", `4.875`, "channel", `0`),
			},
			&lswebhook.LabelsValue{Start: num(5.1), End: num(9), Channel: i64(1), Labels: []string{"Customer"}},
			&lswebhook.TextAreaValue{Text: []string{"My order has not arrived."}, Extra: extra("start", `5.1`, "end", `9.0`, "channel", `1`)},
			&lswebhook.ChoicesValue{Choices: []string{"clear"}},
		}},
		{"testdata/results/video.json", []lswebhook.ResultValue{
			&lswebhook.VideoRectangleValue{
				FramesCount: 750, Duration: 30,
				Sequence: []lswebhook.VideoKeyframe{
					{Frame: 1, Time: 0.04, X: 10, Y: 40, Width: 12.5, Height: 9, Enabled: true},
					{Frame: 26, Time: 1.04, X: 20, Y: 41.5, Width: 13, Height: 9.25, Enabled: true, Score: f64(0.87)},
					{Frame: 60, Time: 2.4, X: 35, Y: 43, Width: 14, Height: 10},
				},
				Labels: []string{"Car"},
			},
			&lswebhook.TimelineLabelsValue{Ranges: []lswebhook.FrameRange{{Start: 30, End: 95}}, TimelineLabels: []string{"Overtaking"}},
			&lswebhook.TimelineLabelsValue{
				Ranges:         []lswebhook.FrameRange{{Start: 120, End: 120}, {Start: 200, End: 260}},
				TimelineLabels: []string{"Braking"},
			},
			&lswebhook.ChoicesValue{Choices: []string{"sunny"}},
		}},
		{"testdata/results/timeseries.json", []lswebhook.ResultValue{
			&lswebhook.TimeSeriesLabelsValue{Start: text("2024-05-03 07:00:05"), End: text("2024-05-03 07:12:40"), TimeSeriesLabels: []string{"Run"}},
			&lswebhook.TimeSeriesLabelsValue{Start: num(1714720360000), End: num(1714720901500), TimeSeriesLabels: []string{"Walk"}},
			&lswebhook.TimeSeriesLabelsValue{Start: num(1714721000250), End: num(1714721000250), Instant: true, TimeSeriesLabels: []string{"Fall"}},
		}},
		{"testdata/results/html.json", []lswebhook.ResultValue{
			&lswebhook.HyperTextLabelsValue{
				Start: "/div[1]/h1[1]/text()[1]", End: "/div[1]/h1[1]/text()[1]", StartOffset: 0, EndOffset: 16,
				GlobalOffsets: &lswebhook.GlobalOffsets{Start: 0, End: 16}, Text: "Quarterly report", HyperTextLabels: []string{"Title"},
			},
			&lswebhook.HyperTextLabelsValue{
				Start: "/div[1]/p[1]/b[1]/text()[1]", End: "/div[1]/p[1]/text()[2]", StartOffset: 0, EndOffset: 9,
				Text: "12% to EUR 4", HyperTextLabels: []string{"Figure"},
			},
			&lswebhook.LabelsValue{
				Start: text("/div[1]/p[1]/text()[2]"), End: text("/div[1]/p[1]/text()[2]"), Text: "EUR", Labels: []string{"Currency"},
				Extra: extra("startOffset", `4`, "endOffset", `7`, "globalOffsets", `{"start":36,"end":39}`),
			},
			&lswebhook.ChoicesValue{Choices: []string{"report"}},
		}},
		{"testdata/results/paragraphs.json", []lswebhook.ResultValue{
			&lswebhook.ParagraphLabelsValue{
				Start: text("0"), End: text("0"), StartOffset: 0, EndOffset: 31,
				Text: "Hi, is the shop open on Sunday?", ParagraphLabels: []string{"Question"},
			},
			&lswebhook.ChoicesValue{Choices: []string{"yes"}, Extra: extra(
				"start", `"0"`, "end", `"0"`, "startOffset", `0`, "endOffset", `31`, "text", `"Hi, is the shop open on Sunday?"`)},
			&lswebhook.ParagraphLabelsValue{
				Start: num(1), End: num(1), StartOffset: 0, EndOffset: 19, Text: "Yes, from 10 to 16.", ParagraphLabels: []string{"Answer"},
			},
			&lswebhook.ParagraphLabelsValue{
				Start: text("1"), End: text("2"), StartOffset: 16, EndOffset: 14, Text: "16.\nGreat, thanks!", ParagraphLabels: []string{"Thanks"},
			},
			&lswebhook.RelationValue{FromID: "pAr1aNsWeR", ToID: "pAr0qUeStN", Direction: "right"},
		}},
		{"testdata/results/ranking.json", []lswebhook.ResultValue{
			&lswebhook.RankerValue{Ranker: map[string][]string{"rank": {"doc2", "doc1", "doc3", "ad1"}}},
			&lswebhook.RankerValue{Ranker: map[string][]string{"relevant": {"doc1", "doc2"}, "ads": {"ad1"}, "_": {"doc3"}}},
			&lswebhook.PairwiseValue{Selected: "right"},
		}},
		{"testdata/results/chat.json", []lswebhook.ResultValue{
			&lswebhook.ChatMessageValue{ChatMessage: lswebhook.ChatMessage{Role: "user", Content: "How do I reset my password?", Timestamp: 1772446800123}},
			&lswebhook.ChatMessageValue{ChatMessage: lswebhook.ChatMessage{
				Role: "assistant", Content: "Open Settings, then Security, then Reset password.", Timestamp: 1772446803456,
			}},
			&lswebhook.ChoicesValue{Choices: []string{"helpful"}},
		}},
		{"testdata/results/ocr.json", []lswebhook.ResultValue{
			&lswebhook.RectangleValue{X: 60, Y: 80, Width: 30, Height: 4, RectangleLabels: []string{"Total"}},
			&lswebhook.TextAreaValue{Text: []string{"TOTAL 12.50"}, Extra: extra("x", `60.0`, "y", `80.0`, "width", `30.0`, "height", `4.0`, "rotation", `0`)},
			&lswebhook.OCRLabelsValue{X: 75, Y: 80, Width: 15, Height: 4, OCRText: "12.50", PageIndex: i64(0), OCRLabels: []string{"Amount"}},
		}},
		{"testdata/results/unknown-types.json", []lswebhook.ResultValue{
			&lswebhook.UnknownValue{Type: "bitmasklabels", Value: raw(`{"imageDataURL":"data:image/png;base64,iVBORw0KGgo=","bitmasklabels":["Tumor"]}`)},
			&lswebhook.UnknownValue{Type: "custominterface", Value: raw(`{"answer":{"score":3,"flag":true}}`)},
			&lswebhook.ChoicesValue{Choices: []string{"II"}},
		}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			results := resultsOf(t, tt.path)
			got := parseAll(t, results)
			if diff := cmp.Diff(tt.want, got, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			for _, r := range results {
				seen[r.Type] = true
			}
		})
	}
	for _, info := range lswebhook.ResultTypes() {
		if !seen[info.Type] {
			t.Errorf("no fixture has a %q result", info.Type)
		}
	}
}

// TestResultFields checks the result-level members the typed values rely
// on: image sizes, parents, smart-tool flags, audio lengths, scores.
func TestResultFields(t *testing.T) {
	image := resultsOf(t, "testdata/results/image.json")
	if s, ok := image[0].ImageSize(); !ok || s != (lswebhook.ImageSize{Width: 1920, Height: 1080, Rotation: 90}) {
		t.Errorf("ImageSize = %+v, %v", s, ok)
	}
	if image[6].ParentID != "pD2r8LwQeT" {
		t.Errorf("ParentID = %q", image[6].ParentID)
	}
	if image[11].IsPositive == nil || !*image[11].IsPositive {
		t.Errorf("IsPositive = %v", image[11].IsPositive)
	}
	audio := resultsOf(t, "testdata/results/audio.json")
	if audio[0].OriginalLength != 42.731 {
		t.Errorf("OriginalLength = %v", audio[0].OriginalLength)
	}
	if _, ok := audio[0].ImageSize(); ok {
		t.Errorf("an audio result has an image size")
	}
	bulk := annotationsOf(t, "testdata/results/annotations-created.json")
	if len(bulk) != 2 {
		t.Fatalf("%d annotations", len(bulk))
	}
	for i, a := range bulk {
		for _, v := range parseAll(t, a.Result) {
			if _, ok := v.(*lswebhook.RectangleValue); !ok {
				t.Errorf("annotation %d: %T", i, v)
			}
		}
		if a.Result[0].Score == nil || *a.Result[0].Score != []float64{0.91, 0.81}[i] {
			t.Errorf("annotation %d: score %v", i, a.Result[0].Score)
		}
	}
}

// TestResultValuesRealCaptures checks the typed values of results a real
// Label Studio 1.23.2 sent, found by their ids in the captures.
func TestResultValuesRealCaptures(t *testing.T) {
	want := map[string]lswebhook.ResultValue{
		"ner_per": &lswebhook.LabelsValue{Start: num(0), End: num(5), Text: "Alice", Labels: []string{"PER"}},
		"tax_1":   &lswebhook.TaxonomyValue{Taxonomy: [][]string{{"Science", "Physics"}, {"Art"}}},
		"dt_1":    &lswebhook.DateTimeValue{DateTime: "2024-05-01T10:30"},
		"num_1":   &lswebhook.NumberValue{Number: 42.5},
		"rect_1":  &lswebhook.RectangleValue{X: 10.5, Y: 20.25, Width: 30, Height: 40.125, RectangleLabels: []string{"Cat"}},
		"poly_1": &lswebhook.PolygonValue{
			Points: []lswebhook.Point{{X: 10, Y: 10}, {X: 50.5, Y: 12}, {X: 40, Y: 60.25}}, Closed: boolp(true), PolygonLabels: []string{"Cat"},
		},
		"kp_1":    &lswebhook.KeyPointValue{X: 33.3, Y: 44.4, Width: 0.625, KeyPointLabels: []string{"Eye"}},
		"brush_1": &lswebhook.BrushValue{Format: "rle", RLE: []int{0, 0, 19, 224, 0, 255, 3, 7, 255, 224, 0, 0}, BrushLabels: []string{"Cat"}},
		"ell_1":   &lswebhook.EllipseValue{X: 60, Y: 60, RadiusX: 5.5, RadiusY: 7, Rotation: 15, EllipseLabels: []string{"Ball"}},
		"ell_2":   &lswebhook.EllipseValue{X: 70, Y: 30, RadiusX: 3, RadiusY: 3},
		"aud_1":   &lswebhook.LabelsValue{Start: num(1.25), End: num(3.5), Channel: i64(0), Labels: []string{"Alice"}},
		"par_1": &lswebhook.ParagraphLabelsValue{
			Start: text("0"), End: text("0"), EndOffset: 12, Text: "How are you?", ParagraphLabels: []string{"Question"},
		},
		"ts_1": &lswebhook.TimeSeriesLabelsValue{Start: num(1), End: num(3), TimeSeriesLabels: []string{"Run"}},
		"ht_1": &lswebhook.HyperTextLabelsValue{
			Start: "/div[1]/h1[1]/text()[1]", End: "/div[1]/h1[1]/text()[1]", EndOffset: 5,
			GlobalOffsets: &lswebhook.GlobalOffsets{Start: 0, End: 5}, Text: "Hello", HyperTextLabels: []string{"Title"},
		},
		"pw_1":   &lswebhook.PairwiseValue{Selected: "left"},
		"rank_1": &lswebhook.RankerValue{Ranker: map[string][]string{"relevant": {"a", "c"}, "irrelevant": {"b"}}},
		"vid_1": &lswebhook.VideoRectangleValue{
			FramesCount: 250, Duration: 10,
			Sequence: []lswebhook.VideoKeyframe{
				{Frame: 1, Enabled: true, X: 10, Y: 20, Width: 30, Height: 15.5, Time: 0.04},
				{Frame: 50, X: 20, Y: 25, Width: 30, Height: 15.5, Time: 2},
			},
			Labels: []string{"Car"},
		},
	}
	found := map[string]bool{}
	for _, path := range validFixtures(t) {
		if !strings.Contains(path, "labelstudio-") {
			continue
		}
		for _, a := range annotationsOf(t, path) {
			for _, r := range a.Result {
				w, ok := want[r.ID]
				if !ok || found[r.ID] {
					continue
				}
				found[r.ID] = true
				got, err := r.ParseValue()
				if err != nil {
					t.Errorf("%s %s: %v", path, r.ID, err)
					continue
				}
				if diff := cmp.Diff(w, got, lswebhooktest.CmpOptions()); diff != "" {
					t.Errorf("%s %s (-want +got):\n%s", path, r.ID, diff)
				}
			}
		}
	}
	for id := range want {
		if !found[id] {
			t.Errorf("no capture has a result %q", id)
		}
	}
}

// TestEveryResultParses parses every result of every valid fixture: a
// result of a decoded event always has a typed value.
func TestEveryResultParses(t *testing.T) {
	n := 0
	for _, path := range validFixtures(t) {
		for _, a := range annotationsOf(t, path) {
			parseAll(t, a.Result)
			n += len(a.Result)
		}
	}
	if n < 100 {
		t.Errorf("only %d results parsed", n)
	}
}

// TestResultValueRoundTrip marshals each typed value, puts it back in its
// result and event, and checks that the event still validates and that
// the value parses to the same thing.
func TestResultValueRoundTrip(t *testing.T) {
	for _, path := range validFixtures(t) {
		ev, err := lswebhook.Decode(readFile(t, path))
		if err != nil {
			t.Fatal(err)
		}
		var anns []*lswebhook.Annotation
		switch ev := ev.(type) {
		case *lswebhook.AnnotationCreated:
			anns = append(anns, ev.Annotation)
		case *lswebhook.AnnotationUpdated:
			anns = append(anns, ev.Annotation)
		case *lswebhook.AnnotationsCreated:
			for i := range ev.Annotations {
				anns = append(anns, &ev.Annotations[i])
			}
		}
		var before [][]lswebhook.ResultValue
		changed := false
		for _, a := range anns {
			if a == nil {
				continue
			}
			before = append(before, parseAll(t, a.Result))
			for i := range a.Result {
				r := &a.Result[i]
				v := before[len(before)-1][i]
				switch v.(type) {
				case *lswebhook.RelationValue, *lswebhook.UnknownValue:
					continue
				}
				b, err := json.Marshal(v)
				if err != nil {
					t.Fatalf("%s: result %d: Marshal: %v", path, i, err)
				}
				r.Value = b
				changed = true
			}
		}
		if !changed {
			continue
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		again, err := lswebhook.Decode(out)
		if err != nil {
			t.Fatalf("%s: re-marshalled typed values do not validate: %v", path, err)
		}
		k := 0
		var afterAnns []lswebhook.Annotation
		switch ev := again.(type) {
		case *lswebhook.AnnotationCreated:
			afterAnns = []lswebhook.Annotation{*ev.Annotation}
		case *lswebhook.AnnotationUpdated:
			afterAnns = []lswebhook.Annotation{*ev.Annotation}
		case *lswebhook.AnnotationsCreated:
			afterAnns = ev.Annotations
		}
		for _, a := range afterAnns {
			after := parseAll(t, a.Result)
			if diff := cmp.Diff(before[k], after, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("%s: annotation %d changed (-before +after):\n%s", path, k, diff)
			}
			k++
		}
	}
}

// TestValueUnmarshalJSON reads values with json.Unmarshal directly.
func TestValueUnmarshalJSON(t *testing.T) {
	var box lswebhook.RectangleValue
	if err := json.Unmarshal([]byte(`{"x": 1, "y": 2, "width": 3, "height": 4, "X": 9, "rectanglelabels": ["a"]}`), &box); err != nil {
		t.Fatal(err)
	}
	want := lswebhook.RectangleValue{X: 1, Y: 2, Width: 3, Height: 4, RectangleLabels: []string{"a"}, Extra: extra("X", `9`)}
	if diff := cmp.Diff(want, box, lswebhooktest.CmpOptions()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var r lswebhook.RankerValue
	if err := json.Unmarshal([]byte(`{"ranker": ["b", "a"]}`), &r); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"": {"b", "a"}}, r.Ranker); diff != "" {
		t.Errorf("flat ranker (-want +got):\n%s", diff)
	}
	var ta lswebhook.TextAreaValue
	err := json.Unmarshal([]byte(`{"text": [1]}`), &ta)
	var ve *lswebhook.ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Pointer != "/text/0" {
		t.Errorf("json.Unmarshal error = %v", err)
	}
}

// TestParseValueAlternatives checks the alternative forms of values, one
// result at a time.
func TestParseValueAlternatives(t *testing.T) {
	tests := []struct {
		typ, from, value string
		want             lswebhook.ResultValue
	}{
		{"textarea", "", `{"text": "one"}`, &lswebhook.TextAreaValue{Text: []string{"one"}}},
		{"textarea", "", `{"text": []}`, &lswebhook.TextAreaValue{Text: []string{}}},
		{"choices", "", `{"choices": []}`, &lswebhook.ChoicesValue{Choices: []string{}}},
		{"choices", "", `{"choices": [["A", "B"], "C"]}`, &lswebhook.ChoicesValue{Choices: []string{"B", "C"}, Paths: [][]string{{"A", "B"}, {"C"}}}},
		{"taxonomy", "", `{"taxonomy": ["Top", ["Top", "Leaf"]]}`, &lswebhook.TaxonomyValue{Taxonomy: [][]string{{"Top"}, {"Top", "Leaf"}}}},
		{"ranker", "rank", `{"ranker": ["b", "a"]}`, &lswebhook.RankerValue{Ranker: map[string][]string{"rank": {"b", "a"}}}},
		{"labels", "", `{"start": 0, "end": 5, "labels": []}`, &lswebhook.LabelsValue{Start: num(0), End: num(5), Labels: []string{}}},
		{"labels", "", `{"start": 1.5, "end": 2.25, "channel": 1, "labels": ["A"]}`,
			&lswebhook.LabelsValue{Start: num(1.5), End: num(2.25), Channel: i64(1), Labels: []string{"A"}}},
		{"paragraphlabels", "", `{"start": 2, "end": "3", "startOffset": 1, "endOffset": 4, "paragraphlabels": ["Q"]}`,
			&lswebhook.ParagraphLabelsValue{Start: num(2), End: text("3"), StartOffset: 1, EndOffset: 4, ParagraphLabels: []string{"Q"}}},
		{"timeserieslabels", "", `{"start": "2024-01-01", "end": 17, "timeserieslabels": ["A"]}`,
			&lswebhook.TimeSeriesLabelsValue{Start: text("2024-01-01"), End: num(17), TimeSeriesLabels: []string{"A"}}},
		{"timelinelabels", "", `{"ranges": [{"start": 4, "end": null}], "timelinelabels": ["A"]}`,
			&lswebhook.TimelineLabelsValue{Ranges: []lswebhook.FrameRange{{Start: 4}}, TimelineLabels: []string{"A"}}},
		{"polygonlabels", "", `{"points": [], "closed": false, "polygonlabels": ["A"]}`,
			&lswebhook.PolygonValue{Points: []lswebhook.Point{}, Closed: boolp(false), PolygonLabels: []string{"A"}}},
		{"vector", "", `{"vertices": [{"x": 1, "y": 2, "prevPointId": null}], "closed": false}`,
			&lswebhook.VectorValue{Vertices: []lswebhook.VectorVertex{{X: 1, Y: 2}}}},
		{"chatmessage", "", `{"chatmessage": {"role": "user", "content": "hi", "id": "m1"}}`,
			&lswebhook.ChatMessageValue{ChatMessage: lswebhook.ChatMessage{Role: "user", Content: "hi", Extra: extra("id", `"m1"`)}}},
		{"rating", "", `{"rating": 3.0}`, &lswebhook.RatingValue{Rating: 3}},
	}
	for _, tt := range tests {
		r := lswebhook.Result{Type: tt.typ, FromName: tt.from, Value: raw(tt.value)}
		got, err := r.ParseValue()
		if err != nil {
			t.Errorf("%s %s: %v", tt.typ, tt.value, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, lswebhooktest.CmpOptions()); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
}

// TestParseValueErrors checks the errors for values of the wrong shape.
func TestParseValueErrors(t *testing.T) {
	tests := []struct {
		typ, value string
		want       []lswebhook.Problem
	}{
		{"rectanglelabels", ``, []lswebhook.Problem{{Pointer: "/value", Message: "required property is missing"}}},
		{"rectanglelabels", `null`, []lswebhook.Problem{{Pointer: "/value", Message: "expected object, but got null"}}},
		{"rectanglelabels", `[1]`, []lswebhook.Problem{{Pointer: "/value", Message: "expected object, but got array"}}},
		{"rectanglelabels", `{"x": "1", "rectanglelabels": [2]}`, []lswebhook.Problem{
			{Pointer: "/value/rectanglelabels/0", Message: "expected string, but got integer"},
			{Pointer: "/value/x", Message: "expected number, but got string"},
		}},
		{"polygon", `{"points": [[1, 2], [3], "x", [1, true]]}`, []lswebhook.Problem{
			{Pointer: "/value/points/1", Message: "expected an array of 2 numbers, but got 1 items"},
			{Pointer: "/value/points/2", Message: "expected an array of 2 numbers, but got string"},
			{Pointer: "/value/points/3", Message: "expected an array of 2 numbers, but item 1 is a boolean"},
		}},
		{"choices", `{"choices": "a"}`, []lswebhook.Problem{{Pointer: "/value/choices", Message: "expected array, but got string"}}},
		{"choices", `{"choices": [1, [2]]}`, []lswebhook.Problem{
			{Pointer: "/value/choices/0", Message: "expected string or array of strings, but got integer"},
			{Pointer: "/value/choices/1/0", Message: "expected string, but got integer"},
		}},
		{"textarea", `{"text": 5}`, []lswebhook.Problem{{Pointer: "/value/text", Message: "expected string or array of strings, but got integer"}}},
		{"ranker", `{"ranker": {"a": "b"}}`, []lswebhook.Problem{{Pointer: "/value/ranker/a", Message: "expected array, but got string"}}},
		{"ranker", `{"ranker": 1}`, []lswebhook.Problem{{Pointer: "/value/ranker", Message: "expected object, but got integer"}}},
		{"labels", `{"start": {}, "end": 1e400}`, []lswebhook.Problem{
			{Pointer: "/value/end", Message: "number 1e400 is out of range for float64"},
			{Pointer: "/value/start", Message: "expected number or string, but got object"},
		}},
		{"rating", `{"rating": 4.5}`, []lswebhook.Problem{{Pointer: "/value/rating", Message: "expected integer, but got number"}}},
		{"videorectangle", `{"sequence": [{"frame": "1"}]}`, []lswebhook.Problem{{Pointer: "/value/sequence/0/frame", Message: "expected integer, but got string"}}},
	}
	for _, tt := range tests {
		r := lswebhook.Result{ID: "r1", Type: tt.typ}
		if tt.value != "" {
			r.Value = raw(tt.value)
		}
		v, err := r.ParseValue()
		var rve *lswebhook.ResultValueError
		if !errors.As(err, &rve) {
			t.Errorf("%s %s: ParseValue = %v, %v; want a *ResultValueError", tt.typ, tt.value, v, err)
			continue
		}
		if v != nil {
			t.Errorf("%s %s: value %T returned with an error", tt.typ, tt.value, v)
		}
		if rve.Type != tt.typ || rve.ID != "r1" {
			t.Errorf("error names %q %q", rve.Type, rve.ID)
		}
		if diff := cmp.Diff(tt.want, rve.Problems); diff != "" {
			t.Errorf("%s %s: problems (-want +got):\n%s", tt.typ, tt.value, diff)
		}
		if !strings.HasPrefix(err.Error(), "lswebhook: invalid "+tt.typ+` result "r1": `) {
			t.Errorf("message %q", err)
		}
	}
}

// TestParseValueBadJSON checks a value that is not JSON at all, as a
// hand-built Result may hold.
func TestParseValueBadJSON(t *testing.T) {
	r := lswebhook.Result{Type: "choices", Value: raw(`{"choices": [}`)}
	_, err := r.ParseValue()
	var rve *lswebhook.ResultValueError
	if !errors.As(err, &rve) || len(rve.Problems) != 1 || rve.Problems[0].Pointer != "/value" ||
		!strings.HasPrefix(rve.Problems[0].Message, "invalid JSON: ") {
		t.Errorf("ParseValue error = %#v", err)
	}
}

// TestLabelNames lists labels across types.
func TestLabelNames(t *testing.T) {
	got := map[string][]string{}
	for _, path := range []string{"testdata/results/image.json", "testdata/results/text.json", "testdata/results/unknown-types.json", "testdata/results/ranking.json"} {
		for _, r := range resultsOf(t, path) {
			key := path[len("testdata/results/"):] + " " + r.Type + " " + r.FromName
			got[key] = append(got[key], r.LabelNames()...)
		}
	}
	want := map[string][]string{
		"image.json rectanglelabels box":          {"Car", "Pedestrian"},
		"image.json choices occluded":             {"no"},
		"image.json polygonlabels area":           {"Road"},
		"image.json ellipselabels sign":           {"Sign"},
		"image.json keypointlabels joint":         {"Head"},
		"image.json brushlabels mask":             {"Sky"},
		"image.json vectorlabels lane":            {"Lane"},
		"image.json rectangle bbox":               {"Blurred"},
		"image.json keypoint point":               {"Head"},
		"image.json relation ":                    {"behind"},
		"text.json labels ner":                    {"PER", "ORG", "LOC", "DATE", "LOC"},
		"text.json choices confidence":            {"sure"},
		"text.json relation ":                     {"works_at", "located_in"},
		"text.json choices sentiment":             {"positive"},
		"text.json choices topic":                 {"Hiring", "Offices", "Politics"},
		"text.json taxonomy category":             {"Companies", "Opinion"},
		"unknown-types.json bitmasklabels tissue": {"Tumor"},
		"unknown-types.json choices stage":        {"II"},
	}
	for k, v := range got {
		if len(v) == 0 {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("label names (-want +got):\n%s", diff)
	}
	both := lswebhook.Result{Type: "rectanglelabels", Value: raw(`{"x":0,"y":0,"width":1,"height":1,"rectanglelabels":["A","B"],"labels":["B","C"]}`)}
	if diff := cmp.Diff([]string{"A", "B", "C"}, both.LabelNames()); diff != "" {
		t.Errorf("merged labels (-want +got):\n%s", diff)
	}
	bad := lswebhook.Result{Type: "rectanglelabels", Value: raw(`{"x": "0"}`)}
	if l := bad.LabelNames(); l != nil {
		t.Errorf("labels of an invalid value: %v", l)
	}
}

// TestResultTypes checks the registry: every type appears once and maps
// to a distinct-enough Go type that implements ResultValue.
func TestResultTypes(t *testing.T) {
	seen := map[string]bool{}
	iface := reflect.TypeOf((*lswebhook.ResultValue)(nil)).Elem()
	for _, info := range lswebhook.ResultTypes() {
		if seen[info.Type] {
			t.Errorf("%s listed twice", info.Type)
		}
		seen[info.Type] = true
		if !info.GoType.Implements(iface) || info.GoType.Kind() != reflect.Pointer {
			t.Errorf("%s: %v is not a ResultValue pointer", info.Type, info.GoType)
		}
		r := lswebhook.Result{Type: info.Type, Value: raw(`{}`), FromID: "a", ToID: "b"}
		v, err := r.ParseValue()
		if err == nil && reflect.TypeOf(v) != info.GoType {
			t.Errorf("%s parses as %T, registry says %v", info.Type, v, info.GoType)
		}
	}
	if !seen[lswebhook.ResultTypeRelation] {
		t.Errorf("relation missing")
	}
	v, err := (&lswebhook.Result{Type: "newthing"}).ParseValue()
	if u, ok := v.(*lswebhook.UnknownValue); err != nil || !ok || u.Type != "newthing" || u.Value != nil {
		t.Errorf("unknown type without a value: %#v, %v", v, err)
	}
}

// TestRelationAndUnknownJSON checks how the values without a "value"
// shape of their own marshal.
func TestRelationAndUnknownJSON(t *testing.T) {
	b, err := json.Marshal(&lswebhook.RelationValue{FromID: "a", ToID: "b", Direction: "bi", Labels: []string{}})
	if err != nil || string(b) != `{"from_id":"a","to_id":"b","direction":"bi","labels":[]}` {
		t.Errorf("relation: %s, %v", b, err)
	}
	b, err = json.Marshal(&lswebhook.UnknownValue{Type: "x", Value: raw(`{"k": [1, 2]}`)})
	if err != nil || string(b) != `{"k":[1,2]}` {
		t.Errorf("unknown: %s, %v", b, err)
	}
	b, err = json.Marshal(&lswebhook.UnknownValue{Type: "x"})
	if err != nil || string(b) != `null` {
		t.Errorf("unknown without a value: %s, %v", b, err)
	}
}
