package inbox

import (
	"fmt"
	"net"
	"os"
	"strconv"
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
