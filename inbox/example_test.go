package inbox_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/inbox"
)

// An inbox on an SQLite file stores a delivery before answering it; a
// repeat of the same change (the same update sent to a second hook) is
// answered 200 and stored once, and a body that does not decode is kept in
// quarantine.
func Example() {
	dir, err := os.MkdirTemp("", "inbox-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	in, err := inbox.Open(ctx, "sqlite:"+filepath.Join(dir, "inbox.db"), inbox.Config{
		Options: []lswebhook.Option{lswebhook.WithBasicAuth("labelstudio", "secret")},
	})
	if err != nil {
		panic(err)
	}
	defer in.Close(ctx)

	send := func(body string) {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", lswebhook.BasicAuth("labelstudio", "secret"))
		w := httptest.NewRecorder()
		in.ServeHTTP(w, r)
		if w.Header().Get("Inbox-Duplicate") == "true" {
			fmt.Println(w.Code, "duplicate")
			return
		}
		fmt.Println(w.Code)
	}
	update := `{"action":"PROJECT_UPDATED","project":{"id":1,"title":"Cats","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-02T00:00:00Z"}}`
	send(update)
	send(update)
	send(`{"action":"PROJECT_UPDATED","project":{"id":"one"}}`)

	st, err := in.Stats(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Println("pending", st[inbox.Pending], "quarantined", st[inbox.Quarantined])
	// Output:
	// 200
	// 200 duplicate
	// 400
	// pending 1 quarantined 1
}
