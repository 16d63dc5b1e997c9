package compatdoc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenerateReadsCaptures checks the generator on a small capture of its
// own: counts, member classes and the catalogue.
func TestGenerateReadsCaptures(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "testdata", "labelstudio-9.9.9")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("manifest.json", `{"label_studio_version": "9.9.9", "server": {"python": "3.11.7", "extra_pins": [], "start_notes": ["did X"]},
	 "webhooks_info": {"TASKS_CREATED": {}, "PROJECT_CREATED": {}},
	 "captures": [{"file": "001-TASKS_CREATED-org.json", "action": "TASKS_CREATED", "hook": "org"}],
	 "legacy_training": [], "summary": {"not_producible": {"PROJECT_CREATED": "because"}, "findings": ["did Y"]}}`)
	write("001-TASKS_CREATED-org.json", `{"action": "TASKS_CREATED", "tasks": [{"id": 1, "meta": null, "x": 1}, {"id": 2, "meta": {}}]}`)
	doc, err := Generate(root)
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	for _, want := range []string{
		"| 9.9.9 | 3.11.7 | none | 1 | 0 | 1 |",
		"| TASKS_CREATED | 1 |",
		"| PROJECT_CREATED | not produced |",
		"`PROJECT_CREATED`: because",
		"- **9.9.9**:\n  - did X\n  - did Y\n",
		"### tasks",
		"| (objects seen) | 2 |",
		"| `id` | yes |",
		"| `meta` | yes/null |",
		"| `x` | some |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("document lacks %q:\n%s", want, s)
		}
	}
}

func TestReleaseLess(t *testing.T) {
	order := []string{"1.4.1.post1", "1.7.3", "1.10.1", "1.13.1", "1.23.2"}
	for i := range order {
		for j := range order {
			if got := releaseLess(order[i], order[j]); got != (i < j) {
				t.Errorf("releaseLess(%s, %s) = %v", order[i], order[j], got)
			}
		}
	}
}

func TestOneLineEscapesAngles(t *testing.T) {
	if got, want := oneLine("POST  <ML backend>/train\n  sends"), `POST \<ML backend>/train sends`; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}
