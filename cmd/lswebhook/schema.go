package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"text/tabwriter"

	"github.com/seed-d2dfa170/lswebhook"
)

const schemaAbout = `Without ACTION, lists the JSON Schema (draft 2020-12) files bundled with the
library: one per action and the shared entity definitions they reference.

With ACTION, prints that action's schema. ACTION is an action name or a
documentation alias, in any case, with "-" or "_" (TASKS_CREATED, task_created,
tasks-created), or the path of a bundled file (task.json, events/tasks-created.json).
Schemas reference the shared files by their $id; print those with their path.

Exit status: 0 on success, 1 if no bundled schema has that name, 2 for a usage
error.
`

const actionsAbout = `Lists every action the library knows: its Go type (the type lswebhook.Decode
returns), the documentation aliases it also accepts, and who sends it.
Any other action decodes to *lswebhook.UnknownEvent.

Exit status: 0 on success, 1 if the list cannot be written, 2 for a usage
error.
`

func runSchema(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("schema", "[ACTION]", schemaAbout)
	pos, status, ok := parseArgs(flags, args, stdout, stderr)
	if !ok {
		return status
	}
	switch len(pos) {
	case 0:
		return listSchemas(stdout, stderr)
	case 1:
	default:
		return usageError(stderr, "schema", "want at most one ACTION, got %d arguments", len(pos))
	}
	file, ok := schemaFile(pos[0])
	if !ok && strings.HasSuffix(pos[0], ".json") {
		fmt.Fprintf(stderr, "lswebhook schema: no bundled schema file %q; \"lswebhook schema\" lists them\n", clean(pos[0]))
		return exitFail
	}
	if !ok {
		fmt.Fprintf(stderr, "lswebhook schema: unknown action %q; \"lswebhook schema\" lists them\n", clean(pos[0]))
		return exitFail
	}
	data, err := fs.ReadFile(lswebhook.Schemas(), file)
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook schema: %v\n", err)
		return exitFail
	}
	if _, err := stdout.Write(data); err != nil {
		return exitFail
	}
	return exitOK
}

// schemaFile returns the path in lswebhook.Schemas() that arg names: an
// action or alias in any case and with "-" for "_", or a bundled path.
func schemaFile(arg string) (string, bool) {
	if strings.HasSuffix(arg, ".json") {
		p := path.Clean(strings.TrimPrefix(arg, "schema/"))
		if fs.ValidPath(p) {
			if fi, err := fs.Stat(lswebhook.Schemas(), p); err == nil && !fi.IsDir() {
				return p, true
			}
		}
		return "", false
	}
	name := lswebhook.Action(strings.ToUpper(strings.ReplaceAll(arg, "-", "_")))
	info, ok := lswebhook.LookupAction(name)
	if !ok {
		return "", false
	}
	return info.Schema, true
}

func listSchemas(stdout, stderr io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tSCHEMA")
	inActions := make(map[string]bool)
	for _, a := range lswebhook.Actions() {
		fmt.Fprintf(tw, "%s\t%s\n", a.Action, a.Schema)
		inActions[a.Schema] = true
	}
	var shared []string
	err := fs.WalkDir(lswebhook.Schemas(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !inActions[p] {
			shared = append(shared, p)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook schema: %v\n", err)
		return exitFail
	}
	for _, p := range shared {
		fmt.Fprintf(tw, "(shared)\t%s\n", p)
	}
	if err := tw.Flush(); err != nil {
		return exitFail
	}
	fmt.Fprintf(stdout, "\n\"lswebhook schema ACTION\" prints one; $id is %s + SCHEMA.\n", lswebhook.SchemaBaseURL)
	return exitOK
}

func runActions(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("actions", "", actionsAbout)
	pos, status, ok := parseArgs(flags, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return usageError(stderr, "actions", "unexpected argument %q", clean(pos[0]))
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "ACTION\tGO TYPE\tALIASES\tSENT BY")
	for _, a := range lswebhook.Actions() {
		aliases := "-"
		if len(a.Aliases) > 0 {
			s := make([]string, len(a.Aliases))
			for i, al := range a.Aliases {
				s[i] = string(al)
			}
			aliases = strings.Join(s, ",")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Action, reflect.TypeOf(a.New()), aliases, sentBy(a))
	}
	fmt.Fprintln(tw, "any other\t*lswebhook.UnknownEvent\t-\tnewer servers")
	if err := tw.Flush(); err != nil {
		return exitFail
	}
	return exitOK
}

// sentBy says who sends an action, in the words of the README.
func sentBy(a lswebhook.ActionInfo) string {
	switch {
	case a.Sender == lswebhook.SenderWebhook && a.OrganizationOnly:
		return "Label Studio, to organization-level webhooks only"
	case a.Sender == lswebhook.SenderWebhook:
		return "Label Studio, to webhooks"
	case a.Sender == lswebhook.SenderMLBackend:
		return "Label Studio, to an ML backend's /webhook only (not subscribable)"
	case a.Sender == lswebhook.SenderEnterprise:
		return "Label Studio Enterprise only"
	default:
		return string(a.Sender)
	}
}
