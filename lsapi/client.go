package lsapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Client calls a Label Studio server's REST API. Its methods are safe for
// concurrent use. Every error they return is an [*Error].
//
// Failed requests are retried with exponential backoff: GET, PUT, PATCH
// and DELETE after a network error, a 429 or any 5xx; a POST, which the
// server may have carried out, only when the connection could not be made
// or the answer was 429 or 503. Each attempt has its own timeout, and the
// context bounds them all.
type Client struct {
	base    *url.URL
	hc      *http.Client
	auth    Auth
	timeout time.Duration
	retries int
	backoff time.Duration
	maxBody int64
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
}

// Option configures a [Client].
type Option func(*Client)

// WithHTTPClient sets the HTTP client (default: a new client with no
// overall timeout; each attempt is bounded by [WithTimeout]).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithTimeout sets the time limit of one attempt (default 30 s).
func WithTimeout(d time.Duration) Option { return func(c *Client) { c.timeout = d } }

// WithRetries sets how many times a failed request is retried (default 4)
// and the first backoff (default 250 ms), which doubles after each retry up
// to 8 s, with up to 25% random jitter. A Retry-After header of up to a
// minute is honoured instead.
func WithRetries(n int, firstBackoff time.Duration) Option {
	return func(c *Client) { c.retries, c.backoff = n, firstBackoff }
}

// WithMaxBody sets the largest response body read (default 256 MiB).
func WithMaxBody(n int64) Option { return func(c *Client) { c.maxBody = n } }

// New returns a client for the server at baseURL (such as
// "http://127.0.0.1:8080"; a path prefix is kept) that authenticates with
// auth.
func New(baseURL string, auth Auth, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("lsapi: server URL %q is not an http(s) URL", baseURL)
	}
	if auth == nil {
		return nil, errors.New("lsapi: no token given")
	}
	c := &Client{
		base:    u,
		hc:      &http.Client{},
		auth:    auth,
		timeout: 30 * time.Second,
		retries: 4,
		backoff: 250 * time.Millisecond,
		maxBody: 256 << 20,
		now:     time.Now,
		sleep:   sleepCtx,
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// call performs one REST call: method on path (with query), in encoded as
// the JSON body when not nil, and the JSON answer decoded into out when not
// nil. authed is false only for the token refresh itself.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, in, out any, authed bool) error {
	_, err := c.callDate(ctx, method, path, query, in, out, authed)
	return err
}

// callFor is call, authenticated, with the answer decoded into a new T.
func callFor[T any](ctx context.Context, c *Client, method, path string, query url.Values, in any) (*T, error) {
	out := new(T)
	if err := c.call(ctx, method, path, query, in, out, true); err != nil {
		return nil, err
	}
	return out, nil
}

// callDate is call that also returns the server's Date header (zero when
// absent), which the reconciler uses as the server's clock.
func (c *Client) callDate(ctx context.Context, method, path string, query url.Values, in, out any, authed bool) (time.Time, error) {
	name := method + " " + path
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return time.Time{}, &Error{Call: name, Err: err}
		}
		body = b
	}
	u := *c.base
	u.Path = c.base.Path + path
	u.RawQuery = query.Encode()
	refreshed := false
	for attempt := 1; ; attempt++ {
		date, retry, err := c.once(ctx, name, method, u.String(), body, out, authed)
		if err == nil {
			return date, nil
		}
		e := err.(*Error)
		e.Attempts = attempt
		if e.Status == http.StatusUnauthorized && authed && !refreshed {
			if _, ok := c.auth.(*patAuth); ok {
				// The access token may have been revoked or the clocks
				// disagree: fetch a new one once.
				c.auth.reset()
				refreshed = true
				attempt--
				continue
			}
		}
		if retry < 0 || attempt > c.retries || ctx.Err() != nil {
			return time.Time{}, e
		}
		d := retry
		if d == 0 {
			d = c.backoff << (attempt - 1)
			if d > 8*time.Second || d <= 0 {
				d = 8 * time.Second
			}
			d += time.Duration(rand.Int64N(int64(d)/4 + 1))
		}
		if serr := c.sleep(ctx, d); serr != nil {
			e.Err = errors.Join(e.Err, serr)
			return time.Time{}, e
		}
	}
}

// once makes one attempt. retry is negative when the error is final, zero
// for "retry after the usual backoff", and positive for a server-given
// delay.
func (c *Client) once(ctx context.Context, name, method, target string, body []byte, out any, authed bool) (date time.Time, retry time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, rerr := http.NewRequestWithContext(actx, method, target, rd)
	if rerr != nil {
		return date, -1, &Error{Call: name, Err: rerr}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authed {
		if aerr := c.auth.authorize(ctx, c, req); aerr != nil {
			var e *Error
			if errors.As(aerr, &e) {
				// Name the call that needed the token, keep the refresh's
				// status and body.
				cp := *e
				cp.Call = name + " (token refresh: " + e.Call + ")"
				return date, -1, &cp
			}
			return date, -1, &Error{Call: name, Err: aerr}
		}
	}
	resp, derr := c.hc.Do(req)
	if derr != nil {
		e := &Error{Call: name, Err: derr}
		if ctx.Err() != nil {
			return date, -1, e
		}
		if method == http.MethodPost && !notSent(derr) {
			// The server may have carried the POST out: do not repeat it.
			return date, -1, e
		}
		return date, 0, e
	}
	defer resp.Body.Close()
	if d, perr := http.ParseTime(resp.Header.Get("Date")); perr == nil {
		date = d
	}
	data, berr := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if berr != nil {
		return date, 0, &Error{Call: name, Status: resp.StatusCode, Err: fmt.Errorf("reading the answer: %w", berr)}
	}
	if int64(len(data)) > c.maxBody {
		return date, -1, &Error{Call: name, Status: resp.StatusCode, Err: wrapBad(fmt.Sprintf("answer larger than %d bytes", c.maxBody))}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &Error{Call: name, Status: resp.StatusCode, Body: head(data)}
		readErrorBody(e, resp.Header.Get("Content-Type"), data)
		return date, retryAfter(method, resp), e
	}
	if out == nil {
		return date, -1, nil
	}
	if err := decodeJSON(resp.Header.Get("Content-Type"), data, out); err != nil {
		return date, -1, &Error{Call: name, Status: resp.StatusCode, Body: head(data), Err: err}
	}
	return date, -1, nil
}

// notSent reports whether a request certainly did not reach the server:
// the connection could not be made.
func notSent(err error) bool {
	var oe *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || errors.As(err, &oe) && oe.Op == "dial"
}

// retryAfter decides whether an error status is retried: 429 and 503 always
// (the server did nothing), 502 and 504 and other 5xx for idempotent
// methods; a Retry-After of up to a minute gives the delay.
func retryAfter(method string, resp *http.Response) time.Duration {
	s := resp.StatusCode
	switch {
	case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
	case s >= 500 && method != http.MethodPost:
	default:
		return -1
	}
	if v := resp.Header.Get("Retry-After"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n <= 60 {
			return time.Duration(n) * time.Second
		}
	}
	return 0
}

func head(b []byte) []byte {
	if len(b) > 2048 {
		b = b[:2048]
	}
	return append([]byte(nil), b...)
}

// readErrorBody fills Detail and ValidationErrors from Label Studio's error
// object {"detail": ..., "validation_errors": {...}}, or says what the body
// was when it is not one.
func readErrorBody(e *Error, ctype string, data []byte) {
	var body struct {
		Detail           any            `json:"detail"`
		ValidationErrors map[string]any `json:"validation_errors"`
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return
	}
	if err := json.Unmarshal(data, &body); err != nil {
		e.Err = describeBad(ctype, data, err)
		return
	}
	switch d := body.Detail.(type) {
	case string:
		e.Detail = d
	case nil:
	default:
		b, _ := json.Marshal(d)
		e.Detail = string(b)
	}
	e.ValidationErrors = body.ValidationErrors
}

// decodeJSON decodes a success answer, with an [ErrBadResponse] error that
// says what the body was when it is not the JSON expected.
func decodeJSON(ctype string, data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return describeBad(ctype, data, err)
	}
	return nil
}

func describeBad(ctype string, data []byte, err error) error {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) > 0 && trimmed[0] == '<':
		return wrapBad(fmt.Sprintf("HTML page (%s, %d bytes) instead of JSON", orUnknown(ctype), len(data)))
	case len(trimmed) == 0:
		return wrapBad("empty body instead of JSON")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return fmt.Errorf("%w: malformed or truncated JSON (%d bytes): %v", ErrBadResponse, len(data), err)
	}
	return fmt.Errorf("%w: %v", ErrBadResponse, err)
}

func orUnknown(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

func wrapBad(msg string) error { return fmt.Errorf("%w: %s", ErrBadResponse, msg) }
