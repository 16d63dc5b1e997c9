package lswebhook

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync"
	"testing"
)

// resetCaches forgets everything Warm prepares, as in a new process: the
// compiled schemas, the key table and the conversion plans.
func resetCaches() {
	loadSchemas = sync.OnceValue(compileSchemas)
	memberKeys = sync.OnceValue(buildMemberKeys)
	binder = sync.OnceValue(newBinder)
}

// BenchmarkSchemaCompile measures what Warm does once per process.
func BenchmarkSchemaCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		resetCaches()
		if err := Warm(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstRequest compares the first delivery a Handler serves after
// NewHandler returns, in a process that has decoded nothing yet, with a
// delivery served later: with NewHandler warming the decoder, the two cost
// the same.
func BenchmarkFirstRequest(b *testing.B) {
	body, err := os.ReadFile("testdata/docs/annotation-created.json")
	if err != nil {
		b.Fatal(err)
	}
	serve := func(h http.Handler) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
	fn := func(context.Context, Event) error { return nil }
	b.Run("when=first", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			resetCaches()
			runtime.GC()
			h := NewHandler(fn)
			b.StartTimer()
			serve(h)
		}
	})
	b.Run("when=steady", func(b *testing.B) {
		b.ReportAllocs()
		h := NewHandler(fn)
		serve(h)
		for b.Loop() {
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			serve(h)
		}
	})
	b.Run("when=first-without-warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			resetCaches()
			runtime.GC()
			h := &Handler{fn: fn, config: newConfig(nil)}
			b.StartTimer()
			serve(h)
		}
	})
}
