package lswebhook

import (
	"strings"
	"testing"
)

// TestSchemaLoaderOffline checks that a reference outside the bundle is an
// error, never a fetch, and that every registered schema compiles.
func TestSchemaLoaderOffline(t *testing.T) {
	c := newCompiler()
	err := c.AddResource(SchemaBaseURL+"test/outside.json", strings.NewReader(`{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$ref": "https://example.com/elsewhere.json"
	}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Compile(SchemaBaseURL + "test/outside.json")
	if err == nil || !strings.Contains(err.Error(), "outside the bundled schemas") {
		t.Errorf("Compile with an outside $ref: %v, want a refusal", err)
	}
	if _, err := loadBundled("file:///etc/passwd"); err == nil {
		t.Errorf("loadBundled accepted a file URL")
	}
	if _, err := loadBundled(SchemaBaseURL + "missing.json"); err == nil {
		t.Errorf("loadBundled found a schema that does not exist")
	}
	for _, v := range registry {
		if s, err := schemaFor(v.action); err != nil || s == nil {
			t.Errorf("%s: schema %v, %v", v.action, s, err)
		}
	}
}
