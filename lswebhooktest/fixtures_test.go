package lswebhooktest_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// maxEmbedded bounds the embedded bodies (the issue asks for about 1 MB).
const maxEmbedded = 1 << 20

// TestFixturesDecode runs every embedded fixture through Decode: each is
// accepted, as the Go type of its action, and is a copy of its source.
func TestFixturesDecode(t *testing.T) {
	n, size := 0, 0
	releases := map[string]bool{}
	for f := range lswebhooktest.Fixtures() {
		n++
		size += len(f.Body)
		releases[f.Release] = true
		ev, err := lswebhook.Decode(f.Body)
		if err != nil {
			t.Errorf("%s: %v", f.Source(), err)
			continue
		}
		if ev.Action() != f.Action {
			t.Errorf("%s: decoded as %s", f.Source(), ev.Action())
		}
		info, ok := lswebhook.LookupAction(f.Action)
		if !ok || reflect.TypeOf(ev) != reflect.TypeOf(info.New()) {
			t.Errorf("%s: type %T", f.Source(), ev)
		}
		if f.Hook == "nopayload" && len(f.Body) > 40 {
			t.Errorf("%s: a nopayload body of %d bytes", f.Source(), len(f.Body))
		}
		// The source is in the repository beside the package; the copy
		// must be byte for byte (go generate ./lswebhooktest refreshes it).
		src, err := os.ReadFile(filepath.Join("..", filepath.FromSlash(f.Source())))
		if err != nil {
			t.Errorf("%s: %v", f.Source(), err)
		} else if !bytes.Equal(src, f.Body) {
			t.Errorf("%s: the embedded copy differs from the source; run go generate ./lswebhooktest", f.Source())
		}
	}
	if n < 40 {
		t.Errorf("%d fixtures, want the curated set of at least 40", n)
	}
	if size > maxEmbedded {
		t.Errorf("embedded fixtures are %d bytes, more than %d: lower -max-per-action in gen.go", size, maxEmbedded)
	}
	t.Logf("%d fixtures of %d releases, %d bytes", n, len(releases), size)
	for _, r := range lswebhooktest.FixtureReleases() {
		if _, ok := lswebhooktest.LookupRelease(r); !ok {
			t.Errorf("fixtures of release %s, which fixtures/releases.txt lacks", r)
		}
	}
}

func TestFixturesFor(t *testing.T) {
	all := lswebhooktest.FixturesFor("", "")
	var fromIter []lswebhooktest.Fixture
	for f := range lswebhooktest.Fixtures() {
		fromIter = append(fromIter, f)
	}
	if !reflect.DeepEqual(all, fromIter) || len(all) == 0 {
		t.Fatalf("FixturesFor(\"\", \"\") returns %d fixtures, the iterator %d", len(all), len(fromIter))
	}
	byAction := lswebhooktest.FixturesFor(lswebhooktest.DefaultRelease, lswebhook.ActionTasksCreated)
	if len(byAction) < 2 {
		t.Fatalf("%d TASKS_CREATED fixtures of %s", len(byAction), lswebhooktest.DefaultRelease)
	}
	count := 0
	for _, f := range all {
		if f.Release == lswebhooktest.DefaultRelease && f.Action == lswebhook.ActionTasksCreated {
			count++
		}
	}
	if count != len(byAction) {
		t.Errorf("FixturesFor gives %d, filtering all gives %d", len(byAction), count)
	}
	// A documentation spelling selects the action it stands for.
	if got := lswebhooktest.FixturesFor(lswebhooktest.DefaultRelease, lswebhook.Action("TASK_CREATED")); len(got) != len(byAction) {
		t.Errorf("TASK_CREATED: %d fixtures, want %d", len(got), len(byAction))
	}
	if got := lswebhooktest.FixturesFor("0.0.1", lswebhook.ActionTasksCreated); got != nil {
		t.Errorf("unknown release: %d fixtures", len(got))
	}
	// Each call returns its own copy of the body.
	byAction[0].Body[0] = 'X'
	if again := lswebhooktest.FixturesFor(lswebhooktest.DefaultRelease, lswebhook.ActionTasksCreated); again[0].Body[0] != '{' {
		t.Error("a changed body is seen by the next call")
	}
	f, ok := lswebhooktest.LookupFixture(lswebhooktest.DefaultRelease, lswebhook.ActionStartTraining)
	if !ok || f.Hook != "ml" || f.Action != lswebhook.ActionStartTraining {
		t.Errorf("LookupFixture(START_TRAINING): %+v, %v", f, ok)
	}
	for _, a := range []lswebhook.Action{lswebhook.ActionAnnotationCreated, lswebhook.ActionProjectUpdated} {
		f, ok := lswebhooktest.LookupFixture(lswebhooktest.DefaultRelease, a)
		if !ok || f.Hook == "nopayload" {
			t.Errorf("LookupFixture(%s): %+v, %v", a, f.Name, ok)
		}
	}
	if _, ok := lswebhooktest.LookupFixture(lswebhooktest.DefaultRelease, lswebhook.ActionReviewCreated); ok {
		t.Error("a REVIEW_CREATED fixture, which no capture has")
	}
}
