package lswebhook

import "github.com/santhosh-tekuri/jsonschema/v5"

// CompiledSchema gives the performance suite (an external test package)
// the jsonschema v5 schema Decode validates an action against, so that the
// hand-written pipeline it measures validates against the same one.
func CompiledSchema(a Action) (*jsonschema.Schema, error) { return schemaFor(a) }
