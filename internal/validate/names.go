package validate

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"sort"
)

// decodeJSON reads a schema document into the generic form:
// map[string]any, []any, json.Number, string, bool or nil.
func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// MemberNames returns the member names that the schema documents in fsys
// name in "properties", "required" and "dependentRequired", for
// [jsontape.NewKeys]. Documents that do not parse are left out.
func MemberNames(fsys fs.FS) []string {
	var names []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				switch k {
				case "properties", "dependentRequired":
					if m, ok := e.(map[string]any); ok {
						for name := range m {
							names = append(names, name)
						}
					}
				case "required":
					if a, ok := e.([]any); ok {
						for _, name := range a {
							if s, ok := name.(string); ok {
								names = append(names, s)
							}
						}
					}
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	_ = fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, err := fs.ReadFile(fsys, path); err == nil {
			if tree, err := decodeJSON(b); err == nil {
				walk(tree)
			}
		}
		return nil
	})
	sort.Strings(names)
	return names
}
