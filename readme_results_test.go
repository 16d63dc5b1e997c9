package lswebhook_test

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
)

// TestREADMEResults checks that the README's table of result types, between
// the "BEGIN results" and "END results" markers, lists exactly the types of
// lswebhook.ResultTypes with their Go types, and UnknownValue for the rest.
func TestREADMEResults(t *testing.T) {
	readme := string(readFile(t, "README.md"))
	_, section, ok := strings.Cut(readme, "<!-- BEGIN results")
	section, _, ok2 := strings.Cut(section, "<!-- END results -->")
	if !ok || !ok2 {
		t.Fatal("README.md has no results section")
	}
	backticked := regexp.MustCompile("`([^`]+)`")
	got := map[string]string{}
	other := ""
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| ---") || strings.HasPrefix(line, "| `type`") {
			continue
		}
		cells := strings.Split(line, " | ")
		if len(cells) < 3 {
			t.Errorf("bad table row %q", line)
			continue
		}
		goType := strings.Trim(cells[1], "`")
		first := strings.TrimPrefix(cells[0], "| ")
		if first == "any other" {
			other = goType
			continue
		}
		for _, m := range backticked.FindAllStringSubmatch(first, -1) {
			if _, dup := got[m[1]]; dup {
				t.Errorf("%s listed twice", m[1])
			}
			got[m[1]] = goType
		}
	}
	want := map[string]string{}
	for _, info := range lswebhook.ResultTypes() {
		want[info.Type] = info.GoType.String()
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README results table differs from ResultTypes (-registry +README):\n%s", diff)
	}
	if u := reflect.TypeOf(&lswebhook.UnknownValue{}).String(); other != u {
		t.Errorf("README names %q for other types, want %q", other, u)
	}
}
