package lsapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Auth authenticates requests. [LegacyToken] and [PersonalAccessToken]
// return the two kinds Label Studio accepts; [TokenAuth] picks one from the
// token's form.
type Auth interface {
	// authorize sets the request's Authorization header, fetching a fresh
	// access token first when needed.
	authorize(ctx context.Context, c *Client, req *http.Request) error
	// reset forgets a cached access token after the server refused it.
	reset()
}

// LegacyToken is the API token of a user ("Authorization: Token <key>"),
// shown on the Account & Settings page. Label Studio 1.17 and later accept it
// only when the organization allows legacy tokens.
func LegacyToken(key string) Auth { return legacyToken(key) }

type legacyToken string

func (t legacyToken) authorize(_ context.Context, _ *Client, req *http.Request) error {
	req.Header.Set("Authorization", "Token "+string(t))
	return nil
}

func (legacyToken) reset() {}

// PersonalAccessToken is a personal access token of Label Studio 1.17 and
// later: a long-lived refresh token (a JWT) that the client exchanges for a
// short-lived access token at POST /api/token/refresh/ and sends as
// "Authorization: Bearer <access>". The access token is renewed before it
// expires (when less than a tenth of its lifetime, at least 30 s, is left)
// and after the server refuses it with 401.
func PersonalAccessToken(refresh string) Auth {
	return &patAuth{refresh: refresh}
}

// TokenAuth returns [PersonalAccessToken] for a token that has the form of
// a JWT (three base64url parts separated by dots) and [LegacyToken]
// otherwise.
func TokenAuth(token string) Auth {
	if looksLikeJWT(token) {
		return PersonalAccessToken(token)
	}
	return LegacyToken(token)
}

func looksLikeJWT(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" {
			return false
		}
		if _, err := base64.RawURLEncoding.DecodeString(p); err != nil {
			return false
		}
	}
	return true
}

type patAuth struct {
	refresh string

	mu      sync.Mutex
	access  string
	renewAt time.Time // renew once the clock passes this
}

func (p *patAuth) authorize(ctx context.Context, c *Client, req *http.Request) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.access == "" || !c.now().Before(p.renewAt) {
		if err := p.renew(ctx, c); err != nil {
			return err
		}
	}
	req.Header.Set("Authorization", "Bearer "+p.access)
	return nil
}

func (p *patAuth) reset() {
	p.mu.Lock()
	p.access = ""
	p.mu.Unlock()
}

// renew exchanges the refresh token for an access token. It is called
// with p.mu held.
func (p *patAuth) renew(ctx context.Context, c *Client) error {
	var out struct {
		Access string `json:"access"`
	}
	in := map[string]string{"refresh": p.refresh}
	if err := c.call(ctx, http.MethodPost, "/api/token/refresh/", nil, in, &out, false); err != nil {
		return err
	}
	if out.Access == "" {
		return &Error{Call: "POST /api/token/refresh/", Status: http.StatusOK, Err: errNoAccess}
	}
	now := c.now()
	p.access = out.Access
	p.renewAt = renewTime(out.Access, now)
	return nil
}

var errNoAccess = wrapBad("no access token in the answer")

// renewTime is when to renew an access token issued at now: a tenth of its
// lifetime before it expires, at least 30 s before; one minute from now
// when the token's expiry cannot be read.
func renewTime(access string, now time.Time) time.Time {
	exp, iat, ok := jwtTimes(access)
	if !ok || !exp.After(now) {
		return now.Add(time.Minute)
	}
	if iat.IsZero() || !iat.Before(exp) {
		iat = now
	}
	margin := exp.Sub(iat) / 10
	if margin < 30*time.Second {
		margin = 30 * time.Second
	}
	at := exp.Add(-margin)
	if at.Before(now) {
		at = now
	}
	return at
}

// jwtTimes reads the "exp" and "iat" claims of a JWT without checking its
// signature (the client only needs to know when to renew).
func jwtTimes(token string) (exp, iat time.Time, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return exp, iat, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return exp, iat, false
	}
	var claims struct {
		Exp float64 `json:"exp"`
		Iat float64 `json:"iat"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp <= 0 {
		return exp, iat, false
	}
	exp = time.Unix(int64(claims.Exp), 0)
	if claims.Iat > 0 {
		iat = time.Unix(int64(claims.Iat), 0)
	}
	return exp, iat, true
}
