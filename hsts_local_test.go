package secureheaders_test

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/policy"
)

// TestNoHSTSForLocalhostOrIPHosts is issue 12 item 9: a secure response to
// localhost, a *.localhost name or an IP literal carries neither
// Strict-Transport-Security nor Public-Key-Pins (browsers ignore HSTS for
// IP addresses; Safari pins localhost), and keeps every other header, CSP's
// upgrade-insecure-requests included. Public names still get both, and so
// does a Route, inside Handler or alone.
func TestNoHSTSForLocalhostOrIPHosts(t *testing.T) {
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP: csp.MustParse("script-src 'self' 'nonce-{nonce}'; upgrade-insecure-requests"),
		HPKP: &hpkp.Policy{Pins: []hpkp.Pin{{Alg: "sha256", Hash: "ypeBEsobvcr6wjGzmiPcTaeG7/gUfE5yuYB3ha/uSLs="}, {Alg: "sha256", Hash: "PiPoFgA5WUoziU9lZOGxNIu9egCI1CxKy3PurtWcAJ0="}},
			MaxAge: time.Minute},
	})
	sh, err := secureheaders.New(&secureheaders.Options{Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	nop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	embed := policy.Override{Update: policy.Policy{CSP: csp.MustParse("frame-ancestors https://partner.example")}}
	handlers := map[string]http.Handler{
		"Handler":           sh.Handler(nop),
		"Handler and Route": sh.Handler(sh.MustWrap(nop, embed)),
		"Route alone":       sh.MustWrap(nop, embed),
	}
	tests := []struct {
		host string
		hsts bool
	}{
		{"localhost", false},
		{"LocalHost:8443", false},
		{"localhost.", false},
		{"app.localhost", false},
		{"a.b.localhost:3000", false},
		{"127.0.0.1", false},
		{"192.0.2.7:8443", false},
		{"[::1]", false},
		{"[2001:db8::1]:443", false},
		{"example.com", true},
		{"notlocalhost", true},
		{"localhost.example.com", true},
		{"localhostx", true},
	}
	for name, h := range handlers {
		for _, tt := range tests {
			t.Run(name+"/"+tt.host, func(t *testing.T) {
				r := httptest.NewRequest("GET", "/", nil)
				r.Host, r.TLS = tt.host, &tls.ConnectionState{}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				hdr := w.Header()
				if got := hdr.Get("Strict-Transport-Security") != ""; got != tt.hsts {
					t.Errorf("Strict-Transport-Security sent: %v, want %v", got, tt.hsts)
				}
				if got := hdr.Get("Public-Key-Pins") != ""; got != tt.hsts {
					t.Errorf("Public-Key-Pins sent: %v, want %v", got, tt.hsts)
				}
				if c := hdr.Get("Content-Security-Policy"); !strings.Contains(c, "upgrade-insecure-requests") || !strings.Contains(c, "'nonce-") {
					t.Errorf("CSP %q lost upgrade-insecure-requests or its nonce", c)
				}
				if hdr.Get("X-Content-Type-Options") == "" {
					t.Error("other headers missing")
				}
			})
		}
	}
}
