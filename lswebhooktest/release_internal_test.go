package lswebhooktest

import (
	"strings"
	"testing"
)

func TestParseReleases(t *testing.T) {
	if releasesErr != nil {
		t.Fatalf("fixtures/releases.txt: %v", releasesErr)
	}
	rs, err := parseReleases("# comment\n\n1.2.3 2.0.0 - pin requests==2.0.0\n1.3.0 2.1.0 heartex/1.3.0 capture 2026-01-01\n")
	if err != nil || len(rs) != 2 {
		t.Fatalf("%v, %v", rs, err)
	}
	if rs[0].MLUserAgent != "" || rs[0].Source != "pin requests==2.0.0" || rs[1].MLUserAgent != "heartex/1.3.0" || rs[1].UserAgent() != "python-requests/2.1.0" {
		t.Errorf("parsed %+v", rs)
	}
	if _, err := parseReleases("1.2.3 2.0.0\n"); err == nil || !strings.Contains(err.Error(), "releases.txt:1") {
		t.Errorf("short line: %v", err)
	}
}
