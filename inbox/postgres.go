package inbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// defaultConnectTimeout bounds a connection attempt when the URL sets none,
// so that the handler answers 503 quickly while the server is down.
const defaultConnectTimeout = 2 * time.Second

// openPostgres opens and migrates the PostgreSQL database at url.
func (in *Inbox) openPostgres(ctx context.Context, url string) error {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("inbox: postgres: %w", err)
	}
	if pc.ConnConfig.ConnectTimeout == 0 {
		pc.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return fmt.Errorf("inbox: postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return fmt.Errorf("inbox: postgres: connect to %s:%d: %w", pc.ConnConfig.Host, pc.ConnConfig.Port, err)
	}
	driver := riverpgxv5.New(pool)
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		pool.Close()
		return fmt.Errorf("inbox: postgres: migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		pool.Close()
		return fmt.Errorf("inbox: postgres: migrate: %w", err)
	}
	c, err := river.NewClient(driver, in.riverConfig())
	if err != nil {
		pool.Close()
		return fmt.Errorf("inbox: postgres: %w", err)
	}
	db := stdlib.OpenDBFromPool(pool)
	in.driver = "postgres"
	in.db = db
	in.b = &riverBackend[pgx.Tx]{c: c, begin: func(ctx context.Context) (pgx.Tx, func() error, func() error, error) {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		return tx, func() error { return tx.Commit(ctx) }, func() error { return tx.Rollback(ctx) }, nil
	}}
	in.ins = in.b
	in.closeDB = func() {
		_ = db.Close()
		pool.Close()
	}
	return nil
}
