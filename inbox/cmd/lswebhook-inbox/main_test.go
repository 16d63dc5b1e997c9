package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/inbox"
)

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "labelstudio-1.23.2", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runCmd runs the command and returns its status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestCommand stores deliveries in an SQLite inbox (one valid, one that a
// strict decoder quarantines) and works on them with each subcommand.
func TestCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "inbox.db")
	in, err := inbox.Open(context.Background(), db, inbox.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{fixture(t, "023-ANNOTATION_UPDATED-org.json"), []byte(`{"action":"ANNOTATION_UPDATED","annotation":{"id":"x"}}`)} {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		in.ServeHTTP(w, r)
	}
	if err := in.Close(context.Background()); err != nil {
		t.Fatal(err)
	}

	code, out, _ := runCmd(t, "-db", db, "stats")
	if code != 0 || !regexp.MustCompile(`(?m)^pending\s+1$`).MatchString(out) || !regexp.MustCompile(`(?m)^quarantined\s+1$`).MatchString(out) {
		t.Errorf("stats: %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "-db", db, "list", "-state", "quarantined")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "quarantined") {
		t.Fatalf("list quarantined: %d\n%s", code, out)
	}
	qid := strings.Fields(lines[1])[0]
	code, out, _ = runCmd(t, "-db", db, "show", qid)
	if code != 0 || !strings.Contains(out, `"Problems"`) || !strings.Contains(out, `/annotation/id`) {
		t.Errorf("show: %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(t, "-db", db, "retry", qid); code != 1 || !strings.Contains(errOut, "still does not decode") {
		t.Errorf("retry of an invalid body: %d %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "-db", db, "purge"); code != 2 {
		t.Errorf("purge without a filter: status %d, want 2", code)
	}
	if code, _, _ := runCmd(t, "-db", db, "list", "-state", "nonsense"); code != 2 {
		t.Errorf("list with an unknown state: status %d, want 2", code)
	}
	code, out, _ = runCmd(t, "-db", db, "purge", "-state", "quarantined")
	if code != 0 || out != "purged 1\n" {
		t.Errorf("purge: %d %q", code, out)
	}
	code, out, _ = runCmd(t, "-db", db, "purge", "-action", "ANNOTATION_UPDATED", "-before", "0s")
	if code != 0 || out != "purged 1\n" {
		t.Errorf("purge by action: %d %q", code, out)
	}
	code, out, _ = runCmd(t, "-db", db, "list")
	if code != 0 || strings.Count(out, "\n") != 1 {
		t.Errorf("list after purges: %d\n%s", code, out)
	}
	if code, _, _ := runCmd(t, "-db", db, "show", "999999"); code != 1 {
		t.Errorf("show of a missing id: status %d, want 1", code)
	}
}
