package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the module root, relative to this package.
const repoRoot = "../../"

// readmeArgs turns the words after "lswebhook" in a README command into
// arguments relative to this package, expanding globs as a shell would.
func readmeArgs(t *testing.T, words []string) []string {
	t.Helper()
	var args []string
	for _, w := range words {
		if !strings.HasPrefix(w, "testdata/") {
			args = append(args, w)
			continue
		}
		if !strings.ContainsAny(w, "*?[") {
			args = append(args, repoRoot+w)
			continue
		}
		m, err := filepath.Glob(repoRoot + w)
		if err != nil || len(m) == 0 {
			t.Fatalf("README glob %s matches nothing (%v)", w, err)
		}
		args = append(args, m...)
	}
	return args
}

// TestREADMEMainCommand runs the README's main command, the demonstration
// of its "Two commands" table, and checks that it exits 0 and that CI runs
// exactly it.
func TestREADMEMainCommand(t *testing.T) {
	readme, err := os.ReadFile(repoRoot + "README.md")
	if err != nil {
		t.Fatal(err)
	}
	var cmd string
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "| demonstration") {
			cells := strings.Split(line, "`")
			if len(cells) >= 3 {
				cmd = cells[len(cells)-2]
			}
		}
	}
	const prefix = "go run ./cmd/lswebhook "
	if !strings.HasPrefix(cmd, prefix) {
		t.Fatalf("README demonstration is %q, want a %q command", cmd, prefix+"...")
	}
	r := runCmd(context.Background(), "", readmeArgs(t, strings.Fields(strings.TrimPrefix(cmd, prefix)))...)
	if r.code != 0 || r.stderr != "" {
		t.Errorf("%s: exit %d, stderr:\n%s", cmd, r.code, r.stderr)
	}

	ci, err := os.ReadFile(repoRoot + ".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "\n"+cmd+"\n") {
		t.Errorf(".ci/run does not run the README's main command %q", cmd)
	}
}

// TestREADMECommandLineSamples checks the command samples that do not
// depend on time, in the README's "Command line" section and in
// docs/command.md: validate's output exactly, and the lines shown of
// actions.
func TestREADMECommandLineSamples(t *testing.T) {
	readme, err := os.ReadFile(repoRoot + "README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Command line\n")
	if !ok {
		t.Fatal("README has no Command line section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	if n := checkSamples(t, "README.md", section); n != 1 {
		t.Errorf("checked %d README samples, want 1 (validate)", n)
	}
	doc, err := os.ReadFile(repoRoot + "docs/command.md")
	if err != nil {
		t.Fatal(err)
	}
	if n := checkSamples(t, "docs/command.md", string(doc)); n != 2 {
		t.Errorf("checked %d samples in docs/command.md, want 2 (validate and actions)", n)
	}
}

// checkSamples runs the validate and actions samples of a Markdown text and
// returns how many it checked.
func checkSamples(t *testing.T, file, text string) int {
	t.Helper()
	checked := 0
	blocks := strings.Split(text, "```")
	for i := 1; i < len(blocks); i += 2 {
		block := strings.TrimPrefix(blocks[i], "\n")
		first, sample, _ := strings.Cut(block, "\n")
		words := strings.Fields(first)
		if len(words) < 3 || words[0] != "$" || words[1] != "lswebhook" {
			continue
		}
		switch words[2] {
		case "validate":
			r := runCmd(context.Background(), "", readmeArgs(t, words[2:])...)
			if got := strings.ReplaceAll(r.stdout, repoRoot, ""); got != sample {
				t.Errorf("%s sample of %q differs from the output:\n%s", file, first, got)
			}
			checked++
		case "actions":
			r := runCmd(context.Background(), "", words[2:]...)
			for _, line := range strings.Split(strings.TrimSuffix(sample, "\n"), "\n") {
				if line != "..." && !strings.Contains(r.stdout, line+"\n") {
					t.Errorf("%s line of %q not in the output: %q", file, first, line)
				}
			}
			checked++
		}
	}
	return checked
}
