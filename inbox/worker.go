package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/riverqueue/river"
)

// A Delivery describes the stored delivery a worker function is called
// for; get it from the function's context with [DeliveryFrom].
type Delivery struct {
	// ID is the delivery's id in the inbox, the same on every attempt:
	// use it as an idempotency key.
	ID int64
	// Attempt counts from 1.
	Attempt int
	// Key is the dedupe key.
	Key string
	// ReceivedAt is when the handler received it.
	ReceivedAt time.Time
	// Header holds the request's headers, secret values redacted.
	Header http.Header
}

type deliveryKey struct{}

// DeliveryFrom returns the delivery a worker function is called for, or
// false outside a worker.
func DeliveryFrom(ctx context.Context) (Delivery, bool) {
	d, ok := ctx.Value(deliveryKey{}).(Delivery)
	return d, ok
}

// deliveryWorker processes stored deliveries.
type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	in *Inbox
}

// Timeout is the inbox's JobTimeout.
func (w *deliveryWorker) Timeout(*river.Job[deliveryArgs]) time.Duration {
	return w.in.cfg.JobTimeout
}

// Work decodes the delivery and calls the Mux. The function runs in its own
// goroutine, so that one that ignores its context past the timeout fails
// the attempt without holding the worker; a panic in it is an error.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	in := w.in
	ev, err := in.cfg.Decoder.Decode(job.Args.body())
	if err != nil {
		return fmt.Errorf("inbox: stored delivery %d does not decode: %w", job.ID, err)
	}
	ctx = context.WithValue(ctx, deliveryKey{}, Delivery{
		ID: job.ID, Attempt: job.Attempt, Key: job.Args.Key,
		ReceivedAt: job.Args.ReceivedAt, Header: http.Header(job.Args.Headers),
	})
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- &PanicError{Value: p, Stack: debug.Stack()}
			}
		}()
		done <- in.cfg.Mux.Dispatch(ctx, ev)
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		err = fmt.Errorf("inbox: delivery %d: %w", job.ID, ctx.Err())
	}
	level, msg := slog.LevelInfo, "inbox: delivery processed"
	if err != nil {
		level, msg = slog.LevelWarn, "inbox: delivery failed, will retry"
		if job.Attempt >= job.MaxAttempts {
			level, msg = slog.LevelError, "inbox: delivery failed for the last time, now dead"
		}
	}
	in.log.LogAttrs(ctx, level, msg,
		slog.Int64("id", job.ID), slog.String("action", job.Args.Action),
		slog.Int("attempt", job.Attempt), slog.Int("max_attempts", job.MaxAttempts),
		slog.Any("error", err), slog.Duration("duration", time.Since(start)))
	return err
}

// A PanicError is the error of an attempt whose function panicked.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the goroutine's stack at the panic
}

// Error describes the panic.
func (e *PanicError) Error() string {
	return fmt.Sprintf("inbox: worker function panicked: %v", e.Value)
}

// errQuarantined is returned if a quarantined body ever reaches a worker.
var errQuarantined = errors.New("inbox: quarantined delivery: retry it with Inbox.Retry once it decodes")

// quarantineWorker is registered so that River knows the kind; no queue
// it works takes quarantined deliveries.
type quarantineWorker struct {
	river.WorkerDefaults[quarantineArgs]
}

// Work refuses: quarantined deliveries are not processed.
func (quarantineWorker) Work(context.Context, *river.Job[quarantineArgs]) error {
	return river.JobCancel(errQuarantined)
}
