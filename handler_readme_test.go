package lswebhook_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// readmeReceiver returns the Go program of the README's HTTP section.
func readmeReceiver(t *testing.T) string {
	t.Helper()
	readme := string(readFile(t, "README.md"))
	start := strings.Index(readme, "<!-- BEGIN http")
	end := strings.Index(readme, "<!-- END http -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no http section")
	}
	section := readme[start:end]
	i := strings.Index(section, "```go\n")
	if i < 0 {
		t.Fatal("the http section has no Go block")
	}
	code := section[i+len("```go\n"):]
	code = code[:strings.Index(code, "```")]
	if !strings.HasPrefix(code, "package main\n") {
		t.Fatal("the first Go block of the http section is not a program")
	}
	return code
}

// TestREADMEReceiver builds the README's receiver with the go command, runs
// it on a free port and delivers a captured payload to it.
func TestREADMEReceiver(t *testing.T) {
	code := readmeReceiver(t)
	if n := strings.Count(code, "\n"); n >= 25 {
		t.Errorf("the README's receiver has %d lines; keep it under 25", n)
	}
	if testing.Short() {
		t.Skip("builds a program")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	const listen = `"127.0.0.1:8080"`
	if !strings.Contains(code, listen) {
		t.Fatalf("the receiver does not listen on %s", listen)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(strings.Replace(code, listen, `"`+addr+`"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "receiver")
	build := exec.Command(gocmd, "build", "-o", bin, src) // in this module, so it uses this package
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	auth := lswebhook.BasicAuth("label-studio", "readme-pass")
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "WEBHOOK_AUTH="+auth)
	var output syncBuffer
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	url := "http://" + addr + "/"
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the receiver did not start: %v\n%s", err, output.String())
		}
		time.Sleep(20 * time.Millisecond)
	}

	body := readFile(t, htCapture(t, "ANNOTATION_CREATED-project"))
	resp := htPost(t, http.DefaultClient, url, body, map[string]string{"Authorization": auth})
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("delivery: status %d", resp.StatusCode)
	}
	resp = htPost(t, http.DefaultClient, url, body, map[string]string{"Authorization": lswebhook.BasicAuth("label-studio", "guess")})
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong password: status %d", resp.StatusCode)
	}
	for !strings.Contains(output.String(), "results") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(output.String(), "annotation ") {
		t.Errorf("the receiver printed:\n%s", output.String())
	}
	t.Logf("the receiver printed: %s", output.String())
}
