// Command lswebhook-inbox inspects and repairs a durable inbox of Label
// Studio webhook deliveries (package github.com/seed-d2dfa170/lswebhook/inbox).
//
// Usage:
//
//	lswebhook-inbox [-db URL] stats
//	lswebhook-inbox [-db URL] list [-state S] [-action A] [-after T] [-before T] [-limit N]
//	lswebhook-inbox [-db URL] show ID
//	lswebhook-inbox [-db URL] retry ID...
//	lswebhook-inbox [-db URL] purge [-state S] [-action A] [-after T] [-before T] [-all]
//
// The database URL is "sqlite:PATH" or "postgres://...", by default the
// INBOX_DB environment variable. States are pending, processing, retrying,
// processed, dead, cancelled and quarantined; times are RFC 3339 or a
// duration ago ("72h"). stats prints the count per state; list prints one
// line per delivery (id, state, attempts, received, action, key); show prints
// one delivery as JSON with its body; retry makes dead, retrying or
// processed deliveries pending again and re-decodes quarantined ones; purge
// deletes what its filters select and needs at least one filter, or -all.
//
// The exit status is 0 on success, 1 on an error and 2 on a usage error.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/seed-d2dfa170/lswebhook/inbox"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errUsage marks a usage error.
var errUsage = errors.New("usage")

// run is the command with its arguments, returning the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lswebhook-inbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", os.Getenv("INBOX_DB"), "inbox database URL: sqlite:PATH or postgres://...")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lswebhook-inbox [-db URL] stats | list [filters] | show ID | retry ID... | purge [filters] [-all]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 || *db == "" {
		fs.Usage()
		return 2
	}
	in, err := inbox.Open(ctx, *db, inbox.Config{})
	if err != nil {
		fmt.Fprintln(stderr, "lswebhook-inbox:", err)
		return 1
	}
	defer in.Close(context.Background())
	err = command(ctx, in, fs.Arg(0), fs.Args()[1:], stdout, stderr)
	switch {
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "lswebhook-inbox:", err)
		return 2
	case err != nil:
		fmt.Fprintln(stderr, "lswebhook-inbox:", err)
		return 1
	}
	return 0
}

// command runs one subcommand.
func command(ctx context.Context, in *inbox.Inbox, name string, args []string, stdout, stderr io.Writer) error {
	switch name {
	case "stats":
		st, err := in.Stats(ctx)
		if err != nil {
			return err
		}
		for _, s := range inbox.States {
			fmt.Fprintf(stdout, "%-12s %d\n", s, st[s])
		}
		return nil
	case "list", "purge":
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		fs.SetOutput(stderr)
		state := fs.String("state", "", "only deliveries in this state")
		action := fs.String("action", "", "only deliveries of this action")
		after := fs.String("after", "", "only deliveries received at or after this time (RFC 3339, or a duration ago)")
		before := fs.String("before", "", "only deliveries received before this time (RFC 3339, or a duration ago)")
		limit := fs.Int("limit", 0, "at most this many (list)")
		all := fs.Bool("all", false, "purge: allow purging with no filter")
		if err := fs.Parse(args); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		f := inbox.Filter{Action: *action, Limit: *limit}
		var err error
		if *state != "" {
			if f.State, err = inbox.ParseState(*state); err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
		}
		if f.After, err = parseTime(*after); err != nil {
			return err
		}
		if f.Before, err = parseTime(*before); err != nil {
			return err
		}
		if name == "purge" {
			if f == (inbox.Filter{}) && !*all {
				return fmt.Errorf("%w: purge needs a filter (-state, -action, -after, -before) or -all", errUsage)
			}
			n, err := in.Purge(ctx, f)
			fmt.Fprintf(stdout, "purged %d\n", n)
			return err
		}
		recs, err := in.List(ctx, f)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSTATE\tATTEMPTS\tRECEIVED\tACTION\tKEY")
		for _, r := range recs {
			fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.State, r.Attempts, r.ReceivedAt.Format(time.RFC3339), r.Action, r.Key)
		}
		return tw.Flush()
	case "show":
		if len(args) != 1 {
			return fmt.Errorf("%w: show takes one id", errUsage)
		}
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return fmt.Errorf("%w: id %q is not a number", errUsage, args[0])
		}
		r, err := in.Get(ctx, id)
		if err != nil {
			return err
		}
		return writeRecord(stdout, r)
	case "retry":
		if len(args) == 0 {
			return fmt.Errorf("%w: retry takes one or more ids", errUsage)
		}
		var errs []error
		for _, a := range args {
			id, err := strconv.ParseInt(a, 10, 64)
			if err != nil {
				return fmt.Errorf("%w: id %q is not a number", errUsage, a)
			}
			r, err := in.Retry(ctx, id)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			fmt.Fprintf(stdout, "%d %s (was %d)\n", r.ID, r.State, id)
		}
		return errors.Join(errs...)
	}
	return fmt.Errorf("%w: unknown command %q", errUsage, name)
}

// parseTime reads an RFC 3339 time or a duration before now; "" is the
// zero time.
func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return time.Now().Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%w: %q is neither an RFC 3339 time nor a duration", errUsage, s)
}

// writeRecord prints r as indented JSON; the body is a string when it is
// valid UTF-8 and base64 otherwise.
func writeRecord(w io.Writer, r *inbox.Record) error {
	out := struct {
		*inbox.Record
		Body       string `json:"Body"`
		BodyBase64 []byte `json:"BodyBase64,omitempty"`
	}{Record: r}
	if json.Valid(r.Body) || isText(r.Body) {
		out.Body = string(r.Body)
	} else {
		out.BodyBase64 = r.Body
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// isText reports whether b is valid UTF-8 without NUL.
func isText(b []byte) bool {
	for _, r := range string(b) {
		if r == 0 || r == '\uFFFD' {
			return false
		}
	}
	return true
}
