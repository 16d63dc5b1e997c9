package lswebhooktest

import (
	"embed"
	"iter"
	"path"
	"sort"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// The embedded deliveries: fixtures/<release>/<file>, each file a copy of
// testdata/labelstudio-<release>/<file> in the repository, chosen by
// go generate (see gen.go), and fixtures/releases.txt.
//
//go:embed fixtures
var fixtureFS embed.FS

// A Fixture is one webhook body a real Label Studio server sent, byte for
// byte (secrets aside: the values of "token", "task_data_login" and
// "task_data_password" read "REDACTED-<key>").
type Fixture struct {
	// Release is the Label Studio release that sent it, such as "1.23.2".
	Release string
	// Action is the payload's action.
	Action lswebhook.Action
	// Hook says which webhook received it: "org" (an organization-level
	// webhook), "project" (a project-level one), "nopayload" (a webhook
	// with "send payload" off: the body is only the action) or "ml" (the
	// webhook Label Studio creates for a connected ML backend, and
	// START_TRAINING).
	Hook string
	// Name is the file name, "NNN-ACTION-HOOK.json", NNN being the order
	// of arrival in the capture.
	Name string
	// Body is the request body. Each call that returns a Fixture returns
	// a fresh copy.
	Body []byte
}

// Source returns where the fixture came from: the path of the capture in
// the lswebhook repository, whose directory README says how the server
// was driven and whose manifest.json records the request's headers.
func (f Fixture) Source() string {
	return "testdata/labelstudio-" + f.Release + "/" + f.Name
}

// fixtureFile is an embedded fixture without its body.
type fixtureFile struct {
	release, hook, name string
	action              lswebhook.Action
}

// fixtureFiles lists the embedded fixtures by release (oldest first, in
// the order of releases.txt) and name.
var fixtureFiles = listFixtures()

func listFixtures() []fixtureFile {
	order := make(map[string]int)
	for i, r := range releases {
		order[r.Version] = i
	}
	var out []fixtureFile
	dirs, _ := fixtureFS.ReadDir("fixtures")
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		files, _ := fixtureFS.ReadDir(path.Join("fixtures", d.Name()))
		for _, f := range files {
			action, hook, ok := parseFixtureName(f.Name())
			if !ok {
				continue
			}
			out = append(out, fixtureFile{release: d.Name(), hook: hook, name: f.Name(), action: action})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		oi, oki := order[out[i].release]
		oj, okj := order[out[j].release]
		if oki != okj {
			return oki
		}
		if oi != oj {
			return oi < oj
		}
		if out[i].release != out[j].release {
			return out[i].release < out[j].release
		}
		return out[i].name < out[j].name
	})
	return out
}

// parseFixtureName splits "017-ANNOTATION_CREATED-org.json".
func parseFixtureName(name string) (action lswebhook.Action, hook string, ok bool) {
	base, isJSON := strings.CutSuffix(name, ".json")
	parts := strings.Split(base, "-")
	if !isJSON || len(parts) != 3 || parts[1] == "" || parts[2] == "" {
		return "", "", false
	}
	return lswebhook.Action(parts[1]), parts[2], true
}

func (f fixtureFile) load() Fixture {
	body, _ := fixtureFS.ReadFile(path.Join("fixtures", f.release, f.name))
	return Fixture{Release: f.release, Action: f.action, Hook: f.hook, Name: f.name, Body: body}
}

// Fixtures returns an iterator over every embedded delivery, by release
// (oldest first) and then in order of arrival. Each yields a fresh copy of
// its body:
//
//	for f := range lswebhooktest.Fixtures() {
//		if _, err := lswebhook.Decode(f.Body); err != nil {
//			t.Errorf("%s: %v", f.Source(), err)
//		}
//	}
func Fixtures() iter.Seq[Fixture] {
	return func(yield func(Fixture) bool) {
		for _, f := range fixtureFiles {
			if !yield(f.load()) {
				return
			}
		}
	}
}

// FixturesFor returns the embedded deliveries of one action sent by one
// release, in order of arrival; nil if there are none (the release is not
// captured, or it never sent the action: no capture has LABEL_LINK_CREATED
// or the Enterprise REVIEW_* actions). An empty release means every
// release, and an empty action every action. A documentation spelling such
// as TASK_CREATED selects the action it stands for.
func FixturesFor(release string, action lswebhook.Action) []Fixture {
	if action != "" {
		action, _ = action.Canonical()
	}
	var out []Fixture
	for _, f := range fixtureFiles {
		if (release == "" || f.release == release) && (action == "" || f.action == action) {
			out = append(out, f.load())
		}
	}
	return out
}

// LookupFixture returns the first delivery of an action by a release that
// carries a payload (not one of a "send payload: off" webhook).
func LookupFixture(release string, action lswebhook.Action) (Fixture, bool) {
	for _, f := range FixturesFor(release, action) {
		if f.Hook != "nopayload" {
			return f, true
		}
	}
	return Fixture{}, false
}

// FixtureReleases returns the releases that have embedded fixtures, oldest
// first.
func FixtureReleases() []string {
	var out []string
	for _, f := range fixtureFiles {
		if len(out) == 0 || out[len(out)-1] != f.release {
			out = append(out, f.release)
		}
	}
	return out
}

func mustRead(name string) string {
	b, _ := fixtureFS.ReadFile(name)
	return string(b)
}
