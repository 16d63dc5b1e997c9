package main

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestDurable builds and runs the program on SQLite as the README says,
// sends it a recorded delivery and checks that it answers, processes the
// delivery after answering, refuses a request without the password, and
// exits cleanly on SIGTERM.
func TestDurable(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "durable")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-db", "sqlite:"+filepath.Join(dir, "inbox.db"), "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "WEBHOOK_PASSWORD=s3cret")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitLine := func(re *regexp.Regexp) []string {
		t.Helper()
		timeout := time.After(90 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("program ended before logging %v", re)
				}
				if m := re.FindStringSubmatch(l); m != nil {
					return m
				}
			case <-timeout:
				t.Fatalf("no log line matching %v", re)
			}
		}
	}
	addr := waitLine(regexp.MustCompile(`durable: listening addr=(\S+) db=sqlite`))[1]

	body, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "labelstudio-1.23.2", "017-ANNOTATION_CREATED-org.json"))
	if err != nil {
		t.Fatal(err)
	}
	send := func(auth string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := send(""); c != http.StatusUnauthorized {
		t.Errorf("without the password: %d, want 401", c)
	}
	if c := send(lswebhook.BasicAuth("labelstudio", "s3cret")); c != http.StatusOK {
		t.Fatalf("with the password: %d, want 200", c)
	}
	m := waitLine(regexp.MustCompile(`annotation created.*`))
	if !strings.Contains(m[0], "ANNOTATION_CREATED") {
		t.Errorf("log line %q does not name the event", m[0])
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	go func() {
		for range lines {
		}
	}()
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
}
