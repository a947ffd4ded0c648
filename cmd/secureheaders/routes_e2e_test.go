package main

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServeConfig runs serve with the configuration file js on loopback
// ports chosen by the kernel, logging to log; it stops when the test ends.
func startServeConfig(t *testing.T, js string, log io.Writer) (httpAddr, httpsAddr string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(js), 0o600); err != nil {
		t.Fatal(err)
	}
	return startServe(t, serveConfig{configPath: path, stdout: io.Discard, logger: slog.New(slog.NewTextHandler(log, nil))})
}

// TestServeLayeredRoutesConfig is issue 11's end-to-end test: serve with a
// JSON configuration of layered routes, a health check that skips the Host
// check, a canonical host and per-cookie rules, over real connections.
func TestServeLayeredRoutesConfig(t *testing.T) {
	const js = `{
		"routes": {
			"/embed/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}, "remove": ["X-Frame-Options"]},
			"GET /embed/deep/": {"update": {"CSP": {"img-src": ["https://img.example"]}}},
			"GET /headers": {"rewrite": {"CSP": {"default-src": ["none"], "frame-ancestors": ["none"]}}},
			"GET /healthz": {"redirect": false, "hostCheck": false}
		},
		"https": {"redirect": true, "allowedHosts": ["localhost", "127.0.0.1"], "canonicalHost": "localhost"},
		"cookies": {"secure": true, "httpOnly": true, "sameSite": "Lax",
			"rules": [{"names": ["__Host-*"], "secure": true, "httpOnly": true, "sameSite": "Strict"}]}
	}`
	var log syncBuffer
	httpAddr, httpsAddr := startServeConfig(t, js, &log)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	c := demoClient()
	type want struct {
		status                int
		location, cookie      string
		cspHas, cspLacks, xfo string
	}
	tests := []struct {
		name, url, host string
		want            want
	}{
		{"canonical host served", "https://" + httpsAddr + "/embed/x", "localhost",
			want{status: 200, cspHas: "frame-ancestors 'self' https://partner.example", cspLacks: "img.example"}},
		{"nested route layers on /embed/", "https://" + httpsAddr + "/embed/deep/x", "localhost",
			want{status: 200, cspHas: "img-src 'self' data: https://img.example", xfo: ""}},
		{"nested route keeps /embed/'s frame-ancestors", "https://" + httpsAddr + "/embed/deep/x", "localhost",
			want{status: 200, cspHas: "frame-ancestors 'self' https://partner.example"}},
		{"rewrite on /headers", "https://" + httpsAddr + "/headers", "localhost",
			want{status: 200, cspHas: "default-src 'none'; frame-ancestors 'none'", cspLacks: "script-src", xfo: "SAMEORIGIN"}},
		{"other allowed host moves to the canonical one", "https://" + httpsAddr + "/headers?a=1", "127.0.0.1:" + httpsPort,
			want{status: 302, location: "https://localhost:" + httpsPort + "/headers?a=1"}},
		{"plain HTTP to the canonical host in one hop", "http://" + httpAddr + "/embed/x", "127.0.0.1",
			want{status: 302, location: "https://localhost:" + httpsPort + "/embed/x"}},
		{"health check with an address Host over HTTP", "http://" + httpAddr + "/healthz", "10.0.0.5:8080",
			want{status: 200}},
		{"health check with an address Host over HTTPS", "https://" + httpsAddr + "/healthz", "10.0.0.5",
			want{status: 200}},
		{"the address Host elsewhere", "https://" + httpsAddr + "/headers", "10.0.0.5",
			want{status: 400}},
		{"cookie rule", "https://" + httpsAddr + "/", "localhost",
			want{status: 200, cookie: "; Path=/; Secure; HttpOnly; SameSite=Strict"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest("GET", tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tt.host
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			csp := resp.Header.Get("Content-Security-Policy")
			if resp.StatusCode != tt.want.status || resp.Header.Get("Location") != tt.want.location {
				t.Errorf("%d Location %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.want.status, tt.want.location)
			}
			if tt.want.cspHas != "" && !strings.Contains(csp, tt.want.cspHas) {
				t.Errorf("CSP %q lacks %q", csp, tt.want.cspHas)
			}
			if tt.want.cspLacks != "" && strings.Contains(csp, tt.want.cspLacks) {
				t.Errorf("CSP %q has %q", csp, tt.want.cspLacks)
			}
			if tt.want.status == 200 && strings.HasPrefix(tt.url, "https://") && strings.Contains(tt.url, "/embed/") {
				if got := resp.Header.Get("X-Frame-Options"); got != tt.want.xfo {
					t.Errorf("X-Frame-Options %q, want %q", got, tt.want.xfo)
				}
			}
			if tt.want.cookie != "" && !strings.HasSuffix(resp.Header.Get("Set-Cookie"), tt.want.cookie) {
				t.Errorf("Set-Cookie %q, want it to end in %q", resp.Header.Get("Set-Cookie"), tt.want.cookie)
			}
		})
	}
	if !strings.Contains(log.String(), `msg="secureheaders: request refused" status=400 reason="Host not allowed"`) ||
		!strings.Contains(log.String(), "host=10.0.0.5") {
		t.Errorf("the refusal is not in the log:\n%s", log.String())
	}
}
