package inbox

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	_ "modernc.org/sqlite" // the database/sql driver "sqlite", pure Go
)

// sqliteDSN returns the modernc.org/sqlite data source name of path with
// the settings the inbox needs.
func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// openSQLite opens and migrates the SQLite database at path.
func (in *Inbox) openSQLite(ctx context.Context, path string) error {
	if path == "" {
		return fmt.Errorf("inbox: sqlite: empty path")
	}
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return fmt.Errorf("inbox: sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return fmt.Errorf("inbox: sqlite: open %s: %w", path, err)
	}
	driver := riversqlite.New(db)
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		_ = db.Close()
		return fmt.Errorf("inbox: sqlite: migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		_ = db.Close()
		return fmt.Errorf("inbox: sqlite: migrate %s: %w", path, err)
	}
	c, err := river.NewClient(driver, in.riverConfig())
	if err != nil {
		_ = db.Close()
		return fmt.Errorf("inbox: sqlite: %w", err)
	}
	in.driver = "sqlite"
	in.db = db
	in.b = &riverBackend[*sql.Tx]{c: c, begin: func(ctx context.Context) (*sql.Tx, func() error, func() error, error) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return nil, nil, nil, err
		}
		return tx, tx.Commit, tx.Rollback, nil
	}}
	// The handler inserts on a connection of its own, so that an
	// acknowledgement waits only for SQLite's write lock (transactions
	// take it when they begin, so busy_timeout applies) and not behind
	// every query of the workers on theirs.
	wdb, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		_ = db.Close()
		return fmt.Errorf("inbox: sqlite: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	wdb.SetConnMaxLifetime(0)
	// An insert-only client with the same settings: MaxAttempts is
	// written into each job when it is inserted.
	wcfg := in.riverConfig()
	wcfg.Workers, wcfg.Queues = nil, nil
	wc, err := river.NewClient(riversqlite.New(wdb), wcfg)
	if err != nil {
		_ = db.Close()
		_ = wdb.Close()
		return fmt.Errorf("inbox: sqlite: %w", err)
	}
	in.ins = &riverBackend[*sql.Tx]{c: wc}
	in.closeDB = func() {
		_ = wdb.Close()
		_ = db.Close()
	}
	return nil
}
