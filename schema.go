package lswebhook

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"

	"github.com/seed-d2dfa170/lswebhook/internal/validate"
)

// SchemaBaseURL is the base of every bundled schema's $id. A schema file at
// path p in [Schemas] has the $id SchemaBaseURL + p. The URLs identify the
// schemas; nothing is fetched from them.
const SchemaBaseURL = "https://github.com/seed-d2dfa170/lswebhook/schema/"

//go:embed schema/*.json schema/events/*.json
var schemaFiles embed.FS

// Schemas returns the bundled JSON Schema (draft 2020-12) files: one per
// action under "events/" (see [ActionInfo.Schema]) and the shared entity
// definitions they reference ("project.json", "task.json", ...). The files
// are the ones in the module's schema directory and can be used from any
// language.
func Schemas() fs.FS {
	sub, err := fs.Sub(schemaFiles, "schema")
	if err != nil {
		panic(err) // unreachable: "schema" is a valid path
	}
	return sub
}

type compiledSchemas struct {
	compiled map[Action]*validate.Schema // each action's compiled schema
	err      error
}

// loadSchemas compiles the bundled schema of every action, once.
var loadSchemas = sync.OnceValue(compileSchemas)

// compileSchemas compiles the bundled schema of every action.
func compileSchemas() compiledSchemas {
	out := compiledSchemas{compiled: make(map[Action]*validate.Schema, len(registry))}
	c := validate.NewCompiler(Schemas(), memberKeys(), func(s string) error {
		_, err := parseTime(s)
		return err
	})
	for i := range registry {
		v := &registry[i]
		n, err := c.Compile(v.schema)
		if err != nil {
			out.err = fmt.Errorf("lswebhook: compiling bundled schema %s: %w", v.schema, err)
			return out
		}
		out.compiled[v.action] = n
	}
	return out
}

// Warm prepares decoding now rather than on the first [Decode]: it
// compiles the bundled schemas and the conversion plans of every event
// type, and reports whether the schemas compiled. It does so once per
// process; [NewHandler] calls it, so only programs that call Decode
// directly and care about their first call's latency need to. Calling it
// again costs nothing.
func Warm() error {
	cs := loadSchemas()
	if cs.err != nil {
		return cs.err
	}
	binder().Prepare(eventTypes()...)
	// A parser for the pool, so the first payload does not allocate one.
	if t, err := parse([]byte(`{}`), DefaultMaxDepth); err == nil {
		t.Release()
	}
	return nil
}
