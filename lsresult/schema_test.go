package lsresult_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/seed-d2dfa170/lswebhook"
)

// valueSchema is the bundled schema of the known result types' value
// shapes (result-values.json), compiled by jsonschema v5: the reference
// Parse is held against. Decode does not apply it (Label Studio sends back
// any result list it stored), Parse does.
var valueSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.LoadURL = func(url string) (io.ReadCloser, error) {
		p, ok := strings.CutPrefix(url, lswebhook.SchemaBaseURL)
		if !ok {
			return nil, fmt.Errorf("outside the bundle: %s", url)
		}
		return lswebhook.Schemas().Open(p)
	}
	return c.Compile(lswebhook.SchemaBaseURL + "result-values.json")
})

// valueSchemaAccepts reports whether result-values.json accepts a result
// item of type typ with the value (raw JSON).
func valueSchemaAccepts(t testing.TB, typ string, value []byte) bool {
	t.Helper()
	s, err := valueSchema()
	if err != nil {
		t.Fatal(err)
	}
	item := map[string]any{"type": typ}
	if len(value) > 0 {
		d := json.NewDecoder(bytes.NewReader(value))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return false
		}
		item["value"] = v
	}
	return s.Validate(item) == nil
}
