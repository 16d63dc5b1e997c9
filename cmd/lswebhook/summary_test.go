package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// TestSummarizeEndsWithProject checks, for every action whose subject is
// not the project itself, that the summary ends with the project's id read
// from the payload.
func TestSummarizeEndsWithProject(t *testing.T) {
	for _, info := range lswebhook.Actions() {
		switch info.Action {
		case lswebhook.ActionProjectCreated, lswebhook.ActionProjectUpdated, lswebhook.ActionProjectDeleted, lswebhook.ActionStartTraining:
			continue
		}
		ev, err := lswebhooktest.New(info.Action)
		if err != nil {
			t.Fatal(err)
		}
		body := lswebhooktest.Body(ev)
		var payload struct {
			Project struct {
				ID int64 `json:"id"`
			} `json:"project"`
		}
		if err := json.Unmarshal(body, &payload); err != nil {
			t.Fatal(err)
		}
		want := ", project " + strconv.FormatInt(payload.Project.ID, 10)
		if got := summarize(ev); !strings.HasSuffix(got, want) {
			t.Errorf("%s: summary %q does not end with %q", info.Action, got, want)
		}
	}
}
