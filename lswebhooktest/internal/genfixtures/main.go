// Command genfixtures copies a curated set of the captured Label Studio
// deliveries into the lswebhooktest package, where they are embedded, and
// records each captured release's header values in fixtures/releases.txt.
// It is run by go generate in the lswebhooktest directory:
//
//	go run ./internal/genfixtures -testdata ../testdata -out fixtures
//
// For every directory testdata/labelstudio-<release>/ it reads the files
// named NNN-ACTION-HOOK.json in order, drops bodies identical to one
// already kept, keeps per action at most -max-per-action bodies with a
// payload and one without ("nopayload"), and replaces out/<release>/ with
// copies of them. From manifest.json it takes the User-Agent of the
// webhook deliveries and of START_TRAINING, and writes the release's line
// of out/releases.txt (replacing it, or inserting it in version order).
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	testdata := flag.String("testdata", "../testdata", "the repository's testdata `directory`")
	out := flag.String("out", "fixtures", "the embedded fixtures `directory`")
	maxPer := flag.Int("max-per-action", 12, "most bodies with a payload kept per release and action")
	flag.Parse()
	if err := run(*testdata, *out, *maxPer); err != nil {
		fmt.Fprintln(os.Stderr, "genfixtures:", err)
		os.Exit(1)
	}
}

var captureName = regexp.MustCompile(`^[0-9]+-([A-Z_]+)-([a-z]+)\.json$`)

func run(testdata, out string, maxPer int) error {
	dirs, err := filepath.Glob(filepath.Join(testdata, "labelstudio-*"))
	if err != nil {
		return err
	}
	sort.Strings(dirs)
	total := 0
	for _, dir := range dirs {
		release := strings.TrimPrefix(filepath.Base(dir), "labelstudio-")
		n, size, err := copyRelease(dir, filepath.Join(out, release), maxPer)
		if err != nil {
			return err
		}
		if n == 0 {
			continue
		}
		total += size
		line, err := releaseLine(dir, release)
		if err != nil {
			return err
		}
		if err := setReleaseLine(filepath.Join(out, "releases.txt"), release, line); err != nil {
			return err
		}
		fmt.Printf("%s: %d files, %d bytes\n", release, n, size)
	}
	fmt.Printf("total: %d bytes\n", total)
	return nil
}

// copyRelease replaces dst with the curated bodies of the capture in src.
func copyRelease(src, dst string, maxPer int) (n, size int, err error) {
	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, 0, err
	}
	type key struct {
		action  string
		payload bool
	}
	kept := make(map[key]int)
	seen := make(map[[32]byte]bool)
	var picked []string
	bodies := make(map[string][]byte)
	for _, e := range entries { // ReadDir sorts by name: order of arrival
		m := captureName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return 0, 0, err
		}
		sum := sha256.Sum256(b)
		if seen[sum] {
			continue
		}
		k := key{action: m[1], payload: m[2] != "nopayload"}
		limit := 1
		if k.payload {
			limit = maxPer
		}
		if kept[k] >= limit {
			continue
		}
		seen[sum] = true
		kept[k]++
		picked = append(picked, e.Name())
		bodies[e.Name()] = b
	}
	if len(picked) == 0 {
		return 0, 0, nil
	}
	if err := os.RemoveAll(dst); err != nil {
		return 0, 0, err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return 0, 0, err
	}
	for _, name := range picked {
		if err := os.WriteFile(filepath.Join(dst, name), bodies[name], 0o644); err != nil {
			return 0, 0, err
		}
		size += len(bodies[name])
	}
	return len(picked), size, nil
}

// manifest is the part of a capture's manifest.json read here.
type manifest struct {
	GeneratedAt string `json:"generated_at"`
	Captures    []struct {
		Action  string            `json:"action"`
		Hook    string            `json:"hook"`
		Headers map[string]string `json:"headers"`
	} `json:"captures"`
}

// releaseLine returns the releases.txt line of a captured release.
func releaseLine(dir, release string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return "", err
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("%s: %v", filepath.Join(dir, "manifest.json"), err)
	}
	requests, ml := "", "-"
	for _, c := range m.Captures {
		ua := c.Headers["User-Agent"]
		if v, ok := strings.CutPrefix(ua, "python-requests/"); ok && requests == "" {
			requests = v
		}
		if c.Action == "START_TRAINING" && ua != "" && ml == "-" {
			ml = ua
		}
	}
	if requests == "" {
		return "", fmt.Errorf("%s: no capture records a python-requests User-Agent", filepath.Join(dir, "manifest.json"))
	}
	date, _, _ := strings.Cut(m.GeneratedAt, "T")
	return strings.TrimSpace(fmt.Sprintf("%s %s %s capture %s", release, requests, ml, date)), nil
}

// setReleaseLine replaces the line of release in the file, or inserts it
// before the first line of a newer release.
func setReleaseLine(file, release, line string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	at, replace := len(lines), false
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if f[0] == release {
			at, replace = i, true
			break
		}
		if newer(f[0], release) && at == len(lines) {
			at = i
		}
	}
	if replace {
		lines[at] = line
	} else {
		lines = append(lines[:at], append([]string{line}, lines[at:]...)...)
	}
	var buf bytes.Buffer
	buf.WriteString(strings.Join(lines, "\n"))
	buf.WriteByte('\n')
	return os.WriteFile(file, buf.Bytes(), 0o644)
}

// newer reports whether version a sorts after b, comparing the numeric
// fields of "1.4.1.post1" one by one.
func newer(a, b string) bool {
	fa, fb := versionFields(a), versionFields(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if fa[i] != fb[i] {
			return fa[i] > fb[i]
		}
	}
	return len(fa) > len(fb)
}

func versionFields(v string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r < '0' || r > '9' }) {
		n, _ := strconv.Atoi(f)
		out = append(out, n)
	}
	return out
}
