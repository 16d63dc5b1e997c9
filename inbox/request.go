package inbox

import (
	"net/http"

	"github.com/seed-d2dfa170/lswebhook"
)

// requestReader checks requests with the library's checks (method,
// required headers, content type, size) and returns their bodies exactly
// as received; a refusal is an *lswebhook.RequestError, answered with
// lswebhook.WriteError.
type requestReader struct {
	opts []lswebhook.Option
}

// newRequestReader returns a reader that checks requests with opts.
func newRequestReader(opts []lswebhook.Option) *requestReader {
	return &requestReader{opts: append([]lswebhook.Option(nil), opts...)}
}

// read checks r and returns its body. A body that does not decode is
// returned with a nil error: deciding about it is the caller's business.
func (rr *requestReader) read(r *http.Request) ([]byte, error) {
	return lswebhook.ReadRequest(r, rr.opts...)
}
