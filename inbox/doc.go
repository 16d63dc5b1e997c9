// Package inbox is a durable inbox for Label Studio webhooks: its handler
// stores every authenticated delivery in a database and answers 2xx only
// after the commit, and its workers process the stored deliveries later,
// with retries, through the typed functions of an [lswebhook.Mux].
//
// Label Studio posts each event once, waits 1 second and never retries,
// so a receiver that does its work inside the request either answers late
// (and the event is lost) or answers early (and loses the event when it
// crashes). The inbox separates "accepted" from "processed":
//
//	mux := lswebhook.NewMux()
//	lswebhook.On(mux, func(ctx context.Context, ev *lswebhook.AnnotationUpdated) error { ... })
//	in, err := inbox.Open(ctx, "sqlite:inbox.db", inbox.Config{Mux: mux,
//		Options: []lswebhook.Option{lswebhook.WithBasicAuth("ls", secret)}})
//	...
//	err = in.Start(ctx)   // workers
//	http.Handle("/webhook", in) // persist, then acknowledge
//
// The queue engine is River. The database is chosen by a URL: "sqlite:PATH"
// for an embedded SQLite file (pure Go, no cgo; the default), or
// "postgres://..." for PostgreSQL, where several receivers behind a load
// balancer and workers on other machines share one inbox. Opening either
// runs River's migrations.
//
// # Answers
//
// The handler checks the request with [lswebhook.ReadRequest] (method,
// required headers, content type, size) and answers a refused request the
// same way. Then:
//
//   - 200 when the delivery is stored (or was stored before: a repeated
//     delivery with the same dedupe key is answered 200 and stored once,
//     with the header "Inbox-Duplicate: true").
//   - 400 when the body does not decode (malformed JSON, no action, a
//     payload that does not match its schema). The body is stored all the
//     same, in quarantine with its problems, so that nothing is lost when the
//     library and the server disagree; see [Inbox.Retry].
//   - 503 with "Retry-After" when the database cannot store it within
//     [Config.AckTimeout]. The handler never answers 2xx for a delivery it
//     did not store.
//
// # Dedupe
//
// Label Studio sends one change to every hook that matches it (project
// hook, organisation hook, ML backend), and a hook may be registered twice.
// A delivery's key, by default [DefaultKey], names the change: the action,
// the ids of the entities it is about and their updated_at. A delivery
// whose key is already stored and not dead is not stored again. Replace the
// key with [Config.KeyFunc].
//
// # Processing
//
// Workers decode each stored delivery and call the Mux's function for its
// action. An error or a panic makes the delivery retryable, with backoff,
// up to [Config.MaxAttempts] attempts; then it is dead (River's
// "discarded" state) until retried or purged. A function that runs past
// [Config.JobTimeout] has its context cancelled and the attempt fails
// whether it returns or not. A delivery that was running when the process
// died is picked up again [Config.RescueAfter] later. Processing is at least
// once: a function that must not act twice uses [DeliveryFrom]'s ID as its
// idempotency key.
package inbox
