package lsapi

import (
	"context"
	"errors"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// countingTransport counts the requests to each path.
type countingTransport struct {
	refreshes atomic.Int64
	calls     atomic.Int64
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.calls.Add(1)
	if r.URL.Path == "/api/token/refresh/" {
		ct.refreshes.Add(1)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestLiveAuthAndErrors(t *testing.T) {
	c := liveClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Typed errors from the real server.
	_, err := c.Project(ctx, 987654321)
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusNotFound || e.Detail == "" || e.Call != "GET /api/projects/987654321/" {
		t.Errorf("missing project: %#v, want a 404 *Error with Label Studio's detail", err)
	}
	t.Logf("404: %v", err)
	bad, _ := New(os.Getenv("LSAPI_LIVE_URL"), LegacyToken("not-a-token"))
	_, err = bad.Projects(ctx)
	if StatusCode(err) != http.StatusUnauthorized || !errors.As(err, &e) || e.Detail != "Invalid token." {
		t.Errorf("bad token: %v, want 401 Invalid token.", err)
	}
	t.Logf("401: %v", err)
	_, err = c.CreateWebhook(ctx, Webhook{Project: 987654321, URL: "not a url"})
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || len(e.ValidationErrors) == 0 {
		t.Errorf("invalid webhook: %v, want 400 with validation errors", err)
	}
	t.Logf("400: %v", err)
	// An HTML page where JSON is expected.
	var out map[string]any
	err = c.call(ctx, http.MethodGet, "/user/login/", nil, nil, &out, true)
	if !errors.Is(err, ErrBadResponse) {
		t.Errorf("HTML page: %v, want ErrBadResponse", err)
	}
	t.Logf("HTML: %v", err)

	// A personal access token: create one with the legacy token, then use
	// it; the access token is renewed when due.
	var pat struct {
		Token string `json:"token"`
	}
	if err := c.call(ctx, http.MethodPost, "/api/token/", nil, nil, &pat, true); err != nil {
		if StatusCode(err) != http.StatusConflict {
			t.Fatal(err)
		}
		t.Skip("a personal access token exists already for this user; its value cannot be read back")
	}
	ct := &countingTransport{}
	pc, err := New(os.Getenv("LSAPI_LIVE_URL"), TokenAuth(pat.Token), WithHTTPClient(&http.Client{Transport: ct}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pc.auth.(*patAuth); !ok {
		t.Fatalf("TokenAuth(%q...) is %T, want a personal access token", pat.Token[:10], pc.auth)
	}
	for i := 0; i < 3; i++ {
		if _, err := pc.Projects(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := ct.refreshes.Load(); n != 1 {
		t.Errorf("%d token refreshes for 3 calls, want 1", n)
	}
	pa := pc.auth.(*patAuth)
	t.Logf("access token renewal due at %v (now %v)", pa.renewAt.UTC(), time.Now().UTC())
	if d := time.Until(pa.renewAt); d <= 0 || d > 5*time.Minute {
		t.Errorf("renewal due in %v, want within the 5-minute lifetime", d)
	}
	// Pretend the access token is due: the next call renews it first.
	pc.now = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if _, err := pc.Projects(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ct.refreshes.Load(); n != 2 {
		t.Errorf("%d refreshes after the token fell due, want 2", n)
	}
	// A revoked access token: the server says 401, the client renews once.
	pc.now = time.Now
	pa.mu.Lock()
	pa.access = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"
	pa.renewAt = time.Now().Add(time.Hour)
	pa.mu.Unlock()
	if _, err := pc.Projects(ctx); err != nil {
		t.Fatalf("after a refused access token: %v", err)
	}
	if n := ct.refreshes.Load(); n != 3 {
		t.Errorf("%d refreshes after a refused access token, want 3", n)
	}
	badPAT, _ := New(os.Getenv("LSAPI_LIVE_URL"), PersonalAccessToken("eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln"))
	_, err = badPAT.Projects(ctx)
	if StatusCode(err) != http.StatusUnauthorized {
		t.Errorf("bad refresh token: %v, want 401", err)
	}
	t.Logf("bad refresh token: %v", err)
}
