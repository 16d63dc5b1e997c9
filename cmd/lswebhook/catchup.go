package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lsapi"
)

const catchupAbout = `catchup lists what changed on a Label Studio server since a time or a stored
watermark, and prints the webhook events a receiver would have received, one
JSON object per line: {"key", "action", "project", "reconstructed", "event"}
for webhook events (event is the payload, as Label Studio would have sent it),
or "derived" for TASK_COMPLETED, PROJECT_COMPLETED and TASK_UPDATED, which
Label Studio never sends. "key" is the dedupe key: a change seen both as a
delivery and here has the same key.

With --state FILE the watermark is read from FILE (if it exists) and written
back after every page, so the next run reports only what changed since, and
deleted tasks and annotations (found by comparison with the previous run) are
reported too. Without --state, or on the first run, --since sets where to
start (RFC 3339, e.g. 2026-12-01T00:00:00Z, or a duration ago such as 2h);
the zero default reports everything.

The server and token come from --url and --token, or from LABEL_STUDIO_URL and
LABEL_STUDIO_API_KEY.

Exit status: 0 when the pass completed, 1 if a call to the server failed, the
output could not be written or the state file could not be read or written
(the state then stays at the last page written), 2 for a usage error.
`

// catchupSynopsis names every flag.
const catchupSynopsis = "[--since TIME] [--state FILE] [--page-size 100] [--url URL] [--token TOKEN] [--project IDS] [--timeout 30s]"

// catchupLine is one line of catchup's output.
type catchupLine struct {
	Key           string          `json:"key"`
	Action        string          `json:"action"`
	Project       int64           `json:"project,omitempty"`
	Reconstructed bool            `json:"reconstructed"`
	Event         lswebhook.Event `json:"event,omitempty"`
	Derived       lsapi.Derived   `json:"derived,omitempty"`
}

func runCatchup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs, api := newAPIFlagSet("catchup", catchupSynopsis, catchupAbout)
	since := fs.String("since", "", "report changes after this time (RFC 3339) or this long ago (e.g. 2h)")
	state := fs.String("state", "", "watermark file, read and updated")
	pageSize := fs.Int("page-size", 100, "tasks per request")
	pos, status, ok := parseArgs(fs, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return usageError(stderr, "catchup", "unexpected argument %q", pos[0])
	}
	from, err := parseSince(*since, time.Now())
	if err != nil {
		return usageError(stderr, "catchup", "--since: %v", err)
	}
	c, ids, msg := api.client()
	if msg != "" {
		return usageError(stderr, "catchup", "%s", msg)
	}
	w := &lsapi.Watermark{Since: from}
	if *state != "" {
		w, err = lsapi.LoadWatermark(*state, from)
		if err != nil {
			fmt.Fprintf(stderr, "lswebhook catchup: %s\n", clean(err.Error()))
			return exitFail
		}
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	r := &lsapi.Reconciler{Client: c, Projects: ids, PageSize: *pageSize,
		Emit: func(_ context.Context, cs []lsapi.Change) error {
			for _, ch := range cs {
				redactEvent(ch.Event)
				line := catchupLine{Key: ch.Key, Action: string(ch.Action), Project: ch.Project, Reconstructed: ch.Reconstructed, Event: ch.Event, Derived: ch.Derived}
				if err := enc.Encode(line); err != nil {
					return err
				}
			}
			return nil
		}}
	if *state != "" {
		path := *state
		r.Save = func(_ context.Context, w *lsapi.Watermark) error { return lsapi.SaveWatermark(path, w) }
	}
	st, err := r.Run(ctx, w)
	fmt.Fprintf(stderr, "lswebhook catchup: %d projects, %d pages, %d tasks, %d annotations; %s\n",
		st.Projects, st.Pages, st.Tasks, st.Annotations, countsLine(st.Changes))
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook catchup: %s\n", clean(err.Error()))
		return exitFail
	}
	return exitOK
}

// parseSince reads an RFC 3339 time or a duration before now; "" is the
// zero time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 time nor a duration such as 2h", s)
}

func countsLine(m map[lswebhook.Action]int) string {
	if len(m) == 0 {
		return "no changes"
	}
	keys := make([]string, 0, len(m))
	for a := range m {
		keys = append(keys, string(a))
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[lswebhook.Action(k)])
	}
	return "changes: " + strings.Join(parts, ", ")
}

// redactEvent blanks the secrets a project carries in clear text (its
// invite token and task-data credentials) before an event is printed.
func redactEvent(ev lswebhook.Event) {
	p := eventProject(ev)
	if p == nil {
		return
	}
	for _, s := range []*lswebhook.Secret{&p.Token, &p.TaskDataLogin, &p.TaskDataPassword} {
		if !s.IsZero() {
			*s = lswebhook.NewSecret("[redacted]")
		}
	}
}

// eventProject returns the project an event carries in its Project field;
// nil when it has none (PROJECT_DELETED carries a [lswebhook.Ref]).
func eventProject(ev lswebhook.Event) *lswebhook.Project {
	v := reflect.ValueOf(ev)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return nil
	}
	f := v.Elem().FieldByName("Project")
	if !f.IsValid() {
		return nil
	}
	p, _ := f.Interface().(*lswebhook.Project)
	return p
}
