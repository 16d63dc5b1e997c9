package inbox

// This file is the inbox's only dependency on how the library checks a
// request. It stands in for lswebhook.ReadRequest until the library has it:
// it runs the library's own Handler (with validation off) over the request
// and keeps the body it read, so the checks and answers are the library's.

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/seed-d2dfa170/lswebhook"
)

// requestReader checks requests as an [lswebhook.Handler] with the same
// options does.
type requestReader struct {
	h *lswebhook.Handler
}

// newRequestReader returns a reader that checks requests with opts.
func newRequestReader(opts []lswebhook.HandlerOption) *requestReader {
	all := append(append([]lswebhook.HandlerOption(nil), opts...),
		lswebhook.WithDecoder(&lswebhook.Decoder{SkipValidation: true}))
	return &requestReader{h: lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil }, all...)}
}

// requestError is a refused request: the answer the library's handler gave.
type requestError struct {
	status int
	header http.Header
	body   []byte
}

// Error describes the refusal.
func (e *requestError) Error() string {
	return "inbox: request refused with status " + http.StatusText(e.status)
}

// write sends the refusal.
func (e *requestError) write(w http.ResponseWriter) {
	for k, v := range e.header {
		w.Header()[k] = v
	}
	w.WriteHeader(e.status)
	_, _ = w.Write(e.body)
}

// read checks r and returns its body exactly as received, or a
// *requestError. A body that is read in full but does not decode is
// returned with a nil error: deciding about it is the caller's business.
func (rr *requestReader) read(r *http.Request) ([]byte, error) {
	tee := &teeBody{r: r.Body}
	r2 := r.Clone(r.Context())
	r2.Body = tee
	rec := &recorder{header: make(http.Header)}
	rr.h.ServeHTTP(rec, r2)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status == http.StatusOK || rec.status == http.StatusBadRequest && tee.eof {
		return tee.buf.Bytes(), nil
	}
	return nil, &requestError{status: rec.status, header: rec.header, body: rec.body.Bytes()}
}

// teeBody keeps what is read from a body and whether its end was reached.
type teeBody struct {
	r   io.ReadCloser
	buf bytes.Buffer
	eof bool
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf.Write(p[:n])
	if err == io.EOF {
		t.eof = true
	}
	return n, err
}

func (t *teeBody) Close() error { return t.r.Close() }

// recorder is a ResponseWriter that keeps the answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
