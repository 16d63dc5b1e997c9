// Command testreceiver is the receiver the inbox's crash and restart tests
// run as a separate process: an inbox whose worker reports each delivery it
// processes to a sink outside the process.
//
//	testreceiver -db URL -sink URL [-addr 127.0.0.1:0]
//
// It serves on the socket it inherits (LISTEN_FDS) or on -addr, prints
// "ready" once it accepts and its workers run, and on SIGTERM stops
// accepting, finishes the requests it has, stops its workers and exits 0.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/inbox"
)

// A Report is what the worker posts to the sink for each attempt that
// processes a delivery.
type Report struct {
	ID      int64  `json:"id"`
	Attempt int    `json:"attempt"`
	Key     string `json:"key"`
	PID     int    `json:"pid"`
}

func main() {
	db := flag.String("db", "", "inbox database URL")
	sink := flag.String("sink", "", "URL the worker posts each processed delivery to")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on without an inherited socket")
	jobTimeout := flag.Duration("job-timeout", 5*time.Second, "job timeout")
	rescue := flag.Duration("rescue", 8*time.Second, "rescue stuck jobs after")
	flag.Parse()
	if err := run(*db, *sink, *addr, *jobTimeout, *rescue); err != nil {
		fmt.Fprintln(os.Stderr, "testreceiver:", err)
		os.Exit(1)
	}
}

func run(db, sink, addr string, jobTimeout, rescue time.Duration) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	client := &http.Client{Timeout: 10 * time.Second}
	mux := lswebhook.NewMux()
	mux.Default(func(ctx context.Context, ev lswebhook.Event) error {
		d, _ := inbox.DeliveryFrom(ctx)
		b, _ := json.Marshal(Report{ID: d.ID, Attempt: d.Attempt, Key: d.Key, PID: os.Getpid()})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sink, bytes.NewReader(b))
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("sink answered %d", resp.StatusCode)
		}
		return nil
	})
	ctx := context.Background()
	in, err := inbox.Open(ctx, db, inbox.Config{
		Mux: mux, Logger: log, PollInterval: 50 * time.Millisecond,
		Backoff:    func(int) time.Duration { return 100 * time.Millisecond },
		JobTimeout: jobTimeout, RescueAfter: rescue, MaxAttempts: 25,
	})
	if err != nil {
		return err
	}
	if err := in.Start(ctx); err != nil {
		return err
	}
	l, err := inbox.Listen(addr)
	if err != nil {
		return err
	}
	sctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	fmt.Println("ready", l.Addr())
	if err := inbox.Serve(sctx, l, in); err != nil {
		return err
	}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return in.Close(cctx)
}
