package lsresult_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// Reading the boxes of an ANNOTATION_CREATED, in pixels of the image.
func ExampleParse() {
	body := []byte(`{
	  "action": "ANNOTATION_CREATED",
	  "annotation": {
	    "id": 7, "task": 10, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
	    "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:00:00Z",
	    "lead_time": 3.5, "prediction": {}, "result_count": 3,
	    "result": [
	      {"id": "a1", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
	       "original_width": 640, "original_height": 480, "image_rotation": 0,
	       "value": {"x": 10, "y": 20, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Cat"]}},
	      {"id": "a2", "from_name": "box", "to_name": "image", "type": "rectanglelabels",
	       "original_width": 640, "original_height": 480, "image_rotation": 0,
	       "value": {"x": 50, "y": 50, "width": 25, "height": 12.5, "rotation": 0, "rectanglelabels": ["Dog"]}},
	      {"id": "q1", "from_name": "quality", "to_name": "image", "type": "choices",
	       "value": {"choices": ["sharp"]}}
	    ]
	  }
	}`)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		log.Fatal(err)
	}
	created, ok := ev.(*lswebhook.AnnotationCreated)
	if !ok {
		return
	}
	for i := range created.Annotation.Result {
		r := &created.Annotation.Result[i]
		v, err := lsresult.Parse(r)
		if err != nil {
			log.Fatal(err)
		}
		box, ok := v.(*lsresult.Rectangle)
		if !ok {
			continue
		}
		size, _ := lsresult.SizeOf(r)
		px := box.Pixels(size)
		fmt.Printf("%s %v: %.0fx%.0f px at (%.0f, %.0f)\n", r.ID, box.RectangleLabels, px.Width, px.Height, px.X, px.Y)
	}
	// Output:
	// a1 [Cat]: 192x192 px at (64, 96)
	// a2 [Dog]: 160x60 px at (320, 240)
}

// A type switch reaches every kind of value; results of types the package
// does not know, and result items of partial shape, stay readable as raw
// JSON.
func ExampleValue() {
	var results []lswebhook.Result
	err := json.Unmarshal([]byte(`[
	  {"from_name": "ner", "to_name": "text", "type": "labels",
	   "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}},
	  {"from_name": "speaker", "to_name": "audio", "type": "labels",
	   "value": {"start": 1.25, "end": 3.5, "channel": 0, "labels": ["Speaker 1"]}},
	  {"from_name": "intent", "to_name": "dialogue", "type": "paragraphlabels",
	   "value": {"start": "2", "end": "2", "startOffset": 0, "endOffset": 4, "paragraphlabels": ["Greeting"]}},
	  {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": "one line"}},
	  {"from_name": "kind", "to_name": "image", "type": "choices", "value": {"choices": [["Animal", "Cat"]]}},
	  {"type": "relation", "from_id": "a", "to_id": "b", "direction": "right"},
	  {"from_name": "box3d", "to_name": "scene", "type": "cuboid", "value": {"depth": 3}},
	  {"value": {"choices": ["class_B"]}}
	]`), &results)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range results {
		v, err := lsresult.Parse(&r)
		if err != nil {
			log.Fatal(err)
		}
		switch v := v.(type) {
		case *lsresult.Labels:
			if v.Channel != nil {
				fmt.Printf("audio %s-%s s on channel %d: %v\n", v.Start, v.End, *v.Channel, v.Labels)
				break
			}
			start, _ := v.Start.Int()
			end, _ := v.End.Int()
			fmt.Printf("text [%d:%d] %q: %v\n", start, end, v.Text, v.Labels)
		case *lsresult.ParagraphLabels:
			i, _ := v.Start.Int()
			fmt.Printf("paragraph %d: %v\n", i, v.ParagraphLabels)
		case *lsresult.TextArea:
			fmt.Printf("text area: %q\n", v.Text)
		case *lsresult.Choices:
			fmt.Printf("choices %v, paths %v\n", v.Choices, v.Paths)
		case *lsresult.Relation:
			fmt.Printf("relation %s -> %s\n", v.FromID, v.ToID)
		case *lsresult.Unknown:
			fmt.Printf("unknown type %q: %s\n", v.Type, v.Value)
		}
	}
	// Output:
	// text [0:5] "Alice": [PER]
	// audio 1.25-3.5 s on channel 0: [Speaker 1]
	// paragraph 2: [Greeting]
	// text area: ["one line"]
	// choices [Cat], paths [[Animal Cat]]
	// relation a -> b
	// unknown type "cuboid": {"depth": 3}
	// unknown type "": {"choices": ["class_B"]}
}

// Walking the regions of an annotation with their relations: the entity
// spans, the per-region choice given to one of them, and the links.
func ExampleGroup() {
	body := []byte(`{
	  "action": "ANNOTATION_CREATED",
	  "annotation": {
	    "id": 8, "task": 11, "completed_by": 1, "was_cancelled": false, "ground_truth": false,
	    "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:00:00Z",
	    "lead_time": 20, "prediction": {}, "result_count": 6,
	    "result": [
	      {"id": "p1", "from_name": "ner", "to_name": "text", "type": "labels",
	       "value": {"start": 0, "end": 5, "text": "Alice", "labels": ["PER"]}},
	      {"id": "p1", "from_name": "confidence", "to_name": "text", "type": "choices",
	       "value": {"start": 0, "end": 5, "text": "Alice", "choices": ["sure"]}},
	      {"id": "o1", "from_name": "ner", "to_name": "text", "type": "labels",
	       "value": {"start": 15, "end": 19, "text": "Acme", "labels": ["ORG"]}},
	      {"id": "l1", "from_name": "ner", "to_name": "text", "type": "labels",
	       "value": {"start": 23, "end": 29, "text": "Berlin", "labels": ["LOC"]}},
	      {"from_id": "p1", "to_id": "o1", "type": "relation", "direction": "right", "labels": ["works_at"]},
	      {"from_id": "l1", "to_id": "o1", "type": "relation", "direction": "left", "labels": ["based_in"]}
	    ]
	  }
	}`)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		log.Fatal(err)
	}
	created, ok := ev.(*lswebhook.AnnotationCreated)
	if !ok {
		return
	}
	regions := lsresult.Group(created.Annotation.Result)
	for _, g := range regions.All {
		fmt.Printf("%s %v\n", g.ID, g.LabelNames())
	}
	for _, rel := range regions.Links {
		from, to := rel.From, rel.To
		if rel.Result.Direction == "left" {
			from, to = to, from
		}
		fmt.Printf("%v -%v-> %v\n", from.LabelNames()[0], rel.Result.Labels, to.LabelNames()[0])
	}
	// Output:
	// p1 [PER sure]
	// o1 [ORG]
	// l1 [LOC]
	// PER -[works_at]-> ORG
	// ORG -[based_in]-> LOC
}

// Decoding a brush mask: one byte per pixel, row by row. The image size
// comes from the result; a mask larger than the limit is refused before
// anything is allocated.
func ExampleBrush_Mask() {
	r := lswebhook.Result{
		ID: "m1", FromName: "mask", ToName: "image", Type: "brushlabels",
		OriginalWidth: 4, OriginalHeight: 2,
		Value: []byte(`{"format": "rle", "brushlabels": ["Sky"],
		  "rle": [0, 0, 0, 32, 57, 27, 252, 64, 16, 127, 196, 1, 7, 253, 160, 8, 63, 226, 0, 131, 254, 112, 0]}`),
	}
	v, err := lsresult.Parse(&r)
	if err != nil {
		log.Fatal(err)
	}
	brush := v.(*lsresult.Brush)
	size, _ := lsresult.SizeOf(&r)
	mask, err := brush.Mask(size)
	if err != nil {
		log.Fatal(err)
	}
	for y := int64(0); y < size.Height; y++ {
		fmt.Println(mask[y*size.Width : (y+1)*size.Width])
	}

	_, err = brush.MaskLimit(size, 4)
	var tooLarge *lsresult.MaskSizeError
	fmt.Println(errors.As(err, &tooLarge), err)
	// Output:
	// [255 255 0 0]
	// [255 255 0 0]
	// true lsresult: brush mask of 4x2 pixels is too large: the limit is 4 bytes
}
