// Command decodeall decodes every Label Studio webhook payload under the
// given directories (default: testdata) and prints one line per file: the
// event's Go type and a summary, or the reason it was refused.
//
// Usage:
//
//	go run ./examples/decodeall [DIR...]
//
// Files under a directory named "invalid" are expected to be refused;
// directories named "adversarial", "fuzz" and "golden" are skipped (the
// tests assert their outcomes). The command exits with status 1 if a
// payload is refused that should not be, or accepted that should not be.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

func main() {
	dirs := os.Args[1:]
	if len(dirs) == 0 {
		dirs = []string{"testdata"}
	}
	var files []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "fuzz" || d.Name() == "golden" || d.Name() == "adversarial") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") && d.Name() != "manifest.json" {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "decodeall:", err)
			os.Exit(2)
		}
	}
	sort.Strings(files)
	bad := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "decodeall:", err)
			os.Exit(2)
		}
		wantInvalid := strings.Contains(filepath.ToSlash(f), "/invalid/")
		ev, err := lswebhook.Decode(data)
		switch {
		case err != nil:
			fmt.Printf("%s: refused: %v\n", f, err)
			var ve *lswebhook.ValidationError
			if errors.As(err, &ve) {
				for _, p := range ve.Problems {
					fmt.Printf("    %s\n", p)
				}
			}
			if !wantInvalid {
				bad++
			}
		default:
			fmt.Printf("%s: %s %s\n", f, ev.Action(), summary(ev))
			if wantInvalid {
				fmt.Printf("    expected this payload to be refused\n")
				bad++
			}
		}
	}
	fmt.Printf("%d payloads, %d unexpected results\n", len(files), bad)
	if bad > 0 {
		os.Exit(1)
	}
}

func summary(ev lswebhook.Event) string {
	project := func(p *lswebhook.Project) string {
		if p == nil {
			return "no project"
		}
		return fmt.Sprintf("project %d", p.ID)
	}
	switch ev := ev.(type) {
	case *lswebhook.ProjectCreated:
		return project(ev.Project)
	case *lswebhook.ProjectUpdated:
		return project(ev.Project)
	case *lswebhook.ProjectDeleted:
		if ev.Project == nil {
			return "no project"
		}
		return fmt.Sprintf("project %d", ev.Project.ID)
	case *lswebhook.TasksCreated:
		return fmt.Sprintf("%d tasks, %s", len(ev.Tasks), project(ev.Project))
	case *lswebhook.TasksDeleted:
		return fmt.Sprintf("%d task ids, %s", len(ev.Tasks), project(ev.Project))
	case *lswebhook.AnnotationCreated:
		return annotation(ev.Annotation, ev.Task) + ", " + project(ev.Project)
	case *lswebhook.AnnotationUpdated:
		return annotation(ev.Annotation, ev.Task) + ", " + project(ev.Project)
	case *lswebhook.AnnotationsCreated:
		return fmt.Sprintf("%d annotations, %d tasks, %s", len(ev.Annotations), len(ev.Tasks), project(ev.Project))
	case *lswebhook.AnnotationsDeleted:
		return fmt.Sprintf("%d annotation ids, %s", len(ev.Annotations), project(ev.Project))
	case *lswebhook.LabelLinkCreated:
		return fmt.Sprintf("%d label links, %s", len(ev.LabelLinks), project(ev.Project))
	case *lswebhook.LabelLinkUpdated:
		if ev.LabelLink == nil {
			return "no label link"
		}
		return fmt.Sprintf("label link %d, %s", ev.LabelLink.ID, project(ev.Project))
	case *lswebhook.LabelLinkDeleted:
		if ev.LabelLink == nil {
			return "no label link"
		}
		return fmt.Sprintf("label link %d, %s", ev.LabelLink.ID, project(ev.Project))
	case *lswebhook.StartTraining:
		return project(ev.Project)
	case *lswebhook.UnknownEvent:
		return fmt.Sprintf("(unknown action, %d other members)", len(ev.Extra))
	default:
		return ""
	}
}

func annotation(a *lswebhook.Annotation, t *lswebhook.Task) string {
	if a == nil {
		return "no annotation"
	}
	s := fmt.Sprintf("annotation %d with %d results", a.ID, len(a.Result))
	if a.WasCancelled {
		s += " (skipped)"
	}
	if t != nil {
		s += fmt.Sprintf(", task %d", t.ID)
	}
	return s
}
