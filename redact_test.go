package lswebhook_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// Distinctive secrets put into the payloads in place of the captured
// placeholders.
var htSecrets = map[string]string{
	"token":              "tok-9f3a1c7e-SECRET",
	"task_data_login":    "login-4be2d7aa-SECRET",
	"task_data_password": "pw-77c0e1b3-SECRET",
}

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

// htAssertNoSecret fails if s holds a secret, literally or in hex.
func htAssertNoSecret(t testing.TB, s string, extra ...string) {
	t.Helper()
	secrets := append([]string(nil), extra...)
	for _, v := range htSecrets {
		secrets = append(secrets, v, strings.TrimSuffix(v, "-SECRET"))
	}
	for _, v := range secrets {
		for _, form := range []string{v, hex.EncodeToString([]byte(v)), strings.ToUpper(hex.EncodeToString([]byte(v)))} {
			if strings.Contains(s, form) {
				t.Errorf("output holds the secret %q:\n%.2000s", v, s)
				return
			}
		}
	}
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

var htVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10.3v", "%d"}

// htFormatAll formats v with every verb and logs it with both slog
// handlers.
func htFormatAll(v any) string {
	var b strings.Builder
	for _, verb := range htVerbs {
		fmt.Fprintf(&b, verb+"\n", v)
	}
	fmt.Fprintln(&b, v)
	fmt.Fprint(&b, v)
	slog.New(slog.NewTextHandler(&b, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("m", slog.Group("g", "v", v))
	return b.String()
}

// TestRedactPayloads formats and logs every payload, with distinctive
// secrets put in, as an event, as a value, and each of its projects, and
// checks that no secret shows.
func TestRedactPayloads(t *testing.T) {
	withSecrets := 0
	for _, path := range htFiles(t, htDirs...) {
		body := htWithSecrets(t, htRead(t, path))
		ev, err := lswebhook.Decode(body)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		out := htFormatAll(ev)
		out += htFormatAll(reflect.ValueOf(ev).Elem().Interface()) // the struct, not the pointer
		for _, p := range htProjects(ev) {
			out += htFormatAll(p)
			out += htFormatAll(*p)
			if p.Token != "" || p.TaskDataLogin != "" || p.TaskDataPassword != "" {
				withSecrets++
				if p.Token != htSecrets["token"] {
					t.Errorf("%s: the secret was not put in: %q", path, p.Token)
				}
				if !strings.Contains(fmt.Sprintf("%+v", p), "Token:[REDACTED]") {
					t.Errorf("%s: %%+v does not show the redaction", path)
				}
				if p.Title != "" && !strings.Contains(fmt.Sprint(p), p.Title) {
					t.Errorf("%s: formatted project lacks its title", path)
				}
			}
		}
		htAssertNoSecret(t, out)
		if t.Failed() {
			t.Fatalf("first failure in %s", path)
		}
	}
	if withSecrets < 50 {
		t.Errorf("only %d projects had secrets; the test lost its bite", withSecrets)
	}
}

// TestRedactFormatShape checks that the formatted forms stay useful.
func TestRedactFormatShape(t *testing.T) {
	p := lswebhook.Project{ID: 7, Title: "Cats", Token: "tok-9f3a1c7e-SECRET"}
	if got := fmt.Sprintf("%#v", p); !strings.HasPrefix(got, `lswebhook.Project{ID:7, Title:"Cats",`) || !strings.Contains(got, `Token:"[REDACTED]"`) {
		t.Errorf("%%#v = %s", got)
	}
	if got := fmt.Sprintf("%+v", p); !strings.HasPrefix(got, "{ID:7 Title:Cats ") || !strings.Contains(got, "TaskDataLogin: ") {
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

// TestRedactUnknownEvent checks that an unknown action, whose members are
// kept as raw JSON, does not show secrets either.
func TestRedactUnknownEvent(t *testing.T) {
	body := htWithSecrets(t, htRead(t, htCapture(t, "PROJECT_UPDATED-project")))
	body = bytes.Replace(body, []byte(`"PROJECT_UPDATED"`), []byte(`"PROJECT_RENAMED"`), 1)
	body = bytes.Replace(body, []byte(`{"action"`), []byte(`{"nested": [{"deeper": {"token": "tok-9f3a1c7e-SECRET"}}], "task_data_password": "pw-77c0e1b3-SECRET", "action"`), 1)
	ev, err := lswebhook.Decode(body)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := ev.(*lswebhook.UnknownEvent)
	if !ok {
		t.Fatalf("%T", ev)
	}
	out := htFormatAll(u)
	htAssertNoSecret(t, out)
	if !strings.Contains(fmt.Sprintf("%s", u), `"title":"Harness text"`) {
		t.Errorf("the members are not shown: %s", fmt.Sprintf("%.300s", fmt.Sprintf("%s", u)))
	}
	if string(u.Extra["task_data_password"]) != `"pw-77c0e1b3-SECRET"` {
		t.Errorf("formatting changed the event's Extra")
	}
}

// TestRedactHandlerLogs replays every payload through a Handler that logs
// at Debug level, and checks the log.
func TestRedactHandlerLogs(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := lswebhook.NewHandler(func(ctx context.Context, ev lswebhook.Event) error {
		if _, ok := ev.(*lswebhook.StartTraining); ok {
			return fmt.Errorf("training failed for %v", ev) // an error quoting the event
		}
		return nil
	}, lswebhook.WithLogger(logger))
	for _, path := range htFiles(t, htDirs...) {
		body := htWithSecrets(t, htRead(t, path))
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, htRequest("POST", string(body)))
		io.Copy(io.Discard, rr.Body)
	}
	if !strings.Contains(buf.String(), "project.id=") {
		t.Errorf("log lacks projects:\n%.2000s", buf.String())
	}
	htAssertNoSecret(t, buf.String())
}
