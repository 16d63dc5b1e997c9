package lswebhook

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBodyBytes is the body limit of a [Handler] unless
// [WithMaxBodyBytes] sets another: 32 MiB.
//
// Label Studio sends up to 5,000 tasks in one TASKS_CREATED (its
// WEBHOOK_BATCH_SIZE). With tasks like the ones a real 1.23.2 server sends
// (a short text each) such a body measures 2.2 MiB; with 1 KB of task data
// per task 7.1 MiB, with 4 KB 21.4 MiB. The default leaves room for about
// 6 KB of data per task; raise it if your tasks carry more inline.
const DefaultMaxBodyBytes = 32 << 20

// maxReportedProblems caps the validation problems a 400 response lists, so
// that a large invalid body does not produce a larger answer.
const maxReportedProblems = 100

// A Handler is an [http.Handler] that receives Label Studio webhook
// deliveries: it checks the request, decodes the body with a [Decoder] and
// calls a function with the [Event]. Build one with [NewHandler]; a Mux's
// Dispatch method is the usual function:
//
//	mux := lswebhook.NewMux()
//	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error { ... })
//	http.Handle("/webhook", lswebhook.NewHandler(mux.Dispatch,
//		lswebhook.WithRequiredHeader("Authorization", "Basic dXNlcjpwYXNz")))
//
// Each request is answered as follows; every refusal has an RFC 9457
// application/problem+json body, and the checks run in this order:
//
//   - 405 Method Not Allowed, with "Allow: POST", for any method but POST.
//   - 401 Unauthorized if a header set with [WithRequiredHeader] or
//     [WithBasicAuth] is missing, has none of its accepted values, is sent
//     more than once, or is longer than 8 KiB. The answer is the same
//     whichever header failed and however much of a value matched.
//   - 415 Unsupported Media Type unless Content-Type is application/json
//     (parameters allowed, charset only utf-8), or if the body has a
//     Content-Encoding other than identity.
//   - 413 Content Too Large if the body is longer than the limit
//     ([DefaultMaxBodyBytes] unless [WithMaxBodyBytes] sets another),
//     whether Content-Length says so or the body runs over while read.
//   - 400 Bad Request if the body cannot be read or the Decoder refuses it:
//     malformed JSON ([*SyntaxError]; the problem has "offset" and
//     "pointer"), not an object ([ErrNotObject]), no action
//     ([ErrMissingAction]), an action refused by a Decoder with
//     DisallowUnknownActions ([ErrUnknownAction]), or a payload that does
//     not match its schema ([*ValidationError]; the problem's "errors"
//     member lists up to 100 of them, each {"pointer", "message"}). The
//     problem "type" is the pkg.go.dev address of that error.
//   - 500 Internal Server Error if the function returns an error. The
//     error's text goes to the logger only, never into the response, which
//     may travel over networks and into Label Studio's logs.
//   - 200 OK with the JSON body {"status":"ok"} otherwise, including for
//     actions the library does not know (they reach the function as
//     [*UnknownEvent]) and, with a [Mux], for events no function was
//     registered for.
//
// Label Studio sends each event once, waits 1 second by default
// (WEBHOOK_TIMEOUT) and does not retry; newer versions switch a webhook off
// after a number of consecutive failures, and any answer but 2xx is a
// failure. So the function should be quick (hand slow work to a queue) and
// return an error only when the failure should be visible to Label Studio.
// Its context is the request's, cancelled when the sender hangs up. A panic
// in the function is not recovered here: net/http logs it and drops the
// connection.
//
// With no required headers the handler accepts deliveries from anyone who
// can reach it: Label Studio webhooks carry no signature, and the custom
// headers configured on the webhook are their only credential.
//
// A Handler is safe for concurrent use.
type Handler struct {
	fn       func(context.Context, Event) error
	dec      Decoder
	maxBytes int64
	auth     *headerCheck // nil when no header is required
	log      *slog.Logger
}

// headerCheck holds the required headers of a [Handler].
type headerCheck struct {
	headers []requiredHeader
	wwwAuth string // the WWW-Authenticate value of a 401, or ""
}

// Format prints the handler's settings without its secrets: the names of
// the required headers, never their accepted values or their sums. Every
// verb prints the same, so %v, %+v, %#v and %s are safe in logs.
func (h Handler) Format(f fmt.State, verb rune) {
	var names []string
	if h.auth != nil {
		for _, rh := range h.auth.headers {
			names = append(names, rh.name)
		}
	}
	fmt.Fprintf(f, "lswebhook.Handler{MaxBodyBytes: %d, RequiredHeaders: %q, Decoder: %+v, Logger: %t}",
		h.maxBytes, names, h.dec, h.log != nil)
}

// requiredHeader is one header name and the SHA-256 sums of its accepted
// values.
type requiredHeader struct {
	name   string
	hashes [][sha256.Size]byte
}

// maxHeaderValueBytes is the longest value of a required header that the
// [Handler] compares; a longer one is refused without hashing it. The
// limit is fixed, so refusing says nothing about the accepted values.
const maxHeaderValueBytes = 8 << 10

// A HandlerOption configures a [Handler] built by [NewHandler]. The With...
// functions of this package return them.
type HandlerOption func(*Handler)

// NewHandler returns a [Handler] that calls fn with each event it decodes.
// fn is usually a [Mux]'s Dispatch method; a plain function with a type
// switch works too. With no options the handler decodes with the zero
// [Decoder], limits bodies to [DefaultMaxBodyBytes], requires no header and
// does not log.
//
// NewHandler panics if fn is nil or an option is invalid (see each option):
// these are programming errors, found at start-up.
func NewHandler(fn func(context.Context, Event) error, opts ...HandlerOption) *Handler {
	if fn == nil {
		panic("lswebhook: NewHandler: nil function")
	}
	h := &Handler{fn: fn, maxBytes: DefaultMaxBodyBytes}
	for _, o := range opts {
		if o != nil {
			o(h)
		}
	}
	return h
}

// WithRequiredHeader makes the [Handler] answer 401 unless the request's
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
func WithRequiredHeader(name string, values ...string) HandlerOption {
	if !validHeaderName(name) {
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
		if scheme, cred, ok := strings.Cut(strings.Trim(values[0], " \t"), " "); ok && validHeaderName(scheme) && strings.Trim(cred, " \t") != "" {
			wwwAuth = scheme + ` realm="Label Studio webhook"`
		}
	}
	return func(h *Handler) {
		if h.auth == nil {
			h.auth = new(headerCheck)
		}
		a := h.auth
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
func WithBasicAuth(user, password string) HandlerOption {
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

// WithMaxBodyBytes sets the largest body the [Handler] reads; longer bodies
// get 413. n <= 0 means [DefaultMaxBodyBytes].
func WithMaxBodyBytes(n int64) HandlerOption {
	return func(h *Handler) {
		if n <= 0 {
			n = DefaultMaxBodyBytes
		}
		h.maxBytes = n
	}
}

// WithDecoder sets the [Decoder] the [Handler] decodes bodies with. The
// handler keeps a copy of *d, so later changes to d do not affect it; nil
// means the zero Decoder.
func WithDecoder(d *Decoder) HandlerOption {
	var dec Decoder
	if d != nil {
		dec = *d
	}
	return func(h *Handler) { h.dec = dec }
}

// WithLogger makes the [Handler] log through l: at Debug level one record
// per handled event, at Warn level each refused request (status, reason,
// remote address, user agent), at Error level each error the function
// returns. Records never hold header values or the body; events are logged
// through their slog.LogValuer summaries, which leave out secrets. nil turns
// logging off, the default.
func WithLogger(l *slog.Logger) HandlerOption {
	return func(h *Handler) { h.log = l }
}

// ServeHTTP handles one delivery as described for [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, statusProblem(http.StatusMethodNotAllowed, "webhook deliveries are POST requests"))
		return
	}
	if !h.auth.authorized(r.Header) {
		if h.auth.wwwAuth != "" {
			w.Header().Set("WWW-Authenticate", h.auth.wwwAuth)
		}
		h.refuse(w, r, statusProblem(http.StatusUnauthorized, "a required header is missing or does not hold an accepted value"))
		return
	}
	if detail, coding := checkContentType(r.Header); detail != "" {
		if coding {
			w.Header().Set("Accept-Encoding", "identity")
		}
		h.refuse(w, r, statusProblem(http.StatusUnsupportedMediaType, detail))
		return
	}
	if r.ContentLength > h.maxBytes {
		h.refuse(w, r, tooLarge(h.maxBytes))
		return
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, h.maxBytes), r.ContentLength, h.maxBytes)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			h.refuse(w, r, tooLarge(mbe.Limit))
			return
		}
		h.refuse(w, r, statusProblem(http.StatusBadRequest, "the body could not be read"))
		return
	}
	ev, err := h.dec.Decode(body)
	if err != nil {
		h.refuse(w, r, decodeProblem(err))
		return
	}
	if err := h.fn(r.Context(), ev); err != nil {
		if h.log != nil {
			h.log.LogAttrs(r.Context(), slog.LevelError, "lswebhook: event function failed",
				slog.Int("status", http.StatusInternalServerError),
				slog.String("action", string(ev.Action())),
				slog.Any("error", err),
				slog.Any("event", ev),
				slog.Duration("duration", time.Since(start)))
		}
		statusProblem(http.StatusInternalServerError, "the receiver failed to handle the "+string(ev.Action())+" event").write(w)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(okBody)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, okBody)
	if h.log != nil {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "lswebhook: event handled",
			slog.Int("status", http.StatusOK),
			slog.String("action", string(ev.Action())),
			slog.Int("bytes", len(body)),
			slog.Any("event", ev),
			slog.Duration("duration", time.Since(start)))
	}
}

// okBody is the body of a 200 answer. It is JSON because Label Studio's ML
// backend client parses the answer to START_TRAINING as JSON.
const okBody = `{"status":"ok"}` + "\n"

// refuse writes p and logs it.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, p *problem) {
	p.write(w)
	if h.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.Int("status", p.Status),
		slog.String("reason", p.Title),
		slog.String("detail", p.Detail),
		slog.String("method", r.Method),
		slog.String("remote", r.RemoteAddr),
		slog.String("user_agent", r.UserAgent()),
	}
	if p.Action != "" {
		attrs = append(attrs, slog.String("action", string(p.Action)))
	}
	if len(p.Errors) > 0 {
		attrs = append(attrs, slog.String("first_problem", p.Errors[0].String()))
	}
	h.log.LogAttrs(r.Context(), slog.LevelWarn, "lswebhook: delivery refused", attrs...)
}

// authorized reports whether every required header is sent once and holds
// an accepted value; a nil check requires nothing. It looks at every
// header and every accepted value whatever the outcome, so its running
// time does not depend on which comparison failed or how much matched. A
// value sent twice or longer than maxHeaderValueBytes is not hashed: its
// refusal depends only on what the client sent.
func (c *headerCheck) authorized(hdr http.Header) bool {
	if c == nil {
		return true
	}
	ok := 1
	for i := range c.headers {
		rh := &c.headers[i]
		vals := hdr[rh.name]
		usable := 0
		got := ""
		if len(vals) == 1 && len(vals[0]) <= maxHeaderValueBytes {
			usable = 1
			got = vals[0]
		}
		sum := sha256.Sum256([]byte(got))
		match := 0
		for j := range rh.hashes {
			match |= subtle.ConstantTimeCompare(sum[:], rh.hashes[j][:])
		}
		ok &= usable & match
	}
	return ok == 1
}

// checkContentType returns why the request's content type or coding is not
// acceptable ("" if it is), and whether the coding is the reason.
func checkContentType(hdr http.Header) (detail string, coding bool) {
	for _, ce := range hdr.Values("Content-Encoding") {
		for _, c := range strings.Split(ce, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				return "content codings such as " + strconv.Quote(truncate(c, 40)) + " are not supported", true
			}
		}
	}
	ct := hdr.Get("Content-Type")
	if ct == "" {
		return "the request has no Content-Type; webhook bodies are application/json", false
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "the Content-Type header cannot be parsed; webhook bodies are application/json", false
	}
	if mt != "application/json" {
		return "the body is " + strconv.Quote(truncate(mt, 80)) + "; webhook bodies are application/json", false
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") && !strings.EqualFold(cs, "utf8") {
		return "the charset is " + strconv.Quote(truncate(cs, 40)) + "; JSON bodies are utf-8", false
	}
	return "", false
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}

func tooLarge(limit int64) *problem {
	p := statusProblem(http.StatusRequestEntityTooLarge, "the body is longer than the limit of "+strconv.FormatInt(limit, 10)+" bytes")
	p.MaxBytes = limit
	return p
}

// readAll reads r to the end like io.ReadAll, allocating once when the size
// is known. Otherwise the buffer doubles, up to limit+1 bytes: r is a
// MaxBytesReader for limit, so a body over the limit costs about twice the
// limit in allocations and never more than limit+1 bytes of buffer.
func readAll(r io.Reader, sizeHint, limit int64) ([]byte, error) {
	n := int64(512)
	if sizeHint > 0 {
		n = sizeHint + 1 // room for the read that returns io.EOF
	}
	n = min(n, limit+1)
	b := make([]byte, 0, n)
	for {
		if len(b) == cap(b) {
			c := 2 * int64(cap(b))
			if c >= limit {
				c = limit + 1 // the last step: room for the limit and the byte over it
			}
			if c <= int64(cap(b)) {
				c = int64(cap(b)) + 512 // r read beyond limit: not a MaxBytesReader
			}
			nb := make([]byte, len(b), c)
			copy(nb, b)
			b = nb
		}
		m, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// decodeProblem describes a [Decoder] error as a 400 problem.
func decodeProblem(err error) *problem {
	p := &problem{Type: "about:blank", Title: http.StatusText(http.StatusBadRequest), Status: http.StatusBadRequest}
	detail := strings.TrimPrefix(err.Error(), "lswebhook: ")
	var se *SyntaxError
	var ve *ValidationError
	switch {
	case errors.As(err, &ve):
		p.Type = problemDoc + "ValidationError"
		p.Title = "Invalid payload"
		p.Action = ve.Action
		n := len(ve.Problems)
		p.Errors = ve.Problems
		if n > maxReportedProblems {
			p.Errors = ve.Problems[:maxReportedProblems]
		}
		switch {
		case n == 1:
			detail = "the " + string(ve.Action) + " payload does not match its schema: 1 problem"
		case n > maxReportedProblems:
			detail = fmt.Sprintf("the %s payload does not match its schema: %d problems, the first %d listed", ve.Action, n, maxReportedProblems)
		default:
			detail = fmt.Sprintf("the %s payload does not match its schema: %d problems", ve.Action, n)
		}
	case errors.As(err, &se):
		p.Type = problemDoc + "SyntaxError"
		p.Title = "Malformed JSON"
		off, ptr := se.Offset, se.Pointer
		p.Offset, p.Pointer = &off, &ptr
	case errors.Is(err, ErrNotObject):
		p.Type = problemDoc + "ErrNotObject"
		p.Title = "Payload is not a JSON object"
	case errors.Is(err, ErrMissingAction):
		p.Type = problemDoc + "ErrMissingAction"
		p.Title = "Payload has no action"
	case errors.Is(err, ErrUnknownAction):
		p.Type = problemDoc + "ErrUnknownAction"
		p.Title = "Unknown action"
	}
	p.Detail = detail
	return p
}

// validHeaderName reports whether s is an HTTP field name (RFC 9110 token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
