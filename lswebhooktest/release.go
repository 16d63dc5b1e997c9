package lswebhooktest

import (
	"fmt"
	"strings"
)

// DefaultRelease is the Label Studio release whose deliveries the builders
// imitate and whose headers [NewRequest] sends unless [WithRelease] names
// another: the newest release the kit knows.
const DefaultRelease = "1.23.2"

// A Release is a Label Studio release the kit knows, with the header
// values its requests carry. The table is the single source of these
// values in the module; [Releases] lists it.
type Release struct {
	// Version is the release, such as "1.23.2".
	Version string
	// RequestsVersion is the version of the Python requests package that
	// sends the release's webhooks, such as "2.34.2".
	RequestsVersion string
	// MLUserAgent is the User-Agent of the release's START_TRAINING calls
	// to an ML backend, such as "heartex/1.23.2"; "" for releases that
	// start training without a webhook.
	MLUserAgent string
	// Source says how the values are known: "capture <date>" when they
	// were read from a real server's requests, otherwise the requests pin
	// of the release's package metadata.
	Source string
}

// UserAgent returns the User-Agent header of the release's webhook
// deliveries, "python-requests/<RequestsVersion>".
func (r Release) UserAgent() string { return "python-requests/" + r.RequestsVersion }

// Releases returns the releases the kit knows, oldest first.
func Releases() []Release {
	return append([]Release(nil), releases...)
}

// LookupRelease returns the release with the given version.
func LookupRelease(version string) (Release, bool) {
	for _, r := range releases {
		if r.Version == version {
			return r, true
		}
	}
	return Release{}, false
}

// releases is parsed from fixtures/releases.txt; a malformed file is a
// build mistake that the package's tests report (the table is then empty
// and releasesErr says why).
var releases, releasesErr = parseReleases(mustRead("fixtures/releases.txt"))

func parseReleases(text string) ([]Release, error) {
	var out []Release
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("lswebhooktest: fixtures/releases.txt:%d: want release, requests version, ML User-Agent and source, got %q", n+1, line)
		}
		r := Release{Version: f[0], RequestsVersion: f[1], MLUserAgent: f[2], Source: strings.Join(f[3:], " ")}
		if r.MLUserAgent == "-" {
			r.MLUserAgent = ""
		}
		out = append(out, r)
	}
	return out, nil
}
