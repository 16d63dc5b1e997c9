package lsapi

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/seed-d2dfa170/lswebhook"
)

// Webhook is a webhook as the REST API returns and accepts it.
type Webhook struct {
	ID           int64 `json:"id,omitempty"`
	Organization int64 `json:"organization,omitempty"`
	// Project is the project id; 0 for an organization-level hook.
	Project     int64  `json:"project,omitempty"`
	URL         string `json:"url"`
	SendPayload bool   `json:"send_payload"`
	// SendForAllActions makes the hook fire for every action; Actions is
	// used only when it is false.
	SendForAllActions bool               `json:"send_for_all_actions"`
	Headers           map[string]string  `json:"headers"`
	IsActive          bool               `json:"is_active"`
	Actions           []lswebhook.Action `json:"actions"`
	CreatedAt         lswebhook.Time     `json:"created_at,omitzero"`
	UpdatedAt         lswebhook.Time     `json:"updated_at,omitzero"`
}

// ActionInfo describes an action in the server's catalogue.
type ActionInfo struct {
	Name             string `json:"name"`
	Description      string `json:"description"`
	Key              string `json:"key"`
	OrganizationOnly bool   `json:"organization-only"`
}

// Webhooks lists the webhooks of a project (project 0: every webhook the
// organization has).
func (c *Client) Webhooks(ctx context.Context, project int64) ([]Webhook, error) {
	var q url.Values
	if project != 0 {
		q = url.Values{"project": {strconv.FormatInt(project, 10)}}
	}
	var out []Webhook
	if err := c.call(ctx, http.MethodGet, "/api/webhooks/", q, nil, &out, true); err != nil {
		return nil, err
	}
	return out, nil
}

// Webhook returns one webhook.
func (c *Client) Webhook(ctx context.Context, id int64) (*Webhook, error) {
	return callFor[Webhook](ctx, c, http.MethodGet, "/api/webhooks/"+strconv.FormatInt(id, 10)+"/", nil, nil)
}

// CreateWebhook creates w (its ID, organization and times are ignored).
func (c *Client) CreateWebhook(ctx context.Context, w Webhook) (*Webhook, error) {
	return callFor[Webhook](ctx, c, http.MethodPost, "/api/webhooks/", nil, writable(w, true))
}

// UpdateWebhook writes every writable member of w to webhook w.ID. It sends
// the whole object on purpose: on real servers a PATCH with only
// is_active empties the action list.
func (c *Client) UpdateWebhook(ctx context.Context, w Webhook) (*Webhook, error) {
	return callFor[Webhook](ctx, c, http.MethodPatch, "/api/webhooks/"+strconv.FormatInt(w.ID, 10)+"/", nil, writable(w, false))
}

// SetWebhookActive sends a PATCH with only is_active, as the server's web
// page does. On Label Studio 1.23.2 this empties the hook's action list;
// it exists to reproduce that in tests. Use [Client.UpdateWebhook].
func (c *Client) SetWebhookActive(ctx context.Context, id int64, active bool) (*Webhook, error) {
	return callFor[Webhook](ctx, c, http.MethodPatch, "/api/webhooks/"+strconv.FormatInt(id, 10)+"/", nil, map[string]bool{"is_active": active})
}

// DeleteWebhook deletes a webhook.
func (c *Client) DeleteWebhook(ctx context.Context, id int64) error {
	return c.call(ctx, http.MethodDelete, "/api/webhooks/"+strconv.FormatInt(id, 10)+"/", nil, nil, nil, true)
}

// WebhookActions returns the server's action catalogue (GET
// /api/webhooks/info/).
func (c *Client) WebhookActions(ctx context.Context) (map[lswebhook.Action]ActionInfo, error) {
	var out map[lswebhook.Action]ActionInfo
	if err := c.call(ctx, http.MethodGet, "/api/webhooks/info/", nil, nil, &out, true); err != nil {
		return nil, err
	}
	return out, nil
}

func writable(w Webhook, create bool) map[string]any {
	actions := w.Actions
	if actions == nil {
		actions = []lswebhook.Action{}
	}
	headers := w.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	m := map[string]any{
		"url":                  w.URL,
		"send_payload":         w.SendPayload,
		"send_for_all_actions": w.SendForAllActions,
		"headers":              headers,
		"is_active":            w.IsActive,
		"actions":              actions,
	}
	if create && w.Project != 0 {
		m["project"] = w.Project
	}
	return m
}
