package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/policy"
)

const testToken = "Zm9vYmFyYmF6cXV4cXV1eA"

// TestDashboardGuard checks who sees serve's dashboard: loopback peers
// always; others only with the bearer token, when one is set (404 without
// a token configured, as if it were not there; 401 with a challenge when
// the token is missing or wrong).
func TestDashboardGuard(t *testing.T) {
	type want struct {
		status             int
		challenge, noStore string
	}
	const realm = `Bearer realm="secureheaders reports"`
	tests := []struct {
		name, token, remote, auth string
		want                      want
	}{
		{"loopback v4, no token set", "", "127.0.0.1:5000", "", want{200, "", ""}},
		{"loopback v6, no token set", "", "[::1]:5000", "", want{200, "", ""}},
		{"loopback v4-mapped v6", "", "[::ffff:127.0.0.1]:5000", "", want{200, "", ""}},
		{"other peer, no token set", "", "203.0.113.9:5000", "", want{404, "", ""}},
		{"other peer, no token set, sends one", "", "10.0.0.1:80", "Bearer " + testToken, want{404, "", ""}},
		{"unparsable peer", "", "@", "", want{404, "", ""}},
		{"loopback, token set, none sent", testToken, "127.0.0.1:5000", "", want{200, "", ""}},
		{"other peer, right token", testToken, "203.0.113.9:5000", "Bearer " + testToken, want{200, "", "no-store"}},
		{"other peer, scheme in another case", testToken, "203.0.113.9:5000", "bearer " + testToken, want{200, "", "no-store"}},
		{"other peer, no Authorization", testToken, "203.0.113.9:5000", "", want{401, realm, "no-store"}},
		{"other peer, wrong token", testToken, "203.0.113.9:5000", "Bearer " + testToken + "x", want{401, realm + `, error="invalid_token"`, "no-store"}},
		{"other peer, prefix of the token", testToken, "203.0.113.9:5000", "Bearer " + testToken[:8], want{401, realm + `, error="invalid_token"`, "no-store"}},
		{"other peer, Basic scheme", testToken, "203.0.113.9:5000", "Basic " + testToken, want{401, realm, "no-store"}},
		{"other peer, empty bearer", testToken, "203.0.113.9:5000", "Bearer ", want{401, realm, "no-store"}},
		{"other peer, token without scheme", testToken, "203.0.113.9:5000", testToken, want{401, realm, "no-store"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := dashboardGuard(tt.token, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
			rec := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/reports", nil)
			r.RemoteAddr = tt.remote
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			h.ServeHTTP(rec, r)
			got := want{rec.Code, rec.Header().Get("WWW-Authenticate"), rec.Header().Get("Cache-Control")}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if strings.Contains(rec.Body.String(), testToken) {
				t.Errorf("the response shows the token: %q", rec.Body.String())
			}
		})
	}
}

// TestDashboardTokenRefused checks a weak or unsendable token is refused
// with an error that names the variable and never shows the token.
func TestDashboardTokenRefused(t *testing.T) {
	for _, tok := range []string{"x7Qk", "has a space in it, long enough", "quote\"inside-long-enough", "ünïcödé-long-enough-x", "================"} {
		_, err := dashboardToken(tok)
		if err == nil {
			t.Errorf("%q accepted", tok)
			continue
		}
		var n int
		for e := range policy.AllErrors(err) {
			n++
			if e.Path != dashboardTokenEnv || e.Fix == "" || strings.Contains(e.Error(), tok) {
				t.Errorf("%q: error %q, want the path %s, a fix and no token", tok, e.Error(), dashboardTokenEnv)
			}
		}
		if n != 1 {
			t.Errorf("%q: %d errors, want 1", tok, n)
		}
	}
	for _, tok := range []string{"", testToken, "abc-DEF._~+/0123456==", "0123456789abcdef"} {
		if got, err := dashboardToken(tok); err != nil || got != tok {
			t.Errorf("%q refused: %v", tok, err)
		}
	}
}

// TestServeDashboardToken runs serve with a token: the address serve prints
// says how to reach the dashboard without the token, and a request with the
// token (from loopback here; the peer rules are TestDashboardGuard's) gets
// the page while nothing serve logs holds the token.
func TestServeDashboardToken(t *testing.T) {
	var out, log syncBuffer
	_, httpsAddr := startServe(t, serveConfig{stdout: &out, logger: slog.New(slog.NewTextHandler(&log, nil)), dashboardToken: testToken})
	req, _ := http.NewRequest("GET", "https://"+httpsAddr+"/reports?format=json", nil)
	req.Host = "localhost"
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := demoClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"groups"`)) {
		t.Errorf("dashboard with the token: %d %s", resp.StatusCode, body)
	}
	if want := "(loopback, or Authorization: Bearer $" + dashboardTokenEnv + ")"; !strings.Contains(out.String(), want) {
		t.Errorf("serve's banner lacks %q:\n%s", want, out.String())
	}
	if strings.Contains(out.String()+log.String(), testToken) {
		t.Errorf("serve printed or logged the token:\n%s\n%s", out.String(), log.String())
	}
}

// TestServeRefusesWeakToken checks serve exits 1 naming the variable when
// the token in the environment is too short.
func TestServeRefusesWeakToken(t *testing.T) {
	t.Setenv(dashboardTokenEnv, "secret")
	var stdout, stderr bytes.Buffer
	if code := runServe(nil, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	want := "secureheaders serve: " + dashboardTokenEnv + ": the dashboard token is too short to resist guessing (set it to a random text of at least 16 characters, e.g. " + dashboardTokenEnv + "=$(openssl rand -base64 24))\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestServeDashboardOwnPolicy checks serve's dashboard is sent with its own
// CSP only: the app's report-only policy on it would report the
// dashboard's nonce'd style into the aggregator the dashboard shows.
func TestServeDashboardOwnPolicy(t *testing.T) {
	const js = `{"update": {"CSP-Report-Only": {"default-src": ["self"], "report-uri": ["/csp-report"]}}}`
	_, httpsAddr := startServeConfig(t, js, io.Discard)
	for _, path := range []string{"/", "/reports"} {
		req, _ := http.NewRequest("GET", "https://"+httpsAddr+path, nil)
		req.Host = "localhost"
		resp, err := demoClient().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		ro, enforced := resp.Header.Values("Content-Security-Policy-Report-Only"), resp.Header.Values("Content-Security-Policy")
		switch path {
		case "/":
			if len(ro) != 1 {
				t.Errorf("%s: report-only %q, want the app's", path, ro)
			}
		case "/reports":
			if len(ro) != 0 || len(enforced) != 1 || !strings.HasPrefix(enforced[0], "default-src 'none'; style-src 'nonce-") {
				t.Errorf("%s: report-only %q, enforced %q, want the dashboard's policy alone", path, ro, enforced)
			}
		}
	}
}
