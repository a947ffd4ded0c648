package https

import (
	"crypto/tls"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// passConfigs are the Gates Pass is held to Decide on: each way the
// proxy header, the redirect, the canonical host and the host list change
// what Decide does.
var passConfigs = []Config{
	{},
	{Redirect: true},
	{Redirect: true, Development: true},
	{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), AllowedHosts: []string{"example.com", "localhost", "[::1]"}},
	{Redirect: true, ProxyHeader: "X-Forwarded-Ssl", Trust: trust("10.0.0.0/8")},
	{ProxyHeader: "Forwarded", Trust: trust("10.0.0.0/8")},
	{ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), Element: LastElement},
	{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), TrustForwardedHost: true},
	{Redirect: true, CanonicalHost: "example.com", AllowedHosts: []string{"example.com", "www.example.com"}},
	{Redirect: true, RouteBypass: []string{"/healthz"}, AllowedHosts: []string{"example.com"}, RouteHostBypass: []string{"/healthz"}},
	{Redirect: true, Development: true, CanonicalHost: "example.com", AllowedHosts: []string{"example.com", "www.example.com"}},
	{Redirect: true, CanonicalHost: "example.com", AllowedHosts: []string{"example.com", "www.example.com"}, RouteHostBypass: []string{"/healthz"}, NonIdempotent: MethodPass},
	{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), CanonicalHost: "example.com", AllowedHosts: []string{"example.com", "www.example.com"}},
}

// TestPassDecidesTheUsualRequest checks that Pass decides alone the
// requests it is for (once Decide has accepted their Host), without
// allocating, as Decide does.
func TestPassDecidesTheUsualRequest(t *testing.T) {
	proxy := Config{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8")}
	for _, tc := range []struct {
		name           string
		cfg            Config
		req            httpsTestReq
		secure, noHSTS bool
	}{
		{"tls", proxy, httpsTestReq{host: "example.com", tls: true}, true, false},
		{"tls to localhost", proxy, httpsTestReq{host: "localhost:8443", tls: true}, true, true},
		{"trusted proxy says https", proxy, httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "https"}}, true, false},
		{"tls to the canonical host", Config{Redirect: true, CanonicalHost: "example.com"}, httpsTestReq{host: "EXAMPLE.com:443", tls: true}, true, false},
		{"plain HTTP, no redirect", Config{}, httpsTestReq{host: "example.com"}, false, false},
		{"plain HTTP, development", Config{Redirect: true, Development: true}, httpsTestReq{host: "example.com"}, false, false},
		{"untrusted peer's header ignored", Config{ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8")}, httpsTestReq{host: "example.com", header: map[string]string{"X-Forwarded-Proto": "https"}}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mustHTTPS(t, tc.cfg)
			r := tc.req.build()
			want := h.Decide(r) // accepts the Host
			if want.Status != 0 || want.Secure != tc.secure || want.NoHSTS != tc.noHSTS {
				t.Fatalf("Decide = %+v, want served, secure %v, noHSTS %v", want, tc.secure, tc.noHSTS)
			}
			secure, noHSTS, ok := h.Pass(r)
			if !ok || secure != tc.secure || noHSTS != tc.noHSTS {
				t.Fatalf("Pass = %v, %v, %v; want %v, %v, true", secure, noHSTS, ok, tc.secure, tc.noHSTS)
			}
			if n := testing.AllocsPerRun(100, func() { h.Pass(r) }); n != 0 {
				t.Errorf("Pass allocates %v times, want 0", n)
			}
		})
	}
}

// TestPassLeavesTheRestToDecide checks that Pass does not decide the
// requests Decide has more to do for.
func TestPassLeavesTheRestToDecide(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		req  httpsTestReq
		cold bool // Decide has not seen the request before
	}{
		{"redirect due", Config{Redirect: true}, httpsTestReq{host: "example.com"}, false},
		{"host never seen", Config{}, httpsTestReq{host: "new.example.com"}, true},
		{"another host than the canonical one", Config{Redirect: true, CanonicalHost: "example.com"}, httpsTestReq{host: "www.example.com", tls: true}, false},
		{"proxy value to case-fold", Config{ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8")},
			httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "HTTPS"}}, false},
		{"forwarded host", Config{ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), TrustForwardedHost: true},
			httpsTestReq{host: "example.com", tls: true}, false},
		{"no host", Config{}, httpsTestReq{hostSet: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := mustHTTPS(t, tc.cfg)
			r := tc.req.build()
			if !tc.cold {
				h.Decide(r)
				h.Decide(r)
			}
			if secure, noHSTS, ok := h.Pass(r); ok {
				t.Errorf("Pass = %v, %v, true; want Decide to decide", secure, noHSTS)
			}
		})
	}
}

// FuzzPass holds Pass to Decide: whenever Pass decides a request, Decide
// (on the same Gate, whose memos the earlier requests filled, and on a
// fresh one) serves it with the same Secure and NoHSTS.
func FuzzPass(f *testing.F) {
	f.Add("example.com", "/", "https", "", true, false, uint8(3))
	f.Add("localhost:8080", "/a", "", "", false, true, uint8(0))
	f.Add("EXAMPLE.COM.", "/", "HTTPS", "", true, false, uint8(3))
	f.Add("example.com", "/healthz", "", "", false, false, uint8(9))
	f.Add("www.example.com", "/", "", "evil.test", true, true, uint8(8))
	f.Add("[::1]:443", "/", "on", "", true, false, uint8(4))
	f.Add("example.com", "/", `proto=https`, "", true, false, uint8(5))
	f.Add("example.com", "/", "http, https", "", true, false, uint8(6))
	f.Add("EXAMPLE.COM.:443", "/", "", "", false, true, uint8(8))
	f.Add("www.example.com", "/", "", "", false, true, uint8(8))
	// Several header lines (split at '\n'), the first the exact value.
	f.Add("example.com", "/", "https\nhttp", "", true, false, uint8(3))
	f.Add("example.com", "/", "http\nhttps", "", true, false, uint8(6))
	f.Add("example.com", "/", "\nhttps", "", true, false, uint8(3))
	f.Add("www.example.com", "/", "https", "", true, false, uint8(12))
	f.Add("example.com", "/", "https", "", true, false, uint8(12))
	f.Add("www.example.com", "/healthz", "", "", false, true, uint8(11))
	f.Add("www.example.com", "/", "", "", false, true, uint8(10))
	gates := make([]*Gate, len(passConfigs))
	for i, c := range passConfigs {
		gates[i] = mustHTTPS(f, c)
	}
	f.Fuzz(func(t *testing.T, host, target, proto, xfh string, proxy, tlsOn bool, cfg uint8) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		i := int(cfg) % len(gates)
		r := &http.Request{Method: http.MethodGet, URL: u, RequestURI: target, Host: host,
			Header: http.Header{}, RemoteAddr: "192.0.2.1:1234"}
		if proxy {
			r.RemoteAddr = "10.0.0.1:5555"
		}
		if proto != "" {
			for _, k := range []string{"X-Forwarded-Proto", "X-Forwarded-Ssl", "Forwarded"} {
				r.Header[k] = strings.Split(proto, "\n")
			}
		}
		if xfh != "" {
			r.Header["X-Forwarded-Host"] = []string{xfh}
		}
		if tlsOn {
			r.TLS = &tls.ConnectionState{}
		}
		warm := gates[i].Decide(r)
		secure, noHSTS, ok := gates[i].Pass(r)
		if !ok {
			return
		}
		got := Decision{Secure: secure, NoHSTS: noHSTS}
		if diff := cmp.Diff(warm, got); diff != "" {
			t.Fatalf("config %d, Host %q, proto %q: Pass against the warm Gate's Decide (-Decide +Pass):\n%s", i, host, proto, diff)
		}
		if fresh := mustHTTPS(t, passConfigs[i]).Decide(r); !cmp.Equal(fresh, got) {
			t.Fatalf("config %d, Host %q, proto %q: Pass against a fresh Gate's Decide (-Decide +Pass):\n%s", i, host, proto, cmp.Diff(fresh, got))
		}
	})
}
