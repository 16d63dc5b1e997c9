// Package lsresult reads the results of Label Studio annotations as typed
// Go values.
//
// An annotation's result list ([lswebhook.Annotation.Result]) holds one
// [lswebhook.Result] per region, classification or relation, each with a
// "type" (the lower-case name of the control tag that made it) and a
// "value" whose shape depends on the type. [Parse] turns a result into a
// [Value] of the Go type for its control; a type switch reaches the
// fields:
//
//	v, err := lsresult.Parse(&ann.Result[i])
//	if err != nil {
//		return err
//	}
//	switch v := v.(type) {
//	case *lsresult.Rectangle:
//		use(v.X, v.Y, v.Width, v.Height, v.RectangleLabels)
//	case *lsresult.Choices:
//		use(v.Choices)
//	}
//
// The result types and their Go types:
//
//	type                           Go type                     value keys and accepted forms
//	choices                        *lsresult.Choices           choices: strings, or paths such as [["Animal", "Cat"]] for nested choices
//	taxonomy                       *lsresult.Taxonomy          taxonomy: paths from the top of the tree
//	textarea                       *lsresult.TextArea          text: a list of strings or a single string
//	rating                         *lsresult.Rating            rating: an integer
//	number                         *lsresult.Number            number
//	datetime                       *lsresult.DateTime          datetime: a string laid out as the tag's "only" says
//	pairwise                       *lsresult.Pairwise          selected: left or right
//	ranker                         *lsresult.Ranker            ranker: item ids per bucket (or the older flat list)
//	labels                         *lsresult.Labels            text: start, end character offsets, text; audio: start, end seconds, channel; labels
//	hypertextlabels                *lsresult.HyperTextLabels   XPath start, end, startOffset, endOffset, globalOffsets, text
//	paragraphlabels                *lsresult.ParagraphLabels   paragraph start, end (integer or string), startOffset, endOffset, text
//	timeserieslabels               *lsresult.TimeSeriesLabels  start, end (number, or string in the time format), instant
//	rectangle, rectanglelabels     *lsresult.Rectangle         x, y, width, height, rotation
//	ellipse, ellipselabels         *lsresult.Ellipse           center x, y, radiusX, radiusY, rotation
//	keypoint, keypointlabels       *lsresult.KeyPoint          x, y, width; smart tools add labels
//	polygon, polygonlabels         *lsresult.Polygon           points as [x, y] pairs, closed (absent means closed)
//	brush, brushlabels             *lsresult.Brush             format "rle", rle bytes of an RGBA mask
//	vector, vectorlabels           *lsresult.Vector            vertices with Bézier control points, closed
//	ocrlabels                      *lsresult.OCRLabels         rectangle keys, ocrtext, pageIndex
//	videorectangle                 *lsresult.VideoRectangle    framesCount, duration, keyframe sequence, labels
//	timelinelabels                 *lsresult.TimelineLabels    frame ranges
//	chatmessage                    *lsresult.ChatMessage       chatmessage: role, content, timestamp
//	relation                       *lsresult.Relation          no value: from_id, to_id, direction, labels on the result
//	any other                      *lsresult.Unknown           the value as sent
//
// Each type keeps its "<type>labels" list, a "labels" list from a
// separate Labels tag, and any keys it does not model (Extra); a value
// marshals to JSON that parses back to an equal value. The bundled
// schema result-values.json (see [lswebhook.Schemas]) describes the same
// shapes. [lswebhook.Decode] does not apply it, since Label Studio sends
// back any result it stored: [Parse] of a decoded event's result whose
// value has the wrong shape returns an [*Error]. A result item of partial
// shape (without a type, a from_name or a to_name, which Label Studio
// stores as posted) parses as [*Unknown] with its raw JSON.
//
// Coordinates are percentages of the image, as Label Studio sends them;
// [SizeOf] with the Pixels methods converts them to pixels, and
// [ImageSize.Rotate] to the image as the annotator rotated it.
// [Brush.Mask] decodes a brush's run-length encoding into a mask.
// [Group] groups the results that share an id into regions and resolves
// relations and parents to them; [LabelNames] lists the labels of a
// result whatever its type.
//
// Every function that reads webhook data takes time linear in its input
// (n log n where it sorts) and allocates in proportion to it. The one
// output that does not follow its input's size, a brush mask, is bounded
// by the image size and by [DefaultMaskLimit] or a caller's limit.
package lsresult
