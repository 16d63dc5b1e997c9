package lswebhook

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/textproto"
	"strings"

	"github.com/seed-d2dfa170/lswebhook/internal/httptoken"
)

// DefaultMaxBodyBytes is the body limit unless [WithMaxBodyBytes] sets
// another: 32 MiB.
//
// Label Studio sends up to 5,000 tasks in one TASKS_CREATED (its
// WEBHOOK_BATCH_SIZE). With tasks like the ones a real 1.23.2 server sends
// (a short text each) such a body measures 2.2 MiB; with 1 KB of task data
// per task 7.1 MiB, with 4 KB 21.4 MiB. The default leaves room for about
// 6 KB of data per task; raise it if your tasks carry more inline.
const DefaultMaxBodyBytes = 32 << 20

// MaxBodyBytesLimit is the largest body limit [WithMaxBodyBytes] sets: 1 GiB.
// Larger values are lowered to it.
const MaxBodyBytesLimit = 1 << 30

// An Option configures how deliveries are received: by a [Handler] built
// with [NewHandler], or by [ReadRequest] and [DecodeRequest]. The With...
// functions of this package return them. Options are values: one may
// configure several handlers.
type Option func(*config)

// config is what the options set.
type config struct {
	dec      Decoder
	maxBytes int64
	auth     *headerCheck // nil when no header is required
	log      *slog.Logger
}

// newConfig applies opts to the defaults.
func newConfig(opts []Option) config {
	c := config{maxBytes: DefaultMaxBodyBytes}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// WithRequiredHeader refuses a request with 401 unless the request's
// header name holds one of values. Set the same name and value as a custom
// header on the webhook in Label Studio (it allows up to 10 per webhook).
// Use it several times for several headers: each must match. Several
// values, in one call or several, are alternatives, so a secret can be
// rotated without downtime: accept old and new, change the webhook, then
// drop the old one.
//
// Values are compared in constant time through their SHA-256 sums, so
// neither the time taken nor the answer reveals how much of a value, or
// how long a value, matched. Spaces and tabs around a value are dropped, as
// HTTP does with received values. A request that sends the header more
// than once, or a value longer than 8 KiB, is refused whatever the values.
//
// When name is Authorization and the first value has the form "Scheme
// credentials" (as "Basic dXNlcjpwYXNz" does), a 401 carries
// "WWW-Authenticate: Scheme realm=..."; a value without a scheme is not
// echoed in any form.
//
// It panics if name is not a valid header name, no value is given, or a
// value is empty, longer than 8 KiB or holds a control character.
func WithRequiredHeader(name string, values ...string) Option {
	if !httptoken.Valid(name) {
		panic(fmt.Sprintf("lswebhook: WithRequiredHeader: invalid header name %q", name))
	}
	if len(values) == 0 {
		panic("lswebhook: WithRequiredHeader: no accepted value for " + name)
	}
	name = textproto.CanonicalMIMEHeaderKey(name)
	var hashes [][sha256.Size]byte
	for _, v := range values {
		v = strings.Trim(v, " \t")
		if v == "" {
			panic("lswebhook: WithRequiredHeader: empty value for " + name)
		}
		if len(v) > maxHeaderValueBytes {
			panic("lswebhook: WithRequiredHeader: a value for " + name + " is longer than 8 KiB")
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
			panic("lswebhook: WithRequiredHeader: control character in a value for " + name)
		}
		hashes = append(hashes, sha256.Sum256([]byte(v)))
	}
	wwwAuth := ""
	if name == "Authorization" {
		// Only a scheme followed by credentials names a scheme; a bare
		// value is the secret itself and must not be echoed.
		if scheme, cred, ok := strings.Cut(strings.Trim(values[0], " \t"), " "); ok && httptoken.Valid(scheme) && strings.Trim(cred, " \t") != "" {
			wwwAuth = scheme + ` realm="Label Studio webhook"`
		}
	}
	return func(c *config) {
		if c.auth == nil {
			c.auth = new(headerCheck)
		}
		a := c.auth
		for i := range a.headers {
			if a.headers[i].name == name {
				a.headers[i].hashes = append(a.headers[i].hashes, hashes...)
				return
			}
		}
		// A copy: the option may configure several handlers, and appending
		// to a shared array would change the values another one accepts.
		a.headers = append(a.headers, requiredHeader{name: name, hashes: append([][sha256.Size]byte(nil), hashes...)})
		if name == "Authorization" {
			a.wwwAuth = wwwAuth
		}
	}
}

// WithBasicAuth requires HTTP Basic authentication with this user name and
// password: it is [WithRequiredHeader]("Authorization", "Basic " +
// base64(user + ":" + password)), the header Label Studio's documentation
// suggests adding to a webhook. Use it several times to accept several
// credentials. It panics if user contains a colon.
func WithBasicAuth(user, password string) Option {
	if strings.Contains(user, ":") {
		panic("lswebhook: WithBasicAuth: the user name contains a colon")
	}
	return WithRequiredHeader("Authorization", BasicAuth(user, password))
}

// BasicAuth returns the value of an Authorization header for HTTP Basic
// authentication: "Basic " and the base64 of user, a colon and password.
// Put it in the webhook's headers in Label Studio.
func BasicAuth(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

// WithMaxBodyBytes sets the largest body read; a longer one is refused with
// 413. n <= 0 means [DefaultMaxBodyBytes], and n above [MaxBodyBytesLimit]
// means MaxBodyBytesLimit, so no value can overflow a later computation.
func WithMaxBodyBytes(n int64) Option {
	switch {
	case n <= 0:
		n = DefaultMaxBodyBytes
	case n > MaxBodyBytesLimit:
		n = MaxBodyBytesLimit
	}
	return func(c *config) { c.maxBytes = n }
}

// WithDecoder sets the [Decoder] bodies are decoded with. The option
// keeps a copy of *d, so later changes to d do not affect it; nil
// means the zero Decoder.
func WithDecoder(d *Decoder) Option {
	var dec Decoder
	if d != nil {
		dec = *d
	}
	return func(c *config) { c.dec = dec }
}

// WithLogger makes a [Handler] log through l (ReadRequest and
// DecodeRequest do not log): at Debug level one record
// per handled event, at Warn level each refused request (status, reason,
// remote address, user agent), at Error level each error the function
// returns. Records never hold header values or the body; events are logged
// through their slog.LogValuer summaries, which leave out secrets. nil turns
// logging off, the default.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.log = l }
}
