package lswebhooktest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// Timeouts of Label Studio's deliveries.
const (
	// WebhookTimeout is how long Label Studio waits for a webhook
	// receiver: its WEBHOOK_TIMEOUT setting, 1 second unless the server's
	// operator changes it.
	WebhookTimeout = time.Second
	// TrainTimeout is how long Label Studio waits for an ML backend to
	// answer START_TRAINING: its ML_TIMEOUT_PREDICT setting, 100 seconds by
	// default.
	TrainTimeout = 100 * time.Second
)

// A RequestOption changes a request built by [NewRequest] or sent by
// [Post].
type RequestOption struct {
	name  string
	apply func(*requestConfig)
}

// String returns the option as written in Go, such as `WithRelease("1.10.1")`.
func (o RequestOption) String() string { return o.name }

type requestConfig struct {
	release Release
	headers [][2]string
	timeout time.Duration
	errs    []string
}

// WithRelease makes the request look like one from a Label Studio release
// of [Releases] (default [DefaultRelease]): its User-Agent.
func WithRelease(version string) RequestOption {
	return RequestOption{fmt.Sprintf("WithRelease(%q)", version), func(c *requestConfig) {
		r, ok := LookupRelease(version)
		if !ok {
			c.errs = append(c.errs, fmt.Sprintf("unknown release %q (see Releases)", version))
			return
		}
		c.release = r
	}}
}

// hookHeaderName is what Label Studio accepts as a webhook header name.
var hookHeaderName = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)

// WithHeader adds one of the webhook's custom headers, such as
// WithHeader("Authorization", "Basic dXNlcjpwYXNz"). Label Studio accepts
// names of letters, digits, "-" and "_", string values, and at most 10
// headers per webhook; other names and an 11th header are refused. A
// custom header replaces a default one of the same name (User-Agent, for
// example), as it does in Label Studio.
func WithHeader(name, value string) RequestOption {
	return RequestOption{fmt.Sprintf("WithHeader(%q, ...)", name), func(c *requestConfig) {
		if !hookHeaderName.MatchString(name) {
			c.errs = append(c.errs, fmt.Sprintf("header name %q: Label Studio accepts letters, digits, - and _ only", name))
			return
		}
		c.headers = append(c.headers, [2]string{name, value})
		if len(c.headers) > 10 {
			c.errs = append(c.errs, "more than 10 headers: Label Studio accepts at most 10 per webhook")
		}
	}}
}

// WithTimeout sets how long [Post] waits, as a server with another
// WEBHOOK_TIMEOUT would (default [WebhookTimeout], or [TrainTimeout] for
// START_TRAINING).
func WithTimeout(d time.Duration) RequestOption {
	return RequestOption{fmt.Sprintf("WithTimeout(%v)", d), func(c *requestConfig) {
		if d <= 0 {
			c.errs = append(c.errs, fmt.Sprintf("timeout %v: want a positive duration", d))
			return
		}
		c.timeout = d
	}}
}

func newRequestConfig(opts []RequestOption) (*requestConfig, error) {
	c := &requestConfig{}
	c.release, _ = LookupRelease(DefaultRelease)
	for _, o := range opts {
		if o.apply == nil {
			return nil, fmt.Errorf("lswebhooktest: zero RequestOption")
		}
		o.apply(c)
	}
	if releasesErr != nil {
		c.errs = append(c.errs, releasesErr.Error())
	}
	if len(c.errs) > 0 {
		return nil, fmt.Errorf("lswebhooktest: %s", c.errs[0])
	}
	return c, nil
}

// isStartTraining reports whether body is a START_TRAINING payload.
func isStartTraining(body []byte) bool {
	var v struct {
		Action string `json:"action"`
	}
	return json.Unmarshal(body, &v) == nil && v.Action == string(lswebhook.ActionStartTraining)
}

// setHeaders sets the headers Label Studio sends with body.
func (c *requestConfig) setHeaders(h http.Header, body []byte) {
	ua := c.release.UserAgent()
	if isStartTraining(body) && c.release.MLUserAgent != "" {
		ua = c.release.MLUserAgent
	}
	// The defaults of Python's requests, then json='s Content-Type.
	h.Set("User-Agent", ua)
	h.Set("Accept-Encoding", "gzip, deflate")
	h.Set("Accept", "*/*")
	h.Set("Connection", "keep-alive")
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	for _, kv := range c.headers {
		h.Set(kv[0], kv[1])
	}
}

// NewRequest returns a request as Label Studio sends it to a webhook
// receiver, for passing to a handler's ServeHTTP (like
// [httptest.NewRequest], whose target rules it follows: a path such as
// "/hook" or an absolute URL). The request is a POST of body with the
// headers of the release ([DefaultRelease] unless [WithRelease]):
//
//	User-Agent: python-requests/<version> (heartex/<release> for START_TRAINING)
//	Accept-Encoding: gzip, deflate
//	Accept: */*
//	Connection: keep-alive
//	Content-Type: application/json
//	Content-Length: <len(body)>
//
// plus the webhook's custom headers ([WithHeader]). NewRequest panics on an
// invalid option or target, as httptest.NewRequest does.
func NewRequest(target string, body []byte, opts ...RequestOption) *http.Request {
	c, err := newRequestConfig(opts)
	if err != nil {
		panic(err)
	}
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	c.setHeaders(r.Header, body)
	return r
}

// Post delivers body to url the way Label Studio does: one POST with the
// headers [NewRequest] describes, on a new connection, waiting at most the
// server's timeout ([WebhookTimeout], or [TrainTimeout] for
// START_TRAINING; [WithTimeout] sets another), without retrying. Label
// Studio's requests bounds the connection and each read by the timeout;
// Post bounds the whole exchange, which is the same for a receiver that
// answers promptly. Redirects are followed, as requests does.
//
// In tests on a busy machine, give WithTimeout a generous value unless
// the test is about the timeout: a receiver that needs more than Label
// Studio's second fails the delivery, as it would in production.
//
// The response's body is read before Post returns (Label Studio reads and
// ignores it) and can be read again from resp.Body. An error says the
// delivery failed as it would have in Label Studio: the server logs such
// failures and does not retry.
func Post(ctx context.Context, url string, body []byte, opts ...RequestOption) (*http.Response, error) {
	c, err := newRequestConfig(opts)
	if err != nil {
		return nil, err
	}
	if c.timeout == 0 {
		c.timeout = WebhookTimeout
		if isStartTraining(body) {
			c.timeout = TrainTimeout
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("lswebhooktest: %w", err)
	}
	c.setHeaders(req.Header, body)
	req.Header.Del("Content-Length") // the transport writes it from ContentLength
	// A transport of its own: a fresh connection for each delivery, as
	// requests opens one per call, and nothing kept afterwards.
	tr := &http.Transport{Proxy: nil, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: c.timeout}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("lswebhooktest: delivery failed: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("lswebhooktest: reading the answer: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}
