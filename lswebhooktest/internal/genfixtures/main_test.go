package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestReproducible regenerates the fixtures into a temporary directory and
// compares them with the committed ones (README.md aside): the copy step
// reproduces them. It fails after a new capture lands in testdata until
// go generate ./lswebhooktest is run and its output committed.
func TestReproducible(t *testing.T) {
	committed := filepath.Join("..", "..", "fixtures")
	out := t.TempDir()
	releases, err := os.ReadFile(filepath.Join(committed, "releases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "releases.txt"), releases, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(filepath.Join("..", "..", "..", "testdata"), out, 12); err != nil {
		t.Fatal(err)
	}
	want, got := tree(t, committed), tree(t, out)
	for name, b := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: committed, not generated", name)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s: generated differs from committed:\n%s", name, g)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: generated, not committed", name)
		}
	}
}

func tree(t *testing.T, root string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "README.md" {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSetReleaseLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "releases.txt")
	os.WriteFile(file, []byte("# comment\n1.7.3 2.28.0 - pin\n1.23.2 2.34.2 heartex/1.23.2 capture\n"), 0o644)
	if err := setReleaseLine(file, "1.10.1", "1.10.1 2.31.0 - capture 2026-12-03"); err != nil {
		t.Fatal(err)
	}
	if err := setReleaseLine(file, "1.7.3", "1.7.3 2.28.0 - capture 2026-12-03"); err != nil {
		t.Fatal(err)
	}
	if err := setReleaseLine(file, "1.24.0", "1.24.0 2.35.0 heartex/1.24.0 capture 2026-12-03"); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	want := "# comment\n1.7.3 2.28.0 - capture 2026-12-03\n1.10.1 2.31.0 - capture 2026-12-03\n1.23.2 2.34.2 heartex/1.23.2 capture\n1.24.0 2.35.0 heartex/1.24.0 capture 2026-12-03\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{{"1.10.1", "1.7.3", true}, {"1.4.1.post1", "1.4.1", true}, {"1.4.1", "1.4.1.post1", false}, {"1.23.2", "1.23.2", false}} {
		if got := newer(tt.a, tt.b); got != tt.want {
			t.Errorf("newer(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}
