package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var listeningRE = regexp.MustCompile(`^listening on http://(127\.0\.0\.1:\d+)/\n`)

// startListen runs "lswebhook listen" in-process on a free loopback port
// and returns its address, its output, and a function that stops it and
// returns its exit status.
func startListen(t *testing.T, args ...string) (addr string, stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = new(syncBuffer), new(syncBuffer)
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, append([]string{"listen", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), stdout, stderr)
	}()
	stopped := false
	var code int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case code = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("listen did not stop after its context was cancelled")
			}
		}
		return code
	}
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listeningRE.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], stdout, stderr, stop
		}
		select {
		case code := <-done:
			t.Fatalf("listen exited with %d before listening: %s%s", code, stdout, stderr)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatalf("listen did not print its address: %q", stdout.String())
	return "", nil, nil, nil
}

// TestListenSend sends fixtures with "lswebhook send" to "lswebhook listen"
// on loopback: valid payloads, invalid ones, garbage, a missing header, a
// body over the limit, a wrong method and content type. It checks both
// outputs and the saved files.
func TestListenSend(t *testing.T) {
	dir := t.TempDir()
	save := filepath.Join(dir, "saved")
	if err := os.Mkdir(save, 0o755); err != nil {
		t.Fatal(err)
	}
	// A file from an earlier session: numbering continues after it.
	if err := os.WriteFile(filepath.Join(save, "0007-TASKS_CREATED.json"), []byte(`{"action": "TASKS_CREATED"}`), 0o600); err != nil {
		t.Fatal(err)
	}

	addr, lout, lerr, stop := startListen(t, "--header", "X-Token=s3cret", "--header", "X-Token=rotated", "--save", save, "--max-body", "4000")
	url := "http://" + addr + "/hook"

	var transcripts []string
	send := func(wantCode int, args ...string) {
		t.Helper()
		r := runCmd(context.Background(), "", append([]string{"send", "--url", url}, args...)...)
		if r.code != wantCode {
			t.Errorf("send %v: exit %d, want %d\n%s%s", args, r.code, wantCode, r.stdout, r.stderr)
		}
		transcripts = append(transcripts, maskPorts(mask(r.transcript(), dir)))
	}
	sent := []string{docs + "tasks-created.json", valid + "start-training.json", valid + "task-deleted-docs-spelling.json", input + "hostile.json", input + "drift.json"}
	send(0, append([]string{"--header", "X-Token=s3cret"}, sent...)...)
	refused := []string{invalid + "annotation-id-string.json", invalid + "syntax-truncated.json", input + "garbage.bin", input + "empty.json"}
	send(1, append([]string{"--header", "X-Token=rotated"}, refused...)...)
	send(1, docs+"tasks-created.json")                                                                      // no header: 401
	send(1, "--header", "X-Token=wrong", docs+"tasks-created.json")                                         // wrong value: 401
	send(1, "--header", "X-Token=s3cret", valid+"annotations-created.json")                                 // 6,049 bytes: 413
	send(1, "--header", "X-Token=s3cret", "--header", "Content-Type=text/plain", docs+"tasks-created.json") // 415

	resp, err := http.Get(url) // 405
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}

	if code := stop(); code != 0 {
		t.Errorf("listen: exit %d, want 0", code)
	}
	checkGolden(t, "listen-send.send", strings.Join(transcripts, "\n"))
	listen := result{
		args:   []string{"listen", "--addr", "127.0.0.1:0", "--header", "X-Token=s3cret", "--header", "X-Token=rotated", "--save", save, "--max-body", "4000"},
		stdout: lout.String(),
		stderr: lerr.String(),
	}
	checkGolden(t, "listen-send.listen", maskPorts(mask(listen.transcript(), dir)))

	// Saved: every body the handler read, byte for byte, numbered after the
	// file that was there; not the refused requests it did not read.
	want := map[string]string{
		"0007-TASKS_CREATED.json":              "",
		"0008-TASKS_CREATED.json":              sent[0],
		"0009-START_TRAINING.json":             sent[1],
		"0010-TASKS_DELETED.json":              sent[2],
		"0011-_2J_31mPWNED_.json":              sent[3],
		"0012-PROJECT_CREATED.json":            sent[4],
		"0013-ANNOTATION_CREATED-invalid.json": refused[0],
		"0014-invalid.json":                    refused[1],
		"0015-invalid.json":                    refused[2],
		"0016-invalid.json":                    refused[3],
	}
	entries, err := os.ReadDir(save)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		src, ok := want[e.Name()]
		if !ok {
			t.Errorf("unexpected saved file %s", e.Name())
			continue
		}
		if src == "" {
			continue
		}
		got, err := os.ReadFile(filepath.Join(save, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		orig, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, orig) {
			t.Errorf("%s differs from %s", e.Name(), src)
		}
		if fi, err := e.Info(); err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; saved bodies hold secrets and must be private", e.Name(), fi.Mode().Perm())
		}
	}
	if len(names) != len(want) {
		t.Errorf("saved %v, want %d files", names, len(want))
	}
}

// TestListenConcurrent sends deliveries in parallel: each is printed whole
// and saved once under its own number.
func TestListenConcurrent(t *testing.T) {
	save := t.TempDir()
	addr, lout, _, stop := startListen(t, "--save", save)
	const n = 20
	errs := make(chan error, n)
	body, err := os.ReadFile(docs + "tasks-created.json")
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		go func() {
			resp, err := http.Post("http://"+addr+"/", "application/json", bytes.NewReader(body))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = &statusError{resp.StatusCode}
				}
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("listen: exit %d", code)
	}
	out := lout.String()
	if got := strings.Count(out, " 200 TASKS_CREATED ok\n  3 tasks (21, 22, 23), project 2\n  saved "); got != n {
		t.Errorf("%d whole delivery reports, want %d:\n%s", got, n, out)
	}
	entries, err := os.ReadDir(save)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Errorf("%d files saved, want %d", len(entries), n)
	}
	if !strings.HasSuffix(out, "stopped after 20 deliveries\n") {
		t.Errorf("output does not end with the count: %q", out[max(0, len(out)-80):])
	}
}

type statusError struct{ code int }

func (e *statusError) Error() string { return http.StatusText(e.code) }
