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
access token (refresh token); any other as a legacy API token. Header values
are never printed.

Exit status: 0 on success, 1 if a call to the server failed (the message
names the call, the HTTP status and Label Studio's answer), 2 for a usage
error.
`

// apiFlags are the flags every REST command shares.
type apiFlags struct {
	url, token string
	projects   string
	timeout    time.Duration
}

// newAPIFlagSet returns the flag set of a subcommand that talks to Label
// Studio's API, with the API flags registered.
func newAPIFlagSet(name, synopsis, about string) (*flag.FlagSet, *apiFlags) {
	fs := newFlagSet(name, synopsis, about)
	api := new(apiFlags)
	api.register(fs)
	return fs, api
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

// hooksSynopsis names every flag of both subcommands.
const hooksSynopsis = "ensure|list [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s] [--hook-url URL] [--actions LIST] [--send-payload] [--header Name=Value]..."

func runHooks(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, api := newAPIFlagSet("hooks", hooksSynopsis, hooksAbout)
	hookURL := fs.String("hook-url", "", "ensure: the receiver's `URL` that Label Studio posts to (required)")
	actions := fs.String("actions", "", "ensure: comma-separated actions to send (default: every action)")
	payload := fs.Bool("send-payload", true, "ensure: send the entities, not only the action")
	var headers headerFlag
	fs.Var(&headers, "header", "ensure: a header `Name=Value` sent with every delivery (repeatable)")
	pos, status, ok := parseArgs(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) == 0 || (pos[0] != "ensure" && pos[0] != "list") {
		return usageError(stderr, "hooks", "want a subcommand: ensure or list")
	}
	sub := pos[0]
	if len(pos) > 1 {
		return usageError(stderr, "hooks", "unexpected argument %q", clean(pos[1]))
	}
	c, ids, msg := api.client()
	if msg != "" {
		return usageError(stderr, "hooks", "%s", msg)
	}
	if sub == "list" {
		return hooksList(ctx, c, ids, stdout, stderr)
	}
	if *hookURL == "" {
		return usageError(stderr, "hooks", "ensure: --hook-url is required")
	}
	hook := lsapi.Hook{URL: *hookURL, SendPayload: *payload, Headers: map[string]string{}}
	for _, n := range headers.names {
		hook.Headers[n] = headers.values[n][len(headers.values[n])-1]
	}
	for _, a := range strings.Split(*actions, ",") {
		if a = strings.TrimSpace(a); a != "" {
			hook.Actions = append(hook.Actions, lswebhook.Action(a))
		}
	}
	p := &lsapi.Provisioner{Client: c, Hook: hook, Projects: ids}
	changes, err := p.Ensure(ctx)
	for _, ch := range changes {
		fmt.Fprintln(stdout, clean(ch.String()))
	}
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook hooks: %s\n", clean(err.Error()))
		return exitFail
	}
	return exitOK
}

func hooksList(ctx context.Context, c *lsapi.Client, ids []int64, stdout, stderr io.Writer) int {
	if len(ids) == 0 {
		ids = []int64{0}
	}
	for _, id := range ids {
		hooks, err := c.Webhooks(ctx, id)
		if err != nil {
			fmt.Fprintf(stderr, "lswebhook hooks: %s\n", clean(err.Error()))
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
