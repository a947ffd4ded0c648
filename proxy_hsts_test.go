package secureheaders_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
)

// TestHSTSThroughTrustedProxy checks RFC 6797 §7.2 behind a proxy: HSTS and
// upgrade-insecure-requests go out when a trusted proxy says the request was
// HTTPS, and a client that forges the header itself is redirected instead.
func TestHSTSThroughTrustedProxy(t *testing.T) {
	sh, err := secureheaders.New(&secureheaders.Options{
		HTTPS:          secureheaders.HTTPSOptions{Redirect: true, ProxyHeader: "X-Forwarded-Proto"},
		TrustedProxies: []string{"10.0.0.0/8"},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := sh.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tests := []struct {
		name, remote, proto   string
		wantStatus            int
		wantHSTS, wantUpgrade bool
	}{
		{"trusted proxy says https", "10.1.2.3:4000", "https", 200, true, true},
		{"trusted proxy says http", "10.1.2.3:4000", "http", 302, false, false},
		{"client forges https", "203.0.113.5:4000", "https", 302, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
			r.RemoteAddr = tt.remote
			r.Header.Set("X-Forwarded-Proto", tt.proto)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", w.Code, tt.wantStatus)
			}
			if got := w.Header().Get("Strict-Transport-Security") != ""; got != tt.wantHSTS {
				t.Errorf("HSTS sent: %v, want %v", got, tt.wantHSTS)
			}
			csp := w.Header().Get("Content-Security-Policy")
			if got := csp != "" && strings.Contains(csp, "upgrade-insecure-requests"); got != tt.wantUpgrade {
				t.Errorf("upgrade-insecure-requests sent: %v, want %v (CSP %q)", got, tt.wantUpgrade, csp)
			}
		})
	}
}
