package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// Fixtures of the library, relative to this package.
const (
	docs    = "../../testdata/docs/"
	valid   = "../../testdata/valid/"
	invalid = "../../testdata/invalid/"
	input   = "testdata/input/"
)

// syncBuffer is a bytes.Buffer safe for the concurrent writes of listen.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// result is one in-process run of the command.
type result struct {
	args           []string
	stdin          string
	code           int
	stdout, stderr string
}

// transcript is how a run is kept in a golden file.
func (r result) transcript() string {
	var b strings.Builder
	b.WriteString("$ lswebhook")
	for _, a := range r.args {
		if a == "" || strings.ContainsFunc(a, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' }) {
			a = strconv.Quote(a)
		}
		b.WriteString(" " + a)
	}
	b.WriteString("\n")
	if r.stdin != "" {
		fmt.Fprintf(&b, "(standard input: %q)\n", r.stdin)
	}
	fmt.Fprintf(&b, "exit %d\n-- stdout --\n%s-- stderr --\n%s", r.code, r.stdout, r.stderr)
	return b.String()
}

// runCmd runs the command in-process with ctx (listen stops when it is
// done).
func runCmd(ctx context.Context, stdin string, args ...string) result {
	var stdout, stderr syncBuffer
	code := runContext(ctx, args, strings.NewReader(stdin), &stdout, &stderr)
	return result{args: args, stdin: stdin, code: code, stdout: stdout.String(), stderr: stderr.String()}
}

var (
	clockRE    = regexp.MustCompile(`\b\d\d:\d\d:\d\d\.\d\d\d\b`)
	durationRE = regexp.MustCompile(`\(\d+\.\dms\)`)
	loopbackRE = regexp.MustCompile(`127\.0\.0\.1:\d+`)
)

// mask replaces what changes from run to run: times of day, durations and
// the given directories.
func mask(s string, dirs ...string) string {
	for _, d := range dirs {
		s = strings.ReplaceAll(s, d, "$TMP")
	}
	s = clockRE.ReplaceAllString(s, "HH:MM:SS.mmm")
	return durationRE.ReplaceAllString(s, "(TIME)")
}

// maskPorts replaces the ports of loopback addresses, for runs on a port
// picked by the system.
func maskPorts(s string) string {
	return loopbackRE.ReplaceAllString(s, "127.0.0.1:PORT")
}

// checkGolden compares got with testdata/NAME.golden, or rewrites the file
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got == string(want) {
		return
	}
	gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("%s: line %d differs (run go test -update if the change is right)\n got: %q\nwant: %q\n\nwhole output:\n%s", path, i+1, g, w, got)
			return
		}
	}
}

// goldenCases run the command once each; testdata/NAME.golden holds the
// transcript. They cover every subcommand, every exit status and bad input.
var goldenCases = []struct {
	name  string
	stdin string
	args  []string
}{
	// The command itself.
	{name: "no-arguments", args: []string{}},
	{name: "help", args: []string{"--help"}},
	{name: "help-command", args: []string{"help", "send"}},
	{name: "unknown-command", args: []string{"frobnicate"}},

	// validate: exit 0.
	{name: "validate-docs", args: []string{"validate",
		docs + "annotation-created.json", docs + "annotation-updated.json", docs + "annotations-deleted.json",
		docs + "project-created.json", docs + "project-deleted.json", docs + "project-updated.json",
		docs + "tasks-created.json", docs + "tasks-deleted.json"}},
	{name: "validate-valid", args: []string{"validate",
		valid + "action-only-tasks-created.json", valid + "annotation-created-skipped.json",
		valid + "annotation-deleted-docs-spelling.json", valid + "annotation-updated-null-result.json",
		valid + "annotations-created.json", valid + "extra-members.json", valid + "label-link-created.json",
		valid + "label-link-deleted.json", valid + "label-link-updated.json", valid + "review-created.json",
		valid + "start-training.json", valid + "tasks-deleted-no-project.json", valid + "unknown-action.json"}},
	{name: "validate-stdin", stdin: `{"action": "TASK_CREATED", "tasks": []}`, args: []string{"validate", "-"}},
	{name: "validate-flag-after-files", args: []string{"validate", docs + "tasks-created.json", "--json"}},
	{name: "validate-json-valid", args: []string{"validate", "--json", docs + "tasks-created.json", valid + "unknown-action.json"}},
	{name: "validate-hostile", args: []string{"validate", input + "hostile.json"}},
	{name: "validate-unknown-action-only", stdin: `{"action": "FOO_BAR"}`, args: []string{"validate", "-"}},
	{name: "validate-drift", args: []string{"validate", input + "drift.json"}},
	{name: "validate-json-drift", args: []string{"validate", "--json", input + "drift.json"}},

	// validate: exit 1.
	{name: "validate-invalid", args: []string{"validate",
		invalid + "action-case-folded.json", invalid + "action-not-string.json", invalid + "annotation-id-string.json",
		invalid + "not-object.json", invalid + "project-id-overflow.json", invalid + "project-wrong-types.json",
		invalid + "ref-not-integer.json", invalid + "syntax-bom.json", invalid + "syntax-duplicate-key.json",
		invalid + "syntax-invalid-utf8.json", invalid + "syntax-truncated.json", invalid + "task-bad-datetime.json"}},
	{name: "validate-strict", args: []string{"validate", "--strict",
		docs + "tasks-created.json", valid + "unknown-action.json", input + "drift.json"}},
	{name: "validate-strict-json", stdin: `{"action": "FOO_BAR", "Action": "TASKS_CREATED"}`, args: []string{"validate", "--strict", "--json", "-"}},
	{name: "validate-json-mixed", args: []string{"validate", "--json",
		docs + "tasks-created.json", invalid + "project-wrong-types.json", invalid + "syntax-truncated.json",
		invalid + "not-object.json", invalid + "action-not-string.json", "no-such-file.json", docs}},
	{name: "validate-missing-file", args: []string{"validate", "no-such-file.json", docs + "tasks-created.json"}},
	{name: "validate-directory", args: []string{"validate", docs}},
	{name: "validate-garbage", args: []string{"validate", input + "garbage.bin", input + "array.json"}},
	{name: "validate-empty-file", args: []string{"validate", input + "empty.json"}},
	{name: "validate-empty-stdin", args: []string{"validate", "-"}},
	{name: "validate-garbage-stdin", stdin: "\x00\x01binary\xff\x1b[31m", args: []string{"validate", "-"}},

	// validate: exit 2.
	{name: "validate-no-files", args: []string{"validate"}},
	{name: "validate-bad-flag", args: []string{"validate", "--quiet", docs + "tasks-created.json"}},
	{name: "validate-stdin-twice", args: []string{"validate", "-", "-"}},
	{name: "validate-help", args: []string{"validate", "--help"}},

	// schema and actions.
	{name: "schema-list", args: []string{"schema"}},
	{name: "schema-action", args: []string{"schema", "PROJECT_DELETED"}},
	{name: "schema-alias", args: []string{"schema", "task_created"}},
	{name: "schema-shared-file", args: []string{"schema", "ref.json"}},
	{name: "schema-unknown", args: []string{"schema", "TASK_COMPLETED"}},
	{name: "schema-outside-bundle", args: []string{"schema", "../go.mod.json"}},
	{name: "schema-two-arguments", args: []string{"schema", "TASKS_CREATED", "TASKS_DELETED"}},
	{name: "schema-help", args: []string{"schema", "--help"}},
	{name: "actions", args: []string{"actions"}},
	{name: "actions-argument", args: []string{"actions", "TASKS_CREATED"}},
	{name: "actions-help", args: []string{"actions", "-h"}},

	// listen and send: usage and start-up errors (loopback runs are in
	// listen_test.go).
	{name: "listen-help", args: []string{"listen", "--help"}},
	{name: "listen-argument", args: []string{"listen", "extra"}},
	{name: "listen-bad-header", args: []string{"listen", "--header", "X-Token"}},
	{name: "listen-bad-header-name", args: []string{"listen", "--header", "Bad Name=x"}},
	{name: "listen-bad-max-body", args: []string{"listen", "--max-body", "0"}},
	{name: "listen-bad-address", args: []string{"listen", "--addr", "127.0.0.1:99999"}},
	{name: "listen-save-is-a-file", args: []string{"listen", "--addr", "127.0.0.1:0", "--save", docs + "tasks-created.json"}},
	{name: "send-help", args: []string{"send", "--help"}},
	{name: "send-no-url", args: []string{"send", docs + "tasks-created.json"}},
	{name: "send-bad-url", args: []string{"send", "--url", "ftp://example.com/", docs + "tasks-created.json"}},
	{name: "send-no-files", args: []string{"send", "--url", "http://127.0.0.1:9/"}},
	{name: "send-bad-timeout", args: []string{"send", "--url", "http://127.0.0.1:9/", "--timeout", "0s", docs + "tasks-created.json"}},
	{name: "send-bad-release", args: []string{"send", "--url", "http://127.0.0.1:9/", "--release", "1.99.0", docs + "tasks-created.json"}},
	{name: "send-bad-header", args: []string{"send", "--url", "http://127.0.0.1:9/", "--header", "X-Token=a\x01b", docs + "tasks-created.json"}},
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := runCmd(context.Background(), tc.stdin, tc.args...)
			checkGolden(t, tc.name, mask(r.transcript()))
		})
	}
}

// TestGoldenExitStatuses keeps the golden cases honest about what they
// cover: every subcommand and every exit status.
func TestGoldenExitStatuses(t *testing.T) {
	if *update {
		t.Skip("golden files are being rewritten")
	}
	seen := make(map[string]bool)
	for _, tc := range goldenCases {
		data, err := os.ReadFile(filepath.Join("testdata", tc.name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		cmd := "(none)"
		if len(tc.args) > 0 {
			cmd = tc.args[0]
		}
		_, rest, _ := strings.Cut(string(data), "\nexit ")
		code, _, _ := strings.Cut(rest, "\n")
		seen[cmd+" "+code] = true
	}
	for _, want := range []string{
		"(none) 2", "--help 0", "help 0", "frobnicate 2",
		"validate 0", "validate 1", "validate 2",
		"schema 0", "schema 1", "schema 2", "actions 0", "actions 2",
		"listen 0", "listen 1", "listen 2", "send 0", "send 2",
	} {
		if !seen[want] {
			t.Errorf("no golden case for %q (exit status)", want)
		}
	}
}

// TestValidateBundledFixtures runs validate over every fixture of the
// library: the documentation examples, the hand-written valid payloads, the
// payloads per result type and the captures of Label Studio 1.23.2 are
// valid; every invalid payload is refused with at least one problem.
func TestValidateBundledFixtures(t *testing.T) {
	var good []string
	for _, pattern := range []string{docs + "*.json", valid + "*.json", "../../testdata/results/*.json", "../../testdata/labelstudio-1.23.2/[0-9]*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil || len(m) == 0 {
			t.Fatalf("%s: %v, %d files", pattern, err, len(m))
		}
		good = append(good, m...)
	}
	r := runCmd(context.Background(), "", append([]string{"validate"}, good...)...)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q, stdout:\n%s", r.code, r.stderr, r.stdout)
	}
	// One of them has an action the library does not know.
	const unknownAction = valid + "unknown-action.json"
	if got, want := strings.Count(r.stdout, " ok\n"), len(good)-1; got != want {
		t.Errorf("%d ok lines for %d files with a known action", got, want)
	}
	if !strings.Contains(r.stdout, unknownAction+": TASK_COMPLETED unknown\n") {
		t.Errorf("%s not reported as unknown:\n%s", unknownAction, r.stdout)
	}
	// No drift in any of them: --strict accepts all but the unknown action.
	var known []string
	for _, f := range good {
		if f != unknownAction {
			known = append(known, f)
		}
	}
	r = runCmd(context.Background(), "", append([]string{"validate", "--strict"}, known...)...)
	if r.code != 0 || strings.Contains(r.stdout, "note:") {
		t.Errorf("validate --strict: exit %d, stdout:\n%s", r.code, r.stdout)
	}

	bad, err := filepath.Glob(invalid + "*.json")
	if err != nil || len(bad) == 0 {
		t.Fatalf("invalid fixtures: %v, %d files", err, len(bad))
	}
	for _, f := range bad {
		r := runCmd(context.Background(), "", "validate", f)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if r.code != 1 || lines[0] != f+": invalid" || len(lines) < 2 || !strings.HasPrefix(lines[1], "  ") {
			t.Errorf("%s: exit %d, stdout:\n%s", f, r.code, r.stdout)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain /tasks/0 ±1024 ✓": "plain /tasks/0 ±1024 ✓",
		"\x1b[31mred\a":          `\u001b[31mred\u0007`,
		"bad\xffutf8":            `bad\xffutf8`,
		"c1\u009bcontrol":        `c1\u009bcontrol`,
		"tab\tnewline\n":         `tab\u0009newline\u000a`,
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseArgsDoubleDash(t *testing.T) {
	r := runCmd(context.Background(), "", "validate", "--", "--json")
	if r.code != 1 || !strings.Contains(r.stderr, "--json") || r.stdout != "" {
		t.Errorf("validate -- --json: exit %d, stdout %q, stderr %q; want --json read as a file name", r.code, r.stdout, r.stderr)
	}
}

// helpOf runs "lswebhook NAME --help" and returns its synopsis (the words
// after "Usage: lswebhook NAME"), its text and the flags it lists.
func helpOf(t *testing.T, name string) (synopsis, text string, flags []string) {
	t.Helper()
	r := runCmd(context.Background(), "", name, "--help")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("%s --help: exit %d, stderr %q", name, r.code, r.stderr)
	}
	first, _, _ := strings.Cut(r.stdout, "\n")
	synopsis, ok := strings.CutPrefix(first, "Usage: lswebhook "+name)
	if !ok {
		t.Fatalf("%s --help starts with %q", name, first)
	}
	if _, list, ok := strings.Cut(r.stdout, "\nFlags:\n"); ok {
		for _, line := range strings.Split(list, "\n") {
			if f, ok := strings.CutPrefix(line, "  --"); ok {
				f, _, _ = strings.Cut(f, " ")
				flags = append(flags, f)
			}
		}
	}
	return strings.TrimSpace(synopsis), r.stdout, flags
}

// packageDoc returns the package documentation of main.go.
func packageDoc(t *testing.T) string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil || f.Doc == nil {
		t.Fatalf("main.go: %v, doc %v", err, f.Doc)
	}
	return f.Doc.Text()
}

// TestHelpNamesEveryFlag: each command's synopsis names every flag its
// --help lists (as --name), and its help gives the exit statuses; the
// command's usage and the package documentation carry the same synopsis,
// and the package documentation says what exit status 1 means for it.
func TestHelpNamesEveryFlag(t *testing.T) {
	doc := packageDoc(t)
	withFlags := 0
	for _, c := range commands {
		synopsis, text, flags := helpOf(t, c.name)
		line := strings.TrimSpace("lswebhook " + c.name + " " + synopsis)
		for _, f := range flags {
			if !regexp.MustCompile(`\[?--` + regexp.QuoteMeta(f) + `\b`).MatchString(synopsis) {
				t.Errorf("%s --help lists --%s, its synopsis %q does not", c.name, f, synopsis)
			}
		}
		if len(flags) > 0 {
			withFlags++
		}
		if !strings.Contains(text, "\nExit status: 0 ") || !strings.Contains(text, " 2 for a usage") {
			t.Errorf("%s --help does not give the exit statuses:\n%s", c.name, text)
		}
		if !strings.Contains(usageText, "\n  "+line+"\n") {
			t.Errorf("lswebhook --help lacks the synopsis %q", line)
		}
		if !strings.Contains(doc, "\n\t"+line+"\n") {
			t.Errorf("the package documentation lacks the synopsis %q", line)
		}
		if !strings.Contains(doc, "\n  - "+c.name+": ") {
			t.Errorf("the package documentation does not say what exit status 1 means for %s", c.name)
		}
	}
	if withFlags < 3 {
		t.Errorf("flags found in the help of %d commands; the Flags: section changed?", withFlags)
	}
}

// TestErrorPrefix: every message on standard error, in every golden case,
// starts with "lswebhook COMMAND: " ("lswebhook: " for the command itself)
// and spells flags --name; a usage error ends with where the usage is.
func TestErrorPrefix(t *testing.T) {
	checked := 0
	for _, tc := range goldenCases {
		r := runCmd(context.Background(), tc.stdin, tc.args...)
		if r.stderr == "" || r.stderr == usageText { // no arguments: the usage itself
			continue
		}
		prefix := "lswebhook: "
		if len(tc.args) > 0 && slices.ContainsFunc(commands, func(c command) bool { return c.name == tc.args[0] }) {
			prefix = "lswebhook " + tc.args[0] + ": "
		}
		msgs, _, _ := strings.Cut(r.stderr, "\n\n") // an unknown command is followed by the usage
		for _, line := range strings.Split(strings.TrimSuffix(msgs, "\n"), "\n") {
			if !strings.HasPrefix(line, prefix) && !strings.HasPrefix(line, `Run "lswebhook `) {
				t.Errorf("%s: stderr line %q does not start with %q", tc.name, line, prefix)
			}
			if flagDashRE.MatchString(line) {
				t.Errorf("%s: stderr line %q spells a flag -name", tc.name, line)
			}
		}
		if r.code == exitUsage && !strings.Contains(r.stderr, "lswebhook --help") && !strings.Contains(r.stderr, "\nUsage:\n") {
			if !strings.HasSuffix(r.stderr, "Run \"lswebhook "+tc.args[0]+" --help\" for usage.\n") {
				t.Errorf("%s: usage error without the way to the usage:\n%s", tc.name, r.stderr)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("checked the standard error of %d golden cases, want at least 20", checked)
	}
}

// flagDashRE matches a flag spelled -name in an error of the flag package.
var flagDashRE = regexp.MustCompile(`(flag|for|defined:|argument:) -[a-z]`)

func TestFlagMessage(t *testing.T) {
	for in, want := range map[string]string{
		"flag provided but not defined: -strict":                                             "flag provided but not defined: --strict",
		"flag needs an argument: -url":                                                       "flag needs an argument: --url",
		`invalid value "-1s" for flag -timeout: parse error`:                                 `invalid value "-1s" for flag --timeout: parse error`,
		`invalid value "a -b" for flag -header: want Name=Value`:                             `invalid value "a -b" for flag --header: want Name=Value`,
		"bad flag syntax: ---x":                                                              "bad flag syntax: ---x",
		`invalid value "Bad Name=x" for flag -header: "Bad Name" is not a valid header name`: `invalid value "Bad Name=x" for flag --header: "Bad Name" is not a valid header name`,
		`invalid value "a\" for flag -b" for flag -header: want Name=Value`:                  `invalid value "a\" for flag -b" for flag --header: want Name=Value`,
		`invalid boolean value "x" for -json: parse error`:                                   `invalid boolean value "x" for --json: parse error`,
	} {
		if got := flagMessage(in); got != want {
			t.Errorf("flagMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPointerText(t *testing.T) {
	for in, want := range map[string]string{
		"":           "(root)",
		"/":          "/", // the member named "" (RFC 6901)
		"/tasks/0":   "/tasks/0",
		"/a~1b/c~0d": "/a~1b/c~0d",
	} {
		if got := pointerText(in); got != want {
			t.Errorf("pointerText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := (problem{Pointer: "", Message: "empty body"}).String(); got != "(root): empty body" {
		t.Errorf("a problem of the whole payload prints as %q", got)
	}
}
