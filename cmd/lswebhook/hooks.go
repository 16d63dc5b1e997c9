package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsapi"
)

const hooksAbout = `hooks talks to a Label Studio server's REST API about webhooks.

  ensure  makes each project's webhook for --hook-url match the flags: creates
          it, repairs a changed one, and switches a disabled one back on with
          its actions (the whole object is sent: on 1.23.2 a PATCH of is_active
          alone empties the action list). Prints one line per project:
          created, repaired, re-enabled or unchanged. Running it twice changes
          nothing the second time.
  list    prints the webhooks of the projects (all projects by default).

The server and token come from --url and --token, or from LABEL_STUDIO_URL and
LABEL_STUDIO_API_KEY. A token that looks like a JWT is used as a personal
access token (refresh token); any other as a legacy API token.
`

// apiFlags are the flags every REST command shares.
type apiFlags struct {
	url, token string
	projects   string
	timeout    time.Duration
}

func (a *apiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.url, "url", "", "Label Studio server URL (default $LABEL_STUDIO_URL)")
	fs.StringVar(&a.token, "token", "", "API token or personal access token (default $LABEL_STUDIO_API_KEY)")
	fs.StringVar(&a.projects, "project", "", "comma-separated project ids (default: every project)")
	fs.DurationVar(&a.timeout, "timeout", 30*time.Second, "time limit of one request")
}

// client builds the REST client; it returns a usage message when the URL or
// token is missing or malformed.
func (a *apiFlags) client() (*lsapi.Client, []int64, string) {
	u, tok := a.url, a.token
	if u == "" {
		u = os.Getenv("LABEL_STUDIO_URL")
	}
	if tok == "" {
		tok = os.Getenv("LABEL_STUDIO_API_KEY")
	}
	if u == "" {
		return nil, nil, "no server URL (--url or LABEL_STUDIO_URL)"
	}
	if tok == "" {
		return nil, nil, "no token (--token or LABEL_STUDIO_API_KEY)"
	}
	var ids []int64
	if a.projects != "" {
		for _, s := range strings.Split(a.projects, ",") {
			id, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
			if err != nil || id <= 0 {
				return nil, nil, fmt.Sprintf("--project: %q is not a project id", s)
			}
			ids = append(ids, id)
		}
	}
	c, err := lsapi.New(u, lsapi.TokenAuth(tok), lsapi.WithTimeout(a.timeout))
	if err != nil {
		return nil, nil, err.Error()
	}
	return c, ids, ""
}

func runHooks(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "ensure" && args[0] != "list" && !isHelp(args[0])) {
		fs := newFlagSet("hooks", "ensure|list [flags]", hooksAbout)
		if len(args) > 0 && isHelp(args[0]) {
			fs.SetOutput(stdout)
			fs.Usage()
			return exitOK
		}
		return usageError(stderr, "hooks", "want a subcommand: ensure or list")
	}
	if isHelp(args[0]) {
		fs := newFlagSet("hooks", "ensure|list [flags]", hooksAbout)
		fs.SetOutput(stdout)
		fs.Usage()
		return exitOK
	}
	sub := args[0]
	fs := newFlagSet("hooks "+sub, "[flags]", hooksAbout)
	var api apiFlags
	api.register(fs)
	var hookURL, actions string
	var payload bool
	var headers headerFlag
	if sub == "ensure" {
		fs.StringVar(&hookURL, "hook-url", "", "the receiver's URL that Label Studio posts to (required)")
		fs.StringVar(&actions, "actions", "", "comma-separated actions to send (default: every action)")
		fs.BoolVar(&payload, "send-payload", true, "send the entities, not only the action")
		fs.Var(&headers, "header", "a header sent with every delivery, as Name=Value (repeatable)")
	}
	pos, status, ok := parseArgs(fs, args[1:], stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return usageError(stderr, "hooks "+sub, "unexpected argument %q", pos[0])
	}
	c, ids, msg := api.client()
	if msg != "" {
		return usageError(stderr, "hooks "+sub, "%s", msg)
	}
	if sub == "list" {
		return hooksList(ctx, c, ids, stdout, stderr)
	}
	if hookURL == "" {
		return usageError(stderr, "hooks ensure", "--hook-url is required")
	}
	hook := lsapi.Hook{URL: hookURL, SendPayload: payload, Headers: map[string]string{}}
	for _, n := range headers.names {
		hook.Headers[n] = headers.values[n][len(headers.values[n])-1]
	}
	if actions != "" {
		for _, a := range strings.Split(actions, ",") {
			if a = strings.TrimSpace(a); a != "" {
				hook.Actions = append(hook.Actions, lswebhook.Action(a))
			}
		}
	}
	p := &lsapi.Provisioner{Client: c, Hook: hook, Projects: ids}
	changes, err := p.Ensure(ctx)
	for _, ch := range changes {
		fmt.Fprintln(stdout, clean(ch.String()))
	}
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook hooks ensure: %s\n", clean(err.Error()))
		return exitFail
	}
	return exitOK
}

func isHelp(s string) bool { return s == "-h" || s == "-help" || s == "--help" || s == "help" }

func hooksList(ctx context.Context, c *lsapi.Client, ids []int64, stdout, stderr io.Writer) int {
	if len(ids) == 0 {
		ids = []int64{0}
	}
	for _, id := range ids {
		hooks, err := c.Webhooks(ctx, id)
		if err != nil {
			fmt.Fprintf(stderr, "lswebhook hooks list: %s\n", clean(err.Error()))
			return exitFail
		}
		for _, h := range hooks {
			acts := "all actions"
			if !h.SendForAllActions {
				parts := make([]string, len(h.Actions))
				for i, a := range h.Actions {
					parts[i] = string(a)
				}
				acts = "actions [" + strings.Join(parts, " ") + "]"
			}
			state := "active"
			if !h.IsActive {
				state = "DISABLED"
			}
			names := make([]string, 0, len(h.Headers))
			for k := range h.Headers {
				names = append(names, k)
			}
			// Header values are secrets: print the names only.
			fmt.Fprintf(stdout, "webhook %d project %d %s %s payload=%v %s headers=[%s]\n",
				h.ID, h.Project, clean(h.URL), state, h.SendPayload, clean(acts), clean(strings.Join(sortedStrings(names), " ")))
		}
	}
	return exitOK
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
