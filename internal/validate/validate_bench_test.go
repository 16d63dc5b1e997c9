package validate

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// BenchmarkValidate measures Validate alone, on tapes parsed once, with
// the module's own schemas: a real annotation and project from Label
// Studio 1.23.2 and a generated body of 2,000 tasks.
func BenchmarkValidate(b *testing.B) {
	fsys := os.DirFS("../../schema")
	keys := jsontape.NewKeys(append(MemberNames(fsys), "action"))
	rfc3339 := func(s string) error {
		_, err := time.Parse(time.RFC3339Nano, s)
		return err
	}
	c := NewCompiler(fsys, keys, rfc3339)
	for _, body := range []struct{ name, schema, file string }{
		{"annotation", "events/annotation-created.json", "051-ANNOTATION_CREATED-org.json"},
		{"project", "events/project-created.json", "048-PROJECT_CREATED-org.json"},
		{"tasks", "events/tasks-created.json", ""},
	} {
		s, err := c.Compile(body.schema)
		if err != nil {
			b.Fatal(err)
		}
		data := benchTasks(2000)
		if body.file != "" {
			if data, err = os.ReadFile("../../testdata/labelstudio-1.23.2/" + body.file); err != nil {
				b.Fatal(err)
			}
		}
		t, serr := jsontape.Parse(data, 64, keys)
		if serr != nil {
			b.Fatal(serr)
		}
		if res, ok := Validate(t, s, 10); !ok {
			b.Fatalf("%s: %v", body.name, res.Problems)
		}
		b.Run(body.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				Validate(t, s, 10)
			}
		})
		t.Release()
	}
}

// benchTasks is a TASKS_CREATED body of n tasks as Label Studio 1.23
// writes them.
func benchTasks(n int) []byte {
	var w strings.Builder
	w.WriteString(`{"action": "TASKS_CREATED", "tasks": [`)
	for i := range n {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(`{"id": ` + strconv.Itoa(1000+i) + `, "data": {"image": "s3://bucket/images/` + strconv.Itoa(i) + `.jpg"}, "meta": {}, "created_at": "2026-03-02T10:01:00.000001Z", "updated_at": "2026-03-02T10:01:00.000001Z", "is_labeled": false, "overlap": 1, "project": 2, "file_upload": 7, "inner_id": ` + strconv.Itoa(i+1) + `, "total_annotations": 0, "cancelled_annotations": 0, "total_predictions": 0, "comment_count": 0, "unresolved_comment_count": 0, "last_comment_updated_at": null, "updated_by": null, "comment_authors": [], "precomputed_agreement": null, "allow_skip": true}`)
	}
	w.WriteString(`]}`)
	return []byte(w.String())
}

// BenchmarkStream measures a parse that validates as it reads (what
// Decode does for a dense body) beside the plain parse of the same body:
// a TASKS_DELETED body of 5,000 ids, and 2,000 tasks.
func BenchmarkStream(b *testing.B) {
	fsys := os.DirFS("../../schema")
	keys := jsontape.NewKeys(append(MemberNames(fsys), "action"))
	c := NewCompiler(fsys, keys, func(s string) error {
		_, err := time.Parse(time.RFC3339Nano, s)
		return err
	})
	var ids strings.Builder
	ids.WriteString(`{"action": "TASKS_DELETED", "tasks": [`)
	for i := range 5000 {
		if i > 0 {
			ids.WriteString(", ")
		}
		ids.WriteString(`{"id": ` + strconv.Itoa(100000+i) + `}`)
	}
	ids.WriteString(`]}`)
	for _, body := range []struct {
		name, schema string
		data         []byte
	}{
		{"deleted", "events/tasks-deleted.json", []byte(ids.String())},
		{"tasks", "events/tasks-created.json", benchTasks(2000)},
	} {
		s, err := c.Compile(body.schema)
		if err != nil {
			b.Fatal(err)
		}
		r := jsontape.NewReader()
		opts := jsontape.Options{MaxDepth: 64, Keys: keys}
		b.Run(body.name+"/parse", func(b *testing.B) {
			b.SetBytes(int64(len(body.data)))
			for b.Loop() {
				if _, err := r.Parse(body.data, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(body.name+"/stream", func(b *testing.B) {
			b.SetBytes(int64(len(body.data)))
			for b.Loop() {
				st := NewStream(s, 10)
				opts := opts
				opts.Watch = st
				if _, err := r.Parse(body.data, opts); err != nil {
					b.Fatal(err)
				}
				if res, ok := st.Result(); !ok {
					b.Fatal(res.Problems)
				}
			}
		})
		r.Close()
	}
}
