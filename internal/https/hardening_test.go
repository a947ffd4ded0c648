package https

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"strings"
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

// TestForwardedAppendedByProxies is issue 12 item 10: RFC 7239 lets a
// proxy append its element to a Forwarded header the client sent; with
// LastElement the right-most element (the trusted proxy's) is read, and
// the client's elements to its left count for nothing. The same holds for
// X-Forwarded-Proto and X-Forwarded-Host lists.
func TestForwardedAppendedByProxies(t *testing.T) {
	fwd := Config{Redirect: true, ProxyHeader: "Forwarded", Trust: trust("10.0.0.0/8"), Element: LastElement}
	xfp := Config{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), Element: LastElement, TrustForwardedHost: true,
		AllowedHosts: []string{"example.com", "evil.example"}}
	first := fwd
	first.Element = FirstElement
	tests := []struct {
		name   string
		opts   Config
		header http.Header
		want   Decision
	}{
		{"client's proto=https before the proxy's proto=http", fwd,
			http.Header{"Forwarded": {"proto=https, for=192.0.2.1;proto=http"}}, httpsRedirectTo(302, "https://example.com/")},
		{"the same with the first element (the proxy must replace)", first,
			http.Header{"Forwarded": {"proto=https, for=192.0.2.1;proto=http"}}, httpsServeTLS},
		{"proxy's proto=https last", fwd,
			http.Header{"Forwarded": {"proto=http, for=192.0.2.1;proto=https"}}, httpsServeTLS},
		{"proxy's element on its own line", fwd,
			http.Header{"Forwarded": {"proto=https", "for=192.0.2.1;proto=http"}}, httpsRedirectTo(302, "https://example.com/")},
		{"comma inside a quoted for=", fwd,
			http.Header{"Forwarded": {`proto=http, for="[2001:db8::1],x";proto=https`}}, httpsServeTLS},
		{"client's unterminated quote", fwd,
			http.Header{"Forwarded": {`for="x, for=192.0.2.1;proto=https`}}, httpsRedirectTo(302, "https://example.com/")},
		{"empty last element", fwd,
			http.Header{"Forwarded": {"proto=https, "}}, httpsRedirectTo(302, "https://example.com/")},
		{"X-Forwarded-Proto appended", xfp,
			http.Header{"X-Forwarded-Proto": {"https, http"}}, httpsRedirectTo(302, "https://example.com/")},
		{"X-Forwarded-Proto last https", xfp,
			http.Header{"X-Forwarded-Proto": {"http,https"}}, httpsServeTLS},
		{"X-Forwarded-Host appended", xfp,
			http.Header{"X-Forwarded-Host": {"evil.example, example.com"}}, httpsRedirectTo(302, "https://example.com/")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httpsTestReq{host: "example.com", remote: httpsTrustedPeer}.build()
			for k, v := range tt.header {
				r.Header[k] = v
			}
			if diff := cmp.Diff(tt.want, httpsDecide(t, mustHTTPS(t, tt.opts), r)); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
			// An untrusted peer is never believed, whatever the element.
			r.RemoteAddr = httpsUntrustedPeer
			if d := mustHTTPS(t, tt.opts).Decide(r); d.Secure {
				t.Errorf("untrusted peer believed: %+v", d)
			}
		})
	}
	if _, err := New(Config{Element: LastElement}); err == nil || !strings.Contains(err.Error(), "https.proxyElement") {
		t.Errorf("LastElement without a header to read: err = %v", err)
	}
}

// TestNoHSTSForLocalhostOrIPHostsDecision is the Gate's part of issue 12
// item 9: a secure request's host is classified as one HSTS must not be
// sent to (localhost, *.localhost, IP literals), from the host already
// parsed; plain requests never carry the flag.
func TestNoHSTSForLocalhostOrIPHostsDecision(t *testing.T) {
	h := mustHTTPS(t, Config{Redirect: true})
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST.": true, "x.localhost:1": true, "127.0.0.1": true, "[::1]:8443": true, "[2001:db8::2]": true,
		"example.com": false, "localhost.example": false, "xlocalhost": false, "": false,
	} {
		r := httpsTestReq{host: host, hostSet: true, tls: true}.build()
		if d := httpsDecide(t, h, r); d.NoHSTS != want || !d.Secure {
			t.Errorf("Host %q over TLS: %+v, want NoHSTS %v", host, d, want)
		}
		r.TLS = nil
		if d := httpsDecide(t, h, r); d.NoHSTS {
			t.Errorf("Host %q over plain HTTP: NoHSTS set", host)
		}
	}
}
