package inbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// An Inbox stores Label Studio webhook deliveries and processes them. It is
// an [http.Handler] (see the package documentation for its answers); its
// workers run between [Inbox.Start] and [Inbox.Close]. Build one with
// [Open]. An Inbox is safe for concurrent use.
type Inbox struct {
	cfg     Config
	driver  string // "sqlite" or "postgres"
	db      *sql.DB
	b       backend
	ins     backend // the handler's inserts: b, or on SQLite a connection of their own
	req     *requestReader
	secrets map[string]bool
	log     *slog.Logger

	mu      sync.Mutex
	started bool
	closed  bool
	closeDB func()
}

// backend is what the inbox asks of River, whatever the driver.
type backend interface {
	insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	start(ctx context.Context) error
	stop(ctx context.Context) error
	list(ctx context.Context, p *river.JobListParams) (*river.JobListResult, error)
	get(ctx context.Context, id int64) (*rivertype.JobRow, error)
	retry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	delete(ctx context.Context, id int64) (*rivertype.JobRow, error)
	// requeue stores args as a new delivery and deletes the job id, in
	// one transaction.
	requeue(ctx context.Context, id int64, args deliveryArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
}

// riverBackend is a backend on a River client with transactions of type
// TTx.
type riverBackend[TTx any] struct {
	c     *river.Client[TTx]
	begin func(ctx context.Context) (tx TTx, commit, rollback func() error, err error)
}

func (b *riverBackend[TTx]) insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	return b.c.Insert(ctx, args, opts)
}
func (b *riverBackend[TTx]) start(ctx context.Context) error { return b.c.Start(ctx) }
func (b *riverBackend[TTx]) stop(ctx context.Context) error  { return b.c.Stop(ctx) }
func (b *riverBackend[TTx]) list(ctx context.Context, p *river.JobListParams) (*river.JobListResult, error) {
	return b.c.JobList(ctx, p)
}
func (b *riverBackend[TTx]) get(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return b.c.JobGet(ctx, id)
}
func (b *riverBackend[TTx]) retry(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return b.c.JobRetry(ctx, id)
}
func (b *riverBackend[TTx]) delete(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return b.c.JobDelete(ctx, id)
}
func (b *riverBackend[TTx]) requeue(ctx context.Context, id int64, args deliveryArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	tx, commit, rollback, err := b.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rollback() }()
	if _, err := b.c.JobDeleteTx(ctx, tx, id); err != nil {
		return nil, err
	}
	res, err := b.c.InsertTx(ctx, tx, args, opts)
	if err != nil {
		return nil, err
	}
	return res, commit()
}

// Open opens the inbox database named by url and runs River's migrations:
//
//	sqlite:PATH            an SQLite file (created if missing)
//	postgres://...         PostgreSQL (also postgresql://), as pgx reads it
//
// SQLite is opened in WAL mode with synchronous=FULL (a commit is on disk
// before the handler answers), a busy timeout and one connection, which
// River's SQLite driver needs. Close the inbox when done.
func Open(ctx context.Context, url string, cfg Config) (*Inbox, error) {
	cfg = cfg.withDefaults()
	if cfg.RescueAfter <= cfg.JobTimeout {
		return nil, fmt.Errorf("inbox: RescueAfter (%v) must be longer than JobTimeout (%v)", cfg.RescueAfter, cfg.JobTimeout)
	}
	in := &Inbox{
		cfg:     cfg,
		req:     newRequestReader(cfg.Options),
		secrets: cfg.secretSet(),
		log:     cfg.Logger,
	}
	if in.log == nil {
		in.log = slog.New(discardHandler{})
	}
	var err error
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		err = in.openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		err = in.openPostgres(ctx, url)
	default:
		err = errors.New(`inbox: database URL must start with "sqlite:" or "postgres://"`)
	}
	if err != nil {
		return nil, err
	}
	return in, nil
}

// riverConfig returns the River configuration of the inbox.
func (in *Inbox) riverConfig() *river.Config {
	c := in.cfg
	rc := &river.Config{
		CompletedJobRetentionPeriod: c.Retention,
		DiscardedJobRetentionPeriod: c.DeadRetention,
		CancelledJobRetentionPeriod: c.DeadRetention,
		JobTimeout:                  c.JobTimeout,
		RescueStuckJobsAfter:        c.RescueAfter,
		MaxAttempts:                 c.MaxAttempts,
		FetchPollInterval:           c.PollInterval,
		// River fetches at most MaxWorkers jobs per fetch and at most once
		// per FetchCooldown: its 100 ms default caps processing at ten
		// times the worker count per second.
		FetchCooldown: min(c.PollInterval, fetchCooldown),
		Logger:        c.Logger,
	}
	if rc.Logger == nil {
		rc.Logger = in.log
	}
	if c.Backoff != nil {
		rc.RetryPolicy = backoffPolicy{c.Backoff}
	}
	if c.Mux != nil {
		workers := river.NewWorkers()
		river.AddWorker(workers, &deliveryWorker{in: in})
		river.AddWorker(workers, &quarantineWorker{})
		rc.Workers = workers
		rc.Queues = map[string]river.QueueConfig{QueueDeliveries: {MaxWorkers: c.Workers}}
	}
	return rc
}

// fetchCooldown is the shortest time between two fetches of jobs.
const fetchCooldown = 20 * time.Millisecond

// backoffPolicy is a River retry policy from Config.Backoff.
type backoffPolicy struct{ f func(int) time.Duration }

// NextRetry returns when a failed job is tried again.
func (p backoffPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.f(job.Attempt))
}

// Start starts the workers; they run until ctx ends or [Inbox.Close]. An
// inbox opened without a Mux has none, and Start returns an error.
func (in *Inbox) Start(ctx context.Context) error {
	if in.cfg.Mux == nil {
		return errors.New("inbox: Start: no Mux, so no worker")
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return errors.New("inbox: Start: closed")
	}
	if err := in.b.start(ctx); err != nil {
		return fmt.Errorf("inbox: start workers: %w", err)
	}
	in.started = true
	return nil
}

// Close stops the workers, waiting until ctx ends for running deliveries to
// finish (those still running then are picked up again after RescueAfter),
// and closes the database. Stop serving HTTP before closing.
func (in *Inbox) Close(ctx context.Context) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.closed {
		return nil
	}
	in.closed = true
	var err error
	if in.started {
		if e := in.b.stop(ctx); e != nil && !errors.Is(e, context.Canceled) {
			err = fmt.Errorf("inbox: stop workers: %w", e)
		}
	}
	in.closeDB()
	return err
}

// Driver returns "sqlite" or "postgres".
func (in *Inbox) Driver() string { return in.driver }

// discardHandler is a slog.Handler that drops every record.
type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
