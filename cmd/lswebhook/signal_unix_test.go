//go:build unix

package main

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestListenStopsOnSignal runs listen through run, as main does, and sends
// the test process SIGINT, then SIGTERM to a second run: each stops
// cleanly with status 0. Tests that listen do not run in parallel, so no
// other listen sees the signals.
func TestListenStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			var stdout, stderr syncBuffer
			done := make(chan int, 1)
			go func() {
				done <- run([]string{"listen", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &stderr)
			}()
			deadline := time.Now().Add(10 * time.Second)
			for !listeningRE.MatchString(stdout.String()) {
				if time.Now().After(deadline) {
					t.Fatalf("listen did not start: %q %q", stdout.String(), stderr.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			// listen prints its address after signal.NotifyContext, so the
			// signal is caught, not fatal.
			if err := syscall.Kill(syscall.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("exit %d, want 0; stderr %q", code, stderr.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("listen did not stop on the signal")
			}
			if !strings.HasSuffix(stdout.String(), "stopped after 0 deliveries\n") {
				t.Errorf("stdout %q", stdout.String())
			}
		})
	}
}
