// Command compatdoc writes docs/compatibility.md from the webhook bodies
// captured from real Label Studio releases (testdata/labelstudio-<release>/,
// written by conformance/run.sh): for each release, the actions it sends and
// those it cannot, and for each entity the members present, absent or null.
//
// Usage, from the repository root:
//
//	go run ./conformance/compatdoc            # rewrite docs/compatibility.md
//	go run ./conformance/compatdoc -check     # exit 1 if it is stale
//
// The package's test fails when the committed file is stale.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Output is the document's path relative to the repository root.
const Output = "docs/compatibility.md"

type manifest struct {
	Version string `json:"label_studio_version"`
	Server  struct {
		Python     string   `json:"python"`
		ExtraPins  []string `json:"extra_pins"`
		StartNotes []string `json:"start_notes"`
	} `json:"server"`
	WebhooksInfo map[string]json.RawMessage `json:"webhooks_info"`
	Captures     []struct {
		File   string `json:"file"`
		Action string `json:"action"`
		Hook   string `json:"hook"`
	} `json:"captures"`
	LegacyTraining []struct {
		File string `json:"file"`
	} `json:"legacy_training"`
	Summary struct {
		NotProducible map[string]string `json:"not_producible"`
		Findings      []string          `json:"findings"`
	} `json:"summary"`
}

// stats counts, for one entity in one release, the objects seen and, per
// member, how often it was present and how often null.
type stats struct {
	objects int
	present map[string]int
	null    map[string]int
}

type release struct {
	name     string
	m        manifest
	actions  map[string]int
	legacy   int
	entities map[string]*stats
}

func main() {
	check := flag.Bool("check", false, "exit 1 if "+Output+" is stale instead of writing it")
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	doc, err := Generate(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compatdoc:", err)
		os.Exit(1)
	}
	path := filepath.Join(*root, Output)
	if *check {
		old, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(old, doc) {
			fmt.Fprintf(os.Stderr, "compatdoc: %s is stale: run go run ./conformance/compatdoc\n", Output)
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "compatdoc:", err)
		os.Exit(1)
	}
}

// Generate returns the document for the captures under root/testdata.
func Generate(root string) ([]byte, error) {
	dirs, err := filepath.Glob(filepath.Join(root, "testdata", "labelstudio-*"))
	if err != nil {
		return nil, err
	}
	var rels []*release
	for _, d := range dirs {
		r, err := load(d)
		if err != nil {
			return nil, err
		}
		rels = append(rels, r)
	}
	if len(rels) == 0 {
		return nil, fmt.Errorf("no testdata/labelstudio-* directories under %s", root)
	}
	sort.Slice(rels, func(i, j int) bool { return releaseLess(rels[i].name, rels[j].name) })
	return render(rels), nil
}

func load(dir string) (*release, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	r := &release{actions: map[string]int{}, entities: map[string]*stats{}}
	if err := json.Unmarshal(b, &r.m); err != nil {
		return nil, fmt.Errorf("%s/manifest.json: %v", dir, err)
	}
	r.name = r.m.Version
	for _, c := range r.m.Captures {
		r.actions[c.Action]++
		body, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			return nil, err
		}
		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, fmt.Errorf("%s/%s: %v", dir, c.File, err)
		}
		for k, v := range obj {
			if k == "action" {
				continue
			}
			r.add(entityName(c.Action, k), v)
		}
	}
	for _, c := range r.m.LegacyTraining {
		r.legacy++
		body, err := os.ReadFile(filepath.Join(dir, c.File))
		if err != nil {
			return nil, err
		}
		var obj map[string]any
		if err := json.Unmarshal(body, &obj); err != nil {
			return nil, fmt.Errorf("%s/%s: %v", dir, c.File, err)
		}
		r.add("legacy training body (`POST <ML backend>/train`)", obj)
		if tasks, ok := obj["annotations"].([]any); ok {
			for _, t := range tasks {
				r.add("legacy training task (annotations[] of that body)", t)
			}
		}
	}
	return r, nil
}

// deletedKey is the member that holds the id-only objects of each delete
// action.
var deletedKey = map[string]string{
	"PROJECT_DELETED":     "project",
	"TASKS_DELETED":       "tasks",
	"ANNOTATIONS_DELETED": "annotations",
	"LABEL_LINK_DELETED":  "label_link",
}

// entityName names the object under key in a payload of action: the
// deleted objects of a delete action are tables of their own.
func entityName(action, key string) string {
	if deletedKey[action] == key {
		return key + " (in " + action + ")"
	}
	return key
}

// add counts one value (an object, or an array of objects) of entity.
func (r *release) add(entity string, v any) {
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	s := r.entities[entity]
	if s == nil {
		s = &stats{present: map[string]int{}, null: map[string]int{}}
		r.entities[entity] = s
	}
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			continue
		}
		s.objects++
		for k, v := range obj {
			s.present[k]++
			if v == nil {
				s.null[k]++
			}
		}
	}
}

func render(rels []*release) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# Compatibility with Label Studio releases\n\n")
	p("Generated by `go run ./conformance/compatdoc` from the webhook bodies that\n")
	p("`conformance/run.sh --version <release>` captured from real servers (committed\n")
	p("under `testdata/labelstudio-<release>/`, each with a `manifest.json` naming the\n")
	p("REST call that caused every body). Do not edit by hand: `go test\n")
	p("./conformance/compatdoc` fails when this file is stale.\n\n")

	p("## Releases\n\n")
	p("| Release | Python | Extra pins | Webhook bodies | Legacy training bodies | Actions sent |\n")
	p("|---|---|---|---|---|---|\n")
	for _, r := range rels {
		pins := strings.Join(r.m.Server.ExtraPins, " ")
		if pins == "" {
			pins = "none"
		}
		p("| %s | %s | %s | %d | %d | %d |\n", r.name, orDash(r.m.Server.Python), pins, len(r.m.Captures), r.legacy, len(r.actions))
	}
	p("\n")

	// actions
	all := map[string]bool{}
	for _, r := range rels {
		for a := range r.actions {
			all[a] = true
		}
		for a := range r.m.Summary.NotProducible {
			all[a] = true
		}
		for a := range r.m.WebhooksInfo {
			all[a] = true
		}
	}
	p("## Actions\n\n")
	p("Bodies captured per action. `not sent` = not in the release's action catalogue\n")
	p("(`GET /api/webhooks/info/`); `not produced` = in the catalogue but no REST call\n")
	p("made it send (reasons below).\n\n")
	header(&b, "Action", rels)
	for _, a := range sortedKeys(all) {
		p("| %s |", a)
		for _, r := range rels {
			switch {
			case r.actions[a] > 0:
				p(" %d |", r.actions[a])
			case !inCatalogue(r, a):
				p(" not sent |")
			default:
				p(" not produced |")
			}
		}
		p("\n")
	}
	p("| legacy training (`POST <ML backend>/train`, no action) |")
	for _, r := range rels {
		if r.legacy > 0 {
			p(" %d |", r.legacy)
		} else {
			p(" — |")
		}
	}
	p("\n\n")

	p("### Actions a release cannot be made to send, and why\n\n")
	for _, r := range rels {
		np := r.m.Summary.NotProducible
		if len(np) == 0 {
			continue
		}
		p("- **%s**:\n", r.name)
		for _, a := range sortedKeys(np) {
			p("  - `%s`: %s\n", a, oneLine(np[a]))
		}
	}
	p("\n")
	p("### What each release did that its documentation does not say\n\n")
	p("Recorded by the harness while driving the server (start-up, REST answers,\n")
	p("deliveries).\n\n")
	for _, r := range rels {
		notes := append(append([]string(nil), r.m.Server.StartNotes...), r.m.Summary.Findings...)
		if len(notes) == 0 {
			continue
		}
		p("- **%s**:\n", r.name)
		for _, n := range notes {
			p("  - %s\n", oneLine(n))
		}
	}
	p("\n")

	// members
	p("## Members per entity\n\n")
	p("For each object the bodies carry, every member seen in any release: `yes` =\n")
	p("present in every object, never null; `null` = present, always null;\n")
	p("`yes/null` = present in every object, null in some; `some` (`some/null`) =\n")
	p("present in some objects only; `—` = never present; blank = the release sent\n")
	p("no such object.\n\n")
	ents := map[string]bool{}
	for _, r := range rels {
		for e := range r.entities {
			ents[e] = true
		}
	}
	for _, e := range sortedKeys(ents) {
		p("### %s\n\n", e)
		members := map[string]bool{}
		for _, r := range rels {
			if s := r.entities[e]; s != nil {
				for k := range s.present {
					members[k] = true
				}
			}
		}
		header(&b, "Member", rels)
		p("| (objects seen) |")
		for _, r := range rels {
			if s := r.entities[e]; s != nil {
				p(" %d |", s.objects)
			} else {
				p(" 0 |")
			}
		}
		p("\n")
		for _, k := range sortedKeys(members) {
			p("| `%s` |", k)
			for _, r := range rels {
				p(" %s |", cell(r.entities[e], k))
			}
			p("\n")
		}
		p("\n")
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func header(b *bytes.Buffer, first string, rels []*release) {
	fmt.Fprintf(b, "| %s |", first)
	for _, r := range rels {
		fmt.Fprintf(b, " %s |", r.name)
	}
	fmt.Fprintf(b, "\n|---|")
	for range rels {
		fmt.Fprintf(b, "---|")
	}
	fmt.Fprintf(b, "\n")
}

func cell(s *stats, k string) string {
	if s == nil || s.objects == 0 {
		return ""
	}
	pr, nu := s.present[k], s.null[k]
	switch {
	case pr == 0:
		return "—"
	case pr == s.objects && nu == 0:
		return "yes"
	case pr == s.objects && nu == pr:
		return "null"
	case pr == s.objects:
		return "yes/null"
	case nu > 0:
		return "some/null"
	default:
		return "some"
	}
}

func inCatalogue(r *release, a string) bool {
	if r.m.WebhooksInfo == nil {
		return true
	}
	_, ok := r.m.WebhooksInfo[a]
	return ok
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// oneLine joins s into one line of Markdown text: "<" is escaped, so that
// "<ML backend>" or "<id>" are not read as HTML tags.
func oneLine(s string) string {
	return strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "<", `\<`)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// releaseLess orders release names numerically: 1.4.1.post1 < 1.10.1.
func releaseLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea == nil && eb == nil && na != nb {
			return na < nb
		}
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}
