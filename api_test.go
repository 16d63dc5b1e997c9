package lswebhook_test

import (
	"bytes"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// apiPackages are the module's public packages, by directory.
var apiPackages = []string{".", "lsapi", "lsresult", "lswebhooktest"}

// TestAPI keeps api/<package>.txt, the exported API of each public package,
// equal to the code, so that a change to exported names is deliberate: it
// fails until the file is rewritten (go test -run TestAPI -update) and the
// change is described in CHANGELOG.md.
func TestAPI(t *testing.T) {
	for _, dir := range apiPackages {
		got := exportedAPI(t, dir)
		name := filepath.Base(filepath.Clean(dir))
		if dir == "." {
			name = "lswebhook"
		}
		path := filepath.Join("api", name+".txt")
		if want := golden(t, path, got, "TestAPI"); got != want {
			t.Errorf("the exported API of %s differs from %s: describe the change in CHANGELOG.md and run go test -run TestAPI -update\n%s", dir, path, lineDiff(want, got))
		}
	}
}

// exportedAPI lists the exported declarations of the package in dir, one
// per line, sorted: constants, variables, functions, types with their
// fields, and methods.
func exportedAPI(t *testing.T, dir string) string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, p := range pkgs {
		d := doc.New(p, "", 0)
		node := func(n any) string {
			var b bytes.Buffer
			cfg := printer.Config{Mode: printer.RawFormat}
			if err := cfg.Fprint(&b, fset, n); err != nil {
				t.Fatal(err)
			}
			return strings.Join(strings.Fields(b.String()), " ")
		}
		values := func(kind string, vs []*doc.Value) {
			for _, v := range vs {
				for _, s := range v.Decl.Specs {
					vs := s.(*ast.ValueSpec)
					for _, n := range vs.Names {
						if n.IsExported() {
							lines = append(lines, kind+" "+n.Name)
						}
					}
				}
			}
		}
		funcs := func(fs []*doc.Func) {
			for _, f := range fs {
				f.Decl.Body = nil
				f.Decl.Doc = nil
				lines = append(lines, node(f.Decl))
			}
		}
		values("const", d.Consts)
		values("var", d.Vars)
		funcs(d.Funcs)
		for _, ty := range d.Types {
			values("const", ty.Consts)
			values("var", ty.Vars)
			funcs(ty.Funcs)
			funcs(ty.Methods)
			for _, s := range ty.Decl.Specs {
				ts := s.(*ast.TypeSpec)
				if !ts.Name.IsExported() {
					continue
				}
				switch u := ts.Type.(type) {
				case *ast.StructType:
					lines = append(lines, "type "+ts.Name.Name+" struct")
					for _, f := range u.Fields.List {
						for _, n := range f.Names {
							if n.IsExported() {
								lines = append(lines, "type "+ts.Name.Name+" struct, "+n.Name+" "+node(f.Type))
							}
						}
						if len(f.Names) == 0 {
							lines = append(lines, "type "+ts.Name.Name+" struct, embedded "+node(f.Type))
						}
					}
				case *ast.InterfaceType:
					lines = append(lines, "type "+ts.Name.Name+" interface")
					for _, m := range u.Methods.List {
						for _, n := range m.Names {
							if n.IsExported() {
								lines = append(lines, "type "+ts.Name.Name+" interface, "+n.Name+node(m.Type)[len("func"):])
							}
						}
					}
				default:
					eq := " "
					if ts.Assign.IsValid() {
						eq = " = "
					}
					lines = append(lines, "type "+ts.Name.Name+eq+node(ts.Type))
				}
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
