package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
	"github.com/seed-d2dfa170/lswebhook/internal/startwatch"
	"github.com/seed-d2dfa170/lswebhook/lswebhooktest"
)

// capture returns the first real 1.23.2 delivery of an action with a
// payload, from those lswebhooktest embeds.
func capture(t *testing.T, action lswebhook.Action) []byte {
	t.Helper()
	f, ok := lswebhooktest.LookupFixture(lswebhooktest.DefaultRelease, action)
	if !ok {
		t.Fatalf("no captured %s payload", action)
	}
	return f.Body
}

// mlUserAgent is the User-Agent of Label Studio's calls to an ML backend.
var mlUserAgent = func() string {
	r, _ := lswebhooktest.LookupRelease(lswebhooktest.DefaultRelease)
	return r.MLUserAgent
}()

// call sends a request and decodes the JSON answer into out. POSTs to
// /webhook go out as Label Studio delivers webhooks (lswebhooktest.Post);
// the other calls carry the User-Agent of its ML client.
func call(t *testing.T, method, url string, body []byte, out any) int {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost && strings.HasSuffix(url, "/webhook") {
		// A loaded test machine may need more than Label Studio's timeout.
		resp, err = lswebhooktest.Post(context.Background(), url, body, lswebhooktest.WithTimeout(time.Minute))
	} else {
		var req *http.Request
		req, err = http.NewRequest(method, url, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("User-Agent", mlUserAgent)
		resp, err = http.DefaultClient.Do(req)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
		t.Errorf("%s %s: Content-Type %q (Label Studio needs JSON)", method, url, ct)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Errorf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return resp.StatusCode
}

func newTestModel(t *testing.T) (*model, *httptest.Server) {
	m := newModel("go-skeleton", slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go m.trainLoop(ctx)
	srv := httptest.NewServer(m.handler())
	t.Cleanup(srv.Close)
	return m, srv
}

// TestProtocol walks through what Label Studio does with an ML backend:
// health check, setup, annotation events, training, prediction.
func TestProtocol(t *testing.T) {
	m, srv := newTestModel(t)

	var health map[string]string
	if st := call(t, "GET", srv.URL+"/health", nil, &health); st != 200 || health["status"] != "UP" {
		t.Errorf("/health: %d %v", st, health)
	}
	setup := []byte(`{"project": "1.1763961342", "schema": "<View/>", "hostname": "http://localhost:8080", "access_token": "ls-token-secret", "extra_params": ""}`)
	var setupAnswer map[string]string
	if st := call(t, "POST", srv.URL+"/setup", setup, &setupAnswer); st != 200 || setupAnswer["model_version"] != "go-skeleton-0" {
		t.Errorf("/setup: %d %v", st, setupAnswer)
	}
	var predictions map[string][]any
	predict := []byte(`{"tasks": [{"id": 1, "data": {"text": "x"}}], "project": "1.1763961342", "label_config": "<View/>", "params": {}}`)
	if st := call(t, "POST", srv.URL+"/predict", predict, &predictions); st != 200 || predictions["results"] == nil || len(predictions["results"]) != 0 {
		t.Errorf("/predict: %d %v", st, predictions)
	}

	// The annotation events of the captures, and what they teach.
	var created, updated struct {
		Annotation struct {
			ID int64 `json:"id"`
		} `json:"annotation"`
	}
	createdBody := capture(t, lswebhook.ActionAnnotationCreated)
	json.Unmarshal(createdBody, &created)
	var ok map[string]string
	if st := call(t, "POST", srv.URL+"/webhook", createdBody, &ok); st != 200 || ok["status"] != "ok" {
		t.Errorf("ANNOTATION_CREATED: %d %v", st, ok)
	}
	updatedBody := capture(t, lswebhook.ActionAnnotationUpdated)
	json.Unmarshal(updatedBody, &updated)
	if st := call(t, "POST", srv.URL+"/webhook", updatedBody, nil); st != 200 {
		t.Errorf("ANNOTATION_UPDATED: %d", st)
	}
	// A built annotation, and a skipped one, which is no training example.
	built := lswebhooktest.AnnotationCreated(lswebhooktest.Seq(5))
	if st := call(t, "POST", srv.URL+"/webhook", lswebhooktest.Body(built), nil); st != 200 {
		t.Errorf("built ANNOTATION_CREATED: %d", st)
	}
	if st := call(t, "POST", srv.URL+"/webhook", lswebhooktest.Body(lswebhooktest.AnnotationCreated(lswebhooktest.Skipped(), lswebhooktest.Seq(6))), nil); st != 200 {
		t.Errorf("skipped ANNOTATION_CREATED: %d", st)
	}
	want := []int64{created.Annotation.ID, updated.Annotation.ID, built.Annotation.ID}
	if want[0] == want[1] {
		want = want[1:]
	}
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	if got := m.snapshot(); !reflect.DeepEqual(got, want) {
		t.Errorf("examples %v, want %v", got, want)
	}
	// Deleting the annotations forgets them.
	del := lswebhooktest.AnnotationsDeleted(lswebhooktest.Count(len(want)))
	for i, id := range want {
		del.Annotations[i].ID = id
	}
	if st := call(t, "POST", srv.URL+"/webhook", lswebhooktest.Body(del), nil); st != 200 {
		t.Errorf("ANNOTATIONS_DELETED: %d", st)
	}
	if got := m.snapshot(); len(got) != 0 {
		t.Errorf("examples after delete: %v", got)
	}
	if st := call(t, "POST", srv.URL+"/webhook", capture(t, lswebhook.ActionAnnotationsDeleted), nil); st != 200 {
		t.Errorf("captured ANNOTATIONS_DELETED: %d", st)
	}

	// Other actions are answered 200 and ignored.
	for _, other := range []lswebhook.Action{lswebhook.ActionTasksCreated, lswebhook.ActionProjectUpdated, lswebhook.ActionTasksDeleted} {
		if st := call(t, "POST", srv.URL+"/webhook", capture(t, other), nil); st != 200 {
			t.Errorf("%s: %d", other, st)
		}
	}
	if st := call(t, "POST", srv.URL+"/webhook", lswebhooktest.Body(lswebhooktest.TasksCreated(), lswebhooktest.UnknownAction("SOMETHING_NEW")), nil); st != 200 {
		t.Errorf("unknown action: %d", st)
	}

	// START_TRAINING answers at once and trains in the background.
	if st := call(t, "POST", srv.URL+"/webhook", capture(t, lswebhook.ActionStartTraining), &ok); st != 200 {
		t.Errorf("START_TRAINING: %d", st)
	}
	select {
	case <-m.trained:
	case <-time.After(10 * time.Second):
		t.Fatal("no training run")
	}
	if st := call(t, "POST", srv.URL+"/setup", setup, &setupAnswer); st != 200 || setupAnswer["model_version"] != "go-skeleton-1" {
		t.Errorf("/setup after training: %d %v", st, setupAnswer)
	}
}

// TestRefusals checks the answers to requests Label Studio would not send.
func TestRefusals(t *testing.T) {
	_, srv := newTestModel(t)
	for _, tt := range []struct {
		method, path string
		body         []byte
		status       int
	}{
		{"POST", "/health", nil, 405},
		{"GET", "/setup", nil, 405},
		{"POST", "/setup", []byte(`not json`), 400},
		{"POST", "/predict", []byte(`[`), 400},
		{"GET", "/webhook", nil, 405},
		{"POST", "/webhook", lswebhooktest.Body(lswebhooktest.StartTraining(), lswebhooktest.WrongType("/project/id")), 400},
		{"GET", "/nothing", nil, 404},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, bytes.NewReader(tt.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.path, resp.StatusCode, tt.status)
		}
	}
}

// TestConcurrentEvents delivers annotation events from many goroutines
// (run with -race).
func TestConcurrentEvents(t *testing.T) {
	m, srv := newTestModel(t)
	startTraining := capture(t, lswebhook.ActionStartTraining)
	var wg sync.WaitGroup
	for i := 1; i <= 40; i++ {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			body := lswebhooktest.Body(lswebhooktest.AnnotationsDeleted(lswebhooktest.Seq(id)))
			if id%2 == 0 {
				body = startTraining
			}
			req, _ := http.NewRequest("POST", srv.URL+"/webhook", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}(int64(i))
	}
	wg.Wait()
	select {
	case <-m.trained:
	case <-time.After(10 * time.Second):
		t.Fatal("no training run")
	}
}

// TestRun starts the program on a free port, checks that it serves, and
// stops it.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := startwatch.New()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-model", "demo"}, stderr) }()
	url := stderr.URL(t, done)
	var health, setup map[string]string
	if st := call(t, "GET", url+"health", nil, &health); st != 200 || health["status"] != "UP" {
		t.Errorf("/health: %d %v", st, health)
	}
	if st := call(t, "POST", url+"setup", []byte(`{"project":"1.1","schema":"<View/>"}`), &setup); st != 200 || setup["model_version"] != "demo-0" {
		t.Errorf("/setup: %d %v", st, setup)
	}
	if st := call(t, "POST", url+"webhook", capture(t, lswebhook.ActionStartTraining), nil); st != 200 {
		t.Errorf("/webhook: %d", st)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), "model_version=demo-1") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(stderr.String(), "msg=trained") {
		t.Errorf("no training logged:\n%s", stderr.String())
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not stop")
	}
	if err := run(context.Background(), []string{"stray"}, io.Discard); err == nil {
		t.Error("stray argument accepted")
	}
}
