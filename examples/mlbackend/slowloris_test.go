package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// slowTimeouts are short versions of the server's timeouts.
var slowTimeouts = timeouts{
	readHeader: 300 * time.Millisecond,
	read:       600 * time.Millisecond,
	write:      2 * time.Second,
	idle:       400 * time.Millisecond,
}

// slowClient is one way to hold a connection: send first, then trickle one
// byte of trickle every 50 ms, for as long as the server listens.
type slowClient struct {
	name    string
	first   string
	trickle string
	limit   time.Duration // the timeout that must close the connection
}

func slowClients(path, body string) []slowClient {
	request := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	return []slowClient{
		{"connect and send nothing", "", "", slowTimeouts.readHeader},
		{"trickle the request line", "P", "OST " + path + " HTTP/1.1\r\n", slowTimeouts.readHeader},
		{"trickle header lines forever", "POST " + path + " HTTP/1.1\r\nHost: x\r\n", strings.Repeat("X-Slow: 1\r\n", 1000), slowTimeouts.readHeader},
		{"trickle the body", fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, 1<<20), strings.Repeat(" ", 1<<20), slowTimeouts.read},
		{"keep an idle connection after a delivery", request, "", slowTimeouts.idle},
	}
}

// holdOpen runs c against addr and returns how long the server let it hold
// the connection, or an error if it still held it after 10 s.
func holdOpen(addr string, c slowClient) (time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, c.first); err != nil {
		return 0, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; i < len(c.trickle); i++ {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{c.trickle[i]}); err != nil {
				return
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, conn) // answers, then the close
	held := time.Since(start)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return held, fmt.Errorf("%s: the connection was still open after %v", c.name, held.Round(time.Millisecond))
	}
	return held, nil
}

// TestSlowClients opens slow connections to the ML backend's server, set up
// with short timeouts, 20 of each kind at once, and checks that the server
// closes every one within its timeout (with 2 s of slack for a loaded
// machine), while a delivery from a well-behaved client still succeeds.
func TestSlowClients(t *testing.T) {
	body := string(capture(t, "PROJECT_UPDATED-project"))
	m := newModel("go-skeleton", slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := newServer(m.handler(), slowTimeouts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()

	const each = 20
	clients := slowClients("/webhook", body)
	var wg sync.WaitGroup
	var mu sync.Mutex
	longest := make([]time.Duration, len(clients))
	for i, c := range clients {
		for k := 0; k < each; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				held, err := holdOpen(addr, c)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				longest[i] = max(longest[i], held)
				mu.Unlock()
			}()
		}
	}
	// Meanwhile a delivery goes through.
	time.Sleep(100 * time.Millisecond)
	resp, err := http.Post("http://"+addr+"/webhook", "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("a delivery during the slow clients: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a delivery during the slow clients: status %d", resp.StatusCode)
	}
	wg.Wait()
	for i, c := range clients {
		t.Logf("%d clients that %s: held at most %v (timeout %v)", each, c.name, longest[i].Round(time.Millisecond), c.limit)
		if longest[i] > c.limit+2*time.Second {
			t.Errorf("%s: held for %v, timeout %v", c.name, longest[i], c.limit)
		}
	}
}
