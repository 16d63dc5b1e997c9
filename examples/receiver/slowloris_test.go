package main

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook/internal/slowloris"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// slowTimeouts are short versions of the server's timeouts.
var slowTimeouts = timeouts{
	readHeader: 300 * time.Millisecond,
	read:       600 * time.Millisecond,
	write:      2 * time.Second,
	idle:       400 * time.Millisecond,
}

// TestSlowClients opens slow connections to the receiver's server, set up
// with short timeouts, 20 of each kind at once, and checks that the server
// closes every one within its timeout while a delivery from a well-behaved
// client still succeeds.
func TestSlowClients(t *testing.T) {
	body := string(lswebhooktest.Body(lswebhooktest.ProjectUpdated()))
	srv := newServerTimeouts("127.0.0.1:0", newHandler(io.Discard), slowTimeouts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	slowloris.Check(t, ln.Addr().String(), "/", body, slowloris.Timeouts{
		ReadHeader: slowTimeouts.readHeader, Read: slowTimeouts.read, Idle: slowTimeouts.idle,
	}, 20)
}
