package lswebhook_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestRegistryComplete checks that every action has a Go type named after
// it, a bundled schema whose action enum names it and its aliases, and at
// least one valid fixture that decodes to that type.
func TestRegistryComplete(t *testing.T) {
	infos := lswebhook.Actions()
	if len(infos) != len(referenceActions) {
		t.Errorf("registry has %d actions, the reference %d", len(infos), len(referenceActions))
	}
	known := map[lswebhook.Action]lswebhook.ActionInfo{}
	for _, info := range infos {
		known[info.Action] = info
	}
	for _, a := range referenceActions {
		if _, ok := known[a]; !ok {
			t.Errorf("registry lacks %s", a)
		}
	}

	// Which Go types the fixtures decode to.
	decodedTo := map[reflect.Type]int{}
	for _, path := range validFixtures(t) {
		ev, err := lswebhook.Decode(readFile(t, path))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		decodedTo[reflect.TypeOf(ev)]++
	}

	for _, info := range infos {
		t.Run(string(info.Action), func(t *testing.T) {
			// Go type named after the action: TASKS_CREATED -> TasksCreated.
			var name strings.Builder
			for _, part := range strings.Split(string(info.Action), "_") {
				name.WriteString(part[:1] + strings.ToLower(part[1:]))
			}
			if got := reflect.TypeOf(info.New()).Elem().Name(); got != name.String() {
				t.Errorf("Go type %s, want %s", got, name.String())
			}
			ev := reflect.New(reflect.TypeOf(info.New()).Elem()).Interface().(lswebhook.Event)
			if ev.Action() != info.Action {
				t.Errorf("(%s).Action() = %s", reflect.TypeOf(info.New()), ev.Action())
			}
			// Schema file exists and its action enum is exactly the action and aliases.
			b, err := fs.ReadFile(lswebhook.Schemas(), info.Schema)
			if err != nil {
				t.Fatalf("schema: %v", err)
			}
			var s struct {
				ID         string `json:"$id"`
				Properties struct {
					Action struct {
						Enum []lswebhook.Action `json:"enum"`
					} `json:"action"`
				} `json:"properties"`
			}
			if err := json.Unmarshal(b, &s); err != nil {
				t.Fatal(err)
			}
			if s.ID != lswebhook.SchemaBaseURL+info.Schema {
				t.Errorf("$id = %q, want %q", s.ID, lswebhook.SchemaBaseURL+info.Schema)
			}
			wantEnum := append([]lswebhook.Action{info.Action}, info.Aliases...)
			if !reflect.DeepEqual(s.Properties.Action.Enum, wantEnum) {
				t.Errorf("schema action enum = %v, want %v", s.Properties.Action.Enum, wantEnum)
			}
			if decodedTo[reflect.TypeOf(info.New())] == 0 {
				t.Errorf("no valid fixture decodes to %s", reflect.TypeOf(info.New()))
			}
			// Lookup by name and by alias.
			for _, a := range wantEnum {
				got, ok := lswebhook.LookupAction(a)
				if !ok || got.Action != info.Action {
					t.Errorf("LookupAction(%s) = %v, %v", a, got.Action, ok)
				}
				if c, ok := a.Canonical(); !ok || c != info.Action {
					t.Errorf("%s.Canonical() = %s, %v", a, c, ok)
				}
			}
		})
	}
	if _, ok := lswebhook.LookupAction("TASK_COMPLETED"); ok {
		t.Errorf("LookupAction knows TASK_COMPLETED")
	}
}

// TestREADMEActions keeps the README's table of actions, Go types and
// schema files equal to the registry.
func TestREADMEActions(t *testing.T) {
	readme := string(readFile(t, "README.md"))
	section := regexp.MustCompile(`(?s)<!-- BEGIN actions[^>]*-->(.*)<!-- END actions -->`).FindStringSubmatch(readme)
	if section == nil {
		t.Fatal("README has no actions section")
	}
	var want strings.Builder
	want.WriteString("\n## Actions\n\n")
	want.WriteString("| action | Go type | schema | sent by |\n| --- | --- | --- | --- |\n")
	for _, info := range lswebhook.Actions() {
		action := "`" + string(info.Action) + "`"
		for _, a := range info.Aliases {
			action += " (alias `" + string(a) + "`)"
		}
		sender := map[lswebhook.Sender]string{
			lswebhook.SenderWebhook:    "webhooks",
			lswebhook.SenderMLBackend:  "to an ML backend only",
			lswebhook.SenderEnterprise: "Enterprise webhooks only",
		}[info.Sender]
		if info.OrganizationOnly {
			sender = "organization-level webhooks only"
		}
		fmt.Fprintf(&want, "| %s | `%s` | [`%s`](schema/%s) | %s |\n", action, reflect.TypeOf(info.New()), info.Schema, info.Schema, sender)
	}
	want.WriteString("| any other | `*lswebhook.UnknownEvent` | none | newer servers |\n\n")
	if section[1] != want.String() {
		t.Errorf("README actions section is out of date; replace it with:\n%s", want.String())
	}
}

// Every action the library knows, with its Go type and schema file.
func ExampleActions() {
	for _, info := range lswebhook.Actions()[:3] {
		fmt.Println(info.Action, reflect.TypeOf(info.New()), info.Schema)
	}
	// Output:
	// PROJECT_CREATED *lswebhook.ProjectCreated events/project-created.json
	// PROJECT_UPDATED *lswebhook.ProjectUpdated events/project-updated.json
	// PROJECT_DELETED *lswebhook.ProjectDeleted events/project-deleted.json
}
