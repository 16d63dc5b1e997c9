// Command gen writes docs/compatibility.md from the captures of real Label
// Studio releases under testdata/ (see package compatdoc).
//
// Usage, from the repository root:
//
//	go run ./conformance/compatdoc/gen            # rewrite docs/compatibility.md
//	go run ./conformance/compatdoc/gen -check     # exit 1 if it is stale
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/seed-d2dfa170/lswebhook/conformance/compatdoc"
)

func main() {
	check := flag.Bool("check", false, "exit 1 if "+compatdoc.Output+" is stale instead of writing it")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	doc, err := compatdoc.Generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compatdoc:", err)
		os.Exit(1)
	}
	path := filepath.Join(*root, compatdoc.Output)
	if *check {
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, doc) {
			fmt.Fprintf(os.Stderr, "compatdoc: %s is stale: run go run ./conformance/compatdoc/gen\n", compatdoc.Output)
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "compatdoc:", err)
		os.Exit(1)
	}
}
