package lswebhook

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// The tests validate with jsonschema v5, compiled from the same bundled
// schemas, as the reference the validator is compared with. The library
// itself does not use it.

// newReferenceCompiler returns a jsonschema v5 compiler that resolves
// references inside the bundle only: any other URL is an error, never a
// fetch.
func newReferenceCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = loadBundled
	c.AssertFormat = true
	c.Formats["date-time"] = func(v any) bool {
		s, ok := v.(string)
		if !ok {
			return true // the format applies to strings only
		}
		_, err := parseTime(s)
		return err == nil
	}
	return c
}

func loadBundled(url string) (io.ReadCloser, error) {
	p, ok := strings.CutPrefix(url, SchemaBaseURL)
	if !ok {
		return nil, fmt.Errorf("schema reference %q is outside the bundled schemas", url)
	}
	return Schemas().Open(p)
}

var referenceSchemas = sync.OnceValues(func() (map[Action]*jsonschema.Schema, error) {
	c := newReferenceCompiler()
	out := map[Action]*jsonschema.Schema{}
	for _, v := range registry {
		s, err := c.Compile(SchemaBaseURL + v.schema)
		if err != nil {
			return nil, err
		}
		out[v.action] = s
	}
	return out, nil
})

// referenceSchema returns jsonschema v5's compilation of an action's schema.
func referenceSchema(t testing.TB, a Action) *jsonschema.Schema {
	m, err := referenceSchemas()
	if err != nil {
		t.Fatal(err)
	}
	return m[a]
}

// TestSchemaLoaderOffline checks that the reference compiler refuses a
// reference outside the bundle, and that every registered schema compiles
// with it and with the library's own compiler.
func TestSchemaLoaderOffline(t *testing.T) {
	c := newReferenceCompiler()
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
	if err := Warm(); err != nil {
		t.Fatal(err)
	}
	for _, v := range registry {
		if referenceSchema(t, v.action) == nil || loadSchemas().compiled[v.action] == nil {
			t.Errorf("%s: not compiled", v.action)
		}
	}
}
