// Command receiver is a Label Studio webhook receiver that prints one line
// per event it receives.
//
// Usage:
//
//	go run ./examples/receiver [-addr 127.0.0.1:8080] [-header Name=Value]... [-max-body BYTES] [-v]
//
// Point a webhook in Label Studio at http://ADDR/ (any path). Each -header
// flag names a header the webhook must send, such as
// -header 'Authorization=Basic dXNlcjpwYXNz' or -header X-Webhook-Token=s3cret;
// set the same headers on the webhook in Label Studio. Repeat a name to
// accept several values (for rotating a secret). Refused requests and, with
// -v, every delivery are logged to standard error.
//
// The server's timeouts: ReadHeaderTimeout 5s and ReadTimeout 30s bound
// slow or stalled senders (a 32 MiB TASKS_CREATED needs a few seconds on a
// slow link; Label Studio itself gives up after 1 s by default);
// WriteTimeout 35s covers the read plus the handling of one event;
// IdleTimeout 60s closes kept-alive connections that Label Studio does not
// reuse (it opens a connection per delivery).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// timeouts bound how long a client may hold a connection; see the package
// documentation.
type timeouts struct {
	readHeader, read, write, idle time.Duration
}

// defaultTimeouts are the server's timeouts; see the package documentation.
var defaultTimeouts = timeouts{
	readHeader: 5 * time.Second,
	read:       30 * time.Second,
	write:      35 * time.Second,
	idle:       60 * time.Second,
}

const shutdownTimeout = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(2)
	}
}

// headerFlag collects repeated -header Name=Value flags: the names in the
// order given, canonicalised, and the values accepted for each.
type headerFlag struct {
	names  []string
	values http.Header
}

// String lists the names only: the values are secrets.
func (h *headerFlag) String() string { return strings.Join(h.names, ",") }

// Set adds one Name=Value.
func (h *headerFlag) Set(s string) error {
	name, value, _ := strings.Cut(s, "=")
	name, value = http.CanonicalHeaderKey(strings.TrimSpace(name)), strings.TrimSpace(value)
	if name == "" || value == "" {
		return errors.New("want Name=Value")
	}
	if h.values == nil {
		h.values = http.Header{}
	}
	if !slices.Contains(h.names, name) {
		h.names = append(h.names, name)
	}
	h.values.Add(name, value)
	return nil
}

// options returns one lswebhook option per header name.
func (h *headerFlag) options() []lswebhook.Option {
	var opts []lswebhook.Option
	for _, name := range h.names {
		opts = append(opts, lswebhook.WithRequiredHeader(name, h.values[name]...))
	}
	return opts
}

// run parses the flags, serves until ctx is done, then shuts down. It
// writes the events to stdout and the address it listens on ("listening on
// http://ADDR/") and the log to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	var headers headerFlag
	fs.Var(&headers, "header", "required request header as `Name=Value`; repeatable, repeat a name to accept several values")
	maxBody := fs.Int64("max-body", lswebhook.DefaultMaxBodyBytes, "largest accepted body in `bytes`")
	verbose := fs.Bool("v", false, "log every delivery, not only refused ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	opts := append(headers.options(), lswebhook.WithMaxBodyBytes(*maxBody), lswebhook.WithLogger(logger))
	srv := newServer(*addr, newHandler(stdout, opts...))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "listening on http://%s/\n", ln.Addr())
	if len(headers.names) == 0 {
		fmt.Fprintln(stderr, "warning: no -header given: any client that can reach this address can post events")
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer returns the HTTP server with its timeouts set.
func newServer(addr string, h http.Handler) *http.Server {
	return newServerTimeouts(addr, h, defaultTimeouts)
}

// newServerTimeouts returns the HTTP server with the given timeouts (tests
// use short ones).
func newServerTimeouts(addr string, h http.Handler, t timeouts) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
		MaxHeaderBytes:    64 << 10,
	}
}

// newHandler returns the webhook handler: it prints one line per event to
// out. Any path is accepted.
func newHandler(out io.Writer, opts ...lswebhook.Option) http.Handler {
	var mu sync.Mutex // deliveries arrive concurrently; keep lines whole
	return lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
		line := describe(ev)
		mu.Lock()
		defer mu.Unlock()
		_, err := fmt.Fprintln(out, line)
		return err
	}, opts...)
}

// describe summarises an event in one line: the action, then the ids.
func describe(ev lswebhook.Event) string {
	var b strings.Builder
	b.WriteString(string(ev.Action()))
	add := func(format string, args ...any) { fmt.Fprintf(&b, " "+format, args...) }
	// in writes the project's id, then what the event carries in it.
	in := func(p *lswebhook.Project, format string, args ...any) {
		if p != nil {
			add("project=%d", p.ID)
		}
		if format != "" {
			add(format, args...)
		}
	}
	switch ev := ev.(type) {
	case *lswebhook.ProjectCreated:
		titled(add, ev.Project)
	case *lswebhook.ProjectUpdated:
		titled(add, ev.Project)
	case *lswebhook.ProjectDeleted:
		if ev.Project != nil {
			add("project=%d", ev.Project.ID)
		}
	case *lswebhook.TasksCreated:
		in(ev.Project, "tasks=%d", len(ev.Tasks))
	case *lswebhook.TasksDeleted:
		in(ev.Project, "tasks=%d", len(ev.Tasks))
	case *lswebhook.AnnotationCreated:
		in(ev.Project, "")
		annotation(add, ev.Annotation, ev.Task)
	case *lswebhook.AnnotationUpdated:
		in(ev.Project, "")
		annotation(add, ev.Annotation, ev.Task)
	case *lswebhook.AnnotationsCreated:
		in(ev.Project, "annotations=%d", len(ev.Annotations))
	case *lswebhook.AnnotationsDeleted:
		in(ev.Project, "annotations=%d", len(ev.Annotations))
	case *lswebhook.LabelLinkCreated:
		in(ev.Project, "label_links=%d", len(ev.LabelLinks))
	case *lswebhook.LabelLinkUpdated:
		in(ev.Project, "")
		if ev.LabelLink != nil {
			add("label_link=%d from_name=%q", ev.LabelLink.ID, ev.LabelLink.FromName)
		}
	case *lswebhook.LabelLinkDeleted:
		in(ev.Project, "")
		if ev.LabelLink != nil {
			add("label_link=%d", ev.LabelLink.ID)
		}
	case *lswebhook.StartTraining:
		in(ev.Project, "")
	case *lswebhook.ReviewCreated:
		in(ev.Project, "")
	case *lswebhook.ReviewUpdated:
		in(ev.Project, "")
	case *lswebhook.ReviewsDeleted:
		in(ev.Project, "reviews=%d", len(ev.Reviews))
	case *lswebhook.UnknownEvent:
		add("(unknown action, %d members)", len(ev.Extra))
	}
	var members map[string]json.RawMessage
	if json.Unmarshal(ev.Raw(), &members) == nil && len(members) == 1 {
		b.WriteString(" (no payload)") // the webhook's "send payload" is off
	}
	return b.String()
}

// titled writes a project's id and title.
func titled(add func(string, ...any), p *lswebhook.Project) {
	if p != nil {
		add("project=%d title=%q", p.ID, p.Title)
	}
}

func annotation(add func(string, ...any), a *lswebhook.Annotation, t *lswebhook.Task) {
	if a == nil {
		return
	}
	add("annotation=%d results=%d", a.ID, len(a.Result))
	if a.WasCancelled {
		add("skipped")
	}
	if t != nil {
		add("task=%d", t.ID)
	}
}
