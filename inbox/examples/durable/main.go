// Command durable is a Label Studio webhook receiver with a durable inbox:
// each delivery is stored before it is acknowledged and processed by a
// worker afterwards, with retries. SQLite by default; PostgreSQL with
// -db postgres://...
//
//	WEBHOOK_PASSWORD=secret go run ./examples/durable -db sqlite:inbox.db
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/inbox"
)

func main() {
	db := flag.String("db", "sqlite:inbox.db", "inbox database: sqlite:PATH or postgres://...")
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on (unless a socket is inherited)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	mux := lswebhook.NewMux()
	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
		slog.Info("annotation created", "event", ev) // slow work goes here: it runs after the 200
		return nil
	})
	password := os.Getenv("WEBHOOK_PASSWORD") // the webhook's header in Label Studio: Authorization: Basic base64(labelstudio:password)
	if password == "" {
		slog.Error("durable: set WEBHOOK_PASSWORD")
		os.Exit(2)
	}
	in, err := inbox.Open(ctx, *db, inbox.Config{Mux: mux, Logger: slog.Default(),
		Options: []lswebhook.Option{lswebhook.WithBasicAuth("labelstudio", password)}})
	if err == nil {
		err = in.Start(ctx)
	}
	l, lerr := inbox.Listen(*addr)
	if err != nil || lerr != nil {
		slog.Error("durable: cannot start", "error", err, "listen_error", lerr)
		os.Exit(1)
	}
	slog.Info("durable: listening", "addr", l.Addr().String(), "db", in.Driver())
	err = inbox.Serve(ctx, l, in) // until SIGTERM; then answers what it accepted
	_ = in.Close(context.Background())
	if err != nil {
		slog.Error("durable", "error", err)
		os.Exit(1)
	}
}
