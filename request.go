package lswebhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// A RequestError reports a delivery refused by [ReadRequest] or
// [DecodeRequest], with the HTTP status to answer it with. [WriteError]
// writes that answer.
type RequestError struct {
	// Status is the HTTP status code to answer: 405 (not a POST), 401 (a
	// required header is missing or wrong), 415 (not JSON, or a content
	// coding), 413 (the body is over the limit) or 400 (the body cannot be
	// read or decoded).
	Status int
	// Detail says what is wrong in words safe to send back: it never holds
	// a header value or a secret.
	Detail string
	// Err is the cause, if any: for a 400 the error of [Decoder.Decode]
	// (a [*SyntaxError], a [*ValidationError], or one wrapping a sentinel
	// such as [ErrMissingAction]); for a 413 an [*http.MaxBytesError].
	Err error

	header   http.Header // headers the answer carries (Allow, WWW-Authenticate, ...)
	decoding bool        // Err is the Decoder's
}

// Error returns the decoding error for a 400 that has one, otherwise the
// status and the detail.
func (e *RequestError) Error() string {
	if e.Status == http.StatusBadRequest && e.Err != nil {
		return e.Err.Error()
	}
	return "lswebhook: " + strconv.Itoa(e.Status) + " " + http.StatusText(e.Status) + ": " + e.Detail
}

// Unwrap returns the cause, so that [errors.As] reaches a [*ValidationError]
// or a [*SyntaxError] and [errors.Is] a sentinel.
func (e *RequestError) Unwrap() error { return e.Err }

func refusal(status int, detail string) *RequestError {
	return &RequestError{Status: status, Detail: detail}
}

// ReadRequest checks one webhook delivery and returns its body, exactly as
// sent, without decoding it. It checks, in this order: the method is POST
// (else 405), every header required with [WithRequiredHeader] or
// [WithBasicAuth] holds an accepted value (else 401), the Content-Type is
// application/json with no content coding (else 415), and the body is no
// longer than the limit of [WithMaxBodyBytes] (else 413, whether
// Content-Length says so or the body runs over while read). A failure is a
// [*RequestError] with the status to answer.
//
// Use it where the body must be kept even when it does not decode, for
// example to store it before answering; otherwise use [DecodeRequest].
// ReadRequest reads r.Body but does not close it (the server does).
func ReadRequest(r *http.Request, opts ...Option) ([]byte, error) {
	c := newConfig(opts)
	return c.read(nil, r)
}

// DecodeRequest is [ReadRequest] followed by [Decoder.Decode] with the
// decoder of [WithDecoder]: it returns the event of one delivery, or a
// [*RequestError] with the status to answer (400 when the body does not
// decode; the decoding error is its Err). It lets any router or framework
// receive webhooks in a few lines:
//
//	ev, err := lswebhook.DecodeRequest(r, lswebhook.WithBasicAuth("user", "pass"))
//	if err != nil {
//		lswebhook.WriteError(w, err)
//		return
//	}
func DecodeRequest(r *http.Request, opts ...Option) (Event, error) {
	c := newConfig(opts)
	return c.decode(nil, r)
}

// WriteError answers a refused delivery: for a [*RequestError] (from
// [ReadRequest] or [DecodeRequest]) its status, with an RFC 9457
// application/problem+json body as [Handler] writes it; for any other
// error 500 with a body that does not hold the error's text.
func WriteError(w http.ResponseWriter, err error) {
	problemFor(err).write(w)
}

// read is ReadRequest; w, when not nil, lets the body reader close the
// connection of a client that sends more than the limit.
func (c *config) read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return c.readInto(w, r, nil)
}

// readInto is read, reading the body into buf's memory when it is large
// enough (buf's length does not matter).
func (c *config) readInto(w http.ResponseWriter, r *http.Request, buf []byte) ([]byte, error) {
	if r.Method != http.MethodPost {
		e := refusal(http.StatusMethodNotAllowed, "webhook deliveries are POST requests")
		e.header = http.Header{"Allow": {http.MethodPost}}
		return nil, e
	}
	if !c.auth.authorized(r.Header) {
		e := refusal(http.StatusUnauthorized, "a required header is missing or does not hold an accepted value")
		if c.auth.wwwAuth != "" {
			e.header = http.Header{"Www-Authenticate": {c.auth.wwwAuth}}
		}
		return nil, e
	}
	if detail, coding := checkContentType(r.Header); detail != "" {
		e := refusal(http.StatusUnsupportedMediaType, detail)
		if coding {
			e.header = http.Header{"Accept-Encoding": {"identity"}}
		}
		return nil, e
	}
	if r.ContentLength > c.maxBytes {
		return nil, tooLarge(&http.MaxBytesError{Limit: c.maxBytes})
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, c.maxBytes), r.ContentLength, c.maxBytes, buf)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(mbe)
		}
		return nil, &RequestError{Status: http.StatusBadRequest, Detail: "the body could not be read", Err: err}
	}
	return body, nil
}

// decode is DecodeRequest.
func (c *config) decode(w http.ResponseWriter, r *http.Request) (Event, error) {
	var buf []byte
	return c.decodeInto(w, r, &buf)
}

// decodeInto is decode, reading the body into *buf's memory when it is
// large enough; *buf is then the buffer read into (a larger one when
// *buf was too small). The event and the error share no memory with it
// ([Decoder.Decode] keeps a copy of what it needs), so the caller may
// reuse *buf once it has them.
func (c *config) decodeInto(w http.ResponseWriter, r *http.Request, buf *[]byte) (Event, error) {
	body, err := c.readInto(w, r, *buf)
	if cap(body) > cap(*buf) {
		*buf = body[:0]
	}
	if err != nil {
		return nil, err
	}
	ev, err := c.dec.Decode(body)
	if err != nil {
		return nil, &RequestError{Status: http.StatusBadRequest, Detail: strings.TrimPrefix(err.Error(), "lswebhook: "), Err: err, decoding: true}
	}
	return ev, nil
}

func tooLarge(mbe *http.MaxBytesError) *RequestError {
	return &RequestError{
		Status: http.StatusRequestEntityTooLarge,
		Detail: "the body is longer than the limit of " + strconv.FormatInt(mbe.Limit, 10) + " bytes",
		Err:    mbe,
	}
}

// headerCheck holds the required headers set with [WithRequiredHeader].
type headerCheck struct {
	headers []requiredHeader
	wwwAuth string // the WWW-Authenticate value of a 401, or ""
}

// values.
type requiredHeader struct {
	name   string
	hashes [][sha256.Size]byte
}

// maxHeaderValueBytes is the longest value of a required header that the
// [Handler] compares; a longer one is refused without hashing it. The
// limit is fixed, so refusing says nothing about the accepted values.
const maxHeaderValueBytes = 8 << 10

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
		if headerCheckTrace != nil {
			headerCheckTrace("sum", len(got))
		}
		match := 0
		for j := range rh.hashes {
			match |= subtle.ConstantTimeCompare(sum[:], rh.hashes[j][:])
			if headerCheckTrace != nil {
				headerCheckTrace("compare", j)
			}
		}
		ok &= usable & match
	}
	return ok == 1
}

// headerCheckTrace, when a test sets it, is told of each step of
// authorized: every sum with the length of what it hashed, and every
// comparison. The test checks that the steps are the same whatever the
// guess and wherever it failed.
var headerCheckTrace func(step string, n int)

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

// readAll reads r to the end like io.ReadAll, into buf's memory if it holds
// the size announced, otherwise allocating once when the size is known.
// Failing that the buffer doubles, up to limit+1 bytes: r is a
// MaxBytesReader for limit, so a body over the limit costs about twice the
// limit in allocations and never more than limit+1 bytes of buffer.
func readAll(r io.Reader, sizeHint, limit int64, buf []byte) ([]byte, error) {
	n := int64(512)
	if sizeHint > 0 {
		n = sizeHint + 1 // room for the read that returns io.EOF
	}
	n = min(n, limit+1)
	b := buf[:0]
	if int64(cap(b)) < n {
		b = make([]byte, 0, n)
	}
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
