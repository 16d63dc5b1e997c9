package lswebhook_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestSchemaFiles checks every bundled schema file: valid JSON, draft
// 2020-12, an $id matching its path, and used by the registry or referenced.
func TestSchemaFiles(t *testing.T) {
	n := 0
	err := fs.WalkDir(lswebhook.Schemas(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		b, err := fs.ReadFile(lswebhook.Schemas(), p)
		if err != nil {
			return err
		}
		var s struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		if err := json.Unmarshal(b, &s); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if s.Schema != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema = %q", p, s.Schema)
		}
		if s.ID != lswebhook.SchemaBaseURL+p {
			t.Errorf("%s: $id = %q", p, s.ID)
		}
		// The embedded copy is the file in the repository.
		disk, err := os.ReadFile("schema/" + p)
		if err != nil || string(disk) != string(b) {
			t.Errorf("%s: embedded copy differs from schema/%s (%v)", p, p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < len(referenceActions)+5 {
		t.Errorf("only %d schema files", n)
	}
}

// The bundled schemas can be read, for example to serve them or to use
// them from another language.
func ExampleSchemas() {
	info, _ := lswebhook.LookupAction(lswebhook.ActionStartTraining)
	b, err := fs.ReadFile(lswebhook.Schemas(), info.Schema)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(b) > 0, info.Schema)
	// Output: true events/start-training.json
}
