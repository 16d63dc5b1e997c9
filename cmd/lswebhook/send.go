package main

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// sendAbout is the description of send; the releases are listed from
// lswebhooktest.Releases.
func sendAbout() string {
	var b strings.Builder
	b.WriteString(`POSTs each payload file to URL the way Label Studio delivers a webhook: the
file's bytes unchanged as the body, with the headers the Label Studio release
of --release sends (through Python requests):
  User-Agent: python-requests/VERSION (for START_TRAINING: heartex/RELEASE)
  Accept-Encoding: gzip, deflate
  Accept: */*
  Connection: keep-alive
  Content-Type: application/json
and each --header, which is added or replaces one of these. The User-Agent
of each release (heartex/... is the START_TRAINING POST to an ML backend):
`)
	tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
	for _, r := range lswebhooktest.Releases() {
		ml := r.MLUserAgent
		if ml == "" {
			ml = "-"
		}
		source := "requests pin"
		if strings.HasPrefix(r.Source, "capture") {
			source = r.Source
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t(%s)\n", r.Version, r.UserAgent(), ml, source)
	}
	_ = tw.Flush() // writes to a strings.Builder do not fail
	b.WriteString(`Values not read from a capture follow the release's pin of requests and the
documented heartex/RELEASE form; "-": the release posts no START_TRAINING.

One new connection per delivery and no retries, as Label Studio does. Like
its WEBHOOK_TIMEOUT (requests' timeout), --timeout bounds connecting and
every wait for the network (each read and write), not the delivery as a
whole; Label Studio waits ML_TIMEOUT_PREDICT (100s) for START_TRAINING.
Redirects are followed, as requests follows them. "-" reads standard input.
The files are not validated: invalid ones are sent too, to see how a
receiver answers them.

For each file it prints "FILE: STATUS (TIME)" and, for an answer other than
2xx, the start of the response body; or "FILE: failed" and the reason.

Exit status: 0 if every delivery was answered with 2xx, 1 if a file could not
be read, a delivery failed or was answered otherwise, 2 for a usage error.
`)
	return b.String()
}

// maxShownAnswer is how much of a non-2xx answer's body is printed.
const maxShownAnswer = 300

func runSend(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("send", "--url URL [--header Name=Value]... [--timeout 1s] [--release "+lswebhooktest.DefaultRelease+"] FILE...", sendAbout())
	target := flags.String("url", "", "`URL` to POST to (http or https; required)")
	var headers headerFlag
	flags.Var(&headers, "header", "add the header `Name=Value` to each request, as configured on a webhook in Label Studio; repeatable")
	timeout := flags.Duration("timeout", time.Second, "connect and read `timeout`, as Label Studio's WEBHOOK_TIMEOUT")
	release := flags.String("release", lswebhooktest.DefaultRelease, "send the headers of Label Studio `RELEASE` (one of the list above)")
	files, status, ok := parseArgs(flags, args, stdout, stderr)
	if !ok {
		return status
	}
	if *target == "" {
		return usageError(stderr, "send", "--url is required")
	}
	u, err := url.Parse(*target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError(stderr, "send", "--url %q is not an http:// or https:// URL", clean(*target))
	}
	if *timeout <= 0 {
		return usageError(stderr, "send", "--timeout must be positive")
	}
	if _, ok := lswebhooktest.LookupRelease(*release); !ok {
		return usageError(stderr, "send", "--release %q is not a release lswebhook knows (%s)", clean(*release), knownReleases())
	}
	if len(files) == 0 {
		return usageError(stderr, "send", "no FILE given (use - for standard input)")
	}
	if !checkStdinOnce(files) {
		return usageError(stderr, "send", "- (standard input) given more than once")
	}

	s := &sender{url: u.String(), headers: headers, timeout: *timeout, release: *release}
	status = exitOK
	for _, f := range files {
		name := displayName(f)
		data, err := readInput(f, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "lswebhook send: %s\n", clean(err.Error()))
			status = exitFail
			continue
		}
		d := s.send(data)
		fmt.Fprintf(stdout, "%s: %s\n", name, d)
		if !d.ok() {
			status = exitFail
		}
	}
	return status
}

// sender POSTs payloads to one URL.
type sender struct {
	url     string
	headers headerFlag
	timeout time.Duration
	release string // a version of lswebhooktest.Releases
}

// knownReleases lists the releases --release accepts.
func knownReleases() string {
	var vs []string
	for _, r := range lswebhooktest.Releases() {
		vs = append(vs, r.Version)
	}
	return strings.Join(vs, ", ")
}

// labelStudioHeaders returns the headers the release sends with body, from
// the test kit's table: the one source of these values in the module.
func labelStudioHeaders(release string, body []byte) http.Header {
	h := lswebhooktest.NewRequest("/", body, lswebhooktest.WithRelease(release)).Header
	h.Del("Content-Length") // the transport writes it from the body
	return h
}

// delivery is the outcome of one POST.
type delivery struct {
	status     int
	statusText string
	answer     string // the start of a non-2xx answer
	redirected string // the final URL, if redirects were followed
	err        string
	timeout    time.Duration
	took       time.Duration
}

func (d delivery) ok() bool { return d.err == "" && d.status >= 200 && d.status < 300 }

func (d delivery) String() string {
	took := fmt.Sprintf("(%.1fms)", float64(d.took.Microseconds())/1000)
	if d.err != "" {
		return "failed " + took + "\n  " + d.err
	}
	s := fmt.Sprintf("%d %s %s", d.status, d.statusText, took)
	if d.redirected != "" {
		s += "\n  redirected to " + d.redirected
	}
	if !d.ok() && d.answer != "" {
		s += "\n  " + d.answer
	}
	return s
}

// send POSTs one body on a new connection, reads the whole answer and
// closes the connection.
func (s *sender) send(body []byte) delivery {
	d := delivery{timeout: s.timeout}
	req, err := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		d.err = clean(err.Error())
		return d
	}
	req.Header = labelStudioHeaders(s.release, body)
	h := req.Header
	for _, name := range s.headers.names {
		if name == "Host" {
			req.Host = s.headers.values[name][0]
			continue
		}
		h[name] = append([]string(nil), s.headers.values[name]...)
	}

	tr := newTransport(s.timeout)
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		d.took = time.Since(start)
		d.err = describeSendError(err, s.timeout)
		return d
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	d.took = time.Since(start)
	d.status = resp.StatusCode
	d.statusText = http.StatusText(resp.StatusCode)
	if resp.Request != nil && resp.Request.URL.String() != s.url {
		d.redirected = clean(resp.Request.URL.String())
	}
	if err != nil {
		d.err = fmt.Sprintf("answered %d, then reading the answer failed: %s", d.status, describeSendError(err, s.timeout))
		return d
	}
	if !d.ok() {
		d.answer = answerText(raw, resp.Header.Get("Content-Encoding"), resp.Header.Get("Content-Type"))
	}
	return d
}

// newTransport returns a transport whose connections time out like a
// Python socket with settimeout(timeout), as requests uses it: connecting
// and each read or write may take at most timeout.
func newTransport(timeout time.Duration) *http.Transport {
	dialer := &net.Dialer{Timeout: timeout}
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment, // requests honours the proxy variables too
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &deadlineConn{Conn: c, timeout: timeout}, nil
		},
		TLSHandshakeTimeout: timeout,
		DisableCompression:  true, // Accept-Encoding is set as requests sets it
		MaxIdleConns:        1,
	}
}

// deadlineConn gives every Read and Write its own deadline.
type deadlineConn struct {
	net.Conn
	timeout time.Duration
}

func (c *deadlineConn) Read(p []byte) (int, error) {
	if err := c.Conn.SetReadDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *deadlineConn) Write(p []byte) (int, error) {
	if err := c.Conn.SetWriteDeadline(time.Now().Add(c.timeout)); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

// describeSendError says why a delivery failed, in one line.
func describeSendError(err error, timeout time.Duration) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	isDial := errors.As(err, &oe) && oe.Op == "dial"
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		if isDial {
			return fmt.Sprintf("timed out: could not connect within %s", timeout)
		}
		return fmt.Sprintf("timed out: the receiver did not answer within %s", timeout)
	}
	return clean(err.Error())
}

// maxShownProblems is how many problems of a problem+json answer are
// printed.
const maxShownProblems = 10

// answerText describes an answer's body: the detail and problems of an RFC
// 9457 problem (as lswebhook.Handler answers), or the start of the body on
// one line.
func answerText(raw []byte, encoding, contentType string) string {
	var r io.Reader = bytes.NewReader(raw)
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Sprintf("(%d bytes, gzip: %v)", len(raw), err)
		}
		r = zr
	case "deflate":
		zr, err := zlib.NewReader(r)
		if err != nil {
			return fmt.Sprintf("(%d bytes, deflate: %v)", len(raw), err)
		}
		r = zr
	default:
		return fmt.Sprintf("(%d bytes, Content-Encoding %s)", len(raw), clean(encoding))
	}
	if mt, _, _ := mime.ParseMediaType(contentType); mt == "application/problem+json" {
		if text, ok := problemText(r); ok {
			return text
		}
		return answerText(raw, encoding, "")
	}
	b, _ := io.ReadAll(io.LimitReader(r, maxShownAnswer+1))
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(b) > maxShownAnswer {
		s = strings.ToValidUTF8(s[:min(len(s), maxShownAnswer)], "") + "..."
	}
	return clean(s)
}

// problemText formats an RFC 9457 problem: its detail (or title), then the
// "errors" extension of lswebhook.Handler, one "pointer: message" per line.
func problemText(r io.Reader) (string, bool) {
	var p struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Pointer string `json:"pointer"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&p); err != nil {
		return "", false
	}
	text := p.Detail
	if text == "" {
		text = p.Title
	}
	if text == "" {
		return "", false
	}
	lines := []string{clean(text)}
	for i, e := range p.Errors {
		if i == maxShownProblems {
			lines = append(lines, fmt.Sprintf("... and %d more", len(p.Errors)-i))
			break
		}
		lines = append(lines, problem{Pointer: e.Pointer, Message: e.Message}.String())
	}
	return strings.Join(lines, "\n  "), true
}
