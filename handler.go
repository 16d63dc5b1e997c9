package lswebhook

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// A Handler is an [http.Handler] that receives Label Studio webhook
// deliveries: it checks and decodes each request as [DecodeRequest] does
// and calls a function with the [Event]. Build one with [NewHandler]; a
// Mux's Dispatch method is the usual function:
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
	fn func(context.Context, Event) error
	config
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

// NewHandler returns a [Handler] that calls fn with each event it decodes.
// fn is usually a [Mux]'s Dispatch method; a plain function with a type
// switch works too. With no options the handler decodes with the zero
// [Decoder], limits bodies to [DefaultMaxBodyBytes], requires no header and
// does not log.
//
// NewHandler compiles the bundled schemas (see [Warm]) before it returns, so
// the first delivery costs what later ones do. It panics if fn is nil or an
// option is invalid (see each option): these are programming errors, found
// at start-up.
func NewHandler(fn func(context.Context, Event) error, opts ...Option) *Handler {
	if fn == nil {
		panic("lswebhook: NewHandler: nil function")
	}
	h := &Handler{fn: fn, config: newConfig(opts)}
	if err := Warm(); err != nil {
		panic("lswebhook: NewHandler: " + err.Error())
	}
	return h
}

// ServeHTTP handles one delivery as described for [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var start time.Time
	if h.log != nil {
		start = time.Now()
	}
	// The body is read into a pooled buffer: neither the event nor the
	// error shares memory with it, so it goes back to the pool once the
	// delivery is answered, whatever fn keeps.
	buf := getBodyBuffer()
	defer putBodyBuffer(buf)
	ev, err := h.decodeInto(w, r, buf)
	if err != nil {
		h.refuse(w, r, problemFor(err))
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
			slog.Int("bytes", len(ev.Raw())),
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
