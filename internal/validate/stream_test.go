package validate

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/internal/jsontape"
)

// streamCheck validates data with a Stream and with Validate on the whole
// tape and fails the test if the two differ. It reports whether it
// compared them: data the reader refuses is skipped.
func streamCheck(t *testing.T, name string, data []byte, s *Schema, keys *jsontape.Keys, limit int) bool {
	t.Helper()
	tp, err := jsontape.Parse(data, 100, keys)
	if err != nil {
		return false
	}
	want, wantOK := Validate(tp, s, limit)
	tp.Release()
	st := NewStream(s, limit)
	tp, err = jsontape.ParseWith(data, jsontape.Options{MaxDepth: 100, Keys: keys, Watch: st})
	if err != nil {
		t.Fatalf("%s: the stream parse refused what the plain one accepts: %v", name, err)
	}
	tp.Release()
	got, gotOK := st.Result()
	if gotOK != wantOK || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: stream %v %+v\nwhole tape %v %+v", name, gotOK, got, wantOK, want)
	}
	return true
}

// TestStreamAgrees checks that a Stream finds what Validate finds, for
// every JSON file under the repository's testdata against every bundled
// event schema, and for the documents of TestValidate.
func TestStreamAgrees(t *testing.T) {
	fsys := os.DirFS("../../schema")
	keys := jsontape.NewKeys(MemberNames(fsys))
	c := NewCompiler(fsys, keys, dateTime)
	paths, err := fs.Glob(fsys, "events/*.json")
	if err != nil || len(paths) < 16 {
		t.Fatalf("found %d event schemas: %v", len(paths), err)
	}
	var schemas []*Schema
	for _, p := range paths {
		s, err := c.Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, s)
	}
	files, compared := 0, 0
	err = filepath.WalkDir("../../testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		ok := false
		for i, s := range schemas {
			for _, limit := range []int{1, 100} {
				if streamCheck(t, p+" against "+paths[i], data, s, keys, limit) {
					ok = true
				}
			}
		}
		if ok {
			compared++
		}
		return nil
	})
	// Most files are JSON the reader accepts (853 of 880 today): the
	// test must not pass by skipping them.
	if err != nil || files < 100 || compared < files*3/4 {
		t.Fatalf("%d files, %d compared: %v", files, compared, err)
	}
	for _, doc := range []string{
		`[{"id": 1, "when": "2026-01-01T00:00:00Z"}, {"id": "x", "tags": ["a", 2, "b"]}, {"when": "yesterday"}, {"id": 4}]`,
		`[]`, `{}`, `7`, `[7, {"id": {}}, [1]]`, `[{"id": 1, "tags": {"a": [1, 2]}}]`,
	} {
		for _, keys := range []*jsontape.Keys{nil, jsontape.NewKeys(MemberNames(testFS))} {
			s, err := NewCompiler(testFS, keys, dateTime).Compile("list.json")
			if err != nil {
				t.Fatal(err)
			}
			streamCheck(t, doc, []byte(doc), s, keys, 100)
			streamCheck(t, doc, []byte(doc), s, keys, 1)
		}
	}
}

// nodeCounter is a Watcher that passes everything on to a Stream and
// records the most nodes the tape held.
type nodeCounter struct {
	*Stream
	most int
}

func (c *nodeCounter) Value(t *jsontape.Tape, i uint32, path []jsontape.Frame) bool {
	c.most = max(c.most, len(t.Nodes))
	return c.Stream.Value(t, i, path)
}

// TestStreamBounded checks that a Stream holds the nodes of its open
// objects and arrays only, whatever the length of the document: a long
// array of invalid items and a long array of valid ones.
func TestStreamBounded(t *testing.T) {
	keys := jsontape.NewKeys(MemberNames(testFS))
	s, err := NewCompiler(testFS, keys, dateTime).Compile("list.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, item := range []string{`{}`, `{"id": 1, "tags": ["a"]}`, `{"id": "x"}`, `0`} {
		for _, n := range []int{10, 10000} {
			doc := "[" + strings.Repeat(item+",", n-1) + item + "]"
			c := &nodeCounter{Stream: NewStream(s, 5)}
			tp, perr := jsontape.ParseWith([]byte(doc), jsontape.Options{MaxDepth: 10, Keys: keys, Watch: c})
			if perr != nil {
				t.Fatal(perr)
			}
			tp.Release()
			res, _ := c.Result()
			if c.most > 8 {
				t.Errorf("%d items %s: the tape held %d nodes", n, item, c.most)
			}
			if item != `{"id": 1, "tags": ["a"]}` && res.Total != n {
				t.Errorf("%d items %s: %d problems", n, item, res.Total)
			}
		}
	}
}
