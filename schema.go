package lswebhook

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// SchemaBaseURL is the base of every bundled schema's $id. A schema file at
// path p in [Schemas] has the $id SchemaBaseURL + p. The URLs identify the
// schemas; nothing is fetched from them.
const SchemaBaseURL = "https://github.com/seed-d2dfa170/lswebhook/schema/"

//go:embed schema
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
	byAction map[Action]*jsonschema.Schema
	// fast holds the fast-path validator of each action whose schema uses
	// only the keywords fastvalidate.go supports; see there.
	fast     map[Action]*fastNode
	fastErrs map[Action]error
	err      error
}

var loadSchemas = sync.OnceValue(func() compiledSchemas {
	c := newCompiler()
	out := compiledSchemas{
		byAction: make(map[Action]*jsonschema.Schema, len(registry)),
		fast:     make(map[Action]*fastNode, len(registry)),
		fastErrs: make(map[Action]error),
	}
	for i := range registry {
		v := &registry[i]
		// A fresh fast compiler per action: a schema that fails to compile
		// must not leave half-built nodes for the next action to reuse.
		if n, err := newFastCompiler().compileFile(v.schema); err == nil {
			out.fast[v.action] = n
		} else {
			out.fastErrs[v.action] = err
		}
		s, err := c.Compile(SchemaBaseURL + v.schema)
		if err != nil {
			out.err = fmt.Errorf("lswebhook: compiling bundled schema %s: %w", v.schema, err)
			return out
		}
		out.byAction[v.action] = s
	}
	return out
})

// newCompiler returns a compiler that resolves references inside the bundle
// only: any other URL is an error, never a fetch.
func newCompiler() *jsonschema.Compiler {
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
		return nil, fmt.Errorf("lswebhook: schema reference %q is outside the bundled schemas", url)
	}
	f, err := Schemas().Open(p)
	if err != nil {
		return nil, fmt.Errorf("lswebhook: no bundled schema %q: %w", p, err)
	}
	return f, nil
}

// schemaFor returns the compiled schema of a canonical action.
func schemaFor(a Action) (*jsonschema.Schema, error) {
	cs := loadSchemas()
	if cs.err != nil {
		return nil, cs.err
	}
	return cs.byAction[a], nil
}

// validateTree checks a parsed payload against the action's schema and
// returns the problems found.
func validateTree(a Action, tree any) ([]Problem, error) {
	cs := loadSchemas()
	if cs.err != nil {
		return nil, cs.err
	}
	if f := cs.fast[a]; f != nil && f.valid(tree) {
		return nil, nil
	}
	err := cs.byAction[a].Validate(tree)
	if err == nil {
		return nil, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, fmt.Errorf("lswebhook: validating %s payload: %w", a, err)
	}
	var ps []Problem
	collectProblems(ve, &ps)
	return ps, nil
}

// collectProblems flattens the validator's error tree into its leaves. A
// missing required property is reported at the property's own location.
func collectProblems(ve *jsonschema.ValidationError, ps *[]Problem) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			collectProblems(c, ps)
		}
		return
	}
	if strings.Contains(ve.KeywordLocation, "/dependentRequired/") {
		rest, ok1 := strings.CutPrefix(ve.Message, "property '")
		rest, ok2 := strings.CutSuffix(rest, "' property exists")
		name, dep, ok3 := strings.Cut(rest, "' is required, if '")
		if ok1 && ok2 && ok3 {
			*ps = append(*ps, Problem{
				Pointer: ve.InstanceLocation + "/" + escapePointerToken(name),
				Message: "required property is missing (required when " + strconv.Quote(dep) + " is present)",
			})
			return
		}
	}
	if strings.HasSuffix(ve.KeywordLocation, "/required") {
		if names, ok := missingNames(ve.Message); ok {
			for _, n := range names {
				*ps = append(*ps, Problem{
					Pointer: ve.InstanceLocation + "/" + escapePointerToken(n),
					Message: "required property is missing",
				})
			}
			return
		}
	}
	*ps = append(*ps, Problem{Pointer: ve.InstanceLocation, Message: ve.Message})
}

// missingNames extracts the property names from the validator's
// "missing properties: 'a', 'b'" message.
func missingNames(msg string) ([]string, bool) {
	rest, ok := strings.CutPrefix(msg, "missing properties: ")
	if !ok {
		return nil, false
	}
	var names []string
	for _, part := range strings.Split(rest, ", ") {
		if len(part) < 2 || part[0] != '\'' || part[len(part)-1] != '\'' {
			return nil, false
		}
		names = append(names, part[1:len(part)-1])
	}
	return names, true
}

// Warm compiles the bundled schemas now rather than on the first [Decode],
// and reports whether they compiled. Compiling happens once per process;
// [NewHandler] calls Warm, so only programs that call Decode directly and
// care about their first call's latency need to. Calling it again costs
// nothing.
func Warm() error { return loadSchemas().err }
