package lswebhook_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// Secrets of the header tests; none may appear in any output.
const (
	hdrSecretA   = "alpha-7f3c-SECRET-token"
	hdrSecretOld = "alpha-old-51d0-SECRET"
	hdrSecretB   = "bravo-0c9e-SECRET-token"
)

func hdrHandler(opts ...lswebhook.Option) *lswebhook.Handler {
	return lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		append([]lswebhook.Option{
			lswebhook.WithRequiredHeader("X-Token-A", hdrSecretA, hdrSecretOld),
			lswebhook.WithRequiredHeader("X-Token-B", hdrSecretB),
		}, opts...)...)
}

// hdrReq builds a request with the given header lines, in order; a name
// may repeat.
func hdrReq(lines ...string) *http.Request {
	req := htRequest("POST", `{"action":"PROJECT_DELETED","project":{"id":1}}`)
	for i := 0; i+1 < len(lines); i += 2 {
		req.Header.Add(lines[i], lines[i+1])
	}
	return req
}

// hdrCases are requests that must all be refused with 401, from nothing
// right to everything right but one detail.
func hdrCases() map[string][]string {
	long := strings.Repeat("x", 8<<10-len(hdrSecretA)+1)
	return map[string][]string{
		"no headers":                 {},
		"only A":                     {"X-Token-A", hdrSecretA},
		"only B":                     {"X-Token-B", hdrSecretB},
		"A wrong last byte":          {"X-Token-A", hdrSecretA[:len(hdrSecretA)-1] + "X", "X-Token-B", hdrSecretB},
		"A wrong first byte":         {"X-Token-A", "X" + hdrSecretA[1:], "X-Token-B", hdrSecretB},
		"A prefix":                   {"X-Token-A", hdrSecretA[:5], "X-Token-B", hdrSecretB},
		"A with suffix":              {"X-Token-A", hdrSecretA + "-and-more", "X-Token-B", hdrSecretB},
		"A empty":                    {"X-Token-A", "", "X-Token-B", hdrSecretB},
		"B's secret in A":            {"X-Token-A", hdrSecretB, "X-Token-B", hdrSecretB},
		"both values in one":         {"X-Token-A", hdrSecretA + ", " + hdrSecretOld, "X-Token-B", hdrSecretB},
		"A twice, both right":        {"X-Token-A", hdrSecretA, "X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB},
		"A twice, old and new":       {"X-Token-A", hdrSecretOld, "X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB},
		"A twice, right then wrong":  {"X-Token-A", hdrSecretA, "X-Token-A", "wrong", "X-Token-B", hdrSecretB},
		"A twice, wrong then right":  {"X-Token-A", "wrong", "X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB},
		"B twice":                    {"X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB, "X-Token-B", hdrSecretB},
		"A oversized, secret first":  {"X-Token-A", hdrSecretA + long, "X-Token-B", hdrSecretB},
		"A oversized, 1 MiB":         {"X-Token-A", strings.Repeat(hdrSecretA, (1<<20)/len(hdrSecretA)), "X-Token-B", hdrSecretB},
		"A right, B oversized":       {"X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB + long},
		"A right, B wrong case":      {"X-Token-A", hdrSecretA, "X-Token-B", strings.ToUpper(hdrSecretB)},
		"A right, B with NUL suffix": {"X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB + "\x00"},
	}
}

// TestHeaderRefusals checks that every near miss is refused with a 401
// whose status line, headers and body are byte for byte the same, so that
// nothing tells how much matched, which header failed, or whether a value
// was sent twice or was too long; and that the right headers pass.
func TestHeaderRefusals(t *testing.T) {
	h := hdrHandler()
	var first []byte
	for name, lines := range hdrCases() {
		resp, body := htDo(h, hdrReq(lines...))
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401", name, resp.StatusCode)
			continue
		}
		var dump bytes.Buffer
		resp.Header.Del("Date")
		resp.Header.Write(&dump)
		dump.Write(body)
		if first == nil {
			first = dump.Bytes()
		} else if !bytes.Equal(first, dump.Bytes()) {
			t.Errorf("%s: the 401 differs:\n%s\n---\n%s", name, first, dump.Bytes())
		}
		htAssertNoSecret(t, dump.String(), hdrSecretA, hdrSecretOld, hdrSecretB)
	}
	for _, a := range []string{hdrSecretA, hdrSecretOld} {
		if resp, body := htDo(h, hdrReq("X-Token-A", a, "X-Token-B", hdrSecretB)); resp.StatusCode != 200 {
			t.Errorf("accepted values: status %d: %s", resp.StatusCode, body)
		}
	}
}

// TestHeaderRefusalsOnTheWire sends duplicated and oversized headers as raw
// HTTP/1.1 over loopback, where net/http merges header lines by name
// case-insensitively, and checks the 401s.
func TestHeaderRefusalsOnTheWire(t *testing.T) {
	srv := httptest.NewServer(hdrHandler())
	defer srv.Close()
	body := `{"action":"PROJECT_DELETED","project":{"id":1}}`
	for _, tt := range []struct {
		name    string
		headers string
		status  int
	}{
		{"right", "X-Token-A: " + hdrSecretA + "\r\nX-Token-B: " + hdrSecretB + "\r\n", 200},
		{"right, odd case and spaces", "x-token-a:   " + hdrSecretOld + " \t\r\nX-TOKEN-B:" + hdrSecretB + "\r\n", 200},
		{"duplicated line", "X-Token-A: " + hdrSecretA + "\r\nX-Token-A: " + hdrSecretA + "\r\nX-Token-B: " + hdrSecretB + "\r\n", 401},
		{"duplicated in another case", "X-Token-A: " + hdrSecretA + "\r\nx-token-a: " + hdrSecretOld + "\r\nX-Token-B: " + hdrSecretB + "\r\n", 401},
		{"oversized", "X-Token-A: " + hdrSecretA + strings.Repeat("0", 9000) + "\r\nX-Token-B: " + hdrSecretB + "\r\n", 401},
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n%s", len(body), tt.headers, body)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		b, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, resp.StatusCode, tt.status, b)
		}
	}
}

// TestHeaderRotation checks several accepted values, given in one call or
// several, and that an option used for two handlers configures each on its
// own.
func TestHeaderRotation(t *testing.T) {
	ok := func(h http.Handler, v string) bool {
		resp, _ := htDo(h, hdrReq("X-Token", v))
		return resp.StatusCode == 200
	}
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithRequiredHeader("X-Token", "v1", "v2"),
		lswebhook.WithRequiredHeader("x-token", "v3"))
	for _, v := range []string{"v1", "v2", "v3"} {
		if !ok(h, v) {
			t.Errorf("%s refused", v)
		}
	}
	for _, v := range []string{"v4", "v1v2", "v1,v2", ""} {
		if ok(h, v) {
			t.Errorf("%q accepted", v)
		}
	}

	// Options are values: reusing one must not let a handler accept what
	// another was configured with.
	shared := lswebhook.WithRequiredHeader("X-Token", "s1", "s2", "s3")
	fn := func(context.Context, lswebhook.Event) error { return nil }
	h1 := lswebhook.NewHandler(fn, shared, lswebhook.WithRequiredHeader("X-Token", "only-h1"))
	h2 := lswebhook.NewHandler(fn, shared, lswebhook.WithRequiredHeader("X-Token", "only-h2"))
	for _, tt := range []struct {
		h    http.Handler
		v    string
		want bool
	}{
		{h1, "s1", true}, {h1, "s3", true}, {h1, "only-h1", true}, {h1, "only-h2", false},
		{h2, "s2", true}, {h2, "only-h2", true}, {h2, "only-h1", false},
	} {
		if got := ok(tt.h, tt.v); got != tt.want {
			t.Errorf("handler %s, value %q: accepted %v, want %v", map[bool]string{true: "1", false: "2"}[tt.h == h1], tt.v, got, tt.want)
		}
	}
}

// TestHeaderValueLimit checks the 8 KiB limit on required values: an
// accepted value may be 8 KiB long, a longer one cannot be configured.
func TestHeaderValueLimit(t *testing.T) {
	max := strings.Repeat("k", 8<<10)
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithRequiredHeader("X-Token", max))
	if resp, _ := htDo(h, hdrReq("X-Token", max)); resp.StatusCode != 200 {
		t.Errorf("8 KiB value: status %d", resp.StatusCode)
	}
	if resp, _ := htDo(h, hdrReq("X-Token", max+"k")); resp.StatusCode != 401 {
		t.Errorf("8 KiB + 1 value: status %d", resp.StatusCode)
	}
	htPanics(t, "value over 8 KiB", func() { lswebhook.WithRequiredHeader("X-Token", max+"k") })
}

// TestHeaderWWWAuthenticate checks that a 401 names the scheme of a
// required Authorization value, and that a value without a scheme (the
// secret itself) is never echoed.
func TestHeaderWWWAuthenticate(t *testing.T) {
	for _, tt := range []struct {
		value, want string
	}{
		{lswebhook.BasicAuth("u", "p"), `Basic realm="Label Studio webhook"`},
		{"Bearer " + hdrSecretA, `Bearer realm="Label Studio webhook"`},
		{"Token  " + hdrSecretA, `Token realm="Label Studio webhook"`},
		{hdrSecretA, ""},
		{"Bearer ", ""}, // trimmed to a bare "Bearer": no credentials, not a scheme
		{"a=b " + hdrSecretA, ""},
	} {
		h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
			lswebhook.WithRequiredHeader("Authorization", tt.value))
		resp, body := htDo(h, hdrReq("Authorization", "wrong"))
		if resp.StatusCode != 401 {
			t.Fatalf("%q: status %d", tt.value, resp.StatusCode)
		}
		if got := resp.Header.Get("WWW-Authenticate"); got != tt.want {
			t.Errorf("%q: WWW-Authenticate %q, want %q", tt.value, got, tt.want)
		}
		var dump bytes.Buffer
		resp.Header.Write(&dump)
		dump.Write(body)
		htAssertNoSecret(t, dump.String(), hdrSecretA)
	}
}

// hdrSecretForms returns the secrets in the forms a leak could take: as
// they are, in base64, and their SHA-256 sums (an unsalted sum lets a short
// secret be guessed offline), in hex and as Go prints a byte array.
func hdrSecretForms(secrets ...string) []string {
	var out []string
	for _, s := range secrets {
		sum := sha256.Sum256([]byte(s))
		out = append(out, s, base64.StdEncoding.EncodeToString([]byte(s)), hex.EncodeToString(sum[:]),
			strings.Trim(fmt.Sprint(sum[:4]), "[]"))
	}
	return out
}

// TestHeaderSecretsNotPrinted checks that neither a Handler printed with
// any verb, nor the logs of refused and accepted requests, nor panics of
// bad options show a secret or its sum.
func TestHeaderSecretsNotPrinted(t *testing.T) {
	var logs syncBuffer
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return fmt.Errorf("store down") },
		lswebhook.WithRequiredHeader("X-Token-A", hdrSecretA, hdrSecretOld),
		lswebhook.WithRequiredHeader("X-Token-B", hdrSecretB),
		lswebhook.WithBasicAuth("label-studio", hdrSecretB),
		lswebhook.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	)
	forms := hdrSecretForms(hdrSecretA, hdrSecretOld, hdrSecretB, lswebhook.BasicAuth("label-studio", hdrSecretB))

	var out strings.Builder
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
		fmt.Fprintf(&out, verb+"\n", h)
		fmt.Fprintf(&out, verb+"\n", *h)
	}
	fmt.Fprintln(&out, h, []any{h}, map[string]any{"h": h}, struct{ H *lswebhook.Handler }{h})
	if !strings.Contains(out.String(), "X-Token-A") || !strings.Contains(out.String(), "Authorization") {
		t.Errorf("the printed handler does not name its required headers:\n%s", out.String())
	}
	for _, f := range forms {
		if strings.Contains(out.String(), f) {
			t.Errorf("printing the handler shows %q:\n%s", f, out.String())
		}
	}

	auth := lswebhook.BasicAuth("label-studio", hdrSecretB)
	for name, lines := range hdrCases() {
		htDo(h, hdrReq(append(lines, "Authorization", auth)...))
		_ = name
	}
	// Accepted, and refused after the header check (415, 413, 400, 500).
	right := []string{"X-Token-A", hdrSecretA, "X-Token-B", hdrSecretB, "Authorization", auth}
	htDo(h, hdrReq(right...))
	req := hdrReq(right...)
	req.Header.Set("Content-Type", "text/plain")
	htDo(h, req)
	htDo(h, htRequest("POST", `{"action":`, right...))
	htDo(h, htRequest("GET", ``, right...))
	logged := logs.String()
	if strings.Count(logged, "\n") < len(hdrCases())+4 {
		t.Errorf("fewer log records than requests:\n%s", logged)
	}
	for _, f := range forms {
		if strings.Contains(logged, f) {
			t.Errorf("the log shows %q:\n%.3000s", f, logged)
		}
	}

	// Panics of invalid options name the header, never the value.
	for _, v := range []string{"ctl\x01" + hdrSecretA, strings.Repeat(hdrSecretA, 400)} {
		func() {
			defer func() {
				msg := fmt.Sprint(recover())
				if !strings.Contains(msg, "X-Token") {
					t.Errorf("panic %q does not name the header", msg)
				}
				if strings.Contains(msg, hdrSecretA) {
					t.Errorf("panic shows the value: %.200q", msg)
				}
			}()
			lswebhook.WithRequiredHeader("X-Token", v)
		}()
	}
}
