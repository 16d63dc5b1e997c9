// Command lswebhook checks, receives and replays Label Studio webhook
// payloads from the shell.
//
// Usage:
//
//	lswebhook validate [--json] [--strict] FILE...
//	lswebhook listen [--addr 127.0.0.1:9090] [--header Name=Value]... [--save DIR] [--max-body BYTES]
//	lswebhook send --url URL [--header Name=Value]... [--timeout 1s] [--release 1.23.2] FILE...
//	lswebhook schema [ACTION]
//	lswebhook actions
//	lswebhook hooks ensure|list [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s] [--hook-url URL] [--actions LIST] [--send-payload] [--header Name=Value]...
//	lswebhook catchup [--since TIME] [--state FILE] [--page-size 100] [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s]
//
// validate decodes and validates payload files ("-" reads standard input)
// with [lswebhook.Decode] and prints one verdict per file: the action and a
// summary, or each problem with its JSON Pointer ("(root)" for the whole
// payload). An action the library does not know is reported as unknown,
// and members Label Studio 1.23 sends that a payload lacks as notes;
// --strict refuses both. listen is a receiver for debugging: it answers
// deliveries exactly as [lswebhook.Handler] does and prints each one as it
// arrives; with --save it keeps every body as a file. send POSTs payload
// files the way a Label Studio release does (its headers, taken from
// lswebhooktest.Releases; same timeout semantics, no retries) and reports
// each answer. schema prints the bundled JSON Schema of an action, and
// actions lists the actions the library knows. hooks and catchup talk to a
// Label Studio server's REST API (package lsapi): hooks ensure creates,
// repairs or re-enables each project's webhook and hooks list shows them;
// catchup prints the events a receiver missed since a time or a stored
// watermark, marked as reconstructed, with their dedupe keys.
//
// Errors and warnings go to standard error, each line starting with
// "lswebhook COMMAND: " ("lswebhook: " before a command is known); a usage
// error is followed by the usage or by the command that shows it.
//
// Exit status, for every command: 0 on success and 2 for a usage error (an
// unknown command or flag, a bad flag value, a missing or extra argument).
// Status 1 means:
//
//   - validate: a file is invalid or cannot be read; with --strict, also a
//     file with an unknown action or with drift;
//   - listen: the receiver could not start, or not stop cleanly (0 after
//     SIGINT or SIGTERM);
//   - send: a file could not be read, or a delivery failed or was answered
//     with a status other than 2xx;
//   - schema: no bundled schema has that name;
//   - actions: the list could not be written;
//   - hooks: a call to the Label Studio server failed;
//   - catchup: a call to the server failed, the output could not be
//     written, or the state file could not be read or written.
//
// "lswebhook COMMAND --help" describes each command, its flags and its
// exit status.
//
// Install it with
//
//	go install github.com/seed-d2dfa170/lswebhook/cmd/lswebhook@latest
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/seed-d2dfa170/lswebhook/internal/httptoken"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usageText = `lswebhook checks, receives and replays Label Studio webhook payloads.

Usage:
  lswebhook validate [--json] [--strict] FILE...
        decode and validate payload files ("-" reads standard input)
  lswebhook listen [--addr 127.0.0.1:9090] [--header Name=Value]... [--save DIR] [--max-body BYTES]
        receive deliveries, answer like lswebhook.Handler, print each one
  lswebhook send --url URL [--header Name=Value]... [--timeout 1s] [--release 1.23.2] FILE...
        POST payload files the way Label Studio does and report each answer
  lswebhook schema [ACTION]
        print the bundled JSON Schema of an action, or list the schemas
  lswebhook actions
        list every action with its Go type, aliases and sender
  lswebhook hooks ensure|list [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s] [--hook-url URL] [--actions LIST] [--send-payload] [--header Name=Value]...
        create, repair or re-enable a server's webhooks; list them
  lswebhook catchup [--since TIME] [--state FILE] [--page-size 100] [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s]
        print the events missed since a time or a stored watermark

Run "lswebhook COMMAND --help" for the flags of a command.
Exit status: 0 success, 1 failure (what fails is in each command's --help),
2 usage error.
`

// command is one subcommand: run receives the arguments after its name.
type command struct {
	name string
	run  func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = []command{
	{"validate", runValidate},
	{"listen", runListen},
	{"send", runSend},
	{"schema", runSchema},
	{"actions", runActions},
	{"hooks", runHooks},
	{"catchup", runCatchup},
}

// run is the whole command: args are the arguments after the program name.
// It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// runContext is run with a context; listen stops when ctx is done, as it
// does on SIGINT or SIGTERM.
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(args) > 1 {
			// "lswebhook help validate" is "lswebhook validate --help".
			return runContext(ctx, []string{args[1], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usageText)
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, args[1:], stdin, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "lswebhook: unknown command %q\n\n%s", name, usageText)
	return exitUsage
}

// newFlagSet returns a flag set for a subcommand whose usage message is
// synopsis, then about, then the flags.
func newFlagSet(name, synopsis, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("lswebhook "+name, flag.ContinueOnError)
	fs.Usage = func() {
		out := fs.Output()
		fmt.Fprintf(out, "Usage: lswebhook %s %s\n\n%s", name, synopsis, about)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			// PrintDefaults writes "-name"; the synopses and messages
			// spell flags "--name", which the flag package accepts too.
			var buf bytes.Buffer
			fs.SetOutput(&buf)
			fs.PrintDefaults()
			fs.SetOutput(out)
			fmt.Fprint(out, "\nFlags:\n")
			fmt.Fprint(out, strings.ReplaceAll("\n"+buf.String(), "\n  -", "\n  --")[1:])
		}
	}
	return fs
}

// flagErrorRE matches the start of an error of the flag package up to the
// "-" of the flag's name; the value the user gave is quoted by %q.
var flagErrorRE = regexp.MustCompile(`^(flag provided but not defined: |flag needs an argument: |invalid (?:boolean )?value "(?:[^"\\]|\\.)*" for (?:flag )?)-`)

// flagMessage rewrites an error of the flag package to spell the flag
// "--name", as the synopses and the command's own messages do.
func flagMessage(msg string) string {
	return flagErrorRE.ReplaceAllString(msg, "${1}--")
}

// parseArgs parses flags and positional arguments, which may be mixed
// ("validate a.json --json"); "--" ends the flags. ok is false when the
// command should exit with status: 0 after --help (usage on stdout), 2
// after a bad flag (message and usage on stderr).
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (pos []string, status int, ok bool) {
	var buf bytes.Buffer
	fs.SetOutput(&buf)
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			_, _ = stdout.Write(buf.Bytes())
			return nil, exitOK, false
		}
		if err != nil {
			// The flag package wrote the error and then the usage: show the
			// error and where the usage is.
			msg, _, _ := strings.Cut(buf.String(), "\n")
			fmt.Fprintf(stderr, "%s: %s\nRun \"%s --help\" for usage.\n", fs.Name(), clean(flagMessage(msg)), fs.Name())
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, true
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageError reports a usage problem found after flag parsing.
func usageError(stderr io.Writer, cmd, format string, args ...any) int {
	fmt.Fprintf(stderr, "lswebhook %s: %s\nRun \"lswebhook %s --help\" for usage.\n", cmd, fmt.Sprintf(format, args...), cmd)
	return exitUsage
}

// headerFlag collects repeated --header Name=Value flags in order.
type headerFlag struct {
	names  []string
	values map[string][]string
}

func (h *headerFlag) String() string {
	// Never print the values: they are secrets.
	if h == nil {
		return ""
	}
	return strings.Join(h.names, ",")
}

func (h *headerFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	name, value = strings.TrimSpace(name), strings.Trim(value, " \t")
	switch {
	case !ok || name == "" || value == "":
		return errors.New("want Name=Value")
	case !httptoken.Valid(name):
		return fmt.Errorf("%q is not a valid header name", name)
	case strings.ContainsFunc(value, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }):
		return fmt.Errorf("the value of %s holds a control character", name)
	}
	if h.values == nil {
		h.values = make(map[string][]string)
	}
	key := http.CanonicalHeaderKey(name)
	if _, seen := h.values[key]; !seen {
		h.names = append(h.names, key)
	}
	h.values[key] = append(h.values[key], value)
	return nil
}

// stdinName is how standard input ("-") is named in reports.
const stdinName = "<stdin>"

// readInput reads a payload file, or standard input for "-". A directory is
// an error with a hint.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(stdin)
	}
	if fi, err := os.Stat(name); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory; give the payload files in it, for example %s", name, strings.TrimSuffix(name, "/")+"/*.json")
	}
	return os.ReadFile(name)
}

// displayName is the name of an input in reports.
func displayName(name string) string {
	if name == "-" {
		return stdinName
	}
	return clean(name)
}

// checkStdinOnce reports a usage error if "-" is given more than once:
// standard input can be read only once.
func checkStdinOnce(files []string) bool {
	n := 0
	for _, f := range files {
		if f == "-" {
			n++
		}
	}
	return n <= 1
}

// clean makes text from outside (payload values, paths, actions, server
// answers) safe to print on a terminal: control characters and invalid
// UTF-8 are escaped, so a payload cannot move the cursor or change colours.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if r == utf8.RuneError || r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}
