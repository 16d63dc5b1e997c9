// Command mlbackend is a skeleton of a Label Studio ML backend written in
// Go: it speaks the protocol of label-studio-ml-backend and shows the typed
// way to react to the events that train a model.
//
// Usage:
//
//	go run ./examples/mlbackend [-addr 127.0.0.1:9090] [-model NAME] [-v]
//
// Connect it in Label Studio under Settings > Model with the URL
// http://ADDR (on Label Studio 1.23.1 and later a local address needs
// ML_BLOCK_LOCAL_IP=false on the server). Label Studio then calls:
//
//	GET  /health   answered {"status":"UP"}
//	POST /setup    answered {"model_version":"NAME-N"}
//	POST /predict  answered {"results":[]} (this skeleton predicts nothing)
//	POST /webhook  every event of the project (Label Studio adds a webhook
//	               for the backend), and START_TRAINING when a user presses
//	               "Start Training"
//
// On /webhook the skeleton keeps the submitted annotations of
// ANNOTATION_CREATED and ANNOTATION_UPDATED as training examples, drops
// those named by ANNOTATIONS_DELETED (Label Studio's Python ML backend
// listens for "ANNOTATION_DELETED", which no server sends, and so never sees
// deletions), and on START_TRAINING queues a training run that builds a new
// model version in the background: Label Studio waits 1 second for a
// webhook answer. Every other action is answered 200 and ignored, as the
// protocol expects.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "mlbackend:", err)
		os.Exit(2)
	}
}

// run parses the flags and serves until ctx is done. It writes the address
// it listens on ("listening on http://ADDR/") and the log to stderr.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("mlbackend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "`address` to listen on")
	name := fs.String("model", "go-skeleton", "model `name`; versions are NAME-0, NAME-1, ...")
	verbose := fs.Bool("v", false, "log every request")
	switch err := fs.Parse(args); {
	case err != nil:
		return err
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	logOpts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if *verbose {
		logOpts.Level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, logOpts))

	m := newModel(*name, logger)
	go m.trainLoop(ctx)
	srv := newServer(m.handler())
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "listening on http://%s/\n", ln.Addr())

	// When ctx is done, shut down: Serve returns at once, and run waits
	// for the requests in flight (10 s at most).
	shutdown := make(chan error, 1)
	defer context.AfterFunc(ctx, func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shutdown <- srv.Shutdown(sctx)
	})()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return <-shutdown
}

// newServer returns the HTTP server for h. Label Studio waits 1 s for
// webhooks and up to 100 s for START_TRAINING and predictions; the
// timeouts bound slow clients.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// example is one training example: a submitted annotation and its task.
type example struct {
	Project int64
	Task    int64
	Results int
}

// model is the state of the backend: the training examples and the model
// version. A real backend would hold its weights here.
type model struct {
	name string
	log  *slog.Logger

	mu       sync.Mutex
	version  int
	examples map[int64]example // by annotation id
	configs  map[int64]string  // label config by project id, from START_TRAINING

	train   chan int64    // project ids to train; a full queue coalesces requests
	trained chan struct{} // receives after each training run (for tests)
}

func newModel(name string, log *slog.Logger) *model {
	return &model{
		name:     name,
		log:      log,
		examples: make(map[int64]example),
		configs:  make(map[int64]string),
		train:    make(chan int64, 16),
		trained:  make(chan struct{}, 16),
	}
}

// modelVersion returns the current version, such as "go-skeleton-0".
func (m *model) modelVersion() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fmt.Sprintf("%s-%d", m.name, m.version)
}

// handler returns the HTTP routes of the ML backend protocol.
func (m *model) handler() http.Handler {
	events := lswebhook.NewMux()
	lswebhook.On(events, m.annotationCreated)
	lswebhook.On(events, m.annotationUpdated)
	lswebhook.On(events, m.annotationsDeleted)
	lswebhook.On(events, m.startTraining)
	// No Default: other actions (TASKS_CREATED, PROJECT_UPDATED, ...) are
	// answered 200 and ignored.

	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", m.health)
	mux.HandleFunc("POST /setup", m.setup)
	mux.HandleFunc("POST /predict", m.predict)
	mux.Handle("/webhook", lswebhook.NewHandler(events.Dispatch, lswebhook.WithLogger(m.log)))
	return mux
}

// annotationCreated keeps a submitted annotation as a training example.
// Skipped tasks (WasCancelled) teach nothing and are ignored.
func (m *model) annotationCreated(ctx context.Context, ev *lswebhook.AnnotationCreated) error {
	m.keep(ev.Project, ev.Annotation)
	return nil
}

// annotationUpdated replaces the example of a changed annotation.
func (m *model) annotationUpdated(ctx context.Context, ev *lswebhook.AnnotationUpdated) error {
	m.keep(ev.Project, ev.Annotation)
	return nil
}

func (m *model) keep(p *lswebhook.Project, a *lswebhook.Annotation) {
	if a == nil { // the webhook's "send payload" is off: nothing to learn
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if a.WasCancelled {
		delete(m.examples, a.ID)
		return
	}
	ex := example{Project: a.Project, Task: a.Task, Results: len(a.Result)}
	if p != nil {
		ex.Project = p.ID
	}
	m.examples[a.ID] = ex
}

// annotationsDeleted forgets the deleted annotations. The event carries
// their ids only.
func (m *model) annotationsDeleted(ctx context.Context, ev *lswebhook.AnnotationsDeleted) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, ref := range ev.Annotations {
		delete(m.examples, ref.ID)
	}
	return nil
}

// startTraining queues a training run for the project and returns at once.
func (m *model) startTraining(ctx context.Context, ev *lswebhook.StartTraining) error {
	if ev.Project == nil {
		return errors.New("START_TRAINING without a project")
	}
	m.mu.Lock()
	m.configs[ev.Project.ID] = ev.Project.LabelConfig
	m.mu.Unlock()
	select {
	case m.train <- ev.Project.ID:
	default: // a run is already queued; it will see the same examples
	}
	return nil
}

// trainLoop runs the queued trainings one at a time until ctx is done.
func (m *model) trainLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case project := <-m.train:
			m.mu.Lock()
			n := 0
			for _, ex := range m.examples {
				if ex.Project == project {
					n++
				}
			}
			// A real backend would fit its model to the examples here,
			// using the label config in m.configs[project].
			m.version++
			version := fmt.Sprintf("%s-%d", m.name, m.version)
			m.mu.Unlock()
			m.log.Info("trained", "project", project, "examples", n, "model_version", version)
			select {
			case m.trained <- struct{}{}:
			default:
			}
		}
	}
}

// health answers Label Studio's connection check.
func (m *model) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "UP"})
}

// setupRequest is the body of POST /setup. AccessToken is a Label Studio
// API token for fetching task data: keep it out of logs.
type setupRequest struct {
	Project     string          `json:"project"` // "<id>.<created_at unix time>"
	Schema      string          `json:"schema"`  // the label config
	Hostname    string          `json:"hostname"`
	AccessToken string          `json:"access_token"`
	ExtraParams json.RawMessage `json:"extra_params"`
}

// setup answers with the model version; Label Studio calls it when the
// backend is connected and whenever it checks the connection.
func (m *model) setup(w http.ResponseWriter, r *http.Request) {
	var req setupRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body is not a setup request"})
		return
	}
	m.log.Debug("setup", "project", req.Project, "hostname", req.Hostname)
	writeJSON(w, http.StatusOK, map[string]string{"model_version": m.modelVersion()})
}

// predict answers a prediction request with no predictions. A real backend
// returns one prediction per task: {"results": [{"result": [...],
// "score": 0.9, "model_version": "..."}, ...]}.
func (m *model) predict(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Tasks []json.RawMessage `json:"tasks"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body is not a prediction request"})
		return
	}
	m.log.Debug("predict", "tasks", len(req.Tasks))
	writeJSON(w, http.StatusOK, map[string][]any{"results": {}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// snapshot returns the annotation ids of the examples, sorted (for tests).
func (m *model) snapshot() []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]int64, 0, len(m.examples))
	for id := range m.examples {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}
