package https

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRedirectClientPortDoesNotSurvive is issue 12 item 4: the port in the
// Host header is the client's choice; only a configured port (Port, or the
// Host option's own) reaches the Location, which a shared cache may keep.
func TestRedirectClientPortDoesNotSurvive(t *testing.T) {
	hosts := []string{"example.com", "*.example.com"}
	tests := []struct {
		name string
		opts Config
		host string
		want string
	}{
		{"allow-list, no port option", Config{Redirect: true, AllowedHosts: hosts}, "example.com:6666", "https://example.com/x?y"},
		{"no allow-list", Config{Redirect: true}, "www.example.com:6666", "https://www.example.com/x?y"},
		{"IPv6", Config{Redirect: true}, "[::1]:6666", "https://[::1]/x?y"},
		{"port option wins", Config{Redirect: true, AllowedHosts: hosts, Port: 8443}, "example.com:6666", "https://example.com:8443/x?y"},
		{"port option 443", Config{Redirect: true, Port: 443}, "example.com:6666", "https://example.com/x?y"},
		{"host option with its port", Config{Redirect: true, Host: "secure.example.com:8443"}, "example.com:6666", "https://secure.example.com:8443/x?y"},
		{"host option without a port", Config{Redirect: true, Host: "secure.example.com"}, "example.com:6666", "https://secure.example.com/x?y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := httpsDecide(t, mustHTTPS(t, tt.opts), httpsTestReq{host: tt.host, target: "/x?y"}.build())
			if diff := cmp.Diff(httpsRedirectTo(302, tt.want), d); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

// TestConnectOverPlainHTTPGets405 is issue 12 item 7: a tunnel has no
// https:// URL, so a plain-HTTP CONNECT gets 405 with Allow, whatever the
// non-idempotent mode, never a 307 to a made-up path.
func TestConnectOverPlainHTTPGets405(t *testing.T) {
	for _, mode := range []MethodMode{MethodRedirect, MethodPass, MethodRefuse} {
		h := mustHTTPS(t, Config{Redirect: true, AllowedHosts: []string{"example.com"}, NonIdempotent: mode})
		r := httptest.NewRequest(http.MethodConnect, "/", nil)
		r.RequestURI, r.URL.Path, r.URL.Host, r.Host = "example.com:443", "", "example.com:443", "example.com:443"
		d := httpsDecide(t, h, r)
		if d.Status != http.StatusMethodNotAllowed || d.Location != "" || d.Allow == "" {
			t.Errorf("mode %d: Decide = %+v, want 405 with Allow", mode, d)
		}
		w := httptest.NewRecorder()
		h.Handler(http.NotFoundHandler()).ServeHTTP(w, r)
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != d.Allow || w.Header().Get("Location") != "" {
			t.Errorf("mode %d: Handler = %d Allow %q Location %q", mode, w.Code, w.Header().Get("Allow"), w.Header().Get("Location"))
		}
		// Over TLS the request is the application's business.
		r.TLS = &tls.ConnectionState{}
		if d := h.Decide(r); d.Status != 0 {
			t.Errorf("mode %d: CONNECT over TLS got %+v", mode, d)
		}
	}
}

// TestLocationPercentEncodedRFC3986 is issue 12 item 8: the request target
// is not echoed byte for byte; what RFC 3986 does not allow in a path or
// query is percent-encoded, and valid escapes are kept.
func TestLocationPercentEncodedRFC3986(t *testing.T) {
	h := mustHTTPS(t, Config{Redirect: true, AllowedHosts: []string{"example.com"}})
	tests := []struct{ target, want string }{
		{`/a"<svg/onload=alert(1)>{|}^`, `/a%22%3Csvg/onload=alert(1)%3E%7B%7C%7D%5E`},
		{"/`x`[y]", "/%60x%60%5By%5D"},
		{"/a?q=<b>&r=\"s\"", "/a?q=%3Cb%3E&r=%22s%22"},
		{"/%zz/%4/%41%2f%E9", "/%25zz/%254/%41%2f%E9"},
		{"/100%", "/100%25"},
		{"/sub-delims!$&'()*+,;=:@/?~._-", "/sub-delims!$&'()*+,;=:@/?~._-"},
		{"/caf\xc3\xa9#frag", "/caf%C3%A9%23frag"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			r := &http.Request{Method: "GET", Host: "example.com", RequestURI: tt.target, Header: http.Header{}}
			d := httpsDecide(t, h, r)
			if diff := cmp.Diff(httpsRedirectTo(302, "https://example.com"+tt.want), d); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}
