package lsapi

// The tests in this file run against a real Label Studio server; lsapi/live.sh
// installs and starts one (1.23.2) and sets:
//
//	LSAPI_LIVE_URL    the server, e.g. http://127.0.0.1:8080
//	LSAPI_LIVE_TOKEN  a legacy API token of an admin
//	LSAPI_LIVE_10K    1 to also catch up a project of 10,000 tasks
//
// Without LSAPI_LIVE_URL they skip.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-d2dfa170/lswebhook"
)

const liveLabelConfig = `<View><Text name="text" value="$text"/><Choices name="c" toName="text"><Choice value="a"/><Choice value="b"/></Choices></View>`

func liveClient(t *testing.T) *Client {
	t.Helper()
	u, tok := os.Getenv("LSAPI_LIVE_URL"), os.Getenv("LSAPI_LIVE_TOKEN")
	if u == "" || tok == "" {
		t.Skip("LSAPI_LIVE_URL and LSAPI_LIVE_TOKEN not set (lsapi/live.sh sets them)")
	}
	c, err := New(u, TokenAuth(tok), WithTimeout(60*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func choice(v string) any {
	return []any{map[string]any{"from_name": "c", "to_name": "text", "type": "choices", "value": map[string]any{"choices": []string{v}}}}
}

// receiver is a webhook receiver on a fixed loopback port that can be
// stopped and started again, like a receiver being redeployed.
type receiver struct {
	t      *testing.T
	addr   string
	secret string
	on     func(lswebhook.Event)
	mu     sync.Mutex
	srv    *http.Server
	done   chan struct{}
	got    atomic.Int64
}

func (r *receiver) start() {
	r.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger briefly after a stop
		ln, err = net.Listen("tcp", r.addr)
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		r.t.Fatalf("receiver: %v", err)
	}
	r.addr = ln.Addr().String()
	h := lswebhook.NewHandler(func(_ context.Context, ev lswebhook.Event) error {
		r.got.Add(1)
		r.on(ev)
		return nil
	}, lswebhook.WithRequiredHeader("X-Lsapi-Secret", r.secret))
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(ln) }()
	r.mu.Lock()
	r.srv, r.done = srv, done
	r.mu.Unlock()
}

func (r *receiver) stop() {
	r.mu.Lock()
	srv, done := r.srv, r.done
	r.srv = nil
	r.mu.Unlock()
	if srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(ctx)
	<-done
}

func (r *receiver) url(path string) string { return "http://" + r.addr + path }

func TestLiveCatchUpLosesNothing(t *testing.T) {
	c := liveClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	inbox := newTestInbox()
	main := &receiver{t: t, addr: "127.0.0.1:0", secret: "main-secret", on: func(ev lswebhook.Event) {
		for _, ch := range FromDelivery(ev) {
			inbox.add(ch)
		}
	}}
	// The shadow receiver stays up while the main one is down: it records
	// what the server really sent, to compare with what catch-up rebuilds.
	var shadowMu sync.Mutex
	var shadow []lswebhook.Event
	recording := atomic.Bool{}
	sh := &receiver{t: t, addr: "127.0.0.1:0", secret: "shadow-secret", on: func(ev lswebhook.Event) {
		if recording.Load() {
			shadowMu.Lock()
			shadow = append(shadow, ev)
			shadowMu.Unlock()
		}
	}}
	main.start()
	defer main.stop()
	sh.start()
	defer sh.stop()

	proj, err := c.CreateProject(ctx, "lsapi live "+time.Now().UTC().Format("150405.000"), liveLabelConfig)
	if err != nil {
		t.Fatal(err)
	}
	actions := []lswebhook.Action{
		lswebhook.ActionTasksCreated, lswebhook.ActionTasksDeleted, lswebhook.ActionAnnotationCreated,
		lswebhook.ActionAnnotationsCreated, lswebhook.ActionAnnotationUpdated, lswebhook.ActionAnnotationsDeleted,
	}
	prov := &Provisioner{Client: c, Projects: []int64{proj.ID}, Hook: Hook{
		URL: main.url("/hook"), Actions: actions, SendPayload: true,
		Headers: map[string]string{"X-Lsapi-Secret": "main-secret"},
	}}
	shadowProv := &Provisioner{Client: c, Projects: []int64{proj.ID}, Hook: Hook{
		URL: sh.url("/shadow"), Actions: actions, SendPayload: true,
		Headers: map[string]string{"X-Lsapi-Secret": "shadow-secret"},
	}}

	// Provisioning: created once, then unchanged.
	ch, err := prov.Ensure(ctx)
	if err != nil || len(ch) != 1 || ch[0].Op != HookCreated {
		t.Fatalf("first Ensure: %v %v, want one created hook", ch, err)
	}
	hookID := ch[0].Webhook
	ch, err = prov.Ensure(ctx)
	if err != nil || len(ch) != 1 || ch[0].Op != HookUnchanged || ch[0].Webhook != hookID {
		t.Fatalf("second Ensure: %v %v, want hook %d unchanged", ch, err, hookID)
	}
	if _, err := shadowProv.Ensure(ctx); err != nil {
		t.Fatal(err)
	}

	// Before the outage, with the receiver up: 5 tasks, 3 annotations.
	base, err := c.ImportTasks(ctx, proj.ID, []any{
		map[string]any{"text": "t1"}, map[string]any{"text": "t2"}, map[string]any{"text": "t3"},
		map[string]any{"text": "t4"}, map[string]any{"text": "t5"},
	})
	if err != nil || len(base) != 5 {
		t.Fatalf("import: %v %v", base, err)
	}
	slices.Sort(base)
	a1, err := c.CreateAnnotation(ctx, base[0], choice("a"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err = c.CreateAnnotation(ctx, base[3], choice("a")); err != nil {
		t.Fatal(err)
	}
	a3, err := c.CreateAnnotation(ctx, base[4], choice("b"))
	if err != nil {
		t.Fatal(err)
	}
	deliveredBefore := inbox.delivered

	// A first pass from the beginning of time: everything it rebuilds was
	// delivered already, so the inbox refuses all of it.
	wm := &Watermark{}
	rec := &Reconciler{Client: c, Projects: []int64{proj.ID}, PageSize: 2, Overlap: 2 * time.Second,
		Emit: func(_ context.Context, cs []Change) error {
			for _, ch := range cs {
				inbox.add(ch)
			}
			return nil
		}}
	dupsBefore := inbox.duplicates
	if _, err := rec.Run(ctx, wm); err != nil {
		t.Fatal(err)
	}
	if n := inbox.rebuilt; n != 0 {
		t.Errorf("baseline pass: %d reconstructed changes accepted, want 0 (all delivered already)", n)
	}
	baselineDups := inbox.duplicates - dupsBefore
	t.Logf("baseline pass: %d reconstructed changes, all refused as delivered already", baselineDups)

	// The outage. The hook is also switched off the way the web page does
	// it, which on 1.23.2 empties its action list.
	main.stop()
	recording.Store(true)
	off, err := c.SetWebhookActive(ctx, hookID, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("hook %d after PATCH {is_active:false}: is_active=%v actions=%v", hookID, off.IsActive, off.Actions)
	made := 0
	newIDs, err := c.ImportTasks(ctx, proj.ID, []any{map[string]any{"text": "n1"}, map[string]any{"text": "n2"}, map[string]any{"text": "n3"}})
	if err != nil {
		t.Fatal(err)
	}
	made += len(newIDs)
	slices.Sort(newIDs)
	n4, err := c.CreateTask(ctx, proj.ID, map[string]any{"text": "n4"})
	if err != nil {
		t.Fatal(err)
	}
	made++
	if _, err := c.UpdateTaskData(ctx, base[1], map[string]any{"text": "t2 edited"}); err != nil {
		t.Fatal(err)
	}
	made++ // no webhook: catch-up reports TASK_UPDATED
	for _, task := range []int64{base[1], base[2], newIDs[0]} {
		if _, err := c.CreateAnnotation(ctx, task, choice("b")); err != nil {
			t.Fatal(err)
		}
		made++
	}
	if _, err := c.UpdateAnnotation(ctx, a1.ID, choice("b")); err != nil {
		t.Fatal(err)
	}
	made++
	if err := c.DeleteAnnotation(ctx, a3.ID); err != nil {
		t.Fatal(err)
	}
	made++
	if err := c.DeleteTask(ctx, base[3]); err != nil { // with its annotation
		t.Fatal(err)
	}
	made++
	recording.Store(false)
	t.Logf("during the outage: imported %v, created %d, edited %d, annotated %d, %d and %d, updated annotation %d, deleted annotation %d and task %d",
		newIDs, n4.ID, base[1], base[1], base[2], newIDs[0], a1.ID, a3.ID, base[3])

	// Back up: the hook is switched on again with its actions.
	main.start()
	ch, err = prov.Ensure(ctx)
	if err != nil || len(ch) != 1 || ch[0].Op != HookReenabled {
		t.Fatalf("Ensure after the outage: %v %v, want re-enabled", ch, err)
	}
	h, err := c.Webhook(ctx, hookID)
	if err != nil {
		t.Fatal(err)
	}
	if !h.IsActive || !sameActions(h.Actions, actions) || h.SendForAllActions {
		t.Errorf("hook after re-enabling: active=%v actions=%v, want active with %v", h.IsActive, h.Actions, actions)
	}
	t.Logf("hook %d re-enabled: fields %v, actions now %v", hookID, ch[0].Fields, h.Actions)
	if ch, err = prov.Ensure(ctx); err != nil || ch[0].Op != HookUnchanged {
		t.Errorf("Ensure after re-enabling: %v %v, want unchanged", ch, err)
	}

	// Catch-up, interrupted once: the callback refuses the second page,
	// then a new run finishes from the stored watermark.
	var pages int
	rec.Emit = func(_ context.Context, cs []Change) error {
		pages++
		if pages == 2 {
			return errors.New("simulated crash")
		}
		for _, ch := range cs {
			inbox.add(ch)
		}
		return nil
	}
	var saved []byte
	rec.Save = func(_ context.Context, w *Watermark) error {
		b, err := json.Marshal(w)
		saved = b
		return err
	}
	if _, err := rec.Run(ctx, wm); err == nil || !strings.Contains(err.Error(), "simulated crash") {
		t.Fatalf("interrupted pass: %v, want the callback's error", err)
	}
	resumed := &Watermark{}
	if err := json.Unmarshal(saved, resumed); err != nil {
		t.Fatal(err)
	}
	if resumed.AfterTask == 0 {
		t.Fatalf("watermark after the first page: %+v, want a cursor", resumed)
	}
	stats, err := rec.Run(ctx, resumed)
	if err != nil {
		t.Fatal(err)
	}
	rebuilt := inbox.rebuilt
	t.Logf("catch-up: %d pages, %d tasks, %d annotations, changes %v", stats.Pages, stats.Tasks, stats.Annotations, stats.Changes)

	// Every change the server sent the shadow receiver during the outage
	// was rebuilt exactly once.
	shadowMu.Lock()
	sent := slices.Clone(shadow)
	shadowMu.Unlock()
	webhookChanges := 0
	for _, ev := range sent {
		for _, k := range EntityKeys(ev) {
			webhookChanges++
			if n := inbox.count(k); n != 1 {
				t.Errorf("change %s delivered to the shadow hook: accepted %d times, want 1", k, n)
			}
		}
	}
	// The derived changes: the edited task and three completed tasks.
	derived := map[lswebhook.Action]int{}
	for _, c := range inbox.accepted {
		if c.Derived != nil && c.Reconstructed {
			derived[c.Action]++
		}
	}
	if derived[ActionTaskUpdated] != 1 || derived[ActionTaskCompleted] != 3 {
		t.Errorf("derived changes %v, want 1 TASK_UPDATED and 3 TASK_COMPLETED", derived)
	}
	if webhookChanges+1 != made {
		t.Errorf("shadow hook saw %d changes, %d made (one without webhook)", webhookChanges, made)
	}

	// The delayed deliveries arrive after all: every one is refused.
	dups := inbox.duplicates
	for _, ev := range sent {
		for _, ch := range FromDelivery(ev) {
			inbox.add(ch)
		}
	}
	lateDups := inbox.duplicates - dups
	if lateDups < len(sent) {
		t.Errorf("late deliveries: %d of %d refused, want all", lateDups, len(sent))
	}
	// A second pass finds nothing new.
	acc := len(inbox.accepted)
	rec.Emit = func(_ context.Context, cs []Change) error {
		for _, ch := range cs {
			inbox.add(ch)
		}
		return nil
	}
	if _, err := rec.Run(ctx, resumed); err != nil {
		t.Fatal(err)
	}
	if n := len(inbox.accepted) - acc; n != 0 {
		t.Errorf("second pass accepted %d changes, want 0", n)
	}
	fmt.Printf("lsapi live: changes made %d (%d with a webhook, 1 task edit without); events delivered %d (before the outage %d; to the shadow hook during it %d); reconstructed and accepted %d (derived %d); duplicates suppressed %d\n",
		made, webhookChanges, inbox.delivered, deliveredBefore, len(sent), rebuilt, derived[ActionTaskUpdated]+derived[ActionTaskCompleted], inbox.duplicates)
}
