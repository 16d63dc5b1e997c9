package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/seed-d2dfa170/lswebhook"
)

// okBody is the body of a 200 answer, as the library's handler writes it.
const okBody = `{"status":"ok"}` + "\n"

// retryAfterSeconds is the Retry-After of a 503 answer.
const retryAfterSeconds = 5

// ServeHTTP stores one delivery and answers as the package documentation
// says: 2xx only after the delivery is committed.
func (in *Inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := in.req.read(r)
	if err != nil {
		lswebhook.WriteError(w, err)
		status := http.StatusInternalServerError
		var re *lswebhook.RequestError
		if errors.As(err, &re) {
			status = re.Status
		}
		in.log.LogAttrs(r.Context(), slog.LevelWarn, "inbox: delivery refused",
			slog.Int("status", status), slog.String("detail", err.Error()), slog.String("remote", r.RemoteAddr))
		return
	}
	args := deliveryArgs{ReceivedAt: start.UTC(), Headers: storedHeaders(r.Header, in.secrets)}
	args.setBody(body)
	ev, decErr := in.cfg.Decoder.Decode(body)
	var job river.JobArgs
	opts := &river.InsertOpts{}
	if decErr != nil {
		args.Problems = problems(decErr)
		sum := sha256.Sum256(body)
		args.Key = "quarantine:" + hex.EncodeToString(sum[:])
		opts.Queue = QueueQuarantine
		opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
		job = quarantineArgs(args)
	} else {
		args.Action = string(ev.Action())
		args.Key = in.cfg.KeyFunc(ev)
		opts.Queue = QueueDeliveries
		if args.Key != "" {
			opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
		}
		if validTag(args.Action) {
			opts.Tags = []string{args.Action}
		}
		job = args
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), in.cfg.AckTimeout)
	res, err := in.ins.insert(ctx, job, opts)
	cancel()
	if err != nil {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		writeProblem(w, http.StatusServiceUnavailable, "the delivery could not be stored; it was not accepted", nil)
		in.log.LogAttrs(r.Context(), slog.LevelError, "inbox: DELIVERY NOT STORED, answered 503",
			slog.String("action", args.Action), slog.String("key", args.Key),
			slog.Any("error", err), slog.Duration("duration", time.Since(start)))
		return
	}
	dup := res.UniqueSkippedAsDuplicate
	if dup {
		w.Header().Set("Inbox-Duplicate", "true")
	}
	if decErr != nil {
		writeProblem(w, http.StatusBadRequest, "the body does not decode; it was stored in quarantine", args.Problems)
		in.log.LogAttrs(r.Context(), slog.LevelWarn, "inbox: delivery quarantined",
			slog.Int64("id", res.Job.ID), slog.Bool("duplicate", dup),
			slog.Any("error", decErr), slog.Duration("duration", time.Since(start)))
		return
	}
	writeBody(w, http.StatusOK, "application/json", []byte(okBody))
	in.log.LogAttrs(r.Context(), slog.LevelDebug, "inbox: delivery stored",
		slog.Int64("id", res.Job.ID), slog.String("action", args.Action),
		slog.String("key", args.Key), slog.Bool("duplicate", dup),
		slog.Int("bytes", len(body)), slog.Duration("duration", time.Since(start)))
}

// problems lists the problems of a decoding error, one per line of text.
func problems(err error) []string {
	var ve *lswebhook.ValidationError
	if errors.As(err, &ve) {
		out := make([]string, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			out = append(out, p.String())
		}
		return out
	}
	return []string{err.Error()}
}

// maxProblemsAnswered caps the problems a 400 answer lists.
const maxProblemsAnswered = 100

// writeProblem writes an RFC 9457 problem.
func writeProblem(w http.ResponseWriter, status int, detail string, errs []string) {
	if len(errs) > maxProblemsAnswered {
		errs = errs[:maxProblemsAnswered]
	}
	b, _ := json.Marshal(struct {
		Type   string   `json:"type"`
		Title  string   `json:"title"`
		Status int      `json:"status"`
		Detail string   `json:"detail"`
		Errors []string `json:"errors,omitempty"`
	}{"about:blank", http.StatusText(status), status, detail, errs})
	writeBody(w, status, "application/problem+json", b)
}

// writeBody writes an answer with its Content-Type and Content-Length.
func writeBody(w http.ResponseWriter, status int, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// validTag reports whether s can be a River tag: letters, digits, _ and -,
// starting and ending with a letter or digit, at most 255 bytes.
func validTag(s string) bool {
	if len(s) < 2 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
		if !alnum && (c != '-' || i == 0 || i == len(s)-1) {
			return false
		}
	}
	return true
}
