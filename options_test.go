package lswebhook_test

import (
	"context"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

// TestHandlerOptionPanics checks that invalid configurations fail at once.
func TestHandlerOptionPanics(t *testing.T) {
	htPanics(t, "nil function", func() { lswebhook.NewHandler(nil) })
	htPanics(t, "empty name", func() { lswebhook.WithRequiredHeader("", "v") })
	htPanics(t, "bad name", func() { lswebhook.WithRequiredHeader("X Token", "v") })
	htPanics(t, "no value", func() { lswebhook.WithRequiredHeader("X-Token") })
	htPanics(t, "empty value", func() { lswebhook.WithRequiredHeader("X-Token", "a", "") })
	htPanics(t, "blank value", func() { lswebhook.WithRequiredHeader("X-Token", " \t") })
	htPanics(t, "newline", func() { lswebhook.WithRequiredHeader("X-Token", "a\nb") })
	htPanics(t, "colon in user", func() { lswebhook.WithBasicAuth("a:b", "c") })
	if got := lswebhook.BasicAuth("Aladdin", "open sesame"); got != "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" {
		t.Errorf("BasicAuth = %q", got) // RFC 7617 §2
	}
	// Zero and nil mean the defaults.
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithMaxBodyBytes(0), lswebhook.WithDecoder(nil), lswebhook.WithLogger(nil), nil)
	if resp, _ := htDo(h, htRequest("POST", string(htPadded(5000)))); resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
}

// TestWithDecoderCopies checks that the handler keeps its own copy of the
// Decoder.
func TestWithDecoderCopies(t *testing.T) {
	d := &lswebhook.Decoder{DisallowUnknownActions: true}
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil }, lswebhook.WithDecoder(d))
	d.DisallowUnknownActions = false
	if resp, _ := htDo(h, htRequest("POST", `{"action":"NEW"}`)); resp.StatusCode != 400 {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
}
