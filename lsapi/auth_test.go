package lsapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeJWT builds an unsigned token with the given claims; the client
// never checks signatures, the server does.
func fakeJWT(iat, exp time.Time, jti int) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims, _ := json.Marshal(map[string]any{"token_type": "access", "iat": iat.Unix(), "exp": exp.Unix(), "jti": fmt.Sprint(jti)})
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(claims) + "." + enc([]byte("sig"))
}

// tokenServer issues 5-minute access tokens for one refresh token, and
// accepts only the latest access token it issued (or none, when revoked).
type tokenServer struct {
	mu        sync.Mutex
	now       time.Time
	refresh   string
	current   string
	refreshes int
	calls     []string
}

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, r.Method+" "+r.URL.Path)
	if r.URL.Path == "/api/token/refresh/" {
		var in struct {
			Refresh string `json:"refresh"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		if r.Header.Get("Authorization") != "" {
			writeJSON(w, 400, map[string]any{"detail": "refresh sent with an Authorization header"})
			return
		}
		if in.Refresh != s.refresh {
			writeJSON(w, 401, map[string]any{"detail": "Token is invalid", "status_code": 401})
			return
		}
		s.refreshes++
		s.current = fakeJWT(s.now, s.now.Add(5*time.Minute), s.refreshes)
		writeJSON(w, 200, map[string]any{"access": s.current})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.current || s.current == "" {
		writeJSON(w, 401, map[string]any{"detail": "Authentication credentials were not provided."})
		return
	}
	writeJSON(w, 200, map[string]any{"count": 0, "next": nil, "results": []any{}})
}

func TestPersonalAccessTokenRenewal(t *testing.T) {
	start := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	refresh := fakeJWT(start, start.Add(24*time.Hour*365), 0)
	ts := &tokenServer{now: start, refresh: refresh}
	srv := httptest.NewServer(ts)
	defer srv.Close()
	clock := start
	c, _ := testClient(t, srv.URL)
	c.auth = TokenAuth(refresh)
	c.now = func() time.Time { return clock }
	ctx := context.Background()

	if _, ok := c.auth.(*patAuth); !ok {
		t.Fatalf("TokenAuth(JWT) = %T", c.auth)
	}
	for i := 0; i < 3; i++ {
		if _, err := c.Projects(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if ts.refreshes != 1 {
		t.Fatalf("%d refreshes for 3 calls, want 1", ts.refreshes)
	}
	// 4 minutes later less than a tenth of the lifetime (30 s minimum) is
	// not yet reached; at 4m31s it is.
	clock = start.Add(4 * time.Minute)
	ts.now = clock
	if _, err := c.Projects(ctx); err != nil || ts.refreshes != 1 {
		t.Fatalf("at 4m: %v, %d refreshes, want 1", err, ts.refreshes)
	}
	clock = start.Add(4*time.Minute + 31*time.Second)
	ts.now = clock
	if _, err := c.Projects(ctx); err != nil || ts.refreshes != 2 {
		t.Fatalf("at 4m31s: %v, %d refreshes, want 2", err, ts.refreshes)
	}
	// The server forgets the access token (revoked): one 401, one renewal,
	// and the call succeeds.
	ts.mu.Lock()
	ts.current = "revoked"
	ts.mu.Unlock()
	if _, err := c.Projects(ctx); err != nil || ts.refreshes != 3 {
		t.Fatalf("after revocation: %v, %d refreshes, want 3", err, ts.refreshes)
	}
	// A wrong refresh token: a typed 401 naming both calls.
	bad, _ := testClient(t, srv.URL)
	bad.auth = PersonalAccessToken(fakeJWT(start, start.Add(time.Hour), 99))
	_, err := bad.Projects(ctx)
	var e *Error
	if StatusCode(err) != 401 || !asError(err, &e) || !strings.Contains(e.Call, "GET /api/projects/") || !strings.Contains(e.Call, "POST /api/token/refresh/") || e.Detail != "Token is invalid" {
		t.Fatalf("bad refresh token: %+v", err)
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	if ok {
		*e = x
	}
	return ok
}

func TestLegacyTokenHeader(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		writeJSON(w, 200, []any{})
	}))
	defer srv.Close()
	c, _ := New(srv.URL, TokenAuth("abc123"))
	if _, err := c.Webhooks(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	if got != "Token abc123" {
		t.Fatalf("Authorization %q", got)
	}
}

func TestRenewTime(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name  string
		token string
		want  time.Time
	}{
		{"5 min token: 30 s before expiry", fakeJWT(now, now.Add(5*time.Minute), 1), now.Add(4*time.Minute + 30*time.Second)},
		{"1 h token: a tenth before expiry", fakeJWT(now, now.Add(time.Hour), 1), now.Add(54 * time.Minute)},
		{"expired", fakeJWT(now.Add(-time.Hour), now.Add(-time.Minute), 1), now.Add(time.Minute)},
		{"not a JWT", "opaque", now.Add(time.Minute)},
		{"10 s token", fakeJWT(now, now.Add(10*time.Second), 1), now},
	}
	for _, tt := range tests {
		if got := renewTime(tt.token, now); !got.Equal(tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if looksLikeJWT("abc.def") || looksLikeJWT("a.b!.c") || !looksLikeJWT(fakeJWT(now, now, 1)) {
		t.Error("looksLikeJWT")
	}
}
