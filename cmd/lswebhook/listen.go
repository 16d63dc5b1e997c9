package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

const listenAbout = `Receives webhook deliveries for debugging. Each request is answered by
lswebhook.Handler, exactly as a receiver built with the library answers it:
200 for a valid payload, 400 with the problems for an invalid one, 401 without
the required headers, 405 for other methods than POST, 413 for a body over the
limit, 415 for a body that is not application/json. Any path is accepted.

Each delivery is printed as it arrives: the time, its number, method, path and
status, then the action and a summary, or the problems, or the reason it was
refused. With --save DIR each body the handler read is written to DIR as
NNNN-ACTION.json (NNNN-ACTION-invalid.json, NNNN-invalid.json for refused
payloads), numbered in order of arrival after any files already there, so real
deliveries become fixtures. Saved bodies may hold secrets (a project's token):
the files are readable by their owner only.

The first line printed is "listening on http://ADDR/". SIGINT (Ctrl-C) or
SIGTERM stops the receiver: deliveries in progress are finished first.

Exit status: 0 when stopped by a signal, 1 if the receiver cannot start or
stop cleanly, 2 for a usage error.
`

// Server timeouts. Label Studio gives up after WEBHOOK_TIMEOUT (1 s by
// default) and opens a connection per delivery.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 35 * time.Second
	idleTimeout       = 60 * time.Second
	shutdownTimeout   = 10 * time.Second
	maxHeaderBytes    = 64 << 10
)

// timeFormat is the time of day printed for each delivery.
const timeFormat = "15:04:05.000"

func runListen(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("listen", "[--addr 127.0.0.1:9090] [--header Name=Value]... [--save DIR] [--max-body BYTES]", listenAbout)
	addr := flags.String("addr", "127.0.0.1:9090", "`address` to listen on (port 0 picks a free port)")
	var headers headerFlag
	flags.Var(&headers, "header", "answer 401 unless the request has this header, as `Name=Value`; repeatable (repeat a name to accept several values)")
	saveDir := flags.String("save", "", "write each body read to `DIR`, created if missing")
	maxBody := flags.Int64("max-body", lswebhook.DefaultMaxBodyBytes, "largest accepted body in `BYTES` (413 above)")
	pos, status, ok := parseArgs(flags, args, stdout, stderr)
	if !ok {
		return status
	}
	if len(pos) > 0 {
		return usageError(stderr, "listen", "unexpected argument %q", clean(pos[0]))
	}
	if *maxBody <= 0 {
		return usageError(stderr, "listen", "--max-body must be positive")
	}

	l := &listener{out: stdout, saveDir: *saveDir}
	opts := []lswebhook.Option{lswebhook.WithDecoder(&l.dec), lswebhook.WithMaxBodyBytes(*maxBody)}
	for _, name := range headers.names {
		opts = append(opts, lswebhook.WithRequiredHeader(name, headers.values[name]...))
	}
	l.handler = lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil }, opts...)

	if l.saveDir != "" {
		next, err := prepareSaveDir(l.saveDir)
		if err != nil {
			fmt.Fprintf(stderr, "lswebhook listen: --save: %v\n", err)
			return exitFail
		}
		l.seq.Store(next - 1)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook listen: %v\n", err)
		return exitFail
	}
	srv := &http.Server{
		Handler:           l,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(stderr, "lswebhook listen: ", 0),
	}
	l.printf("listening on http://%s/\n", ln.Addr())
	if len(headers.names) == 0 {
		fmt.Fprintln(stderr, "lswebhook listen: no --header given: anyone who can reach this address can post deliveries")
	}
	if l.saveDir != "" {
		fmt.Fprintf(stderr, "lswebhook listen: saving bodies to %s\n", clean(l.saveDir))
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "lswebhook listen: %v\n", err)
		return exitFail
	case <-ctx.Done():
	}
	stop() // a second Ctrl-C kills the process
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	n := l.handled.Load()
	l.printf("stopped after %d %s\n", n, plural(n, "delivery", "deliveries"))
	if err != nil {
		fmt.Fprintf(stderr, "lswebhook listen: shutdown: %v\n", err)
		return exitFail
	}
	return exitOK
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// listener wraps the library's handler to print and save each delivery.
type listener struct {
	handler http.Handler
	dec     lswebhook.Decoder // the handler's decoder, to explain its answers
	saveDir string
	seq     atomic.Int64 // number of the last delivery that arrived
	handled atomic.Int64 // deliveries answered

	mu  sync.Mutex // keeps each delivery's lines together
	out io.Writer
}

func (l *listener) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.out, format, args...)
}

func (l *listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := l.seq.Add(1)
	arrived := time.Now()
	body := &capturingBody{ReadCloser: r.Body}
	r.Body = body
	rec := &recorder{ResponseWriter: w}
	l.handler.ServeHTTP(rec, r)
	l.handled.Add(1)
	l.report(n, arrived, r, rec, body)
}

// report prints one delivery and saves its body.
func (l *listener) report(n int64, arrived time.Time, r *http.Request, rec *recorder, body *capturingBody) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s #%d %s %s %d", arrived.Format(timeFormat), n, clean(r.Method), clean(r.URL.EscapedPath()), status)

	action, label := "", "invalid"
	switch {
	case body.eof && (status == http.StatusOK || status == http.StatusBadRequest):
		ev, v := check(&l.dec, body.buf)
		action = v.Action
		switch {
		case v.OK:
			label = action
		case action != "":
			label = action + "-invalid"
		}
		if action != "" {
			fmt.Fprintf(&b, " %s", clean(action))
		}
		fmt.Fprintf(&b, " %s\n", v.state())
		for _, line := range v.lines() {
			fmt.Fprintf(&b, "  %s\n", line)
		}
		if ev != nil && status != http.StatusOK {
			// Not expected: the handler refused what the decoder accepts.
			fmt.Fprintf(&b, "  answered %d: %s\n", status, rec.detail())
		}
	default:
		fmt.Fprintf(&b, " refused\n  %s\n", rec.detail())
	}
	if l.saveDir != "" && body.eof {
		name, err := l.save(n, label, body.buf)
		if err != nil {
			fmt.Fprintf(&b, "  not saved: %s\n", clean(err.Error()))
		} else {
			fmt.Fprintf(&b, "  saved %s\n", clean(name))
		}
	}
	l.printf("%s", b.String())
}

// unsafeName matches what may not appear in a saved file's name.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// save writes a body to the save directory and returns the file's path. It
// never overwrites a file.
func (l *listener) save(n int64, label string, body []byte) (string, error) {
	label = strings.Trim(unsafeName.ReplaceAllString(label, "_"), ".")
	if len(label) > 80 {
		label = label[:80]
	}
	if label == "" {
		label = "invalid"
	}
	name := filepath.Join(l.saveDir, fmt.Sprintf("%04d-%s.json", n, label))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	_, err = f.Write(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return "", err
	}
	return name, nil
}

// savedNumber matches the number of a file written by save.
var savedNumber = regexp.MustCompile(`^([0-9]+)-`)

// prepareSaveDir creates dir if needed and returns the number the next saved
// file gets: one more than the highest already there.
func prepareSaveDir(dir string) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var highest int64
	for _, e := range entries {
		if m := savedNumber.FindStringSubmatch(e.Name()); m != nil {
			if k, err := strconv.ParseInt(m[1], 10, 64); err == nil && k > highest {
				highest = k
			}
		}
	}
	return highest + 1, nil
}

// capturingBody keeps a copy of what the handler reads from a request body,
// and whether it read to the end.
type capturingBody struct {
	io.ReadCloser
	buf []byte
	eof bool
}

func (c *capturingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.buf = append(c.buf, p[:n]...)
	if err == io.EOF {
		c.eof = true
	}
	return n, err
}

// maxRecorded is how much of a response recorder keeps.
const maxRecorded = 64 << 10

// recorder passes a response through and keeps its status and the start of
// its body.
type recorder struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if room := maxRecorded - len(r.body); room > 0 {
		r.body = append(r.body, p[:min(len(p), room)]...)
	}
	return r.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// detail returns the "detail" of the RFC 9457 problem the handler answered
// with, or the status text.
func (r *recorder) detail() string {
	var p struct {
		Detail string `json:"detail"`
		Title  string `json:"title"`
	}
	if json.Unmarshal(r.body, &p) == nil {
		if p.Detail != "" {
			return clean(p.Detail)
		}
		if p.Title != "" {
			return clean(p.Title)
		}
	}
	return http.StatusText(r.status)
}
