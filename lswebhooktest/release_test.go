package lswebhooktest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

func TestReleases(t *testing.T) {
	rs := lswebhooktest.Releases()
	if len(rs) < 2 {
		t.Fatalf("%d releases", len(rs))
	}
	if rs[len(rs)-1].Version != lswebhooktest.DefaultRelease {
		t.Errorf("DefaultRelease %s is not the newest release %s", lswebhooktest.DefaultRelease, rs[len(rs)-1].Version)
	}
	version := regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	for _, r := range rs {
		if !version.MatchString(r.RequestsVersion) || !strings.HasPrefix(r.UserAgent(), "python-requests/") {
			t.Errorf("%s: requests version %q", r.Version, r.RequestsVersion)
		}
		if r.MLUserAgent != "" && !strings.HasPrefix(r.MLUserAgent, "heartex/"+r.Version) {
			t.Errorf("%s: ML User-Agent %q", r.Version, r.MLUserAgent)
		}
		if r.Source == "" {
			t.Errorf("%s: no source", r.Version)
		}
	}
	// The values the issue states.
	for v, want := range map[string]string{"1.23.2": "python-requests/2.34.2", "1.10.1": "python-requests/2.31.0"} {
		if r, ok := lswebhooktest.LookupRelease(v); !ok || r.UserAgent() != want {
			t.Errorf("%s: %q, want %q", v, r.UserAgent(), want)
		}
	}
	if _, ok := lswebhooktest.LookupRelease("9.9.9"); ok {
		t.Error("unknown release found")
	}
	rs[0].Version = "changed"
	if lswebhooktest.Releases()[0].Version == "changed" {
		t.Error("Releases shares its table with the caller")
	}
}

// TestReleasesMatchCaptures: for every captured release, the table holds
// the User-Agent values the server really sent.
func TestReleasesMatchCaptures(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "labelstudio-*"))
	checked := 0
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
		if err != nil {
			continue
		}
		var m struct {
			Captures []struct {
				Action  string            `json:"action"`
				Headers map[string]string `json:"headers"`
			} `json:"captures"`
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		version := strings.TrimPrefix(filepath.Base(dir), "labelstudio-")
		r, ok := lswebhooktest.LookupRelease(version)
		if !ok {
			t.Errorf("captured release %s is not in fixtures/releases.txt; run go generate ./lswebhooktest", version)
			continue
		}
		for _, c := range m.Captures {
			want := r.UserAgent()
			if c.Action == "START_TRAINING" {
				want = r.MLUserAgent
			}
			if got := c.Headers["User-Agent"]; got != want {
				t.Errorf("%s %s: the server sent User-Agent %q, the table says %q", version, c.Action, got, want)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no capture checked")
	}
}
