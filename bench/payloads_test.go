package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// payload is one class of the peer benchmark.
type payload struct {
	name string
	data []byte
	// valid says whether the body is a valid webhook body: the typed
	// decoders must accept it if so and refuse it if not.
	valid bool
}

const (
	// capturedDir holds the bodies captured from Label Studio 1.23.2.
	capturedDir = "../testdata/labelstudio-1.23.2"
	// annotationSmall is the documented ANNOTATION_CREATED example.
	annotationSmall = "../testdata/docs/annotation-created.json"
	// annotationLarge is a captured ANNOTATION_CREATED body of about 5 KiB.
	annotationLarge = capturedDir + "/029-ANNOTATION_CREATED-org.json"
	// projectUpdated is a captured PROJECT_UPDATED body.
	projectUpdated = capturedDir + "/091-PROJECT_UPDATED-org.json"
	// taskCapture is a captured TASKS_CREATED body whose one task is copied
	// to build the bulk bodies.
	taskCapture = capturedDir + "/081-TASKS_CREATED-org.json"
	// bulkTasks is the number of tasks of the bulk class.
	bulkTasks = 5000
	// invalidSize is the least size of the invalid body.
	invalidSize = 1 << 20
)

var payloads struct {
	once sync.Once
	list []payload
	err  error
}

// payloadsFor returns the benchmark's payload classes, built once.
func payloadsFor(tb testing.TB) []payload {
	tb.Helper()
	payloads.once.Do(func() { payloads.list, payloads.err = buildPayloads() })
	if payloads.err != nil {
		tb.Fatal(payloads.err)
	}
	return payloads.list
}

func buildPayloads() ([]payload, error) {
	var files [3][]byte
	for i, name := range []string{annotationSmall, annotationLarge, projectUpdated} {
		b, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			return nil, err
		}
		files[i] = b
	}
	capture, err := os.ReadFile(filepath.FromSlash(taskCapture))
	if err != nil {
		return nil, err
	}
	bulk, err := tasksBody(capture, bulkTasks, 0, false)
	if err != nil {
		return nil, err
	}
	invalid, err := tasksBody(capture, 0, invalidSize, true)
	if err != nil {
		return nil, err
	}
	return []payload{
		{"annotation-3KiB", files[0], true},
		{"annotation-5KiB", files[1], true},
		{"project-4KiB", files[2], true},
		{"tasks-5000", bulk, true},
		{"invalid-1MiB", invalid, false},
	}, nil
}

var (
	taskIDRe    = regexp.MustCompile(`^\{"id": ([0-9]+),`)
	innerIDRe   = regexp.MustCompile(`"inner_id": [0-9]+,`)
	itemBodyRe  = regexp.MustCompile(`"body": "([a-z]+)"`)
	taskArrayRe = regexp.MustCompile(`^\{"action": "TASKS_CREATED", "tasks": \[`)
)

// tasksBody builds a TASKS_CREATED body from a captured one that holds one
// task: the task's bytes as Label Studio wrote them, copied n times (or,
// if n is 0, until the body is at least size bytes), each copy with its own
// id and inner_id and its item bodies suffixed with its number, followed
// by the capture's project. With badID, every id is written as a string,
// which the schema and the Go types refuse. The output is the same on
// every call.
func tasksBody(capture []byte, n, size int, badID bool) ([]byte, error) {
	var doc struct {
		Tasks   []json.RawMessage `json:"tasks"`
		Project json.RawMessage   `json:"project"`
	}
	if err := json.Unmarshal(capture, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", taskCapture, err)
	}
	if len(doc.Tasks) != 1 || !taskArrayRe.Match(capture) {
		return nil, fmt.Errorf("%s: want a TASKS_CREATED body with one task first", taskCapture)
	}
	task := doc.Tasks[0]
	if !taskIDRe.Match(task) || !innerIDRe.Match(task) {
		return nil, fmt.Errorf("%s: the task has no id or inner_id where expected", taskCapture)
	}
	var b bytes.Buffer
	b.WriteString(`{"action": "TASKS_CREATED", "tasks": [`)
	for i := 0; (n > 0 && i < n) || (n == 0 && b.Len() < size); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		id := fmt.Sprintf("%d", 1000+i)
		if badID {
			id = `"` + id + `"`
		}
		t := taskIDRe.ReplaceAll(task, []byte(`{"id": `+id+`,`))
		t = innerIDRe.ReplaceAll(t, []byte(fmt.Sprintf(`"inner_id": %d,`, i+1)))
		t = itemBodyRe.ReplaceAll(t, []byte(fmt.Sprintf(`"body": "${1} %d"`, i+1)))
		b.Write(t)
	}
	b.WriteString(`], "project": `)
	b.Write(doc.Project)
	b.WriteString("}")
	return b.Bytes(), nil
}

// TestPayloads checks the classes the benchmark claims: sizes, task
// counts, determinism, and that Decode accepts the valid ones and refuses
// the invalid one at a task's id.
func TestPayloads(t *testing.T) {
	list := payloadsFor(t)
	want := map[string][2]int{ // least and most size in bytes
		"annotation-3KiB": {3 << 10, 4 << 10},
		"annotation-5KiB": {5 << 10, 6 << 10},
		"project-4KiB":    {4 << 10, 5 << 10},
		"tasks-5000":      {3 << 20, 4 << 20},
		"invalid-1MiB":    {1 << 20, 1<<20 + 4<<10},
	}
	for _, p := range list {
		r, ok := want[p.name]
		if !ok {
			t.Errorf("%s: no expected size", p.name)
			continue
		}
		if len(p.data) < r[0] || len(p.data) > r[1] {
			t.Errorf("%s: %d bytes, want %d to %d", p.name, len(p.data), r[0], r[1])
		}
		ev, err := lswebhook.Decode(p.data)
		switch {
		case p.valid && err != nil:
			t.Errorf("%s: Decode: %v", p.name, err)
		case !p.valid && err == nil:
			t.Errorf("%s: Decode accepted the invalid body", p.name)
		case !p.valid && !bytes.Contains([]byte(err.Error()), []byte("/id")):
			t.Errorf("%s: Decode refused it for another reason than a task id: %v", p.name, err)
		}
		if p.name == "tasks-5000" && err == nil {
			if n := len(ev.(*lswebhook.TasksCreated).Tasks); n != bulkTasks {
				t.Errorf("%s: %d tasks, want %d", p.name, n, bulkTasks)
			}
			if !json.Valid(p.data) {
				t.Errorf("%s: not valid JSON", p.name)
			}
		}
		t.Logf("%s: %d bytes", p.name, len(p.data))
	}
	again, err := buildPayloads()
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if !bytes.Equal(again[i].data, list[i].data) {
			t.Errorf("%s: not the same bytes on a second build", list[i].name)
		}
	}
}
