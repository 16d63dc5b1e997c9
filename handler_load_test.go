package lswebhook_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// endless is a body that never ends, counting the bytes read from it.
type endless struct {
	prefix []byte
	n      atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	off := e.n.Load()
	for i := range p {
		if j := off + int64(i); j < int64(len(e.prefix)) {
			p[i] = e.prefix[j]
		} else {
			p[i] = ' '
		}
	}
	e.n.Add(int64(len(p)))
	return len(p), nil
}

// TestLoadOversizeNotRead checks, at the handler, how much of an oversized
// body is read: nothing when Content-Length announces it, the limit and a
// byte when the length is not announced, however long the body runs on.
func TestLoadOversizeNotRead(t *testing.T) {
	const limit = 1 << 20
	h := lswebhook.NewHandler(func(context.Context, lswebhook.Event) error {
		t.Error("the function was called")
		return nil
	}, lswebhook.WithMaxBodyBytes(limit))
	for _, announced := range []int64{100 << 20, 1 << 40, limit + 1, -1} {
		body := &endless{prefix: []byte(`{"action":"PROJECT_UPDATED","padding":"`)}
		req := htRequest("POST", "")
		req.Body = io.NopCloser(body)
		req.ContentLength = announced
		resp, b := htDo(h, req)
		if resp.StatusCode != 413 {
			t.Fatalf("Content-Length %d: status %d: %s", announced, resp.StatusCode, b)
		}
		read := body.n.Load()
		t.Logf("Content-Length %d, endless body: 413 after reading %d bytes", announced, read)
		if announced > 0 && read != 0 {
			t.Errorf("Content-Length %d: %d body bytes read, want none", announced, read)
		}
		if announced < 0 && read > limit+64<<10 {
			t.Errorf("unannounced length: %d body bytes read, want about the limit (%d)", read, limit)
		}
	}
}

// countingListener counts the bytes the server reads from its connections.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, n: l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// ldServer starts a loopback server for h that counts the bytes it reads.
func ldServer(t testing.TB, h http.Handler) (*httptest.Server, *atomic.Int64) {
	srv := httptest.NewUnstartedServer(h)
	n := new(atomic.Int64)
	srv.Listener = countingListener{Listener: srv.Listener, n: n}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, n
}

// ldResult is what a raw client saw of one oversized delivery.
type ldResult struct {
	status  int
	written int64         // body bytes the client managed to write
	closed  bool          // the server closed the connection after its answer
	elapsed time.Duration // from connecting to the close
}

// ldSendOversize posts a body of size bytes (or an endless one if size is
// negative) over a raw connection: with Content-Length, or chunked when
// chunkedBody is set. It writes while the server reads, reads the answer,
// and waits for the server to close the connection.
func ldSendOversize(addr string, size int64, chunkedBody bool) (ldResult, error) {
	start := time.Now()
	var res ldResult
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	hdr := "POST /hook HTTP/1.1\r\nHost: lswebhook.test\r\nContent-Type: application/json\r\nUser-Agent: " + htUserAgent + "\r\n"
	if chunkedBody {
		hdr += "Transfer-Encoding: chunked\r\n\r\n"
	} else {
		hdr += fmt.Sprintf("Content-Length: %d\r\n\r\n", size)
	}
	if _, err := io.WriteString(conn, hdr); err != nil {
		return res, err
	}
	var written atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		const chunk = 64 << 10
		buf := bytes.Repeat([]byte{' '}, chunk)
		copy(buf, `{"action":"PROJECT_UPDATED","x":"`)
		var framed []byte
		if chunkedBody {
			framed = append(append([]byte(fmt.Sprintf("%x\r\n", chunk)), buf...), "\r\n"...)
		}
		for size < 0 || written.Load() < size {
			var n int
			var err error
			if chunkedBody {
				_, err = conn.Write(framed)
				n = chunk
			} else {
				n, err = conn.Write(buf[:min(int64(chunk), size-written.Load())])
			}
			if err != nil {
				return // the server closed the connection
			}
			written.Add(int64(n))
		}
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return res, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	res.status = resp.StatusCode
	// The server must hang up rather than read the rest.
	_, err = conn.Read(make([]byte, 1))
	res.closed = err != nil && !isTimeout(err)
	conn.Close()
	<-done
	res.written = written.Load()
	res.elapsed = time.Since(start)
	return res, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// TestLoadOversizeOnTheWire posts bodies far over the limit over loopback,
// announced by Content-Length (1 GiB) or chunked and endless, and checks
// that the server answers 413, hangs up, and has read little more than the
// limit from the connection.
func TestLoadOversizeOnTheWire(t *testing.T) {
	const limit = 1 << 20
	srv, serverRead := ldServer(t, lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
		lswebhook.WithMaxBodyBytes(limit)))
	for _, tt := range []struct {
		name    string
		size    int64
		chunked bool
		max     int64 // bytes the server may read
	}{
		{"Content-Length 1 GiB", 1 << 30, false, 512 << 10},
		{"chunked, endless", -1, true, limit + 512<<10},
	} {
		before := serverRead.Load()
		res, err := ldSendOversize(srv.Listener.Addr().String(), tt.size, tt.chunked)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		read := serverRead.Load() - before
		t.Logf("%s: status %d after %v; the server read %d bytes (client wrote %d into the socket) and closed: %v",
			tt.name, res.status, res.elapsed.Round(time.Millisecond), read, res.written, res.closed)
		if res.status != 413 || !res.closed {
			t.Errorf("%s: status %d, closed %v; want 413 and a closed connection", tt.name, res.status, res.closed)
		}
		if read > tt.max {
			t.Errorf("%s: the server read %d bytes, want at most %d", tt.name, read, tt.max)
		}
	}
}

// TestLoadMemoryRefusingOversize posts bodies of 100 MiB each, several at a
// time, half announced by Content-Length and half chunked, and checks that
// all are refused while the heap grows by a small multiple of the limit
// times the requests in flight, not by the size of the bodies: 50 bodies
// (5,000 MiB), ten at a time, to a 1 MiB limit, and 10 bodies, two at a
// time, to the default 32 MiB limit. An announced body is refused unread;
// a chunked one costs its buffer, up to the limit.
func TestLoadMemoryRefusingOversize(t *testing.T) {
	if testing.Short() {
		t.Skip("load")
	}
	const size = 100 << 20
	for _, tt := range []struct {
		limit               int64
		bodies, concurrency int
	}{
		{1 << 20, 50, 10},
		{lswebhook.DefaultMaxBodyBytes, 10, 2},
	} {
		srv, serverRead := ldServer(t, lswebhook.NewHandler(func(context.Context, lswebhook.Event) error { return nil },
			lswebhook.WithMaxBodyBytes(tt.limit)))
		var refused, offered atomic.Int64
		errs := make(chan error, tt.bodies)
		peak, allocated := ldMemory(func() {
			var wg sync.WaitGroup
			sem := make(chan struct{}, tt.concurrency)
			for i := 0; i < tt.bodies; i++ {
				wg.Add(1)
				sem <- struct{}{}
				go func(chunked bool) {
					defer wg.Done()
					defer func() { <-sem }()
					res, err := ldSendOversize(srv.Listener.Addr().String(), size, chunked)
					if err != nil {
						errs <- err
						return
					}
					offered.Add(size)
					if res.status == 413 && res.closed {
						refused.Add(1)
					}
				}(i%2 == 1)
			}
			wg.Wait()
		})
		srv.Close()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		t.Logf("limit %d MiB: %d of %d bodies of %d MiB refused, %d at a time (%d MiB offered); the server read %.1f MiB; heap in use peaked %.1f MiB above the start; %.1f MiB allocated in all",
			tt.limit>>20, refused.Load(), tt.bodies, size>>20, tt.concurrency, offered.Load()>>20,
			float64(serverRead.Load())/(1<<20), float64(peak)/(1<<20), float64(allocated)/(1<<20))
		if refused.Load() != int64(tt.bodies) {
			t.Errorf("limit %d: %d of %d refused", tt.limit, refused.Load(), tt.bodies)
		}
		// A chunked body in flight holds a buffer of up to the limit, and
		// half of the one before it while the buffer doubles.
		if bound := uint64(tt.concurrency)*uint64(2*tt.limit) + 32<<20; peak > bound {
			t.Errorf("limit %d: heap in use peaked %d MiB above the start, want under %d MiB", tt.limit, peak>>20, bound>>20)
		}
		if tt.limit == 1<<20 && peak > size/2 {
			t.Errorf("limit %d: heap in use peaked %d MiB above the start, want under half a body", tt.limit, peak>>20)
		}
		// Doubling to the limit allocates about twice the limit per chunked
		// body; announced ones allocate nothing but the client's buffers.
		if bound := uint64(tt.bodies)*uint64(3*tt.limit) + 16<<20; allocated > bound {
			t.Errorf("limit %d: %d MiB allocated, want under %d MiB", tt.limit, allocated>>20, bound>>20)
		}
	}
}

// ldBody builds delivery i: an ANNOTATION_CREATED or a TASKS_CREATED from
// the captures, with ids derived from i so that every delivery is
// distinct; the project id is 300000+i.
func ldBody(t testing.TB, i int, annotation, tasks map[string]any) []byte {
	clone := func(m map[string]any) map[string]any {
		b, _ := json.Marshal(m)
		var out map[string]any
		json.Unmarshal(b, &out)
		return out
	}
	var m map[string]any
	if i%2 == 0 {
		m = clone(annotation)
		m["annotation"].(map[string]any)["id"] = 100000 + i
		m["annotation"].(map[string]any)["task"] = 200000 + i
		m["task"].(map[string]any)["id"] = 200000 + i
	} else {
		m = clone(tasks)
		list := m["tasks"].([]any)
		var out []any
		for k := 0; k < 1+i%7; k++ {
			task := clone(list[k%len(list)].(map[string]any))
			task["id"] = 1000*i + k
			task["data"] = map[string]any{"text": fmt.Sprintf("delivery %d task %d", i, k)}
			out = append(out, task)
		}
		m["tasks"] = out
	}
	m["project"].(map[string]any)["id"] = 300000 + i
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ldTemplate(t testing.TB, suffix string) map[string]any {
	var m map[string]any
	readJSON(t, htCapture(t, suffix), &m)
	return m
}

// TestLoadConcurrentDeliveries sends 200 distinct deliveries at once over
// loopback (run with -race) and checks that every one was answered 200,
// reached the function once, and that the event the function got for each
// is exactly what Decode makes of that delivery's body: none lost, none
// mixed up.
func TestLoadConcurrentDeliveries(t *testing.T) {
	const n = 200
	annotation, tasks := ldTemplate(t, "ANNOTATION_CREATED-project"), ldTemplate(t, "TASKS_CREATED-project")
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = ldBody(t, i, annotation, tasks)
	}

	var mu sync.Mutex
	got := make(map[int64][]lswebhook.Event) // by project id
	var inFlight, maxInFlight atomic.Int64
	record := func(ev lswebhook.Event, p *lswebhook.Project) error {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if cur <= m || maxInFlight.CompareAndSwap(m, cur) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond) // hold the request so that deliveries overlap
		if p == nil {
			return errors.New("no project")
		}
		mu.Lock()
		got[p.ID] = append(got[p.ID], ev)
		mu.Unlock()
		return nil
	}
	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
		if ev.Annotation.ID-100000 != ev.Project.ID-300000 || ev.Task.ID-200000 != ev.Project.ID-300000 {
			return fmt.Errorf("ids of several deliveries in one event: %d %d %d", ev.Annotation.ID, ev.Task.ID, ev.Project.ID)
		}
		return record(ev, ev.Project)
	})
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.TasksCreated) error {
		for k, task := range ev.Tasks {
			if task.ID != 1000*(ev.Project.ID-300000)+int64(k) {
				return fmt.Errorf("task %d in the TASKS_CREATED of project %d", task.ID, ev.Project.ID)
			}
		}
		return record(ev, ev.Project)
	})
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error { return fmt.Errorf("unexpected %T", ev) })
	srv, _ := ldServer(t, lswebhook.NewHandler(mux.Dispatch, lswebhook.WithRequiredHeader("X-Token", "load-t0ken")))
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: n}, Timeout: 60 * time.Second}
	defer client.CloseIdleConnections()

	start := make(chan struct{})
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest("POST", srv.URL+"/hook", bytes.NewReader(bodies[i]))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Token", "load-t0ken")
			resp, err := client.Do(req)
			if err != nil {
				t.Errorf("delivery %d: %v", i, err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			statuses[i] = resp.StatusCode
			if resp.StatusCode != 200 {
				t.Errorf("delivery %d: status %d: %s", i, resp.StatusCode, b)
			}
		}(i)
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)

	ok := 0
	for i, body := range bodies {
		evs := got[int64(300000+i)]
		if len(evs) != 1 {
			t.Errorf("delivery %d reached the function %d times", i, len(evs))
			continue
		}
		want, err := lswebhook.Decode(body)
		if err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
		if diff := cmp.Diff(want, evs[0], lswebhooktest.CmpOptions()); diff != "" {
			t.Errorf("delivery %d: the function got another event (-sent +got):\n%s", i, diff)
		}
		if !bytes.Equal(evs[0].Raw(), body) {
			t.Errorf("delivery %d: Raw differs from the body sent", i)
		}
		if statuses[i] == 200 {
			ok++
		}
	}
	t.Logf("%d concurrent deliveries: %d answered 200 and matched their bodies, %d events in all; up to %d in the function at once; %v",
		n, ok, len(got), maxInFlight.Load(), elapsed.Round(time.Millisecond))
	if len(got) != n || ok != n {
		t.Errorf("%d distinct events and %d matched deliveries, want %d", len(got), ok, n)
	}
	if maxInFlight.Load() < 2 {
		t.Errorf("the deliveries never overlapped")
	}
}
