package lsapi

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/seed-d2dfa170/lswebhook"
)

// Hook is the webhook a receiver needs on each project.
type Hook struct {
	// URL is where Label Studio posts; a project's hook with this URL is
	// the one the provisioner manages.
	URL string
	// Actions are the actions to send; empty means every action
	// (send_for_all_actions).
	Actions []lswebhook.Action
	// SendPayload makes the server send the entities, not only the action.
	SendPayload bool
	// Headers are sent with every delivery, e.g. a shared secret.
	Headers map[string]string
}

// HookOp is what [Provisioner.Ensure] did to one project's hook.
type HookOp string

// The operations Ensure reports.
const (
	HookUnchanged HookOp = "unchanged"
	HookCreated   HookOp = "created"
	// HookRepaired: the hook existed with other settings (actions,
	// payload, headers) and was rewritten.
	HookRepaired HookOp = "repaired"
	// HookReenabled: the hook was switched off and was switched back on
	// (with its settings rewritten in full).
	HookReenabled HookOp = "re-enabled"
)

// HookChange reports the state of one project's hook after Ensure.
type HookChange struct {
	Project int64
	Webhook int64
	Op      HookOp
	// Fields names the settings that differed ("is_active", "actions",
	// "send_payload", "send_for_all_actions", "headers").
	Fields []string
	// Duplicates are the ids of other hooks of the project with the same
	// URL, which make Label Studio post every event more than once. They
	// are reported, not deleted.
	Duplicates []int64
}

// String describes the change on one line.
func (h HookChange) String() string {
	s := fmt.Sprintf("project %d: webhook %d %s", h.Project, h.Webhook, h.Op)
	if len(h.Fields) > 0 {
		s += " (" + strings.Join(h.Fields, ", ") + ")"
	}
	if len(h.Duplicates) > 0 {
		s += fmt.Sprintf("; duplicates with the same URL: %v", h.Duplicates)
	}
	return s
}

// Provisioner makes the server's webhooks match [Hook] on a set of
// projects. It is idempotent: a second Ensure changes nothing and reports
// every hook [HookUnchanged]. Run it at start-up and periodically, for
// example before each catch-up, since a hook that was switched off (by a
// user, or by newer servers after a run of failed deliveries) stays off.
type Provisioner struct {
	Client *Client
	Hook   Hook
	// Projects are the project ids; empty means every project the token's
	// user can see.
	Projects []int64
}

// Ensure creates, repairs or re-enables the hook on each project and
// reports what it did, in project order. It stops at the first error and
// returns the changes made so far with it.
func (p *Provisioner) Ensure(ctx context.Context) ([]HookChange, error) {
	if p.Hook.URL == "" {
		return nil, fmt.Errorf("lsapi: provisioner: no hook URL")
	}
	ids := p.Projects
	if len(ids) == 0 {
		ps, err := p.Client.Projects(ctx)
		if err != nil {
			return nil, err
		}
		for _, pr := range ps {
			ids = append(ids, pr.ID)
		}
	}
	var out []HookChange
	for _, id := range ids {
		ch, err := p.ensureOne(ctx, id)
		if err != nil {
			return out, err
		}
		out = append(out, ch)
	}
	return out, nil
}

func (p *Provisioner) desired(project int64) Webhook {
	w := Webhook{
		Project:           project,
		URL:               p.Hook.URL,
		SendPayload:       p.Hook.SendPayload,
		SendForAllActions: len(p.Hook.Actions) == 0,
		Headers:           p.Hook.Headers,
		IsActive:          true,
		Actions:           slices.Clone(p.Hook.Actions),
	}
	if w.Headers == nil {
		w.Headers = map[string]string{}
	}
	if w.Actions == nil {
		w.Actions = []lswebhook.Action{}
	}
	return w
}

func (p *Provisioner) ensureOne(ctx context.Context, project int64) (HookChange, error) {
	want := p.desired(project)
	hooks, err := p.Client.Webhooks(ctx, project)
	if err != nil {
		return HookChange{Project: project}, err
	}
	var cur *Webhook
	var dups []int64
	for i := range hooks {
		h := &hooks[i]
		if h.Project != project || h.URL != want.URL {
			continue
		}
		if cur == nil || h.ID < cur.ID {
			if cur != nil {
				dups = append(dups, cur.ID)
			}
			cur = h
		} else {
			dups = append(dups, h.ID)
		}
	}
	slices.Sort(dups)
	if cur == nil {
		made, err := p.Client.CreateWebhook(ctx, want)
		if err != nil {
			return HookChange{Project: project}, err
		}
		return HookChange{Project: project, Webhook: made.ID, Op: HookCreated}, nil
	}
	fields := diffHook(*cur, want)
	ch := HookChange{Project: project, Webhook: cur.ID, Op: HookUnchanged, Fields: fields, Duplicates: dups}
	if len(fields) == 0 {
		return ch, nil
	}
	want.ID = cur.ID
	got, err := p.Client.UpdateWebhook(ctx, want)
	if err != nil {
		return ch, err
	}
	if rest := diffHook(*got, want); len(rest) > 0 {
		return ch, fmt.Errorf("lsapi: project %d: webhook %d still differs after the update: %s", project, cur.ID, strings.Join(rest, ", "))
	}
	ch.Op = HookRepaired
	if !cur.IsActive {
		ch.Op = HookReenabled
	}
	return ch, nil
}

// diffHook names the settings of have that differ from want.
func diffHook(have, want Webhook) []string {
	var f []string
	if have.IsActive != want.IsActive {
		f = append(f, "is_active")
	}
	if have.SendPayload != want.SendPayload {
		f = append(f, "send_payload")
	}
	if have.SendForAllActions != want.SendForAllActions {
		f = append(f, "send_for_all_actions")
	}
	if !want.SendForAllActions && !sameActions(have.Actions, want.Actions) {
		f = append(f, "actions")
	}
	hh, wh := have.Headers, want.Headers
	if len(hh) != len(wh) || !maps.Equal(hh, wh) {
		f = append(f, "headers")
	}
	return f
}

func sameActions(a, b []lswebhook.Action) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
