package lswebhooktest_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// optionSets are the option combinations every action is built with; the
// test skips those New refuses for the action and checks that it refuses
// exactly the ones the documentation says.
var optionSets = [][]lswebhooktest.Option{
	nil,
	{lswebhooktest.Seq(0)},
	{lswebhooktest.Seq(1)},
	{lswebhooktest.Seq(7)},
	{lswebhooktest.Count(1)},
	{lswebhooktest.Count(3)},
	{lswebhooktest.Count(3), lswebhooktest.Seq(2)},
	{lswebhooktest.NoPayload()},
	{lswebhooktest.NoPayload(), lswebhooktest.Seq(4)},
	{lswebhooktest.Skipped()},
	{lswebhooktest.Skipped(), lswebhooktest.Seq(5)},
}

var listActions = map[lswebhook.Action]bool{
	lswebhook.ActionTasksCreated: true, lswebhook.ActionTasksDeleted: true,
	lswebhook.ActionAnnotationsCreated: true, lswebhook.ActionAnnotationsDeleted: true,
	lswebhook.ActionLabelLinkCreated: true, lswebhook.ActionReviewsDeleted: true,
}

var annotationActions = map[lswebhook.Action]bool{
	lswebhook.ActionAnnotationCreated: true, lswebhook.ActionAnnotationUpdated: true,
}

// TestBuildersRoundTrip builds every action with defaults and with every
// option; each body decodes to an event equal to the one built.
func TestBuildersRoundTrip(t *testing.T) {
	built := 0
	for _, info := range lswebhook.Actions() {
		for _, opts := range optionSets {
			name := string(info.Action) + "/" + optionNames(opts)
			ev, err := lswebhooktest.New(info.Action, opts...)
			wantErr := refused(info.Action, opts)
			if wantErr {
				if err == nil {
					t.Errorf("%s: accepted, want an error", name)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			built++
			if got := reflect.TypeOf(ev); got != reflect.TypeOf(info.New()) {
				t.Errorf("%s: type %v, want %v", name, got, reflect.TypeOf(info.New()))
			}
			body, err := lswebhooktest.Marshal(ev)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			got, err := lswebhook.Decode(body)
			if err != nil {
				t.Errorf("%s: Decode: %v\n%s", name, err, body)
				continue
			}
			if diff := cmp.Diff(ev, got, lswebhooktest.CmpOptions()); diff != "" {
				t.Errorf("%s: decoded event differs (-built +decoded):\n%s", name, diff)
			}
			if !strings.HasPrefix(string(body), `{"action": "`+string(info.Action)+`"`) {
				t.Errorf("%s: body starts %.40q", name, body)
			}
		}
	}
	if want := 16; len(lswebhook.Actions()) != want {
		t.Errorf("%d actions, want %d", len(lswebhook.Actions()), want)
	}
	if built < 16*4 {
		t.Errorf("only %d events built", built)
	}
}

func optionNames(opts []lswebhooktest.Option) string {
	var s []string
	for _, o := range opts {
		s = append(s, o.String())
	}
	if len(s) == 0 {
		return "defaults"
	}
	return strings.Join(s, ",")
}

// refused says whether the documentation says New refuses the options.
func refused(a lswebhook.Action, opts []lswebhooktest.Option) bool {
	var count, skipped, noPayload bool
	for _, o := range opts {
		switch {
		case strings.HasPrefix(o.String(), "Count("):
			count = true
		case o.String() == "Skipped()":
			skipped = true
		case o.String() == "NoPayload()":
			noPayload = true
		}
	}
	return (count && !listActions[a]) || (skipped && !annotationActions[a]) || (noPayload && (count || skipped))
}

// TestTypedBuilders: each action's typed builder returns what New returns.
func TestTypedBuilders(t *testing.T) {
	typed := map[lswebhook.Action]func(...lswebhooktest.Option) lswebhook.Event{
		lswebhook.ActionProjectCreated:     func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ProjectCreated(o...) },
		lswebhook.ActionProjectUpdated:     func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ProjectUpdated(o...) },
		lswebhook.ActionProjectDeleted:     func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ProjectDeleted(o...) },
		lswebhook.ActionTasksCreated:       func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.TasksCreated(o...) },
		lswebhook.ActionTasksDeleted:       func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.TasksDeleted(o...) },
		lswebhook.ActionAnnotationCreated:  func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.AnnotationCreated(o...) },
		lswebhook.ActionAnnotationsCreated: func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.AnnotationsCreated(o...) },
		lswebhook.ActionAnnotationUpdated:  func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.AnnotationUpdated(o...) },
		lswebhook.ActionAnnotationsDeleted: func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.AnnotationsDeleted(o...) },
		lswebhook.ActionLabelLinkCreated:   func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.LabelLinkCreated(o...) },
		lswebhook.ActionLabelLinkUpdated:   func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.LabelLinkUpdated(o...) },
		lswebhook.ActionLabelLinkDeleted:   func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.LabelLinkDeleted(o...) },
		lswebhook.ActionStartTraining:      func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.StartTraining(o...) },
		lswebhook.ActionReviewCreated:      func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ReviewCreated(o...) },
		lswebhook.ActionReviewUpdated:      func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ReviewUpdated(o...) },
		lswebhook.ActionReviewsDeleted:     func(o ...lswebhooktest.Option) lswebhook.Event { return lswebhooktest.ReviewsDeleted(o...) },
	}
	for _, info := range lswebhook.Actions() {
		f, ok := typed[info.Action]
		if !ok {
			t.Errorf("%s: no typed builder", info.Action)
			continue
		}
		want, _ := lswebhooktest.New(info.Action, lswebhooktest.Seq(2))
		if diff := cmp.Diff(want, f(lswebhooktest.Seq(2)), lswebhooktest.CmpOptions()); diff != "" {
			t.Errorf("%s: typed builder differs from New:\n%s", info.Action, diff)
		}
	}
}
