package inbox

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

// The crash tests run the receiver in internal/testreceiver as a real
// process, built here, and count: every delivery answered 2xx must reach
// the sink (a server in this test process, outside the receiver), and no
// key may be stored twice. They assert on counts only.

var (
	buildOnce    sync.Once
	receiverPath string
	buildErr     error
)

// receiverBinary builds internal/testreceiver once per test run.
func receiverBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "inbox-testreceiver")
		if err != nil {
			buildErr = err
			return
		}
		receiverPath = filepath.Join(dir, "testreceiver")
		cmd := exec.Command("go", "build", "-o", receiverPath, "./internal/testreceiver")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return receiverPath
}

// report is one processing attempt as the sink received it.
type report struct {
	ID      int64  `json:"id"`
	Attempt int    `json:"attempt"`
	Key     string `json:"key"`
	PID     int    `json:"pid"`
}

// sink records what the receivers processed.
type sink struct {
	mu    sync.Mutex
	byKey map[string][]report
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var rep report
	if err := json.NewDecoder(r.Body).Decode(&rep); err != nil || rep.Key == "" {
		http.Error(w, "bad report", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if s.byKey == nil {
		s.byKey = map[string][]report{}
	}
	s.byKey[rep.Key] = append(s.byKey[rep.Key], rep)
	s.mu.Unlock()
}

func (s *sink) has(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.byKey[key]) > 0
}

// receiver is one running receiver process.
type receiver struct {
	cmd    *exec.Cmd
	exited chan struct{}
	stderr *bytes.Buffer
}

// startReceiver starts a receiver on the listening socket ln (shared with
// the test, as a supervisor would hold it) and waits until it is ready.
func startReceiver(t *testing.T, bin, dbURL, sinkURL string, ln *os.File) *receiver {
	t.Helper()
	r, err := launchReceiver(bin, dbURL, sinkURL, ln)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// launchReceiver is startReceiver for any goroutine.
func launchReceiver(bin, dbURL, sinkURL string, ln *os.File) (*receiver, error) {
	cmd := exec.Command(bin, "-db", dbURL, "-sink", sinkURL, "-job-timeout", "3s", "-rescue", "5s")
	cmd.ExtraFiles = []*os.File{ln}
	cmd.Env = append(os.Environ(), "LISTEN_FDS=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	r := &receiver{cmd: cmd, exited: make(chan struct{}), stderr: new(bytes.Buffer)}
	lw := &lockedWriter{w: r.stderr}
	cmd.Stderr = lw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		ok := sc.Scan() && strings.HasPrefix(sc.Text(), "ready")
		ready <- ok
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(r.exited) }()
	select {
	case ok := <-ready:
		if !ok {
			<-r.exited
			return nil, fmt.Errorf("receiver did not start: %s", lw.String())
		}
	case <-time.After(waitLimit):
		r.kill()
		return nil, fmt.Errorf("receiver not ready: %s", lw.String())
	}
	return r, nil
}

// kill sends SIGKILL and waits for the process to end.
func (r *receiver) kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	<-r.exited
}

// stop sends SIGTERM and waits for a clean exit. A receiver that does not
// exit is sent SIGQUIT, so that its goroutines are in the test's log.
func (r *receiver) stop(t *testing.T) {
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
		if c := r.cmd.ProcessState.ExitCode(); c != 0 {
			t.Errorf("receiver exited %d after SIGTERM: %s", c, tail(r.stderrText(), 4000))
		}
	case <-time.After(waitLimit):
		_ = r.cmd.Process.Signal(syscall.SIGQUIT)
		select {
		case <-r.exited:
		case <-time.After(10 * time.Second):
			r.kill()
		}
		t.Errorf("receiver did not stop after SIGTERM: %s", tail(r.stderrText(), 400000))
	}
}

func (r *receiver) stderrText() string {
	if lw, ok := r.cmd.Stderr.(*lockedWriter); ok {
		return lw.String()
	}
	return ""
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprint(l.w)
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// sharedListener returns a loopback listening socket as a file to hand to
// receivers, closed at the end of the test.
func sharedListener(t *testing.T) (*os.File, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	nf, err := l.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	// os.StartProcess calls Fd on each file it hands over, and Fd puts a
	// descriptor it believes non-blocking into blocking mode. The mode
	// belongs to the socket, shared by every receiver: flipping it while
	// one runs can leave that receiver's accept blocked in the kernel,
	// where closing the listener cannot end it. So hand over a descriptor
	// that os knows as blocking: Fd's flip happens once, here, before any
	// receiver starts (each receiver makes the socket non-blocking again
	// for itself and the others).
	fd, err := syscall.Dup(int(nf.Fd()))
	_ = nf.Close()
	if err != nil {
		t.Fatal(err)
	}
	f := os.NewFile(uintptr(fd), "listener")
	addr := l.Addr().String()
	// Keep only the file: this process never accepts, it only holds the
	// socket open between receivers as a supervisor does.
	_ = l.Close()
	t.Cleanup(func() { _ = f.Close() })
	return f, addr
}

// annotationBody returns a 6 KB ANNOTATION_UPDATED delivery recorded from a
// real Label Studio, with the annotation's id and updated_at changed, and
// its default key.
func annotationBody(t testing.TB, base map[string]any, id int, at time.Time) ([]byte, string) {
	ann := base["annotation"].(map[string]any)
	cp := make(map[string]any, len(ann))
	for k, v := range ann {
		cp[k] = v
	}
	ts := at.UTC().Format("2006-01-02T15:04:05.000000Z")
	cp["id"] = id
	cp["updated_at"] = ts
	msg := make(map[string]any, len(base))
	for k, v := range base {
		msg[k] = v
	}
	msg["annotation"] = cp
	b, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := lswebhook.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return b, DefaultKey(ev)
}

func baseAnnotation(t testing.TB) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(fixture(t, "023-ANNOTATION_UPDATED-org.json"), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// tally counts the outcomes of a stream of deliveries.
type tally struct {
	sent, acked, duplicates, unavailable, failed atomic.Int64
	mu                                           sync.Mutex
	ackedKeys                                    map[string]bool
	errs                                         []string // the first few transport errors and odd answers
}

// note keeps a few failure descriptions for the test's log.
func (ty *tally) note(s string) {
	ty.mu.Lock()
	if len(ty.errs) < 5 {
		ty.errs = append(ty.errs, s)
	}
	ty.mu.Unlock()
}

// send posts one delivery as Label Studio does (a new connection per
// delivery) and records the outcome.
func (ty *tally) send(client *http.Client, url string, body []byte, key string) {
	ty.sent.Add(1)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		ty.failed.Add(1)
		ty.note(err.Error())
		return
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusOK:
		ty.acked.Add(1)
		if resp.Header.Get("Inbox-Duplicate") == "true" {
			ty.duplicates.Add(1)
		}
		ty.mu.Lock()
		ty.ackedKeys[key] = true
		ty.mu.Unlock()
	case resp.StatusCode == http.StatusServiceUnavailable:
		ty.unavailable.Add(1)
	default:
		ty.failed.Add(1)
		ty.note(resp.Status)
	}
}

// stream sends perSender distinct deliveries from each of senders
// goroutines, each delivery twice (as to two hooks), calling between(n)
// from a separate goroutine whenever the count of answered requests
// passes one of the thresholds.
func stream(t *testing.T, url string, senders, perSender int, ty *tally) {
	base := baseAnnotation(t)
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for s := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perSender {
				n := s*perSender + i + 1
				body, key := annotationBody(t, base, 1000+n%50, start.Add(time.Duration(n)*time.Millisecond))
				ty.send(client, url, body, key)
				ty.send(client, url, body, key)
			}
		}()
	}
	wg.Wait()
}

// sqliteIntegrity runs PRAGMA integrity_check on a closed SQLite inbox.
func sqliteIntegrity(t *testing.T, path string) string {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatal(err)
	}
	return res
}

// postgresIntegrity checks every B-tree index of River's job table with
// amcheck and returns "ok" or the error.
func postgresIntegrity(t *testing.T, dbURL string) string {
	in, err := Open(context.Background(), dbURL, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(context.Background())
	if _, err := in.db.Exec("CREATE EXTENSION IF NOT EXISTS amcheck"); err != nil {
		return "amcheck: " + err.Error()
	}
	rows, err := in.db.Query(`SELECT c.relname, bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam WHERE i.indrelid = 'river_job'::regclass AND a.amname = 'btree'`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name string
		var ignored any
		if err := rows.Scan(&name, &ignored); err != nil {
			return err.Error()
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err.Error()
	}
	if n == 0 {
		return "no index checked"
	}
	return "ok"
}

// pgCtl runs pg_ctl on the test PostgreSQL server ("stop" with a fast
// shutdown, which cuts open connections, or "start").
func pgCtl(action string) error {
	data, bin := os.Getenv("INBOX_PGDATA"), os.Getenv("INBOX_PGBIN")
	if data == "" || bin == "" {
		return errors.New("INBOX_PGDATA and INBOX_PGBIN are not set (inbox/scripts/postgres.sh sets them)")
	}
	// -l: the server's output goes to a file, not to this pipe, which
	// would otherwise stay open as long as the server runs.
	logFile := filepath.Join(filepath.Dir(data), "run", "server.log")
	args := []string{filepath.Join(bin, "pg_ctl"), "-D", data, "-l", logFile, "-w", "-t", "120", "-m", "fast", action}
	var cmd *exec.Cmd
	if os.Getuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--"}, args...)...)
	} else {
		cmd = exec.Command(args[0], args[1:]...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl %s: %v\n%s", action, err, out)
	}
	return nil
}

// TestCrashKill9 runs a stream of deliveries from concurrent senders into
// a receiver process that is killed with SIGKILL several times at random
// moments and restarted (on PostgreSQL the server is also restarted once),
// then checks that every delivery answered 2xx was processed, that none
// was stored twice, and that the database is intact.
func TestCrashKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: builds and runs a receiver process")
	}
	forEachDriver(t, func(t *testing.T, dbURL string) {
		bin := receiverBinary(t)
		sk := &sink{}
		sinkSrv := httptest.NewServer(sk)
		defer sinkSrv.Close()
		ln, addr := sharedListener(t)
		url := "http://" + addr + "/webhook"

		seed := uint64(time.Now().UnixNano())
		rng := rand.New(rand.NewPCG(seed, 17))
		const senders, perSender, kills = 4, 100, 4
		total := int64(2 * senders * perSender)
		// Kill when this many requests have been answered.
		var thresholds []int64
		for i := range kills {
			lo := total * int64(i+1) / (kills + 2)
			thresholds = append(thresholds, lo+rng.Int64N(total/(kills+2)))
		}
		pgRestartAt := total / 2
		postgres := strings.HasPrefix(dbURL, "postgres")

		ty := &tally{ackedKeys: map[string]bool{}}
		rec := startReceiver(t, bin, dbURL, sinkSrv.URL, ln)
		var recMu sync.Mutex
		streamDone := make(chan struct{})
		killerDone := make(chan struct{})
		killed, pgRestarts := 0, 0
		go func() {
			defer close(killerDone)
			answered := func() int64 { return ty.acked.Load() + ty.unavailable.Load() + ty.failed.Load() }
			for _, th := range thresholds {
				for answered() < th {
					select {
					case <-streamDone:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
				recMu.Lock()
				rec.kill()
				killed++
				r, err := launchReceiver(bin, dbURL, sinkSrv.URL, ln)
				if err != nil {
					recMu.Unlock()
					t.Error(err)
					return
				}
				rec = r
				recMu.Unlock()
				if postgres && pgRestarts == 0 && th >= pgRestartAt {
					// The database goes away under a running receiver:
					// deliveries get 503 until it is back.
					if err := pgCtl("stop"); err != nil {
						t.Error(err)
						return
					}
					before := ty.unavailable.Load()
					for ty.unavailable.Load() < before+5 {
						select {
						case <-streamDone:
						case <-time.After(5 * time.Millisecond):
							continue
						}
						break
					}
					if err := pgCtl("start"); err != nil {
						t.Error(err)
						return
					}
					pgRestarts++
				}
			}
		}()
		stream(t, url, senders, perSender, ty)
		close(streamDone)
		<-killerDone

		// Everything acknowledged must reach the sink.
		ty.mu.Lock()
		keys := make([]string, 0, len(ty.ackedKeys))
		for k := range ty.ackedKeys {
			keys = append(keys, k)
		}
		ty.mu.Unlock()
		waitFor(t, fmt.Sprintf("%d acknowledged deliveries to be processed", len(keys)), func() bool {
			for _, k := range keys {
				if !sk.has(k) {
					return false
				}
			}
			return true
		})
		recMu.Lock()
		rec.stop(t)
		recMu.Unlock()

		sk.mu.Lock()
		processed, reruns, twice := 0, 0, 0
		for k, reps := range sk.byKey {
			processed++
			for _, r := range reps[1:] {
				if r.ID != reps[0].ID {
					twice++
					t.Errorf("key %s stored twice: ids %d and %d", k, reps[0].ID, r.ID)
				} else {
					reruns++
				}
			}
		}
		sk.mu.Unlock()
		if killed != kills {
			t.Errorf("%d kills, want %d", killed, kills)
		}
		if postgres && (pgRestarts != 1 || ty.unavailable.Load() == 0) {
			t.Errorf("%d PostgreSQL restarts and %d answers 503, want 1 and some", pgRestarts, ty.unavailable.Load())
		}
		if ty.acked.Load() == 0 || len(keys) == 0 {
			t.Fatal("no delivery was acknowledged")
		}
		var integrity string
		if postgres {
			integrity = postgresIntegrity(t, dbURL)
		} else {
			integrity = sqliteIntegrity(t, strings.TrimPrefix(dbURL, "sqlite:"))
		}
		if integrity != "ok" {
			t.Errorf("integrity check: %s", integrity)
		}
		t.Logf("CRASH %s: seed %d; sent %d, acknowledged %d (%d distinct deliveries, %d duplicates suppressed), 503 %d, no answer %d; processed %d, none lost, stored twice %d, re-run after a kill %d; kills %d, PostgreSQL restarts %d; integrity %s",
			filepath.Base(t.Name()), seed, ty.sent.Load(), ty.acked.Load(), len(keys), ty.duplicates.Load(),
			ty.unavailable.Load(), ty.failed.Load(), processed, twice, reruns, killed, pgRestarts, integrity)
	})
}

// TestMain removes the receiver built for the crash tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if receiverPath != "" {
		_ = os.RemoveAll(filepath.Dir(receiverPath))
	}
	os.Exit(code)
}
