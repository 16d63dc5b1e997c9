package main

import (
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook/internal/slowloris"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// slowTimeouts are short versions of the server's timeouts.
var slowTimeouts = slowloris.Timeouts{
	ReadHeader: 300 * time.Millisecond,
	Read:       600 * time.Millisecond,
	Idle:       400 * time.Millisecond,
}

// TestSlowClients opens slow connections to the ML backend's server, set up
// with short timeouts, 20 of each kind at once, and checks that the server
// closes every one within its timeout while a delivery from a well-behaved
// client still succeeds.
func TestSlowClients(t *testing.T) {
	body := string(lswebhooktest.Body(lswebhooktest.ProjectUpdated()))
	m := newModel("go-skeleton", slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := newServer(m.handler())
	srv.ReadHeaderTimeout, srv.ReadTimeout, srv.IdleTimeout = slowTimeouts.ReadHeader, slowTimeouts.Read, slowTimeouts.Idle
	srv.WriteTimeout = 2 * time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	slowloris.Check(t, ln.Addr().String(), "/webhook", body, slowTimeouts, 20)
}
