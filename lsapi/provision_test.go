package lsapi

import (
	"context"
	"slices"
	"testing"

	"github.com/seed-d2dfa170/lswebhook"
)

func TestProvisionerIdempotent(t *testing.T) {
	f := newFakeLS(t)
	p1, p2 := f.addProject(), f.addProject()
	c := f.client(t)
	prov := &Provisioner{Client: c, Hook: Hook{
		URL: "http://127.0.0.1:9/hook", SendPayload: true,
		Actions: []lswebhook.Action{lswebhook.ActionAnnotationCreated, lswebhook.ActionTasksDeleted},
		Headers: map[string]string{"X-Secret": "s"},
	}}
	ctx := context.Background()
	first, err := prov.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].Project != p1 || first[1].Project != p2 || first[0].Op != HookCreated || first[1].Op != HookCreated {
		t.Fatalf("first Ensure: %v", first)
	}
	before := f.requests
	second, err := prov.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, ch := range second {
		if ch.Op != HookUnchanged || ch.Webhook != first[i].Webhook || len(ch.Fields) != 0 {
			t.Errorf("second Ensure: %v", ch)
		}
	}
	// Only reads: the projects list and one webhook list per project.
	if n := f.requests - before; n != 3 {
		t.Errorf("second Ensure made %d requests, want 3 reads", n)
	}
}

func TestProvisionerReenablesWithActions(t *testing.T) {
	f := newFakeLS(t)
	p := f.addProject()
	c := f.client(t)
	actions := []lswebhook.Action{lswebhook.ActionAnnotationCreated, lswebhook.ActionAnnotationUpdated}
	prov := &Provisioner{Client: c, Projects: []int64{p}, Hook: Hook{URL: "http://h/", Actions: actions, SendPayload: true}}
	ctx := context.Background()
	ch, err := prov.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := ch[0].Webhook
	// Switched off the way the web page does it: the actions are lost.
	off, err := c.SetWebhookActive(ctx, id, false)
	if err != nil || off.IsActive || len(off.Actions) != 0 {
		t.Fatalf("after PATCH is_active: %+v %v", off, err)
	}
	ch, err = prov.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ch[0].Op != HookReenabled || !slices.Equal(ch[0].Fields, []string{"is_active", "actions"}) {
		t.Fatalf("Ensure: %v, want re-enabled (is_active, actions)", ch[0])
	}
	h, err := c.Webhook(ctx, id)
	if err != nil || !h.IsActive || !sameActions(h.Actions, actions) {
		t.Fatalf("hook %+v %v, want active with %v", h, err, actions)
	}
}

func TestProvisionerRepairsAndReportsDuplicates(t *testing.T) {
	f := newFakeLS(t)
	p := f.addProject()
	c := f.client(t)
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, err := c.CreateWebhook(ctx, Webhook{Project: p, URL: "http://h/", SendPayload: false, SendForAllActions: true, IsActive: true}); err != nil {
			t.Fatal(err)
		}
	}
	prov := &Provisioner{Client: c, Projects: []int64{p}, Hook: Hook{URL: "http://h/", SendPayload: true, Headers: map[string]string{"A": "b"}}}
	ch, err := prov.Ensure(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := ch[0]
	if got.Op != HookRepaired || !slices.Equal(got.Fields, []string{"send_payload", "headers"}) || len(got.Duplicates) != 1 || got.Duplicates[0] <= got.Webhook {
		t.Fatalf("Ensure: %v", got)
	}
	if s := got.String(); s == "" {
		t.Error("empty String")
	}
	if _, err := (&Provisioner{Client: c}).Ensure(ctx); err == nil {
		t.Error("Ensure without a URL: no error")
	}
}
