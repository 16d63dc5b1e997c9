package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestSummarizeEndsWithProject checks, for every action whose subject is
// not the project itself, that the summary ends with the project's id read
// from the payload.
func TestSummarizeEndsWithProject(t *testing.T) {
	for _, b := range builtEvents(t) {
		switch b.info.Action {
		case lswebhook.ActionProjectCreated, lswebhook.ActionProjectUpdated, lswebhook.ActionProjectDeleted, lswebhook.ActionStartTraining:
			continue
		}
		if b.payload.Project == nil {
			t.Errorf("%s: the built payload has no project", b.info.Action)
			continue
		}
		want := ", project " + strconv.FormatInt(b.payload.Project.ID, 10)
		if got := summarize(b.ev); !strings.HasSuffix(got, want) {
			t.Errorf("%s: summary %q does not end with %q", b.info.Action, got, want)
		}
	}
}
