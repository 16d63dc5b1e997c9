package lswebhook_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// Helpers shared by the test files of package lswebhook_test. A helper
// that one test file uses lives in that file.

// Expected values.

func i64(n int64) *int64           { return &n }
func f64(f float64) *float64       { return &f }
func boolp(b bool) *bool           { return &b }
func raw(s string) json.RawMessage { return json.RawMessage(s) }

// tm parses an RFC 3339 time of an expected value.
func tm(t *testing.T, s string) lswebhook.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad time in test: %v", err)
	}
	return lswebhook.Time{Time: v}
}

// tmp is tm for a pointer field.
func tmp(t *testing.T, s string) *lswebhook.Time {
	v := tm(t, s)
	return &v
}

// The actions the reference lists; the registry must know exactly these.
var referenceActions = []lswebhook.Action{
	"PROJECT_CREATED", "PROJECT_UPDATED", "PROJECT_DELETED", "TASKS_CREATED", "TASKS_DELETED",
	"ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED",
	"LABEL_LINK_CREATED", "LABEL_LINK_UPDATED", "LABEL_LINK_DELETED", "START_TRAINING",
	"REVIEW_CREATED", "REVIEW_UPDATED", "REVIEWS_DELETED",
}

// conformanceTypes is the Go type Decode must return for each action
// Label Studio sends.
var conformanceTypes = map[lswebhook.Action]reflect.Type{
	lswebhook.ActionProjectCreated:     reflect.TypeFor[*lswebhook.ProjectCreated](),
	lswebhook.ActionProjectUpdated:     reflect.TypeFor[*lswebhook.ProjectUpdated](),
	lswebhook.ActionProjectDeleted:     reflect.TypeFor[*lswebhook.ProjectDeleted](),
	lswebhook.ActionTasksCreated:       reflect.TypeFor[*lswebhook.TasksCreated](),
	lswebhook.ActionTasksDeleted:       reflect.TypeFor[*lswebhook.TasksDeleted](),
	lswebhook.ActionAnnotationCreated:  reflect.TypeFor[*lswebhook.AnnotationCreated](),
	lswebhook.ActionAnnotationsCreated: reflect.TypeFor[*lswebhook.AnnotationsCreated](),
	lswebhook.ActionAnnotationUpdated:  reflect.TypeFor[*lswebhook.AnnotationUpdated](),
	lswebhook.ActionAnnotationsDeleted: reflect.TypeFor[*lswebhook.AnnotationsDeleted](),
	lswebhook.ActionLabelLinkCreated:   reflect.TypeFor[*lswebhook.LabelLinkCreated](),
	lswebhook.ActionLabelLinkUpdated:   reflect.TypeFor[*lswebhook.LabelLinkUpdated](),
	lswebhook.ActionLabelLinkDeleted:   reflect.TypeFor[*lswebhook.LabelLinkDeleted](),
	lswebhook.ActionStartTraining:      reflect.TypeFor[*lswebhook.StartTraining](),
}

// captureDirEnv names a directory written by conformance/run.sh to check in
// addition to the committed captures.
const captureDirEnv = "LSWEBHOOK_CAPTURE_DIR"

// Files under testdata.

// readFile returns a fixture's bytes.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readJSON unmarshals the JSON file at path into v with encoding/json.
func readJSON(t testing.TB, path string, v any) {
	t.Helper()
	if err := json.Unmarshal(readFile(t, path), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// stringAt reads one string from a fixture with encoding/json, an
// implementation independent of the package, for long values such as label
// configurations that would be unreadable written out in a test.
func stringAt(t *testing.T, path string, keys ...string) string {
	t.Helper()
	var v any
	readJSON(t, path, &v)
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %v is not an object", path, keys)
		}
		v = m[k]
	}
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%s: %v is not a string", path, keys)
	}
	return s
}

// jsonFiles lists the .json files under dir, recursively, skipping
// directories named fuzz and golden and files named manifest.json.
func jsonFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "fuzz" || d.Name() == "golden") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") && d.Name() != "manifest.json" {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// validFixtures lists every payload under testdata that must decode.
func validFixtures(t testing.TB) []string {
	var out []string
	for _, p := range jsonFiles(t, "testdata") {
		if !strings.Contains(filepath.ToSlash(p), "/invalid/") && !strings.Contains(filepath.ToSlash(p), "/adversarial/") &&
			!isKnownRefusedFixture(p) {
			out = append(out, p)
		}
	}
	return out
}

// isKnownRefusedFixture reports whether path is a capture that knownRefused
// (decode_captures_test.go) lists or a legacy training body: files under
// testdata that are not webhook payloads Decode accepts today.
func isKnownRefusedFixture(p string) bool {
	slash := filepath.ToSlash(p)
	if legacyFileRE.MatchString(filepath.Base(p)) {
		return true
	}
	i := strings.Index(slash, "/labelstudio-")
	if i < 0 {
		return false
	}
	rel := strings.TrimPrefix(slash[i+1:], "labelstudio-")
	release, file, ok := strings.Cut(rel, "/")
	if !ok {
		return false
	}
	pattern, _ := knownRefusal(release, file)
	return pattern != ""
}

// htDirs are the payload directories replayed over HTTP.
var htDirs = []string{"testdata/docs", "testdata/labelstudio-1.23.2", "testdata/valid"}

// htFiles lists the payload files under dirs, as jsonFiles does, in one
// sorted list.
func htFiles(t testing.TB, dirs ...string) []string {
	t.Helper()
	var out []string
	for _, dir := range dirs {
		out = append(out, jsonFiles(t, dir)...)
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatal("no payload files found")
	}
	return out
}

// htCapture returns the first captured payload whose name ends in
// "-"+suffix+".json", such as "TASKS_CREATED-project"; the captures are
// numbered in the order a harness run made them, which changes.
func htCapture(t testing.TB, suffix string) string {
	t.Helper()
	files, _ := filepath.Glob("testdata/labelstudio-1.23.2/*-" + suffix + ".json")
	if len(files) == 0 {
		t.Fatalf("no captured %s payload", suffix)
	}
	sort.Strings(files)
	return files[0]
}

// JSON.

// encode returns v marshalled with encoding/json.
func encode(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonUnmarshalNumber decodes the first JSON value of b into v with
// encoding/json, reading numbers as json.Number.
func jsonUnmarshalNumber(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// Decode errors.

// errorKind names the typed error or the sentinel a Decode error carries,
// as the Handler's problem types do: "ValidationError", "SyntaxError" (which
// ErrTooDeep and ErrNumberLimit come wrapped in), "ErrNotObject",
// "ErrMissingAction" or "ErrUnknownAction"; "" for any other error.
func errorKind(err error) string {
	var se *lswebhook.SyntaxError
	var ve *lswebhook.ValidationError
	switch {
	case errors.As(err, &ve):
		return "ValidationError"
	case errors.As(err, &se):
		return "SyntaxError"
	case errors.Is(err, lswebhook.ErrNotObject):
		return "ErrNotObject"
	case errors.Is(err, lswebhook.ErrMissingAction):
		return "ErrMissingAction"
	case errors.Is(err, lswebhook.ErrUnknownAction):
		return "ErrUnknownAction"
	}
	return ""
}

// Golden files.

// update makes the golden-file tests write the files instead of comparing.
var update = flag.Bool("update", false, "rewrite the golden files (testdata/golden, testdata/results/invalid, api)")

// golden returns the golden file at path, to compare got with; with
// -update it writes got there first. A missing file fails the test, naming
// the test to run with -update to write it.
func golden(t testing.TB, path, got, test string) string {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return got
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, test)
	}
	return string(want)
}

// The baseline of the Decode benchmarks.
//
// The baseline for Decode is encoding/json unmarshalling the same bytes
// into the same structs, without validation. The package's structs have
// UnmarshalJSON methods that route through Decode's own reader, so the
// baseline uses shadow types built with reflect.StructOf: the same fields
// and tags, with no methods (times and secrets are read as strings). That is
// what a hand-written struct set would cost.

var (
	shadowMu    sync.Mutex
	shadowTypes = map[reflect.Type]reflect.Type{}
	timeType    = reflect.TypeOf(lswebhook.Time{})
	secretType  = reflect.TypeOf(lswebhook.Secret{})
)

// shadowOf returns the shadow type of t.
func shadowOf(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Pointer:
		return reflect.PointerTo(shadowOf(t.Elem()))
	case reflect.Slice:
		if t == reflect.TypeOf(json.RawMessage(nil)) {
			return t
		}
		return reflect.SliceOf(shadowOf(t.Elem()))
	case reflect.Map:
		return reflect.MapOf(t.Key(), shadowOf(t.Elem()))
	case reflect.Struct:
		if t == timeType || t == secretType {
			return reflect.TypeOf("")
		}
		if s, ok := shadowTypes[t]; ok {
			return s
		}
		var fields []reflect.StructField
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() || f.Tag.Get("json") == "-" {
				continue
			}
			fields = append(fields, reflect.StructField{Name: f.Name, Type: shadowOf(f.Type), Tag: f.Tag, Anonymous: f.Anonymous})
		}
		s := reflect.StructOf(fields)
		shadowTypes[t] = s
		return s
	default:
		return t
	}
}

// shadowFor returns the shadow struct type of ev's event type.
func shadowFor(ev lswebhook.Event) reflect.Type {
	shadowMu.Lock()
	defer shadowMu.Unlock()
	return shadowOf(reflect.TypeOf(ev).Elem())
}

// HTTP: requests as Label Studio sends them, and what the handler answers.

// htUserAgent is the User-Agent of Label Studio's webhook requests, as
// captured from a 1.23.2 server (python-requests).
var htUserAgent = func() string {
	r, _ := lswebhooktest.LookupRelease(lswebhooktest.DefaultRelease)
	return r.UserAgent()
}()

// htPost sends body as Label Studio does.
func htPost(t testing.TB, client *http.Client, url string, body []byte, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", htUserAgent)
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// htRequest builds a request with Label Studio's User-Agent and a JSON
// Content-Type, then sets the header name and value pairs that follow the
// body (an empty value deletes the header).
func htRequest(method, body string, header ...string) *http.Request {
	req := httptest.NewRequest(method, "/webhook", strings.NewReader(body))
	req.Header.Set("User-Agent", htUserAgent)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	return req
}

// htDo runs one request through h without a network.
func htDo(h http.Handler, req *http.Request) (*http.Response, []byte) {
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	resp := rr.Result()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// htProblem is the problem body the handler writes.
type htProblem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail"`
	Action   string              `json:"action"`
	Errors   []lswebhook.Problem `json:"errors"`
	Offset   *int64              `json:"offset"`
	Pointer  *string             `json:"pointer"`
	MaxBytes int64               `json:"max_bytes"`
}

// chunked hides the length of a body so that the handler must count it.
type chunked struct{ r io.Reader }

func (c chunked) Read(p []byte) (int, error) { return c.r.Read(p) }

// htPadded returns a valid payload of exactly n bytes: an action-only
// body padded with trailing white space.
func htPadded(n int) []byte {
	b := []byte(`{"action":"PROJECT_UPDATED"}`)
	return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
}

// htTasksCreated builds a TASKS_CREATED of n tasks shaped like the captured
// ones, each with dataBytes of text.
func htTasksCreated(t testing.TB, n, dataBytes int) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	readJSON(t, htCapture(t, "TASKS_CREATED-project"), &m)
	var tasks []map[string]json.RawMessage
	if err := json.Unmarshal(m["tasks"], &tasks); err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("Alice works at Acme. ", dataBytes/21+1)[:dataBytes]
	out := make([]map[string]json.RawMessage, n)
	for i := range out {
		task := make(map[string]json.RawMessage)
		for k, v := range tasks[i%len(tasks)] {
			task[k] = v
		}
		task["id"] = json.RawMessage(fmt.Sprint(1000 + i))
		task["inner_id"] = json.RawMessage(fmt.Sprint(1 + i))
		data, _ := json.Marshal(map[string]string{"text": text})
		task["data"] = data
		out[i] = task
	}
	tb, _ := json.Marshal(out)
	body, err := json.Marshal(map[string]json.RawMessage{"action": json.RawMessage(`"TASKS_CREATED"`), "tasks": tb, "project": m["project"]})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// htPanics checks that f panics with a message that starts with the
// package name.
func htPanics(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Errorf("%s: no panic", name)
		} else if s := fmt.Sprint(r); !strings.HasPrefix(s, "lswebhook: ") {
			t.Errorf("%s: panic %q lacks the lswebhook: prefix", name, s)
		}
	}()
	f()
}

// syncBuffer is a bytes.Buffer safe for concurrent writers (a process's
// output, a logger's handler) and the test reading it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ldMemory runs f while sampling the heap, and returns the peak HeapInuse
// above the level before f and the bytes allocated during f.
func ldMemory(f func()) (peak, allocated uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	sampled := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var top uint64
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse)
			select {
			case <-stop:
				sampled <- top
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	top := <-sampled
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	top = max(top, after.HeapInuse)
	if top > before.HeapInuse {
		peak = top - before.HeapInuse
	}
	return peak, after.TotalAlloc - before.TotalAlloc
}

// Secrets, and the search for them in output.

// Distinctive secrets put into the payloads in place of the captured
// placeholders ("REDACTED-token" in the 1.23.2 captures). Each holds a
// core of hex digits the leak search looks for.
var htSecrets = map[string]string{
	"token":              "tok-9f3a1c7e-SECRET",
	"task_data_login":    "login-4be2d7aa-SECRET",
	"task_data_password": "pw-77c0e1b3-SECRET",
}

// htExtraSecret is put, under a member named token, inside unmodelled
// members: the raw JSON of Extra maps.
const htExtraSecret = "xtra-5d1e88c2-SECRET"

// htModelled are the secrets the Secret fields hold; htAll adds the one in
// Extra.
var (
	htModelled = []string{htSecrets["token"], htSecrets["task_data_login"], htSecrets["task_data_password"]}
	htAll      = append(append([]string(nil), htModelled...), htExtraSecret)
)

var htSecretMember = regexp.MustCompile(`"(token|task_data_login|task_data_password)"(\s*):(\s*)("(?:[^"\\]|\\.)*"|null)`)

// htWithSecrets returns body with every token, task_data_login and
// task_data_password member set to a distinctive secret.
func htWithSecrets(t testing.TB, body []byte) []byte {
	t.Helper()
	return htSecretMember.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := htSecretMember.FindSubmatch(m)
		return []byte(fmt.Sprintf(`"%s"%s:%s"%s"`, sub[1], sub[2], sub[3], htSecrets[string(sub[1])]))
	})
}

// htCore is the distinctive part of a secret.
func htCore(secret string) string { return strings.Split(secret, "-")[1] }

// htPatterns returns the forms in which fmt, log/slog and encoding/json
// can show the core of secret: as text, in hex (%x, %X, % x), as the
// elements of a byte slice (%v, %#v, %o, %O, %b, %c, %U: the form the raw
// JSON of a json.RawMessage takes), and in base64 at each alignment (a
// []byte in JSON).
func htPatterns(secret string) []string {
	core := []byte(htCore(secret))
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		if len(p) >= 8 && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	add(string(core))
	for _, f := range []string{"%x", "%X", "% x", "% X", "% #x", "%v", "%#v", "%o", "%#o", "%O", "%b", "%c", "%U", "%#U"} {
		add(strings.Trim(strings.TrimPrefix(fmt.Sprintf(f, core), "[]byte{"), "[]{}"))
	}
	for off := 0; off < 3; off++ {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, off), core...))
		add(enc[(8*off+5)/6 : 8*(off+len(core))/6])
	}
	return out
}

var htPatternsOf = map[string][]string{}

func init() {
	for _, s := range htAll {
		htPatternsOf[s] = htPatterns(s)
	}
}

// htLeaked returns the secrets s shows, as text or encoded.
func htLeaked(s string, secrets []string) []string {
	var out []string
	for _, secret := range secrets {
		for _, p := range htPatternsOf[secret] {
			if strings.Contains(s, p) {
				out = append(out, secret)
				break
			}
		}
	}
	return out
}

// htAssertNoSecret fails if s holds one of the secrets (all of them when
// none are given), as text or encoded.
func htAssertNoSecret(t testing.TB, what, s string, secrets ...string) {
	t.Helper()
	if len(secrets) == 0 {
		secrets = htAll
	}
	leaked := htLeaked(s, secrets)
	if len(leaked) == 0 {
		return
	}
	for _, p := range htPatternsOf[leaked[0]] {
		if i := strings.Index(s, p); i >= 0 {
			t.Errorf("%s shows %q, here: %q", what, leaked, s[max(0, i-300):min(len(s), i+100)])
			return
		}
	}
}

// htFlags and htVerbs make every verb and flag combination the tests
// format with.
var (
	htFlags = []string{"", "+", "#", "-", " ", "0", "+#", "-#", "12", "-12", ".4", "#12.4"}
	htVerbs = []rune{'v', 's', 'q', 'x', 'X', 'd', 'b', 'o', 'O', 'c', 'U', 'e', 'f', 'g', 't', 'p', 'T', 'w'}
)

// htBypass reports whether fmt prints v with verb without consulting its
// methods: %w with an argument that is not an error, and %p with one that
// is not a pointer. fmt then prints v by reflection; Secret and Raw are
// behind pointers and show as addresses, but the raw JSON of an Extra map
// shows as bytes.
func htBypass(v any, verb rune) bool {
	if verb == 'w' {
		_, isErr := v.(error)
		return !isErr
	}
	return verb == 'p' && reflect.ValueOf(v).Kind() != reflect.Pointer
}

// htCheckFormats formats v with every verb and flag combination, as the
// argument of fmt.Sprintf (and of fmt.Errorf for %v and %w), and checks the output for
// secrets: every secret when fmt consults v's methods, the modelled ones
// when it bypasses them (see htBypass), none when rawBypass is set.
func htCheckFormats(t *testing.T, name string, v any, rawBypass bool) {
	t.Helper()
	var via, bypass strings.Builder
	for _, verb := range htVerbs {
		for _, flags := range htFlags {
			format := "%" + flags + string(verb)
			out := &via
			if htBypass(v, verb) {
				out = &bypass
			}
			fmt.Fprintf(out, format+"\n", v)
			if verb == 'w' || verb == 'v' {
				fmt.Fprintf(out, "%s\n", fmt.Errorf("wrapped "+format, v))
			}
		}
	}
	fmt.Fprintln(&via, v)
	fmt.Fprint(&via, v, []any{v}, map[string]any{"k": v}, struct{ V any }{v})
	htAssertNoSecret(t, name+" formatted", via.String())
	if !rawBypass {
		htAssertNoSecret(t, name+" formatted with a bad verb", bypass.String(), htModelled...)
	}
}

// htLogAll logs v as an attribute, in a group and through With, with the
// text and the JSON handlers of log/slog.
func htLogAll(v any) string { return htLog(v, true) }

// htLog logs v with the text handler, and with the JSON handler too when
// withJSON is set.
func htLog(v any, withJSON bool) string {
	var b strings.Builder
	loggers := []*slog.Logger{slog.New(slog.NewTextHandler(&b, nil))}
	if withJSON {
		loggers = append(loggers, slog.New(slog.NewJSONHandler(&b, nil)))
	}
	for _, l := range loggers {
		l.Info("m", "v", v)
		l.Info("m", slog.Group("g", "v", v))
		l.With("w", v).Info("m")
		l.Error("m", "err", fmt.Errorf("failed: %v", v))
	}
	return b.String()
}
