package inbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// waitLimit bounds every wait for background work: generous, for a loaded
// 2-core machine. Tests assert on outcomes, never on how long they took.
const waitLimit = 90 * time.Second

// postgresURL returns the URL of the test PostgreSQL server. Without one
// the test is skipped, except in CI (CI=true), where it fails.
func postgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("INBOX_POSTGRES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("INBOX_POSTGRES_URL is not set; in CI the PostgreSQL tests must run (start it with inbox/scripts/postgres.sh)")
		}
		t.Skip("INBOX_POSTGRES_URL is not set; start a server with inbox/scripts/postgres.sh")
	}
	return u
}

// freshPostgres creates an empty database on the test server and returns
// its URL; it is dropped when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := postgresURL(t)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "inbox_t_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// forEachDriver runs f as a subtest on a fresh SQLite file and on a fresh
// PostgreSQL database.
func forEachDriver(t *testing.T, f func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) {
		f(t, "sqlite:"+filepath.Join(t.TempDir(), "inbox.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, freshPostgres(t))
	})
}

// testConfig returns a Config with quick polling and retries.
func testConfig() Config {
	return Config{
		PollInterval: 20 * time.Millisecond,
		Backoff:      func(int) time.Duration { return 10 * time.Millisecond },
		JobTimeout:   10 * time.Second,
	}
}

// openTest opens an inbox, starts its workers if it has a Mux, and closes
// it at the end of the test.
func openTest(t *testing.T, dbURL string, cfg Config) *Inbox {
	t.Helper()
	ctx := context.Background()
	in, err := Open(ctx, dbURL, cfg)
	if err != nil {
		t.Fatalf("Open(%s): %v", dbURL, err)
	}
	if cfg.Mux != nil {
		if err := in.Start(ctx); err != nil {
			t.Fatalf("Start: %v", err)
		}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
		defer cancel()
		if err := in.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return in
}

// post sends body to h as Label Studio does and returns the answer.
func post(h http.Handler, body []byte, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "python-requests/2.32.3")
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// fixture reads a delivery recorded from a real Label Studio 1.23.2.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "labelstudio-1.23.2", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitFor polls cond until it holds, failing the test after waitLimit.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitStats waits until the inbox's counts of the states in want are
// those, and returns all counts.
func waitStats(t *testing.T, in *Inbox, want map[State]int) map[State]int {
	t.Helper()
	var got map[State]int
	waitFor(t, "stats "+statsString(want), func() bool {
		var err error
		got, err = in.Stats(context.Background())
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		for s, n := range want {
			if got[s] != n {
				return false
			}
		}
		return true
	})
	return got
}

func statsString(m map[State]int) string {
	var sb strings.Builder
	for _, s := range States {
		if n, ok := m[s]; ok {
			fmt.Fprintf(&sb, "%s=%d ", s, n)
		}
	}
	return sb.String()
}

// counter counts calls per key, safely from several goroutines.
type counter struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *counter) add(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]int{}
	}
	c.m[k]++
	return c.m[k]
}

func (c *counter) get(k string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[k]
}

func (c *counter) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.m {
		n += v
	}
	return n
}

// req returns a POST of body with a JSON content type.
func req(body []byte) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// newRecorder returns a response recorder.
func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
