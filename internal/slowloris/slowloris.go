// Package slowloris holds slow HTTP clients against a server and checks
// that the server's timeouts close them. The example programs' tests use
// it; it is not part of the library.
package slowloris

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Timeouts are the server timeouts under test.
type Timeouts struct {
	ReadHeader, Read, Idle time.Duration
}

// Client is one way to hold a connection: send First, then trickle one
// byte of Trickle every 50 ms, for as long as the server listens.
type Client struct {
	Name    string
	First   string
	Trickle string
	Limit   time.Duration // the timeout that must close the connection
}

// Clients returns the slow clients for a POST of body to path.
func Clients(path, body string, to Timeouts) []Client {
	request := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
	return []Client{
		{"connect and send nothing", "", "", to.ReadHeader},
		{"trickle the request line", "P", "OST " + path + " HTTP/1.1\r\n", to.ReadHeader},
		{"trickle header lines forever", "POST " + path + " HTTP/1.1\r\nHost: x\r\n", strings.Repeat("X-Slow: 1\r\n", 1000), to.ReadHeader},
		{"trickle the body", fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, 1<<20), strings.Repeat(" ", 1<<20), to.Read},
		{"keep an idle connection after a delivery", request, "", to.Idle},
	}
}

// HoldOpen runs c against addr and returns how long the server let it hold
// the connection, or an error if it still held it after 10 s.
func HoldOpen(addr string, c Client) (time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, c.First); err != nil {
		return 0, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i := 0; i < len(c.Trickle); i++ {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := conn.Write([]byte{c.Trickle[i]}); err != nil {
				return
			}
		}
	}()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err = io.Copy(io.Discard, conn) // answers, then the close
	held := time.Since(start)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return held, fmt.Errorf("%s: the connection was still open after %v", c.Name, held.Round(time.Millisecond))
	}
	return held, nil
}

// Check opens each slow client `each` times at once against the server at
// addr and checks that the server closes every connection within its
// timeout (with 2 s of slack for a loaded machine), while a POST of body
// to path from a well-behaved client still gets a 200.
func Check(t *testing.T, addr, path, body string, to Timeouts, each int) {
	t.Helper()
	clients := Clients(path, body, to)
	var wg sync.WaitGroup
	var mu sync.Mutex
	longest := make([]time.Duration, len(clients))
	for i, c := range clients {
		for k := 0; k < each; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				held, err := HoldOpen(addr, c)
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
	resp, err := http.Post("http://"+addr+path, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("a delivery during the slow clients: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a delivery during the slow clients: status %d", resp.StatusCode)
	}
	wg.Wait()
	for i, c := range clients {
		t.Logf("%d clients that %s: held at most %v (timeout %v)", each, c.Name, longest[i].Round(time.Millisecond), c.Limit)
		if longest[i] > c.Limit+2*time.Second {
			t.Errorf("%s: held for %v, timeout %v", c.Name, longest[i], c.Limit)
		}
	}
}
