package jsontape

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// benchBodies are payloads of the shapes the tape reads most: a real
// annotation, and generated bulk bodies of tasks and of numbers.
func benchBodies(b *testing.B) map[string][]byte {
	ann, err := os.ReadFile("../../testdata/labelstudio-1.23.2/051-ANNOTATION_CREATED-org.json")
	if err != nil {
		b.Fatal(err)
	}
	var tasks strings.Builder
	tasks.WriteString(`{"action": "TASKS_CREATED", "tasks": [`)
	for i := range 2000 {
		if i > 0 {
			tasks.WriteString(", ")
		}
		tasks.WriteString(`{"id": ` + strconv.Itoa(1000+i) + `, "data": {"image": "s3://bucket/images/` + strconv.Itoa(i) + `.jpg", "caption": "a street at night, \"rainy\""}, "meta": {}, "created_at": "2026-03-02T10:01:00.000001Z", "updated_at": "2026-03-02T10:01:00.000001Z", "is_labeled": false, "overlap": 1, "project": 2, "file_upload": 7, "inner_id": ` + strconv.Itoa(i+1) + `, "total_annotations": 0, "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": null, "updated_by": null, "comment_authors": []}`)
	}
	tasks.WriteString(`]}`)
	var nums strings.Builder
	nums.WriteString(`{"rle": [`)
	for i := range 100000 {
		if i > 0 {
			nums.WriteString(", ")
		}
		nums.WriteString(strconv.Itoa(i * 37 % 256))
	}
	nums.WriteString(`]}`)
	return map[string][]byte{"annotation": ann, "tasks": []byte(tasks.String()), "numbers": []byte(nums.String())}
}

// benchKeys numbers the member names of the bench bodies, as lswebhook
// numbers its schemas' names.
var benchKeys = NewKeys(strings.Fields(`action tasks id data image caption meta created_at updated_at
	is_labeled overlap project file_upload inner_id total_annotations cancelled_annotations
	total_predictions comment_count unresolved_comment_count last_comment_updated_at updated_by
	comment_authors annotation task result value x y width height rotation rectanglelabels
	original_width original_height image_rotation from_name to_name type origin completed_by
	was_cancelled ground_truth lead_time draft_created_at result_count title label_config`))

// BenchmarkParse measures reading bodies into a tape with a pooled parser,
// with member keys as Decode reads them. Besides ns/op (wall time) it
// reports cpu-ns/op, the process's CPU time per parse, which other
// processes on a loaded machine disturb less.
func BenchmarkParse(b *testing.B) {
	bodies := benchBodies(b)
	for _, name := range []string{"annotation", "tasks", "numbers"} {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			cpu := processCPU()
			for b.Loop() {
				t, err := Parse(body, 100, benchKeys)
				if err != nil {
					b.Fatal(err)
				}
				t.Release()
			}
			if cpu != 0 {
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
