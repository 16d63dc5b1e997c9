package lswebhook

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestHandlerEventsOutliveBodyBuffer delivers the captured payloads one
// after another through one Handler, whose pooled body buffer is reused
// from one request to the next, and keeps every event. Afterwards each
// event must still hold its own payload: an event sharing memory with
// the buffer would hold a later body's bytes.
func TestHandlerEventsOutliveBodyBuffer(t *testing.T) {
	files, err := filepath.Glob("testdata/labelstudio-1.23.2/*.json")
	if err != nil || len(files) < 20 {
		t.Fatalf("captures: %d files, %v", len(files), err)
	}
	var kept []Event
	var encoded []string
	h := NewHandler(func(ctx context.Context, ev Event) error {
		kept = append(kept, ev)
		encoded = append(encoded, marshal(t, ev))
		return nil
	})
	var bodies [][]byte
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			continue // a capture some check refuses; the others suffice
		}
		bodies = append(bodies, body)
	}
	t.Logf("%d deliveries accepted and kept", len(kept))
	if len(kept) != len(bodies) || len(kept) < 20 {
		t.Fatalf("%d events kept for %d accepted bodies", len(kept), len(bodies))
	}
	for i, ev := range kept {
		if !bytes.Equal(ev.Raw(), bodies[i]) {
			t.Errorf("event %d (%s): Raw changed after later deliveries", i, ev.Action())
		}
		// The event's values too, beyond Raw: they must encode as they
		// did when the event was delivered.
		if now := marshal(t, ev); now != encoded[i] {
			t.Errorf("event %d (%s): values changed after later deliveries:\n%s\nwas\n%s", i, ev.Action(), now, encoded[i])
		}
	}
}

func marshal(t *testing.T, ev Event) string {
	t.Helper()
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadAllUsesBuffer(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 100)
	buf := make([]byte, 3, 2000)
	got, err := readAll(bytes.NewReader(body), int64(len(body)), 1<<20, buf)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("readAll into a large buffer: %d bytes, %v", len(got), err)
	}
	if unsafe.SliceData(got) != unsafe.SliceData(buf) {
		t.Error("readAll allocated although the buffer held the body")
	}
	small := make([]byte, 0, 10)
	got, err = readAll(bytes.NewReader(body), int64(len(body)), 1<<20, small)
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("readAll with a small buffer: %d bytes, %v", len(got), err)
	}
	if cap(small) != 10 || unsafe.SliceData(got) == unsafe.SliceData(small) {
		t.Error("readAll wrote beyond a buffer too small for the body")
	}
	got, err = readAll(bytes.NewReader(body), -1, 100, nil)
	if err != nil || len(got) != len(body) {
		// A plain reader is not a MaxBytesReader: readAll reads on.
		t.Fatalf("readAll without a size: %d bytes, %v", len(got), err)
	}
}

func TestPutBodyBufferDropsLargeBuffers(t *testing.T) {
	big := make([]byte, 10, maxPooledBody+1)
	p := &big
	putBodyBuffer(p)
	if cap(*p) != 0 {
		t.Errorf("a %d-byte buffer was kept for the pool", maxPooledBody+1)
	}
	small := make([]byte, 10, 100)
	p = &small
	putBodyBuffer(p)
	if cap(*p) != 100 || len(*p) != 0 {
		t.Errorf("a 100-byte buffer was not kept, emptied: len %d cap %d", len(*p), cap(*p))
	}
}
