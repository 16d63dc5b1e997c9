package lsresult_test

import (
	"fmt"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsresult"
)

// TestDocTable checks that the package documentation's table of result
// types lists exactly the types of Types, each with the Go type Parse
// returns for it, and *lsresult.Unknown for any other type.
func TestDocTable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	_, table, ok := strings.Cut(doc, "\ttype ")
	if !ok {
		t.Fatal("doc.go has no table of result types")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	row := regexp.MustCompile(`^\t(\S.*?)\s{2,}(\*lsresult\.\w+)\s{2,}\S`)
	got := map[string]string{}
	other := ""
	for _, line := range strings.Split(table, "\n")[1:] {
		m := row.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("bad table row %q", line)
			continue
		}
		if m[1] == "any other" {
			other = m[2]
			continue
		}
		for _, typ := range strings.Split(m[1], ", ") {
			if _, dup := got[typ]; dup {
				t.Errorf("%s listed twice", typ)
			}
			got[typ] = m[2]
		}
	}
	want := map[string]string{}
	for _, typ := range lsresult.Types() {
		r := lswebhook.Result{Type: typ, FromName: "ctl", ToName: "obj", Value: []byte(`{}`)}
		v, err := lsresult.Parse(&r)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		want[typ] = fmt.Sprintf("%T", v)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("documented table differs from Types and Parse (-registry +doc):\n%s", diff)
	}
	if u := fmt.Sprintf("%T", &lsresult.Unknown{}); other != u {
		t.Errorf("the table names %q for other types, want %q", other, u)
	}
}
