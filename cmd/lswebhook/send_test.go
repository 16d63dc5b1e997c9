package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSendLikeLabelStudio checks each request send makes against what Label
// Studio 1.23.2 sends (testdata/labelstudio-1.23.2/manifest.json): POST, the
// body unchanged, requests' headers plus the webhook's custom headers, one
// connection per delivery.
func TestSendLikeLabelStudio(t *testing.T) {
	type got struct {
		method, path string
		header       http.Header
		body         []byte
		remote       string
	}
	var mu sync.Mutex
	var reqs []got
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, got{r.Method, r.URL.Path, r.Header.Clone(), body, r.RemoteAddr})
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	files := []string{docs + "tasks-created.json", input + "garbage.bin"}
	r := runCmd(context.Background(), "", "send", "--url", srv.URL+"/hook?x=1", "--header", "Authorization=Basic dXNlcjpwYXNz", "--header", "X-Custom=1", files[0], files[1])
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	wantHeader := map[string]string{
		"User-Agent":      "python-requests/2.34.2",
		"Accept-Encoding": "gzip, deflate",
		"Accept":          "*/*",
		"Connection":      "keep-alive",
		"Content-Type":    "application/json",
		"Authorization":   "Basic dXNlcjpwYXNz",
		"X-Custom":        "1",
	}
	for i, req := range reqs {
		if req.method != http.MethodPost || req.path != "/hook" {
			t.Errorf("request %d: %s %s", i, req.method, req.path)
		}
		for k, v := range wantHeader {
			if g := req.header.Values(k); len(g) != 1 || g[0] != v {
				t.Errorf("request %d: %s: %q, want %q", i, k, g, v)
			}
		}
		want, err := os.ReadFile(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(req.body, want) {
			t.Errorf("request %d: body differs from %s", i, files[i])
		}
		// Label Studio sends Content-Length, never chunked bodies.
		if cl := req.header.Get("Content-Length"); cl != strconv.Itoa(len(want)) {
			t.Errorf("request %d: Content-Length %q for %d bytes", i, cl, len(want))
		}
	}
	if reqs[0].remote == reqs[1].remote {
		t.Errorf("both deliveries came from %s; Label Studio opens a connection per delivery", reqs[0].remote)
	}
	for _, f := range files {
		if !strings.Contains(r.stdout, f+": 204 No Content (") {
			t.Errorf("no 204 line for %s:\n%s", f, r.stdout)
		}
	}
}

// TestSendAnswers covers the answers send reports: a slow receiver (the
// timeout), a refused connection, a gzip-compressed error, a redirect, a
// file that cannot be read, standard input.
func TestSendAnswers(t *testing.T) {
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip, deflate" {
			t.Errorf("Accept-Encoding %q", r.Header.Get("Accept-Encoding"))
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusInternalServerError)
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, "Traceback (most recent call last):\n  boom\n")
		_ = zw.Close()
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ok", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || len(body) == 0 {
			t.Errorf("after the redirect: %s with %d bytes", r.Method, len(body))
		}
		_, _ = io.WriteString(w, "ok")
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)

	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()

	var transcripts []string
	for _, tc := range []struct {
		code  int
		stdin string
		args  []string
	}{
		{1, "", []string{"send", "--url", srv.URL + "/slow", "--timeout", "200ms", docs + "tasks-created.json"}},
		{1, "", []string{"send", "--url", "http://" + closed + "/", docs + "tasks-created.json"}},
		{1, "", []string{"send", "--url", srv.URL + "/gzip", docs + "tasks-created.json"}},
		{0, `{"action": "TASKS_CREATED"}`, []string{"send", "--url", srv.URL + "/moved", "-"}},
		{1, "", []string{"send", "--url", srv.URL + "/ok", "no-such-file.json", docs, docs + "tasks-created.json"}},
	} {
		start := time.Now()
		r := runCmd(context.Background(), tc.stdin, tc.args...)
		if r.code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.args, r.code, tc.code, r.stdout, r.stderr)
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%v took %v", tc.args, took)
		}
		transcripts = append(transcripts, maskPorts(mask(r.transcript())))
	}
	checkGolden(t, "send-answers", strings.Join(transcripts, "\n"))
}

func TestAnswerText(t *testing.T) {
	long := strings.Repeat("é", 400)
	got := answerText([]byte(long), "", "text/plain")
	if !strings.HasSuffix(got, "...") || len(got) > maxShownAnswer+3 || !strings.HasPrefix(got, "éé") {
		t.Errorf("long answer shown as %q", got)
	}
	problem := `{"type":"about:blank","title":"Bad Request","status":400,"detail":"d","errors":[` +
		strings.Repeat(`{"pointer":"/a","message":"m"},`, 11) + `{"pointer":"","message":"root"}]}`
	got = answerText([]byte(problem), "identity", "application/problem+json")
	want := "d\n" + strings.Repeat("  /a: m\n", 10) + "  ... and 2 more"
	if got != want {
		t.Errorf("problem shown as\n%s\nwant\n%s", got, want)
	}
	if got := answerText([]byte("x"), "br", ""); got != "(1 bytes, Content-Encoding br)" {
		t.Errorf("brotli answer shown as %q", got)
	}
}
