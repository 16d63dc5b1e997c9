package inbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// listenFDsStart is the first inherited descriptor in systemd's socket
// activation protocol.
const listenFDsStart = 3

// Listen returns the listener a receiver should serve on. If the process
// was handed a listening socket by socket activation (the LISTEN_FDS
// environment variable, as systemd and other supervisors set it, with
// LISTEN_PID unset or this process's id), it is that socket, descriptor 3;
// otherwise Listen binds addr with [net.Listen].
//
// An inherited socket is what makes restarts without a gap possible: the
// supervisor keeps the socket open while receivers come and go, so
// connections made while none is running wait in its queue instead of being
// refused, and a new receiver can start accepting before the old one stops
// (see the package documentation of the restart recipe in docs/inbox.md).
func Listen(addr string) (net.Listener, error) {
	n, _ := strconv.Atoi(os.Getenv("LISTEN_FDS"))
	pid := os.Getenv("LISTEN_PID")
	if n < 1 || pid != "" && pid != strconv.Itoa(os.Getpid()) {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("inbox: listen: %w", err)
		}
		return l, nil
	}
	f := os.NewFile(listenFDsStart, "LISTEN_FDS")
	if f == nil {
		return nil, fmt.Errorf("inbox: listen: descriptor %d is not open", listenFDsStart)
	}
	l, err := net.FileListener(f)
	_ = f.Close() // FileListener holds its own copy
	if err != nil {
		return nil, fmt.Errorf("inbox: listen: inherited descriptor %d: %w", listenFDsStart, err)
	}
	return l, nil
}

// DrainTimeout bounds how long [Serve] waits for requests in flight after
// its context ends.
const DrainTimeout = 30 * time.Second

// Serve serves h on l until ctx ends, then stops accepting and answers
// every request on a connection it accepted, within [DrainTimeout], before
// it returns.
//
// It does not use [http.Server.Shutdown] for that: Shutdown closes a
// connection whose request arrives after it began without answering it,
// and with a listening socket shared by an old and a new receiver the old
// one always has a few such connections when it is told to stop. Serve
// instead turns keep-alive off (idle connections close, busy ones close
// after their answer), closes the listener, waits for its accept loop to
// end, then waits until every accepted connection has closed.
func Serve(ctx context.Context, l net.Listener, h http.Handler) error {
	var mu sync.Mutex
	open := 0
	allClosed := make(chan struct{}, 1)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ConnState: func(_ net.Conn, st http.ConnState) {
			mu.Lock()
			defer mu.Unlock()
			switch st {
			case http.StateNew:
				open++
			case http.StateClosed, http.StateHijacked:
				open--
				if open == 0 {
					select {
					case allClosed <- struct{}{}:
					default:
					}
				}
			}
		}}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return fmt.Errorf("inbox: serve: %w", err)
	case <-ctx.Done():
	}
	srv.SetKeepAlivesEnabled(false)
	_ = l.Close()
	<-done // the accept loop has ended: every accepted connection is counted
	deadline := time.NewTimer(DrainTimeout)
	defer deadline.Stop()
	for {
		mu.Lock()
		n := open
		mu.Unlock()
		if n == 0 {
			return srv.Close()
		}
		select {
		case <-allClosed:
		case <-deadline.C:
			_ = srv.Close()
			return fmt.Errorf("inbox: serve: %d connections still open after %v", n, DrainTimeout)
		}
	}
}
