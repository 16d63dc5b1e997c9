package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// The settings of the handler under FuzzHandler.
const (
	fzTokenNew   = "fz-new-3b1e-SECRET"
	fzTokenOld   = "fz-old-77c0-SECRET"
	fzLimit      = 64 << 10
	fzSmallLimit = 256
)

// Bits of FuzzHandler's flags argument.
const (
	fzTokenTwice = 1 << iota // send the token header twice
	fzNoToken                // send no token header
	fzNoLength               // hide the body's length (as a chunked body does)
	fzSmall                  // limit bodies to fzSmallLimit bytes
	fzStrict                 // decode with DisallowUnknownActions
	fzFail                   // the event function returns an error
)

// fzStatuses is the table of statuses the Handler documents.
var fzStatuses = map[int]bool{200: true, 400: true, 401: true, 405: true, 413: true, 415: true, 500: true}

// FuzzHandler sends arbitrary requests (method, Content-Type,
// Content-Encoding, a required token header, body, and flags for a
// duplicated or missing token, an unannounced length, a small limit, a
// strict decoder and a failing function) through the Handler. It checks
// that nothing panics, that each answer comes within a bounded time, has a
// status from the documented table and is the status an independent
// reading of the documented checks predicts; that refusals carry an RFC
// 9457 problem whose type names the Decode error; that no answer shows a
// secret; and that an accepted body reached the function once, as the
// event Decode makes of it, and re-encodes to an equal event.
func FuzzHandler(f *testing.F) {
	// Seeds: the payloads up to 8 KiB (FuzzDecode has the large ones; small
	// inputs keep the executions many) and the adversarial files.
	var seeds [][]byte
	adv, _ := filepath.Glob("testdata/adversarial/*.json")
	for _, p := range append(htFiles(f, htDirs...), adv...) {
		if fi, err := os.Stat(p); err == nil && fi.Size() <= 8<<10 {
			seeds = append(seeds, readFile(f, p))
		}
	}
	for i, b := range seeds {
		f.Add("POST", "application/json", "", fzTokenNew, uint8(0), b)
		if i%8 == 0 {
			f.Add("POST", "application/json; charset=utf-8", "identity", fzTokenOld, uint8(fzNoLength|fzStrict), b)
		}
	}
	valid := []byte(`{"action":"PROJECT_DELETED","project":{"id":1}}`)
	f.Add("GET", "application/json", "", fzTokenNew, uint8(0), []byte(nil))
	f.Add("POST", "application/json", "", fzTokenNew, uint8(fzTokenTwice), valid)
	f.Add("POST", "application/json", "", "", uint8(fzNoToken), valid)
	f.Add("POST", "application/json", "", fzTokenNew+"x", uint8(0), valid)
	f.Add("POST", "text/plain", "", fzTokenNew, uint8(0), valid)
	f.Add("POST", "application/json; charset=latin1", "", fzTokenNew, uint8(0), valid)
	f.Add("POST", "application/json", "gzip, identity", fzTokenNew, uint8(0), valid)
	f.Add("POST", "application/json", "", fzTokenNew, uint8(fzSmall), htPadded(fzSmallLimit+1))
	f.Add("POST", "application/json", "", fzTokenNew, uint8(fzSmall|fzNoLength), htPadded(fzSmallLimit))
	f.Add("POST", "application/json", "", fzTokenNew, uint8(fzFail), valid)
	f.Add("POST", "application/json", "", fzTokenNew, uint8(fzStrict), []byte(`{"action":"NEW_THING"}`))
	f.Add("POST", "application/json", "", fzTokenNew, uint8(0), []byte(`{"action":"ANNOTATION_CREATED","annotation":{"id":"x"}}`))

	f.Fuzz(func(t *testing.T, method, contentType, contentEncoding, token string, flags uint8, body []byte) {
		limit := int64(fzLimit)
		if flags&fzSmall != 0 {
			limit = fzSmallLimit
		}
		dec := lswebhook.Decoder{DisallowUnknownActions: flags&fzStrict != 0}
		var calls []lswebhook.Event
		h := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
			calls = append(calls, ev)
			if flags&fzFail != 0 {
				return errors.New("fuzz: the function fails")
			}
			return nil
		}, lswebhook.WithRequiredHeader("X-Token", fzTokenNew, fzTokenOld),
			lswebhook.WithMaxBodyBytes(limit), lswebhook.WithDecoder(&dec))

		req := httptest.NewRequest("POST", "/webhook", bytes.NewReader(body))
		req.Method = method // any string: the handler must cope with what a server passes on
		req.Header = http.Header{"Content-Type": {contentType}}
		if contentEncoding != "" {
			req.Header["Content-Encoding"] = []string{contentEncoding}
		}
		switch {
		case flags&fzNoToken != 0:
		case flags&fzTokenTwice != 0:
			req.Header["X-Token"] = []string{token, token}
		default:
			req.Header["X-Token"] = []string{token}
		}
		if flags&fzNoLength != 0 {
			req.Body = io.NopCloser(chunked{bytes.NewReader(body)})
			req.ContentLength = -1
		}
		start := time.Now()
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, req)
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("the request took %v", d)
		}
		resp := rr.Result()
		got, _ := io.ReadAll(resp.Body)

		// The status an independent reading of the documented checks predicts.
		decoded, decErr := dec.Decode(body)
		want := 0
		switch {
		case method != http.MethodPost:
			want = 405
		case flags&(fzNoToken|fzTokenTwice) != 0 || (token != fzTokenNew && token != fzTokenOld):
			want = 401
		case !fzAcceptableType(contentType, contentEncoding):
			want = 415
		case int64(len(body)) > limit:
			want = 413
		case decErr != nil:
			want = 400
		case flags&fzFail != 0:
			want = 500
		default:
			want = 200
		}
		if !fzStatuses[resp.StatusCode] {
			t.Fatalf("status %d is not in the documented table", resp.StatusCode)
		}
		if resp.StatusCode != want {
			t.Fatalf("status %d, want %d (Decode: %v): %s", resp.StatusCode, want, decErr, got)
		}
		for _, s := range []string{fzTokenNew, fzTokenOld} {
			if strings.Contains(string(got), s) && !strings.Contains(contentType+contentEncoding+string(body), s) {
				t.Fatalf("the answer shows a secret: %s", got)
			}
		}
		if (len(calls) == 1) != (want == 200 || want == 500) || len(calls) > 1 {
			t.Fatalf("the function was called %d times for a %d", len(calls), want)
		}

		if want == 200 {
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" || string(got) != "{\"status\":\"ok\"}\n" {
				t.Fatalf("200 with %s: %q", ct, got)
			}
			ev := calls[0]
			if diff := cmp.Diff(decoded, ev, lswebhooktest.CmpOptions()); diff != "" {
				t.Fatalf("the function got another event than Decode makes (-Decode +function):\n%s", diff)
			}
			if !bytes.Equal(ev.Raw(), body) {
				t.Fatalf("Raw differs from the body")
			}
			out, err := json.Marshal(ev)
			if err != nil {
				t.Fatalf("Marshal of an accepted %T: %v", ev, err)
			}
			again, err := dec.Decode(out)
			if err != nil {
				t.Fatalf("an accepted body re-encodes to a refused one: %v\nbody: %q\nre-encoded: %s", err, body, out)
			}
			if diff := cmp.Diff(ev, again, lswebhooktest.CmpOptions()); diff != "" {
				t.Fatalf("the re-encoded event differs (-first +second):\n%s", diff)
			}
			return
		}

		// A refusal: an RFC 9457 problem with the documented members.
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Fatalf("%d with Content-Type %q", resp.StatusCode, ct)
		}
		var p htProblem
		jd := json.NewDecoder(bytes.NewReader(got))
		jd.DisallowUnknownFields()
		if err := jd.Decode(&p); err != nil || jd.More() {
			t.Fatalf("the problem body is not one problem object (%v): %q", err, got)
		}
		if p.Status != resp.StatusCode || p.Title == "" || p.Detail == "" || p.Type == "" {
			t.Fatalf("problem %+v for a %d", p, resp.StatusCode)
		}
		switch want {
		case 405:
			if resp.Header.Get("Allow") != "POST" {
				t.Fatalf("405 without Allow: POST")
			}
		case 413:
			if p.MaxBytes != limit {
				t.Fatalf("413 with max_bytes %d, want %d", p.MaxBytes, limit)
			}
		case 400:
			if wantType := fzProblemType(t, decErr); p.Type != wantType {
				t.Fatalf("400 of type %s, want %s for %v", p.Type, wantType, decErr)
			}
		}
		if want != 400 && p.Type != "about:blank" {
			t.Fatalf("%d of type %s", want, p.Type)
		}
	})
}

// fzAcceptableType reports whether the handler's documentation accepts a
// request with this Content-Type and Content-Encoding: application/json,
// parameters allowed, charset only utf-8, and no coding but identity.
func fzAcceptableType(contentType, contentEncoding string) bool {
	for _, c := range strings.Split(contentEncoding, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
			return false
		}
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return false
	}
	cs, ok := params["charset"]
	return !ok || strings.EqualFold(cs, "utf-8") || strings.EqualFold(cs, "utf8")
}

// fzProblemType returns the problem type of a 400 for a Decode error, and
// fails if the error is not one of the typed errors Decode documents.
func fzProblemType(t *testing.T, err error) string {
	kind := errorKind(err)
	if kind == "" {
		t.Fatalf("untyped Decode error %T: %v", err, err)
	}
	return "https://pkg.go.dev/github.com/seed-d2dfa170/lswebhook#" + kind
}
