package lswebhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
)

// decodeOutcome describes what a decoder made of data, for comparing two
// ways of decoding it: the error's type and text, or the event's type,
// JSON, raw bytes and drift.
func decodeOutcome(d Decoder, data []byte) string {
	ev, err := d.Decode(data)
	if err != nil {
		var se *SyntaxError
		var ve *ValidationError
		kind := "other"
		switch {
		case errors.As(err, &se):
			kind = "syntax"
		case errors.As(err, &ve):
			kind = fmt.Sprintf("validation %d+%d", len(ve.Problems), ve.More)
		}
		return kind + ": " + err.Error()
	}
	b, merr := json.Marshal(ev)
	return fmt.Sprintf("%T %s %v\nraw %s\ndrift %v", ev, b, merr, ev.Raw(), ev.Drift())
}

// compareDense decodes data as a tape and as a dense payload (a stream
// first), with several decoder settings, and fails if any outcome
// differs.
func compareDense(t testing.TB, name string, data []byte) {
	t.Helper()
	decoders := []Decoder{{}, {MaxProblems: 1}, {DisallowDrift: true}, {DisallowUnknownActions: true}, {MaxDepth: 4}}
	want := make([]string, len(decoders))
	for i, d := range decoders {
		want[i] = decodeOutcome(d, data)
	}
	alwaysDense = true
	defer func() { alwaysDense = false }()
	for i, d := range decoders {
		if got := decodeOutcome(d, data); got != want[i] {
			t.Errorf("%s with %+v:\ndense: %s\ntape:  %s", name, d, got, want[i])
		}
	}
}

// TestDenseAgrees checks that a payload decoded as dense (validated as a
// stream before it is read into a tape) gives what the tape gives: the
// same event, or the same error with the same problems in the same order,
// for every file under testdata, the mutations of the valid payloads and
// the edge cases.
func TestDenseAgrees(t *testing.T) {
	n := 0
	for p, b := range testdataFiles(t) {
		compareDense(t, p, b)
		n++
	}
	for name, b := range decodeEdgeCases(t) {
		compareDense(t, name, b)
		n++
	}
	if !testing.Short() {
		for _, m := range mutatedPayloads(t) {
			compareDense(t, m.name, m.data)
			n++
		}
	}
	t.Logf("%d payloads compared", n)
}

// TestDenseBudget checks that Decode goes the dense way exactly when a
// body holds more values than its budget, and that payloads as Label
// Studio sends them stay within it.
func TestDenseBudget(t *testing.T) {
	files, checked := testdataFiles(t), 0
	for p, b := range files {
		tp, err := parse(b, 0)
		if err != nil {
			continue
		}
		checked++
		if n := len(tp.Nodes); n > nodeBudget(len(b), DefaultMaxDepth) {
			t.Errorf("%s: %d values in %d bytes, beyond the budget of %d", p, n, len(b), nodeBudget(len(b), DefaultMaxDepth))
		}
		tp.Release()
	}
	// Most files are JSON the reader accepts: the test must not pass by
	// skipping them.
	if checked < len(files)*3/4 {
		t.Errorf("checked %d of %d files", checked, len(files))
	}
}
