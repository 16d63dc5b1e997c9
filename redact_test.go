package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

var htProjectStart = regexp.MustCompile(`"project"\s*:\s*\{`)

// htWithExtraSecrets returns body with an unmodelled member holding
// htExtraSecret under "token" at the top level and in the project object.
func htWithExtraSecrets(body []byte) []byte {
	nested := `{"deep": [{"token": "` + htExtraSecret + `"}], "task_data_password": "` + htExtraSecret + `"}`
	body = htProjectStart.ReplaceAllLiteral(body, []byte(`"project": {"x_settings": `+nested+`, `))
	i := bytes.IndexByte(body, '{')
	return append(append(append([]byte(nil), body[:i+1]...), `"x_nested": `+nested+`, `...), body[i+1:]...)
}

// TestLeakSearch checks that the search finds a secret in each form it
// looks for, inside longer output, so that the tests below can fail.
func TestLeakSearch(t *testing.T) {
	s := htSecrets["token"]
	rawJSON := []byte(`{"a":1,"token":"` + s + `"}`)
	outs := []string{
		"x " + s + " y",
		fmt.Sprintf("x %x y", "{"+s+"}"),
		fmt.Sprintf("%X", "id="+s),
		fmt.Sprintf("% x", rawJSON),
		string(must(json.Marshal(struct{ B []byte }{rawJSON}))),
		string(must(json.Marshal(struct{ B []byte }{rawJSON[1:]}))),
		string(must(json.Marshal(struct{ B []byte }{rawJSON[2:]}))),
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%d", "%o", "%O", "%b", "%c", "%U", "%x", "%X", "%q", "%s"} {
		outs = append(outs, fmt.Sprintf(verb, rawJSON), fmt.Sprintf(verb, map[string]json.RawMessage{"x": rawJSON}))
	}
	for _, out := range outs {
		if got := htLeaked(out, htAll); len(got) != 1 || got[0] != s {
			t.Errorf("the search finds %q in %.200s", got, out)
		}
	}
	if got := htLeaked(fmt.Sprintf("%x %v %v", "[REDACTED]", []byte(`{"token":"[REDACTED]"}`), []byte("REDACTED-token")), htAll); got != nil {
		t.Errorf("the search finds %q in the markers", got)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// htCheckErrors builds errors that quote v in the ways code does, and
// checks their texts, their formatting and their logging for secrets.
// %#v prints an error by reflection, and fmt cannot call the methods of
// what an unexported field holds (htOpaqueError): there the raw JSON of
// Extra shows as bytes, so only the modelled secrets are checked.
func htCheckErrors(t *testing.T, name string, v any) {
	t.Helper()
	errs := []error{
		fmt.Errorf("quoting %v", v),
		fmt.Errorf("quoting %+v", v),
		fmt.Errorf("quoting %#v", v),
		fmt.Errorf("quoting %s", v),
		htEventError{v},
		htOpaqueError{v},
	}
	errs = append(errs, fmt.Errorf("outer: %w", errs[0]), fmt.Errorf("two: %w, %w", errs[1], htEventError{v}))
	errs = append(errs, errors.Join(errs...), errors.Join(fmt.Errorf("deep: %w", errors.Join(errs[2], errs[4], errs[5]))))
	var b, sharp strings.Builder
	for _, err := range errs {
		for _, verb := range []string{"%v", "%+v", "%s", "%q", "%x"} {
			fmt.Fprintf(&b, verb+"\n", err)
		}
		fmt.Fprintf(&sharp, "%#v\n", err)
		for e := err; e != nil; e = errors.Unwrap(e) {
			b.WriteString(e.Error() + "\n")
		}
		var target htEventError
		if errors.As(err, &target) {
			fmt.Fprintf(&b, "%v %+v %#v\n", target, target.V, target)
		}
		b.WriteString(htLogAll(err))
	}
	htAssertNoSecret(t, name+" in errors", b.String())
	htAssertNoSecret(t, name+" in errors printed with %#v", sharp.String(), htModelled...)
}

// htEventError is an error type holding an event, as a receiver's code
// might define.
type htEventError struct{ V any }

func (e htEventError) Error() string { return fmt.Sprintf("cannot store %v", e.V) }

// htOpaqueError holds the event in an unexported field.
type htOpaqueError struct{ v any }

func (e htOpaqueError) Error() string { return fmt.Sprintf("cannot store %v", e.v) }

// htDecodeWithSecrets decodes the payload at path with the distinctive
// secrets put in, and with secrets in unmodelled members when extra is set.
func htDecodeWithSecrets(t *testing.T, path string, extra bool) lswebhook.Event {
	t.Helper()
	body := htWithSecrets(t, readFile(t, path))
	if extra {
		body = htWithExtraSecrets(body)
	}
	ev, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return ev
}

// htProjects returns the projects an event carries.
func htProjects(ev lswebhook.Event) []*lswebhook.Project {
	var out []*lswebhook.Project
	v := reflect.ValueOf(ev).Elem()
	for i := 0; i < v.NumField(); i++ {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		if p, ok := v.Field(i).Interface().(*lswebhook.Project); ok && p != nil {
			out = append(out, p)
		}
	}
	return out
}

// htCheckSecretsIn checks that a decoded event holds the secrets where the
// test expects them, so that searching its output for them means
// something: the project reveals them, and json.Marshal keeps them.
func htCheckSecretsIn(t *testing.T, name string, ev lswebhook.Event, extra bool) {
	t.Helper()
	ps := htProjects(ev)
	if len(ps) == 0 {
		t.Fatalf("%s carries no project", name)
	}
	for _, p := range ps {
		if p.Token.Reveal() != htSecrets["token"] || p.TaskDataPassword.Reveal() != htSecrets["task_data_password"] {
			t.Fatalf("%s: the secrets were not put in: %q %q", name, p.Token.Reveal(), p.TaskDataPassword.Reveal())
		}
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	want := htModelled
	if extra {
		want = htAll
	}
	if got := htLeaked(string(b), want); len(got) != len(want) {
		t.Errorf("%s: json.Marshal keeps only %q of %q:\n%.500s", name, got, want, b)
	}
}

// htOnePerType returns, for each event type the captures hold with a
// project, the first capture of that type.
func htOnePerType(t *testing.T) map[reflect.Type]string {
	out := map[reflect.Type]string{}
	for _, path := range htFiles(t, htDirs...) {
		body := htWithSecrets(t, readFile(t, path))
		ev, err := lswebhook.Decode(body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, seen := out[reflect.TypeOf(ev)]; seen || len(htProjects(ev)) == 0 || htProjects(ev)[0].Token.IsZero() {
			continue
		}
		out[reflect.TypeOf(ev)] = path
	}
	return out
}

// TestRedactEveryVerb formats one payload of each event type that carries
// a project, with secrets put in its project and in unmodelled members,
// with every verb and flag combination: the event, the event struct, the
// project and each secret.
func TestRedactEveryVerb(t *testing.T) {
	paths := htOnePerType(t)
	if len(paths) < 10 {
		t.Fatalf("only %d event types with a project among the payloads", len(paths))
	}
	for typ, path := range paths {
		t.Run(typ.Elem().Name(), func(t *testing.T) {
			ev := htDecodeWithSecrets(t, path, true)
			htCheckSecretsIn(t, path, ev, true)
			p := htProjects(ev)[0]
			if len(p.Extra) == 0 || len(reflect.ValueOf(ev).Elem().FieldByName("Extra").Interface().(map[string]json.RawMessage)) == 0 {
				t.Fatalf("%s: the unmodelled members were not put in", path)
			}
			htCheckFormats(t, "event", ev, false)
			htCheckFormats(t, "event struct", reflect.ValueOf(ev).Elem().Interface(), false)
			htCheckFormats(t, "project struct", *p, false)
			htCheckFormats(t, "token", p.Token, false)
		})
	}
}

// TestRedactGoBuilt formats an event of every type, built in Go with a
// project and unmodelled members that hold secrets, with every verb and
// flag combination, and logs it.
func TestRedactGoBuilt(t *testing.T) {
	nested := json.RawMessage(`{"deep":[{"token":"` + htExtraSecret + `"}]}`)
	project := &lswebhook.Project{
		ID: 3, Title: "Built",
		Token:            lswebhook.NewSecret(htSecrets["token"]),
		TaskDataLogin:    lswebhook.NewSecret(htSecrets["task_data_login"]),
		TaskDataPassword: lswebhook.NewSecret(htSecrets["task_data_password"]),
		Extra:            map[string]json.RawMessage{"x_settings": nested},
	}
	withProject := 0
	for _, info := range lswebhook.Actions() {
		ev := reflect.New(reflect.TypeOf(info.New()).Elem())
		if f := ev.Elem().FieldByName("Project"); f.Type() == reflect.TypeOf(project) {
			f.Set(reflect.ValueOf(project))
			withProject++
		}
		ev.Elem().FieldByName("Extra").Set(reflect.ValueOf(map[string]json.RawMessage{"x_nested": nested, "token": json.RawMessage(`"` + htExtraSecret + `"`)}))
		name := string(info.Action)
		htCheckFormats(t, name, ev.Interface(), false)
		htCheckFormats(t, name+" struct", ev.Elem().Interface(), false)
		htAssertNoSecret(t, name+" logged", htLogAll(ev.Interface()))
		htCheckErrors(t, name, ev.Interface())
	}
	if withProject < 14 {
		t.Errorf("only %d event types carry a project", withProject)
	}
}

// TestRedactPayloads formats and logs every payload, with distinctive
// secrets put in, as an event, as a value, and each of its projects, with
// the common verbs, and checks that no secret shows.
func TestRedactPayloads(t *testing.T) {
	withSecrets := 0
	for _, path := range htFiles(t, htDirs...) {
		ev := htDecodeWithSecrets(t, path, false)
		values := []any{ev, reflect.ValueOf(ev).Elem().Interface()}
		for _, p := range htProjects(ev) {
			values = append(values, *p, p.TaskDataPassword)
			if !p.Token.IsZero() {
				withSecrets++
				htCheckSecretsIn(t, path, ev, false)
				if !strings.Contains(fmt.Sprintf("%+v", p), "Token:[REDACTED]") {
					t.Errorf("%s: %%+v does not show the redaction", path)
				}
				if p.Title != "" && !strings.Contains(fmt.Sprint(p), p.Title) {
					t.Errorf("%s: formatted project lacks its title", path)
				}
			}
		}
		var b strings.Builder
		for _, v := range values {
			for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v", "%p", "%w"} {
				fmt.Fprintf(&b, format+"\n", v)
			}
			b.WriteString(htLogAll(v))
		}
		htAssertNoSecret(t, path, b.String())
		if t.Failed() {
			t.Fatalf("first failure in %s", path)
		}
	}
	if withSecrets < 50 {
		t.Errorf("only %d projects had secrets; the test lost its bite", withSecrets)
	}
}

// TestRedactErrors quotes a decoded event, its project and its token in
// errors (fmt.Errorf with each verb, %w chains, errors.Join, an error
// type that holds the event) and checks their texts and logs.
func TestRedactErrors(t *testing.T) {
	ev := htDecodeWithSecrets(t, htCapture(t, "ANNOTATION_CREATED-project"), true)
	htCheckSecretsIn(t, "ANNOTATION_CREATED", ev, true)
	p := htProjects(ev)[0]
	for name, v := range map[string]any{"event": ev, "project": p, "project struct": *p, "token": p.Token} {
		htCheckErrors(t, name, v)
	}
}

// TestRedactFormatShape checks that the formatted forms stay useful.
func TestRedactFormatShape(t *testing.T) {
	p := lswebhook.Project{ID: 7, Title: "Cats", Token: lswebhook.NewSecret(htSecrets["token"])}
	if got := fmt.Sprintf("%#v", p); !strings.HasPrefix(got, `lswebhook.Project{ID:7, Title:"Cats",`) ||
		!strings.Contains(got, `Token:lswebhook.NewSecret("[REDACTED]"), `) || !strings.Contains(got, `TaskDataLogin:lswebhook.Secret{}, `) {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprintf("%+v", p); !strings.HasPrefix(got, "{ID:7 Title:Cats ") || !strings.Contains(got, " Token:[REDACTED] ") || !strings.Contains(got, " TaskDataLogin: ") {
		t.Errorf("%%+v = %s", got)
	}
	ev := &lswebhook.ProjectUpdated{Project: &p}
	if got := fmt.Sprintf("%+v", ev); !strings.HasPrefix(got, "{Project:&{ID:7 Title:Cats ") {
		t.Errorf("event %%+v = %s", got)
	}
	if got := fmt.Sprintf("%#v", ev); !strings.HasPrefix(got, "lswebhook.ProjectUpdated{Project:&lswebhook.Project{ID:7,") {
		t.Errorf("event %%#v = %s", got)
	}
	if got := fmt.Sprintf("%v", &lswebhook.TasksCreated{}); got != "{[] <nil> map[]}" {
		t.Errorf("empty event %%v = %s", got)
	}
	if got := fmt.Sprintf("%#v", &lswebhook.AnnotationCreated{}); !strings.Contains(got, "Annotation:(*lswebhook.Annotation)(nil)") {
		t.Errorf("empty event %%#v = %s", got)
	}
	var nilProject *lswebhook.Project
	if got := fmt.Sprint(nilProject); got != "<nil>" {
		t.Errorf("nil project: %s", got)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "event", ev)
	if !strings.Contains(buf.String(), "event.action=PROJECT_UPDATED event.project.id=7 event.project.title=Cats") {
		t.Errorf("slog: %s", buf.String())
	}
}

// TestRedactExtra checks that members named like a secret inside Extra are
// replaced when formatting, at any depth, and left alone in the value.
func TestRedactExtra(t *testing.T) {
	p := lswebhook.Project{ID: 1, Extra: map[string]json.RawMessage{
		"x_settings": json.RawMessage(`{"a": [{"token": "` + htExtraSecret + `", "token_hint": "kept"}], "task_data_login": null, "b": 1}`),
		"x_broken":   json.RawMessage(`{"token": "` + htExtraSecret), // not JSON: replaced whole
		"x_plain":    json.RawMessage(`"kept too"`),
	}}
	got := fmt.Sprintf("%s", p)
	htAssertNoSecret(t, "project", got)
	for _, want := range []string{`"token":"[REDACTED]"`, `"token_hint":"kept"`, `"task_data_login":null`, `x_plain:"kept too"`, `x_broken:"[REDACTED]"`} {
		if !strings.Contains(got, want) {
			t.Errorf("%%s lacks %s: %s", want, got)
		}
	}
	if !bytes.Contains(p.Extra["x_settings"], []byte(htExtraSecret)) {
		t.Errorf("formatting changed the project's Extra")
	}
}

// TestRedactUnknownEvent checks that an unknown action, whose members are
// kept as raw JSON, does not show secrets either.
func TestRedactUnknownEvent(t *testing.T) {
	body := htWithSecrets(t, readFile(t, htCapture(t, "PROJECT_UPDATED-project")))
	body = bytes.Replace(body, []byte(`"PROJECT_UPDATED"`), []byte(`"PROJECT_RENAMED"`), 1)
	body = htWithExtraSecrets(body)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := ev.(*lswebhook.UnknownEvent)
	if !ok {
		t.Fatalf("%T", ev)
	}
	if got := htLeaked(string(must(json.Marshal(u))), htAll); len(got) != len(htAll) {
		t.Fatalf("the event holds %q only", got)
	}
	// The project is raw JSON in Extra: fmt prints its bytes when it
	// bypasses Format (htBypass), so only the verbs that reach Format are
	// checked.
	htCheckFormats(t, "unknown event", u, true)
	htAssertNoSecret(t, "unknown event logged", htLogAll(u))
	htCheckErrors(t, "unknown event", u)
	if !strings.Contains(fmt.Sprintf("%s", u), `"title":"Harness text"`) {
		t.Errorf("the members are not shown: %.300s", fmt.Sprintf("%s", u))
	}
	if string(u.Extra["x_nested"]) == "" || !bytes.Contains(u.Extra["project"], []byte(htSecrets["token"])) {
		t.Errorf("formatting changed the event's Extra")
	}
}

// TestRedactJSONKeeps checks that json.Marshal keeps every secret, so that
// a decoded event forwards as sent and decodes to an equal event.
func TestRedactJSONKeeps(t *testing.T) {
	for typ, path := range htOnePerType(t) {
		ev := htDecodeWithSecrets(t, path, true)
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		again, err := lswebhook.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if diff := cmp.Diff(ev, again, lswebhooktest.CmpOptions()); diff != "" {
			t.Errorf("%s: (-decoded +re-decoded)\n%s", typ, diff)
		}
		if p := htProjects(again)[0]; p.Token.Reveal() != htSecrets["token"] || p.TaskDataLogin.Reveal() != htSecrets["task_data_login"] {
			t.Errorf("%s: re-decoded secrets %q %q", typ, p.Token.Reveal(), p.TaskDataLogin.Reveal())
		}
		if !bytes.Contains(ev.Raw(), []byte(htSecrets["token"])) {
			t.Errorf("%s: Raw lacks the token", typ)
		}
	}
}

// TestRedactHandler replays payloads with secrets through Handlers that
// log with the text and the JSON handlers at Debug level and whose
// function fails quoting the event, and checks the answers and the logs;
// then refused bodies that hold secrets.
func TestRedactHandler(t *testing.T) {
	var logs, answers strings.Builder
	fail := func(ctx context.Context, ev lswebhook.Event) error {
		switch ev.(type) {
		case *lswebhook.StartTraining, *lswebhook.AnnotationCreated, *lswebhook.ProjectUpdated:
			return errors.Join(fmt.Errorf("training failed for %+v: %w", ev, htEventError{ev}), fmt.Errorf("%#v", ev))
		}
		return nil
	}
	handlers := []*lswebhook.Handler{
		lswebhook.NewHandler(fail, lswebhook.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
		lswebhook.NewHandler(fail, lswebhook.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))),
	}
	statuses := map[int]int{}
	for _, path := range htFiles(t, htDirs...) {
		body := htWithExtraSecrets(htWithSecrets(t, readFile(t, path)))
		for _, h := range handlers {
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, htRequest("POST", string(body)))
			statuses[rr.Code]++
			_, _ = io.Copy(&answers, rr.Body)
		}
	}
	if statuses[200] == 0 || statuses[500] == 0 {
		t.Errorf("statuses %v: want answers 200 and 500", statuses)
	}
	// Refusals of bodies that hold secrets where the schema refuses them,
	// next to a fault, and before a syntax error.
	base := string(htWithSecrets(t, readFile(t, htCapture(t, "PROJECT_UPDATED-project"))))
	tok := `"token": "` + htSecrets["token"] + `"`
	refused := []string{
		strings.Replace(base, tok, `"token": {"value": "`+htSecrets["token"]+`"}`, 1),
		strings.Replace(base, tok, `"token": ["`+htSecrets["token"]+`"]`, 1),
		strings.Replace(base, tok, tok+`, "id": "`+htSecrets["task_data_login"]+`"`, 1),
		strings.Replace(base, `"id": 1`, `"id": "`+htSecrets["task_data_password"]+`"`, 1),
		base[:strings.Index(base, tok)+len(tok)] + `, "x": tru`,
		base[:strings.Index(base, tok)+len(tok)-2] + "\x00\"}",
	}
	for i, body := range refused {
		if !strings.Contains(body, htCore(htSecrets["token"])) && !strings.Contains(body, htCore(htSecrets["task_data_password"])) {
			t.Fatalf("refused body %d lost its secret", i)
		}
		for _, h := range handlers {
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, htRequest("POST", body))
			if rr.Code != 400 {
				t.Errorf("refused body %d: status %d", i, rr.Code)
			}
			_, _ = io.Copy(&answers, rr.Body)
		}
	}
	if !strings.Contains(logs.String(), "project.id=") || !strings.Contains(logs.String(), `"project":{"id":`) {
		t.Errorf("log lacks projects:\n%.2000s", logs.String())
	}
	if !strings.Contains(logs.String(), "training failed for") || !strings.Contains(logs.String(), "delivery refused") {
		t.Errorf("log lacks the function's errors or the refusals:\n%.2000s", logs.String())
	}
	htAssertNoSecret(t, "the logs", logs.String())
	htAssertNoSecret(t, "the answers", answers.String())
}

// Formatting and logging a project never shows its secrets.
func ExampleProject_Format() {
	p := &lswebhook.Project{ID: 7, Title: "Street scenes", Token: lswebhook.NewSecret("0123456789abcdef"), TaskDataPassword: lswebhook.NewSecret("hunter2")}
	s := fmt.Sprintf("%+v", p)
	fmt.Println(strings.Contains(s, "Token:[REDACTED]"), strings.Contains(s, "hunter2"))

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	logger.Info("delivery", "event", &lswebhook.ProjectUpdated{Project: p})
	// Output:
	// true false
	// level=INFO msg=delivery event.action=PROJECT_UPDATED event.project.id=7 event.project.title="Street scenes"
}
