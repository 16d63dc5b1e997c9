package lswebhook_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// FuzzDecode feeds arbitrary bytes to Decode, seeded with every payload
// under testdata and one per registered action. It checks that Decode does
// not panic, that an error is always typed (a *SyntaxError, a
// *ValidationError or a sentinel) and comes without an event, and that an
// accepted payload marshals and decodes again to an equal event.
func FuzzDecode(f *testing.F) {
	for _, p := range jsonFiles(f, "testdata") {
		f.Add(readFile(f, p))
	}
	for _, info := range lswebhook.Actions() {
		f.Add([]byte(`{"action":"` + string(info.Action) + `"}`))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := lswebhook.Decode(data)
		if err != nil {
			if ev != nil {
				t.Fatalf("Decode returned %T with error %v", ev, err)
			}
			var se *lswebhook.SyntaxError
			var ve *lswebhook.ValidationError
			if !errors.As(err, &se) && !errors.As(err, &ve) &&
				!errors.Is(err, lswebhook.ErrNotObject) && !errors.Is(err, lswebhook.ErrMissingAction) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		out, err := json.Marshal(ev)
		if err != nil {
			t.Fatalf("Marshal of accepted %T: %v", ev, err)
		}
		again, err := lswebhook.Decode(out)
		if err != nil {
			t.Fatalf("accepted payload re-encodes to a refused one: %v\ninput: %q\nre-encoded: %s", err, data, out)
		}
		if diff := cmp.Diff(ev, again, lswebhooktest.CmpOptions()); diff != "" {
			t.Fatalf("re-decoded event differs (-first +second):\n%s", diff)
		}
	})
}
