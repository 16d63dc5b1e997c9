package lswebhook_test

// Every body captured from a real Label Studio release (the directories
// testdata/labelstudio-<release>/, written by conformance/run.sh) decodes
// with the public API: to the Go type its action names, with Raw returning
// the input, and re-encoding with json.Marshal decodes again to an equal
// event. Legacy ML training bodies (ml-NNN-train.json, releases before
// START_TRAINING) are refused by Decode with ErrLegacyTraining and decode
// with DecodeLegacyTraining. conformance/run.sh sets LSWEBHOOK_CAPTURE_DIR
// to a fresh capture of any release and runs TestCaptures on it as well.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/conformance/compatdoc"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// knownRefused lists the real captures the library refuses today, as
// "labelstudio-<release>/<file pattern>" (path.Match syntax) -> a text the
// error must contain. TestCaptures asserts that each pattern matches at
// least one capture and that every capture it matches is STILL refused with
// that text: when the library learns to read them, the test fails, and the
// entry must be deleted. Everything else must decode.
var knownRefused = map[string]string{
	// Empty since the library accepts the "id": null of the bulk
	// ANNOTATIONS_CREATED of 1.7.3-1.13.1 (TestNullIDBulkCaptures).
}

// captureFileRE matches the webhook bodies of a capture directory.
var captureFileRE = regexp.MustCompile(`^[0-9]{3}-([A-Z_]+)-([a-z]+)\.json$`)

// legacyFileRE matches the legacy ML training bodies of a capture directory.
var legacyFileRE = regexp.MustCompile(`^ml-[0-9]{3}-train\.json$`)

// captureManifest is the part of a capture directory's manifest.json these
// tests read.
type captureManifest struct {
	Version  string `json:"label_studio_version"`
	Captures []struct {
		File    string            `json:"file"`
		Action  string            `json:"action"`
		Hook    string            `json:"hook"`
		Request string            `json:"request"`
		SHA256  string            `json:"sha256"`
		Headers map[string]string `json:"headers"`
	} `json:"captures"`
	LegacyTraining []struct {
		File    string `json:"file"`
		Request string `json:"request"`
		SHA256  string `json:"sha256"`
	} `json:"legacy_training"`
	Summary struct {
		NotProducible map[string]string `json:"not_producible"`
	} `json:"summary"`
}

// captureDirs returns the committed capture directories, and the one in
// LSWEBHOOK_CAPTURE_DIR when set.
func captureDirs(t *testing.T) []string {
	t.Helper()
	dirs, err := filepath.Glob("testdata/labelstudio-*")
	if err != nil {
		t.Fatal(err)
	}
	if d := os.Getenv(captureDirEnv); d != "" {
		dirs = append(dirs, d)
	}
	return dirs
}

func readCaptureManifest(t *testing.T, dir string) *captureManifest {
	t.Helper()
	var m captureManifest
	readJSON(t, filepath.Join(dir, "manifest.json"), &m)
	if m.Version == "" {
		t.Fatalf("%s/manifest.json: no label_studio_version", dir)
	}
	return &m
}

// knownRefusal returns the text the error for file of release must
// contain, and the pattern that says so, if the capture is known to be
// refused.
func knownRefusal(release, file string) (pattern, why string) {
	name := "labelstudio-" + release + "/" + file
	for p, w := range knownRefused {
		if ok, _ := path.Match(p, name); ok {
			return p, w
		}
	}
	return "", ""
}

func TestCaptures(t *testing.T) {
	dirs := captureDirs(t)
	if len(dirs) < 7 {
		t.Errorf("found %d capture directories %v, want the seven releases of conformance/releases.sh", len(dirs), dirs)
	}
	usedPatterns := map[string]bool{}
	committed := map[string]bool{}
	for _, dir := range dirs {
		m := readCaptureManifest(t, dir)
		if filepath.ToSlash(filepath.Dir(dir)) == "testdata" {
			committed[m.Version] = true
			if filepath.Base(dir) != "labelstudio-"+m.Version {
				t.Errorf("%s holds the capture of label-studio %s", dir, m.Version)
			}
		}
		t.Run(m.Version+"@"+dir, func(t *testing.T) {
			checkCaptureDir(t, dir, m, usedPatterns)
		})
	}
	for p := range knownRefused {
		release := strings.TrimPrefix(strings.SplitN(p, "/", 2)[0], "labelstudio-")
		if committed[release] && !usedPatterns[p] {
			t.Errorf("knownRefused[%q] matches no capture: delete it", p)
		}
	}
}

func checkCaptureDir(t *testing.T, dir string, m *captureManifest, usedPatterns map[string]bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, c := range m.Captures {
		listed[c.File] = true
	}
	for _, c := range m.LegacyTraining {
		listed[c.File] = true
	}
	onDisk := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if captureFileRE.MatchString(name) || legacyFileRE.MatchString(name) {
			onDisk[name] = true
			if !listed[name] {
				t.Errorf("%s is not listed in manifest.json", name)
			}
		}
	}
	if len(onDisk) == 0 {
		t.Fatalf("%s: no captures", dir)
	}
	// listedFile returns the bytes of a file the manifest lists, checked
	// against its sum, or false if the file is missing.
	listedFile := func(file, sum string) ([]byte, bool) {
		if !onDisk[file] {
			t.Errorf("manifest.json lists %s, which is missing", file)
			return nil, false
		}
		data := readFile(t, filepath.Join(dir, file))
		checkSHA256(t, file, sum, data)
		return data, true
	}
	for _, c := range m.Captures {
		data, ok := listedFile(c.File, c.SHA256)
		if !ok {
			continue
		}
		if c.Request == "" {
			t.Errorf("%s: the manifest names no causing REST call", c.File)
		}
		sub := captureFileRE.FindStringSubmatch(c.File)
		if sub == nil || sub[1] != c.Action || sub[2] != c.Hook {
			t.Errorf("%s: file name does not say action %s and hook %s", c.File, c.Action, c.Hook)
		}
		if pattern, why := knownRefusal(m.Version, c.File); pattern != "" {
			usedPatterns[pattern] = true
			_, err := lswebhook.Decode(data)
			if err == nil {
				t.Errorf("%s: decodes now, but knownRefused[%q] says it is refused (%s): delete the entry", c.File, pattern, why)
			} else if !strings.Contains(err.Error(), why) {
				t.Errorf("%s: refused for another reason than knownRefused[%q] = %q:\n%v", c.File, pattern, why, err)
			}
			continue
		}
		checkReleaseCapture(t, c.File, lswebhook.Action(c.Action), data)
	}
	for _, c := range m.LegacyTraining {
		if data, ok := listedFile(c.File, c.SHA256); ok {
			checkLegacyTrainingCapture(t, c.File, data)
		}
	}
	// An action the release cannot send needs a reason, and is not captured.
	for a, why := range m.Summary.NotProducible {
		if strings.TrimSpace(why) == "" {
			t.Errorf("not_producible[%s] gives no reason", a)
		}
		for _, c := range m.Captures {
			if c.Action == a {
				t.Errorf("%s is listed as not producible but was captured (%s)", a, c.File)
				break
			}
		}
	}
}

func checkSHA256(t *testing.T, file, want string, data []byte) {
	t.Helper()
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("%s: sha256 %s, manifest says %q", file, got, want)
	}
}

// checkReleaseCapture decodes one webhook body: the Go type of its action, Raw,
// and the json.Marshal round trip.
func checkReleaseCapture(t *testing.T, file string, action lswebhook.Action, data []byte) {
	t.Helper()
	ev, err := lswebhook.Decode(data)
	if err != nil {
		t.Errorf("%s: Decode: %v", file, err)
		return
	}
	want, ok := conformanceTypes[action]
	if !ok {
		t.Errorf("%s: action %s has no Go type in conformanceTypes", file, action)
	} else if got := reflect.TypeOf(ev); got != want {
		t.Errorf("%s: Decode returned %v, want %v", file, got, want)
	}
	if ev.Action() != action {
		t.Errorf("%s: Action() = %q, want %q", file, ev.Action(), action)
	}
	if !bytes.Equal(ev.Raw(), data) {
		t.Errorf("%s: Raw() differs from the input", file)
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Errorf("%s: json.Marshal: %v", file, err)
		return
	}
	again, err := lswebhook.Decode(out)
	if err != nil {
		t.Errorf("%s: Decode of the re-encoded event: %v\n%s", file, err, out)
		return
	}
	if diff := cmp.Diff(ev, again, lswebhooktest.CmpOptions()); diff != "" {
		t.Errorf("%s: re-encoding changed the event (-first +second):\n%s", file, diff)
	}
}

// checkLegacyTrainingCapture checks a legacy ML training body: Decode says
// what it is, DecodeLegacyTraining reads it whole, and it round-trips.
func checkLegacyTrainingCapture(t *testing.T, file string, data []byte) {
	t.Helper()
	_, err := lswebhook.Decode(data)
	if !errors.Is(err, lswebhook.ErrLegacyTraining) || !errors.Is(err, lswebhook.ErrMissingAction) {
		t.Errorf("%s: Decode error %v, want one matching ErrLegacyTraining and ErrMissingAction", file, err)
	}
	lt, err := lswebhook.DecodeLegacyTraining(data)
	if err != nil {
		t.Errorf("%s: DecodeLegacyTraining: %v", file, err)
		return
	}
	if !bytes.Equal(lt.Raw(), data) {
		t.Errorf("%s: Raw() differs from the input", file)
	}
	var plain struct {
		Annotations []struct {
			ID          int64             `json:"id"`
			Annotations []json.RawMessage `json:"annotations"`
		} `json:"annotations"`
		Project     string `json:"project"`
		LabelConfig string `json:"label_config"`
	}
	if err := json.Unmarshal(data, &plain); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(lt.Tasks) != len(plain.Annotations) || len(lt.Tasks) == 0 {
		t.Errorf("%s: %d tasks, the body has %d (want at least one)", file, len(lt.Tasks), len(plain.Annotations))
	}
	for i := range lt.Tasks {
		if i < len(plain.Annotations) && (lt.Tasks[i].ID != plain.Annotations[i].ID || len(lt.Tasks[i].Annotations) != len(plain.Annotations[i].Annotations)) {
			t.Errorf("%s: task %d is id %d with %d annotations, the body says id %d with %d", file, i,
				lt.Tasks[i].ID, len(lt.Tasks[i].Annotations), plain.Annotations[i].ID, len(plain.Annotations[i].Annotations))
		}
	}
	if lt.Project != plain.Project || lt.LabelConfig != plain.LabelConfig || lt.LabelConfig == "" {
		t.Errorf("%s: project %q label_config %d bytes, the body says %q and %d bytes", file, lt.Project, len(lt.LabelConfig), plain.Project, len(plain.LabelConfig))
	}
	if id, err := lt.ProjectID(); err != nil || id <= 0 {
		t.Errorf("%s: ProjectID() = %d, %v", file, id, err)
	}
	if at, err := lt.ProjectCreated(); err != nil || at.Year() < 2020 {
		t.Errorf("%s: ProjectCreated() = %v, %v", file, at, err)
	}
	out, err := json.Marshal(lt)
	if err != nil {
		t.Errorf("%s: json.Marshal: %v", file, err)
		return
	}
	again, err := lswebhook.DecodeLegacyTraining(out)
	if err != nil {
		t.Errorf("%s: DecodeLegacyTraining of the re-encoded body: %v", file, err)
		return
	}
	if diff := cmp.Diff(lt, again, lswebhooktest.EquateRawJSON(), cmp.AllowUnexported(lswebhook.LegacyTraining{}),
		cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".raw" }, cmp.Ignore())); diff != "" {
		t.Errorf("%s: re-encoding changed the value (-first +second):\n%s", file, diff)
	}
}

// TestNullIDBulkCaptures pins the shape of the bulk ANNOTATIONS_CREATED that
// 1.7 to 1.13 send from the Data Manager's "create annotations from
// predictions" on SQLite: every annotation has "id": null. While
// knownRefused lists them, Decode must refuse them at an id; once it
// accepts them, every annotation must arrive, with the zero ID for the
// missing id, next to its task.
func TestNullIDBulkCaptures(t *testing.T) {
	found := 0
	for _, release := range []string{"1.7.3", "1.10.1", "1.13.1"} {
		dir := "testdata/labelstudio-" + release
		m := readCaptureManifest(t, dir)
		for _, c := range m.Captures {
			if c.Action != string(lswebhook.ActionAnnotationsCreated) || c.Hook == "nopayload" {
				continue
			}
			data := readFile(t, filepath.Join(dir, c.File))
			var plain struct {
				Annotation []struct {
					ID   *int64 `json:"id"`
					Task int64  `json:"task"`
				} `json:"annotation"`
				Task []struct {
					ID int64 `json:"id"`
				} `json:"task"`
			}
			if err := json.Unmarshal(data, &plain); err != nil {
				t.Fatalf("%s/%s: %v", dir, c.File, err)
			}
			if len(plain.Annotation) == 0 || len(plain.Task) != len(plain.Annotation) {
				t.Errorf("%s/%s: %d annotations, %d tasks", dir, c.File, len(plain.Annotation), len(plain.Task))
			}
			for i, a := range plain.Annotation {
				if a.ID != nil {
					t.Errorf("%s/%s: annotation %d has id %d, the capture was expected to hold null ids", dir, c.File, i, *a.ID)
				}
			}
			found++
			ev, err := lswebhook.Decode(data)
			if pattern, _ := knownRefusal(release, c.File); pattern != "" {
				var ve *lswebhook.ValidationError
				if !errors.As(err, &ve) || len(ve.Problems) != len(plain.Annotation) || ve.Problems[0].Pointer != "/annotation/0/id" {
					t.Errorf("%s/%s: want one problem per null id, got %v", dir, c.File, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s/%s: Decode: %v", dir, c.File, err)
				continue
			}
			got := ev.(*lswebhook.AnnotationsCreated)
			if len(got.Annotations) != len(plain.Annotation) {
				t.Errorf("%s/%s: %d annotations decoded, %d sent", dir, c.File, len(got.Annotations), len(plain.Annotation))
			}
			for i, a := range got.Annotations {
				if a.ID != 0 || a.Task != plain.Annotation[i].Task {
					t.Errorf("%s/%s: annotation %d decoded with id %d task %d", dir, c.File, i, a.ID, a.Task)
				}
			}
		}
	}
	if found != 6 {
		t.Errorf("found %d bulk ANNOTATIONS_CREATED captures with a payload on 1.7.3-1.13.1, want 6 (org and project hooks)", found)
	}
}

// TestCompatibilityDoc regenerates docs/compatibility.md from the committed
// captures and compares: it fails when a capture changed and the document
// was not regenerated (go run ./conformance/compatdoc/gen).
func TestCompatibilityDoc(t *testing.T) {
	want, err := compatdoc.Generate(".")
	if err != nil {
		t.Fatal(err)
	}
	got := readFile(t, compatdoc.Output)
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go run ./conformance/compatdoc/gen from the repository root", compatdoc.Output)
	}
}
