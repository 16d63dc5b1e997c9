package lswebhook_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestSecretFormat checks what each verb prints for a set and an empty
// secret.
func TestSecretFormat(t *testing.T) {
	s := lswebhook.NewSecret(htSecrets["token"])
	var empty lswebhook.Secret
	hexMarker := hex.EncodeToString([]byte("[REDACTED]"))
	for _, c := range []struct {
		format string
		s      lswebhook.Secret
		want   string
	}{
		{"%v", s, "[REDACTED]"},
		{"%+v", s, "[REDACTED]"},
		{"%s", s, "[REDACTED]"},
		{"%q", s, `"[REDACTED]"`},
		{"%x", s, hexMarker},
		{"%X", s, strings.ToUpper(hexMarker)},
		{"% x", s, fmt.Sprintf("% x", "[REDACTED]")},
		{"%#v", s, `lswebhook.NewSecret("[REDACTED]")`},
		{"%d", s, "%!d(lswebhook.Secret=[REDACTED])"},
		{"%t", s, "%!t(lswebhook.Secret=[REDACTED])"},
		{"%12v", s, "  [REDACTED]"},
		{"%-12s|", s, "[REDACTED]  |"},
		{"%.4s", s, "[RED"},
		{"%T", s, "lswebhook.Secret"},
		{"%v", empty, ""},
		{"%q", empty, `""`},
		{"%x", empty, ""},
		{"%#v", empty, "lswebhook.Secret{}"},
		{"%d", empty, "%!d(lswebhook.Secret=)"},
		{"%v", lswebhook.NewSecret(""), ""},
	} {
		if got := fmt.Sprintf(c.format, c.s); got != c.want {
			t.Errorf("Sprintf(%q) = %q, want %q", c.format, got, c.want)
		}
	}
	if s.String() != "[REDACTED]" || empty.String() != "" || s.String() != lswebhook.RedactedText {
		t.Errorf("String = %q and %q", s.String(), empty.String())
	}
	if s.GoString() != `lswebhook.NewSecret("[REDACTED]")` {
		t.Errorf("GoString = %q", s.GoString())
	}
	// fmt handles %p, and %w with an argument that is not an error,
	// without the value's methods: it prints the fields by reflection.
	p, w := "%p", "%w"
	for _, got := range []string{fmt.Sprintf(p, s), fmt.Sprintf(w, s), fmt.Errorf("failed: "+w, s).Error()} {
		if !strings.Contains(got, "(lswebhook.Secret={") {
			t.Errorf("a bad verb printed %q: not the reflection form this test expects", got)
		}
		htAssertNoSecret(t, "a bad verb", got)
	}
}

// TestSecretEveryVerb formats a secret, a pointer to it, containers of it
// and a struct holding it in an unexported field (where fmt cannot call
// its methods) with every verb and flag combination.
func TestSecretEveryVerb(t *testing.T) {
	s := lswebhook.NewSecret(htSecrets["token"])
	type holder struct {
		name   string
		secret lswebhook.Secret
	}
	for name, v := range map[string]any{
		"secret":            s,
		"pointer":           &s,
		"slice":             []lswebhook.Secret{s, {}},
		"map":               map[string]lswebhook.Secret{"token": s},
		"unexported field":  holder{"h", s},
		"unexported nested": struct{ h *holder }{&holder{"h", s}},
	} {
		htCheckFormats(t, name, v, false)
		// slog's JSON handler encodes a value that is not a LogValuer
		// with json.Marshal, which keeps secrets (see Secret): a slice or
		// a map of them is logged with the text handler only.
		_, container := v.([]lswebhook.Secret)
		if _, ok := v.(map[string]lswebhook.Secret); ok {
			container = true
		}
		htAssertNoSecret(t, name+" logged", htLog(v, !container))
	}
	// The JSON handler does show a slice of secrets, as documented.
	if out := htLog([]lswebhook.Secret{s}, true); len(htLeaked(out, htModelled)) != 1 {
		t.Errorf("the JSON handler does not encode a []Secret with json.Marshal: %s", out)
	}
}

// TestSecretLog checks the logged forms.
func TestSecretLog(t *testing.T) {
	s := lswebhook.NewSecret(htSecrets["token"])
	var empty lswebhook.Secret
	var text, js bytes.Buffer
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	for _, l := range []*slog.Logger{
		slog.New(slog.NewTextHandler(&text, &slog.HandlerOptions{ReplaceAttr: noTime})),
		slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: noTime})),
	} {
		l.Info("m", "s", s, "p", &s, "e", empty, slog.Group("g", "s", s))
	}
	if want := `level=INFO msg=m s=[REDACTED] p=[REDACTED] e="" g.s=[REDACTED]` + "\n"; text.String() != want {
		t.Errorf("text handler:\n%s\nwant\n%s", text.String(), want)
	}
	if want := `{"level":"INFO","msg":"m","s":"[REDACTED]","p":"[REDACTED]","e":"","g":{"s":"[REDACTED]"}}` + "\n"; js.String() != want {
		t.Errorf("JSON handler:\n%s\nwant\n%s", js.String(), want)
	}
	if v := s.LogValue(); v.Kind() != slog.KindString || v.String() != "[REDACTED]" {
		t.Errorf("LogValue = %v", v)
	}
}

// TestSecretReveal checks the accessors and the zero value.
func TestSecretReveal(t *testing.T) {
	s := lswebhook.NewSecret(htSecrets["token"])
	if s.Reveal() != htSecrets["token"] || s.IsZero() {
		t.Errorf("Reveal = %q, IsZero = %t", s.Reveal(), s.IsZero())
	}
	var zero lswebhook.Secret
	if zero.Reveal() != "" || !zero.IsZero() || !lswebhook.NewSecret("").IsZero() {
		t.Errorf("the zero Secret reveals %q", zero.Reveal())
	}
	if !reflect.DeepEqual(lswebhook.NewSecret(""), zero) {
		t.Errorf("NewSecret(\"\") is not the zero Secret")
	}
	if !s.Equal(lswebhook.NewSecret(htSecrets["token"])) || s.Equal(zero) || s.Equal(lswebhook.NewSecret(htSecrets["token"]+"x")) || !zero.Equal(lswebhook.NewSecret("")) {
		t.Errorf("Equal is wrong")
	}
	if !reflect.DeepEqual(s, lswebhook.NewSecret(htSecrets["token"])) {
		t.Errorf("reflect.DeepEqual does not compare the values")
	}
}

// TestSecretJSON checks that JSON keeps the value, HTML characters, line
// separators and text outside ASCII included, and refuses other types
// without quoting them.
func TestSecretJSON(t *testing.T) {
	for _, v := range []string{"", htSecrets["token"], `a<b>&"c"\d`, "line\u2028sep\nnl\x00", "é漢字🙂"} {
		s := lswebhook.NewSecret(v)
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var plain string
		if err := json.Unmarshal(b, &plain); err != nil || plain != v {
			t.Errorf("Marshal(%q) = %s, which reads as %q (%v)", v, b, plain, err)
		}
		var back lswebhook.Secret
		if err := json.Unmarshal(b, &back); err != nil || back.Reveal() != v || !reflect.DeepEqual(back, s) {
			t.Errorf("Unmarshal(%s) = %q, %v", b, back.Reveal(), err)
		}
		type wrapper struct {
			S lswebhook.Secret `json:"s"`
		}
		b, err = json.Marshal(wrapper{s})
		if err != nil {
			t.Fatal(err)
		}
		var w wrapper
		if err := json.Unmarshal(b, &w); err != nil || !w.S.Equal(s) {
			t.Errorf("a struct field: %s reads as %q, %v", b, w.S.Reveal(), err)
		}
	}
	var s lswebhook.Secret
	if err := json.Unmarshal([]byte(`null`), &s); err != nil || !s.IsZero() {
		t.Errorf("null: %q, %v", s.Reveal(), err)
	}
	s = lswebhook.NewSecret("x")
	if err := json.Unmarshal([]byte(` "" `), &s); err != nil || !reflect.DeepEqual(s, lswebhook.Secret{}) {
		t.Errorf(`"": %q, %v`, s.Reveal(), err)
	}
	for _, in := range []string{`7319`, `true`, `[]`, `{"k": "` + htSecrets["token"] + `"}`, `["` + htSecrets["token"] + `"]`} {
		err := json.Unmarshal([]byte(in), &s)
		if err == nil || !strings.HasPrefix(err.Error(), "lswebhook: secret: expected string, but got ") {
			t.Errorf("Unmarshal(%s) = %v", in, err)
			continue
		}
		htAssertNoSecret(t, "an error", err.Error())
		if strings.Contains(err.Error(), "7319") {
			t.Errorf("the error quotes the data: %v", err)
		}
	}
}

// TestSecretDecode checks the Secret fields through Decode and
// Project.UnmarshalJSON: a string reads as its value, null and "" as the
// empty secret, and any other type is a problem at the member's pointer
// that does not quote the value.
func TestSecretDecode(t *testing.T) {
	body := string(htWithSecrets(t, readFile(t, htCapture(t, "PROJECT_UPDATED-project"))))
	ev, err := lswebhook.Decode([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	p := ev.(*lswebhook.ProjectUpdated).Project
	if p.Token.Reveal() != htSecrets["token"] || p.TaskDataLogin.Reveal() != htSecrets["task_data_login"] || p.TaskDataPassword.Reveal() != htSecrets["task_data_password"] {
		t.Errorf("decoded %q %q %q", p.Token.Reveal(), p.TaskDataLogin.Reveal(), p.TaskDataPassword.Reveal())
	}
	tok := `"token": "` + htSecrets["token"] + `"`
	for _, repl := range []string{`"token": null`, `"token": ""`} {
		ev, err := lswebhook.Decode([]byte(strings.Replace(body, tok, repl, 1)))
		if err != nil {
			t.Fatalf("%s: %v", repl, err)
		}
		if tk := ev.(*lswebhook.ProjectUpdated).Project.Token; !reflect.DeepEqual(tk, lswebhook.Secret{}) {
			t.Errorf("%s decodes to %q", repl, tk.Reveal())
		}
	}
	_, err = lswebhook.Decode([]byte(strings.Replace(body, tok, `"token": {"v": "`+htSecrets["token"]+`"}`, 1)))
	var verr *lswebhook.ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0].Pointer != "/project/token" {
		t.Fatalf("an object token: %v", err)
	}
	htAssertNoSecret(t, "the validation error", fmt.Sprintf("%v %+v", err, verr.Problems))

	// Project.UnmarshalJSON reads through the same engine without the
	// schema: the Secret's own check reports the type.
	var q lswebhook.Project
	err = json.Unmarshal([]byte(`{"id": 2, "token": 7319, "task_data_login": null, "task_data_password": "pw"}`), &q)
	if !errors.As(err, &verr) || len(verr.Problems) != 1 || verr.Problems[0] != (lswebhook.Problem{Pointer: "/token", Message: "expected string, but got integer"}) {
		t.Errorf("a number token: %v", err)
	}
	if q.TaskDataPassword.Reveal() != "pw" || !q.TaskDataLogin.IsZero() {
		t.Errorf("Project.UnmarshalJSON read %q %q", q.TaskDataLogin.Reveal(), q.TaskDataPassword.Reveal())
	}
}

// A Secret hides its value from fmt and log/slog; Reveal and JSON keep it.
func ExampleSecret() {
	var p lswebhook.Project
	if err := json.Unmarshal([]byte(`{"id": 1, "token": "0123abcd", "task_data_password": null}`), &p); err != nil {
		fmt.Println(err)
	}
	fmt.Println(p.Token, p.Token.Reveal())
	fmt.Printf("%q %q %#v\n", p.Token, p.TaskDataPassword, p.Token)
	b, _ := json.Marshal(p.Token)
	fmt.Println(string(b))
	// Output:
	// [REDACTED] 0123abcd
	// "[REDACTED]" "" lswebhook.NewSecret("[REDACTED]")
	// "0123abcd"
}
