package https

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/proxy"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// httpsTestReq describes one request of the Decide tables.
type httpsTestReq struct {
	method string // "" means GET
	target string // passed to httptest.NewRequest; "" means "/"
	host   string // replaces r.Host when hostSet
	remote string // replaces r.RemoteAddr when set ("192.0.2.1:1234" by default)
	tls    bool
	header map[string]string

	hostSet bool
}

func (q httpsTestReq) build() *http.Request {
	method, target := q.method, q.target
	if method == "" {
		method = http.MethodGet
	}
	if target == "" {
		target = "/"
	}
	r := httptest.NewRequest(method, target, nil)
	r.TLS = nil
	if q.tls {
		r.TLS = &tls.ConnectionState{}
	}
	if q.hostSet || q.host != "" {
		r.Host = q.host
	}
	if q.remote != "" {
		r.RemoteAddr = q.remote
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	return r
}

// httpsSnapshot is what Decide must leave untouched in a request.
type httpsSnapshot struct {
	Method, Host, RequestURI, RemoteAddr, URL string
	Header                                    http.Header
	TLS                                       bool
}

func httpsSnap(r *http.Request) httpsSnapshot {
	s := httpsSnapshot{Method: r.Method, Host: r.Host, RequestURI: r.RequestURI, RemoteAddr: r.RemoteAddr,
		Header: r.Header.Clone(), TLS: r.TLS != nil}
	if r.URL != nil {
		s.URL = fmt.Sprintf("%#v", *r.URL)
	}
	return s
}

// httpsDecide runs Decide and fails the test if r changed.
func httpsDecide(t *testing.T, h *Gate, r *http.Request) Decision {
	t.Helper()
	before := httpsSnap(r)
	d := h.Decide(r)
	if diff := cmp.Diff(before, httpsSnap(r)); diff != "" {
		t.Errorf("Decide mutated the request (-before +after):\n%s", diff)
	}
	return d
}

func mustHTTPS(t testing.TB, o Config) *Gate {
	t.Helper()
	h, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	return h
}

const (
	httpsTrustedPeer   = "10.1.2.3:5555"
	httpsUntrustedPeer = "192.0.2.1:1234"
)

// httpsBase is the configuration most table rows use.
var httpsBase = Config{
	Redirect:     true,
	ProxyHeader:  "X-Forwarded-Proto",
	Trust:        trust("10.0.0.0/8"),
	AllowedHosts: []string{"example.com", "*.example.com"},
}

func httpsRedirectTo(status int, loc string) Decision {
	return Decision{Status: status, Location: loc, Reason: httpsReasonRedirect}
}

var (
	httpsBadHost    = Decision{Status: 400, Reason: httpsReasonBadHost}
	httpsDeniedHost = Decision{Status: 400, Reason: httpsReasonHostDenied}
	httpsBadTarget  = Decision{Status: 400, Reason: httpsReasonBadTarget}
	httpsServe      = Decision{}
	httpsServeTLS   = Decision{Secure: true}
)

func TestHTTPSDecide(t *testing.T) {
	bigQuery := strings.Repeat("q=0123456789abcdef&", 16*1024/19+1)
	with := func(f func(o *Config)) Config {
		o := httpsBase
		f(&o)
		return o
	}
	forwarded := with(func(o *Config) { o.ProxyHeader = "Forwarded" })
	fwdHost := with(func(o *Config) { o.TrustForwardedHost = true })
	permanent := with(func(o *Config) { o.Permanent = true })
	pass := with(func(o *Config) { o.NonIdempotent = MethodPass })
	refuse := with(func(o *Config) { o.NonIdempotent = MethodRefuse })
	refused := Decision{Status: 403, Reason: httpsReasonRefused}

	tests := []struct {
		name string
		opts Config
		req  httpsTestReq
		want Decision
	}{
		// Plain redirects and the request target.
		{"root", httpsBase, httpsTestReq{host: "example.com"}, httpsRedirectTo(302, "https://example.com/")},
		{"path and query kept escaped", httpsBase, httpsTestReq{target: "/a%20b/c?x=1&y=%2F#frag", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/a%20b/c?x=1&y=%2F%23frag")},
		{"subdomain", httpsBase, httpsTestReq{host: "www.example.com"}, httpsRedirectTo(302, "https://www.example.com/")},
		{"double slash path stays on host", httpsBase, httpsTestReq{target: "//evil.example", host: "example.com"},
			httpsRedirectTo(302, "https://example.com//evil.example")},
		{"backslash path refused", httpsBase, httpsTestReq{target: "/\\evil.example", host: "example.com"}, httpsBadTarget},
		{"encoded CRLF stays encoded", httpsBase, httpsTestReq{target: "/%0d%0aSet-Cookie:x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/%0d%0aSet-Cookie:x")},
		{"16 KiB query", httpsBase, httpsTestReq{target: "/s?" + bigQuery, host: "example.com"},
			httpsRedirectTo(302, "https://example.com/s?"+bigQuery)},
		{"raw UTF-8 path percent-encoded", httpsBase, httpsTestReq{target: "/café", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/caf%C3%A9")},
		{"absolute-form target uses its path", httpsBase, httpsTestReq{target: "http://example.com/x?y", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/x?y")},
		{"asterisk target cannot be redirected", httpsBase, httpsTestReq{method: "OPTIONS", target: "*", host: "example.com"}, httpsBadTarget},

		// Hosts.
		{"other host", httpsBase, httpsTestReq{host: "evil.example"}, httpsDeniedHost},
		{"allowed host as prefix", httpsBase, httpsTestReq{host: "example.com.evil.example"}, httpsDeniedHost},
		{"userinfo", httpsBase, httpsTestReq{host: "example.com@evil.example"}, httpsBadHost},
		{"slashes", httpsBase, httpsTestReq{host: "//evil.example"}, httpsBadHost},
		{"CRLF", httpsBase, httpsTestReq{host: "evil.example\r\nX: y"}, httpsBadHost},
		{"CRLF after allowed host", httpsBase, httpsTestReq{host: "example.com\r\nX: y"}, httpsBadHost},
		{"port out of range", httpsBase, httpsTestReq{host: "[::1]:99999"}, httpsBadHost},
		{"port zero", httpsBase, httpsTestReq{host: "example.com:0"}, httpsBadHost},
		{"percent", httpsBase, httpsTestReq{host: "exa%6dple.com"}, httpsBadHost},
		{"raw IDN", httpsBase, httpsTestReq{host: "bücher.example.com"}, httpsBadHost},
		{"punycode IDN", httpsBase, httpsTestReq{host: "xn--bcher-kva.example.com"}, httpsRedirectTo(302, "https://xn--bcher-kva.example.com/")},
		{"upper case", httpsBase, httpsTestReq{host: "EXAMPLE.com"}, httpsRedirectTo(302, "https://example.com/")},
		{"trailing dot", httpsBase, httpsTestReq{host: "WWW.Example.com.:8080"}, httpsRedirectTo(302, "https://www.example.com/")},
		{"empty label", httpsBase, httpsTestReq{host: "www..example.com"}, httpsBadHost},
		{"apex is not a subdomain", with(func(o *Config) { o.AllowedHosts = []string{"*.example.com"} }),
			httpsTestReq{host: "example.com"}, httpsDeniedHost},
		{"bad host on TLS", httpsBase, httpsTestReq{host: "evil.example", tls: true}, Decision{Secure: true, Status: 400, Reason: httpsReasonHostDenied}},
		{"bad host with redirect off", Config{}, httpsTestReq{host: "a b"}, httpsBadHost},
		{"any valid host with no allowedHosts", Config{Redirect: true}, httpsTestReq{host: "evil.example"}, httpsRedirectTo(302, "https://evil.example/")},
		{"octal-looking IPv4 name", Config{Redirect: true}, httpsTestReq{host: "0x7f.1"}, httpsBadHost},
		{"IPv4", Config{Redirect: true}, httpsTestReq{host: "192.0.2.9:80"}, httpsRedirectTo(302, "https://192.0.2.9/")},
		{"IPv6 canonical", Config{Redirect: true}, httpsTestReq{host: "[2001:DB8:0::1]:8080"}, httpsRedirectTo(302, "https://[2001:db8::1]/")},
		{"IPv6 allowed", with(func(o *Config) { o.AllowedHosts = []string{"::1"} }), httpsTestReq{host: "[0::1]"}, httpsRedirectTo(302, "https://[::1]/")},
		{"IPv6 zone", Config{Redirect: true}, httpsTestReq{host: "[fe80::1%25eth0]"}, httpsBadHost},

		// Empty Host (HTTP/1.0).
		{"empty host redirect", httpsBase, httpsTestReq{hostSet: true}, Decision{Status: 400, Reason: httpsReasonNoHost}},
		{"empty host TLS", httpsBase, httpsTestReq{hostSet: true, tls: true}, httpsServeTLS},
		{"empty host no redirect", Config{}, httpsTestReq{hostSet: true}, httpsServe},
		{"empty host with host option", with(func(o *Config) { o.Host = "secure.example.com" }),
			httpsTestReq{hostSet: true, target: "/x"}, httpsRedirectTo(302, "https://secure.example.com/x")},

		// Proxy headers.
		{"XFP from untrusted peer", httpsBase, httpsTestReq{host: "example.com", header: map[string]string{"X-Forwarded-Proto": "https"}},
			httpsRedirectTo(302, "https://example.com/")},
		{"XFP from trusted peer", httpsBase, httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "HTTPS"}}, httpsServeTLS},
		{"XFP first value only", httpsBase, httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "http, https"}},
			httpsRedirectTo(302, "https://example.com/")},
		{"XFP list", httpsBase, httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": " https ,http"}}, httpsServeTLS},
		{"XFP ignored when header is Forwarded", forwarded, httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "https"}},
			httpsRedirectTo(302, "https://example.com/")},
		{"Forwarded trusted", forwarded, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"Forwarded": "for=192.0.2.60;Proto=https;by=203.0.113.43, proto=http"}}, httpsServeTLS},
		{"Forwarded quoted", forwarded, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"Forwarded": `for="[2001:db8::1]:80"; proto="ht\tps"`}}, httpsServeTLS},
		{"Forwarded second element", forwarded, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"Forwarded": "for=192.0.2.60, proto=https"}}, httpsRedirectTo(302, "https://example.com/")},
		{"Forwarded untrusted", forwarded, httpsTestReq{host: "example.com",
			header: map[string]string{"Forwarded": "proto=https"}}, httpsRedirectTo(302, "https://example.com/")},
		{"XFH trusted", fwdHost, httpsTestReq{host: "internal.local", remote: httpsTrustedPeer,
			header: map[string]string{"X-Forwarded-Host": "www.example.com, internal.local"}}, httpsRedirectTo(302, "https://www.example.com/")},
		{"XFH trusted but not allowed", fwdHost, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"X-Forwarded-Host": "evil.example"}}, httpsDeniedHost},
		{"XFH trusted but empty", fwdHost, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"X-Forwarded-Host": ", example.com"}}, httpsBadHost},
		{"XFH untrusted ignored", fwdHost, httpsTestReq{host: "example.com",
			header: map[string]string{"X-Forwarded-Host": "evil.example"}}, httpsRedirectTo(302, "https://example.com/")},
		{"XFH ignored when option off", httpsBase, httpsTestReq{host: "example.com", remote: httpsTrustedPeer,
			header: map[string]string{"X-Forwarded-Host": "evil.example"}}, httpsRedirectTo(302, "https://example.com/")},

		// Methods.
		{"HEAD", httpsBase, httpsTestReq{method: "HEAD", host: "example.com"}, httpsRedirectTo(302, "https://example.com/")},
		{"POST", httpsBase, httpsTestReq{method: "POST", host: "example.com"}, httpsRedirectTo(307, "https://example.com/")},
		{"PUT redirect", with(func(o *Config) { o.NonIdempotent = MethodRedirect }), httpsTestReq{method: "PUT", host: "example.com"}, httpsRedirectTo(307, "https://example.com/")},
		{"GET permanent", permanent, httpsTestReq{host: "example.com"}, httpsRedirectTo(301, "https://example.com/")},
		{"HEAD permanent", permanent, httpsTestReq{method: "HEAD", host: "example.com"}, httpsRedirectTo(301, "https://example.com/")},
		{"DELETE permanent", permanent, httpsTestReq{method: "DELETE", host: "example.com"}, httpsRedirectTo(308, "https://example.com/")},
		{"GET pass", pass, httpsTestReq{host: "example.com"}, httpsRedirectTo(302, "https://example.com/")},
		{"POST pass", pass, httpsTestReq{method: "POST", host: "example.com"}, httpsServe},
		{"PUT pass", pass, httpsTestReq{method: "PUT", host: "example.com"}, httpsServe},
		{"DELETE pass", pass, httpsTestReq{method: "DELETE", host: "example.com"}, httpsServe},
		{"HEAD refuse", refuse, httpsTestReq{method: "HEAD", host: "example.com"}, httpsRedirectTo(302, "https://example.com/")},
		{"POST refuse", refuse, httpsTestReq{method: "POST", host: "example.com"}, refused},
		{"PUT refuse", refuse, httpsTestReq{method: "PUT", host: "example.com"}, refused},
		{"DELETE refuse", refuse, httpsTestReq{method: "DELETE", host: "example.com"}, refused},
		{"POST refuse over TLS", refuse, httpsTestReq{method: "POST", host: "example.com", tls: true}, httpsServeTLS},
		{"pass still checks host", pass, httpsTestReq{method: "POST", host: "evil.example"}, httpsDeniedHost},

		// Ports and the host option.
		{"port 80 dropped", httpsBase, httpsTestReq{host: "example.com:80"}, httpsRedirectTo(302, "https://example.com/")},
		{"port 443 dropped", httpsBase, httpsTestReq{host: "example.com:443"}, httpsRedirectTo(302, "https://example.com/")},
		{"other port dropped", httpsBase, httpsTestReq{host: "example.com:8080"}, httpsRedirectTo(302, "https://example.com/")},
		{"empty port", httpsBase, httpsTestReq{host: "example.com:"}, httpsRedirectTo(302, "https://example.com/")},
		{"port option", with(func(o *Config) { o.Port = 8443 }), httpsTestReq{host: "example.com:8080", target: "/p"},
			httpsRedirectTo(302, "https://example.com:8443/p")},
		{"port option 443", with(func(o *Config) { o.Port = 443 }), httpsTestReq{host: "example.com:8080"},
			httpsRedirectTo(302, "https://example.com/")},
		{"host option", with(func(o *Config) { o.Host = "Secure.Example.com" }), httpsTestReq{host: "www.example.com:8080", target: "/p?q"},
			httpsRedirectTo(302, "https://secure.example.com/p?q")},
		{"host option with port option", with(func(o *Config) { o.Host = "secure.example.com"; o.Port = 8443 }),
			httpsTestReq{host: "example.com"}, httpsRedirectTo(302, "https://secure.example.com:8443/")},
		{"host option with its port", with(func(o *Config) { o.Host = "secure.example.com:8443" }),
			httpsTestReq{host: "example.com"}, httpsRedirectTo(302, "https://secure.example.com:8443/")},
		{"host option still checks host", with(func(o *Config) { o.Host = "secure.example.com" }),
			httpsTestReq{host: "evil.example"}, httpsDeniedHost},

		// Skips, bypass patterns, development.
		{"skip exact", with(func(o *Config) { o.Skips = []string{"/api"} }), httpsTestReq{target: "/api", host: "example.com"}, httpsServe},
		{"skip below", with(func(o *Config) { o.Skips = []string{"/api"} }), httpsTestReq{target: "/api/x?y", host: "example.com"}, httpsServe},
		{"skip is segment-aware", with(func(o *Config) { o.Skips = []string{"/api"} }), httpsTestReq{target: "/apiary", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/apiary")},
		{"skip subtree", with(func(o *Config) { o.Skips = []string{"/static/"} }), httpsTestReq{target: "/static/a.css", host: "example.com"}, httpsServe},
		{"skip subtree not its parent", with(func(o *Config) { o.Skips = []string{"/static/"} }), httpsTestReq{target: "/static", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/static")},
		{"skip ignores unclean path", with(func(o *Config) { o.Skips = []string{"/api"} }), httpsTestReq{target: "/api/../admin", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/api/../admin")},
		{"bypass subtree", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/.well-known/acme-challenge/"} }), httpsTestReq{target: "/.well-known/acme-challenge/tok", host: "example.com"},
			httpsServe},
		{"bypass subtree not its parent", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/.well-known/acme-challenge/"} }), httpsTestReq{target: "/.well-known/acme-challenge", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/.well-known/acme-challenge")},
		{"bypass exact", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/healthz"} }), httpsTestReq{target: "/healthz?full=1", host: "example.com"},
			httpsServe},
		{"bypass exact not below", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/healthz"} }), httpsTestReq{target: "/healthz/x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/healthz/x")},
		{"bypass {$}", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/status/{$}"} }), httpsTestReq{target: "/status/", host: "example.com"},
			httpsServe},
		{"bypass {$} not below", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/status/{$}"} }), httpsTestReq{target: "/status/x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/status/x")},
		{"bypass wildcard", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/u/{id}/avatar"} }), httpsTestReq{target: "/u/7/avatar", host: "example.com"},
			httpsServe},
		{"bypass host", with(func(o *Config) { o.InsecureBypassPatterns = []string{"example.com/acme/"} }), httpsTestReq{target: "/acme/x", host: "example.com"},
			httpsServe},
		{"bypass other host", with(func(o *Config) { o.InsecureBypassPatterns = []string{"www.example.com/acme/"} }), httpsTestReq{target: "/acme/x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/x")},
		{"bypass dot-dot", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/../admin", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/../admin")},
		{"bypass escaped dot-dot", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/%2e%2e/%2e%2e/admin", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/%2e%2e/%2e%2e/admin")},
		{"bypass escaped dot", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/%2E/x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/%2E/x")},
		{"bypass escaped slash", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/a%2Fb", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/a%2Fb")},
		{"bypass escaped backslash", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/a%5c..%5cb", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/a%5c..%5cb")},
		{"bypass double slash", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme//x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme//x")},
		{"bypass dot", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/./x", host: "example.com"},
			httpsRedirectTo(302, "https://example.com/acme/./x")},
		{"bypass other escapes", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }), httpsTestReq{target: "/acme/a%20b", host: "example.com"},
			httpsServe},
		{"bypass GET serves HEAD", with(func(o *Config) { o.InsecureBypassPatterns = []string{"GET /healthz"} }),
			httpsTestReq{method: "HEAD", target: "/healthz", host: "example.com"}, httpsServe},
		{"bypass GET not POST", with(func(o *Config) { o.InsecureBypassPatterns = []string{"GET /healthz"} }),
			httpsTestReq{method: "POST", target: "/healthz", host: "example.com"}, httpsRedirectTo(307, "https://example.com/healthz")},
		{"bypass still checks host", with(func(o *Config) { o.InsecureBypassPatterns = []string{"/acme/"} }),
			httpsTestReq{target: "/acme/x", host: "evil.example"}, httpsDeniedHost},
		{"route bypass", with(func(o *Config) { o.RouteBypass = []string{"/embed/"} }), httpsTestReq{target: "/embed/x", host: "example.com"}, httpsServe},
		{"skip keeps braces literal", with(func(o *Config) { o.Skips = []string{"/a{b}"} }), httpsTestReq{target: "/a%7Bb%7D/x", host: "example.com"}, httpsServe},
		{"skip with percent", with(func(o *Config) { o.Skips = []string{"/100%"} }), httpsTestReq{target: "/100%25", host: "example.com"}, httpsServe},
		{"development", with(func(o *Config) { o.Development = true }), httpsTestReq{host: "example.com"}, httpsServe},
		{"development still checks host", with(func(o *Config) { o.Development = true }), httpsTestReq{host: "evil.example"}, httpsDeniedHost},
		{"redirect off", Config{AllowedHosts: []string{"example.com"}}, httpsTestReq{host: "example.com"}, httpsServe},
		{"TLS", httpsBase, httpsTestReq{host: "example.com", tls: true}, httpsServeTLS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := mustHTTPS(t, tt.opts)
			got := httpsDecide(t, h, tt.req.build())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTTPSDecideDirectRequests covers requests that net/http's parser would
// not produce but a test, a proxy or another middleware can.
func TestHTTPSDecideDirectRequests(t *testing.T) {
	h := mustHTTPS(t, Config{Redirect: true, AllowedHosts: []string{"example.com"}})
	tests := []struct {
		name string
		req  *http.Request
		want Decision
	}{
		{"no RequestURI", &http.Request{Method: "GET", Host: "example.com", URL: &url.URL{Path: "/a b", RawQuery: "x=1"}},
			httpsRedirectTo(302, "https://example.com/a%20b?x=1")},
		{"RequestURI with CRLF", &http.Request{Method: "GET", Host: "example.com", RequestURI: "/x\r\nSet-Cookie: a=b", URL: &url.URL{Path: "/x"}},
			httpsBadTarget},
		{"query with CRLF", &http.Request{Method: "GET", Host: "example.com", URL: &url.URL{Path: "/", RawQuery: "a\r\nb"}},
			httpsBadTarget},
		{"URL path starting with //", &http.Request{Method: "GET", Host: "example.com", URL: &url.URL{Path: "//evil.example/x"}},
			httpsRedirectTo(302, "https://example.com//evil.example/x")},
		{"relative URL", &http.Request{Method: "GET", Host: "example.com", URL: &url.URL{Path: "evil.example"}},
			httpsBadTarget},
		{"opaque URL", &http.Request{Method: "GET", Host: "example.com", URL: &url.URL{Scheme: "http", Opaque: "//evil.example/"}},
			httpsBadTarget},
		{"nil URL", &http.Request{Method: "GET", Host: "example.com"}, httpsBadTarget},
		{"tab in RequestURI", &http.Request{Method: "GET", Host: "example.com", RequestURI: "/\t/evil.example", URL: &url.URL{Path: "/"}}, httpsBadTarget},
		{"empty method is GET", &http.Request{Host: "example.com", RequestURI: "/m", URL: &url.URL{Path: "/m"}},
			httpsRedirectTo(302, "https://example.com/m")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpsDecide(t, h, tt.req)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHTTPSZeroAndNil(t *testing.T) {
	for name, h := range map[string]*Gate{"nil": nil, "zero": {}, "New(zero)": mustHTTPS(t, Config{})} {
		t.Run(name, func(t *testing.T) {
			r := httpsTestReq{host: "example.com", header: map[string]string{"X-Forwarded-Proto": "https"}, remote: httpsTrustedPeer}.build()
			if diff := cmp.Diff(httpsServe, httpsDecide(t, h, r)); diff != "" {
				t.Errorf("valid host (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(httpsBadHost, httpsDecide(t, h, httpsTestReq{host: "a@b"}.build())); diff != "" {
				t.Errorf("invalid host (-want +got):\n%s", diff)
			}
			if h.Development() {
				t.Error("Development() = true")
			}
		})
	}
	if !mustHTTPS(t, Config{Development: true}).Development() {
		t.Error("Development() = false with Development set")
	}
}

func TestNewHTTPSErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Config
		want []string
	}{
		{"everything wrong at once", Config{
			Port:                   70000,
			InsecureBypassPatterns: []string{"/ok/", "x", "/", "", "GET /", "/{path...}", "example.com/", "/a/{x}", "/{y}/b", "/ok/", "/a/{z}"},
			Skips:                  []string{"api", "/", "/a/../b", "/ok", "/a b", "/m;x=1", `/a\b`, "/q?x"},
			RouteBypass:            []string{"/", "/r/{x}/s", "/{z}/s"},
			AllowedHosts:           []string{"example.com:8080", "*", ".example.com", "ex*ample.com", "https://example.com", "*.1.2.3.4", "bad host", "", `.+\.example\.com`, `^www\.example\.(com|org)$`, ".bad host"},
			NonIdempotent:          99,
			ProxyHeader:            "X-Forwarded-For",
		}, []string{
			`https.proxyHeader: not a header that carries the scheme "X-Forwarded-For" (use "X-Forwarded-Proto", "Forwarded", or the "X-…" header your proxy sets to "https")`,
			`https.proxyHeader: is set but trustedProxies is empty, so it would never be believed (add your proxy's address or CIDR to trustedProxies, or remove proxyHeader)`,
			`https.allowedHosts[0]: port in host pattern "example.com:8080" (write it without the ":8080"; ports are ignored when matching)`,
			`https.allowedHosts[1]: pattern allowing every host "*" (leave allowedHosts empty to accept any syntactically valid host)`,
			`https.allowedHosts[2]: leading dot in host pattern ".example.com" (write "*.example.com" for its subdomains and "example.com" for the apex)`,
			`https.allowedHosts[3]: "*" not as the whole first label in "ex*ample.com" (write "*.example.com" for the subdomains of example.com)`,
			`https.allowedHosts[4]: URL where a bare host is expected "https://example.com" (write only the host, e.g. "example.com")`,
			`https.allowedHosts[5]: "*." before an IP address in "*.1.2.3.4" (list the address without "*.")`,
			`https.allowedHosts[6]: invalid host name "bad host" (use ASCII letters, digits, '-' and '.' (punycode "xn--…" for IDNs))`,
			`https.allowedHosts[7]: empty host pattern (write a host such as "example.com" or "*.example.com", or remove the entry)`,
			`https.allowedHosts[8]: regular expression where a host pattern is expected ".+\\.example\\.com" (did you mean "*.example.com"?)`,
			`https.allowedHosts[9]: regular expression where a host pattern is expected "^www\\.example\\.(com|org)$" (write a host such as "example.com", or "*.example.com" for its subdomains)`,
			`https.allowedHosts[10]: leading dot in host pattern ".bad host" (write "*.example.com" for the subdomains of example.com and "example.com" for the apex)`,
			`https.port: not a TCP port "70000" (use 1-65535, or 0 for the default port 443)`,
			`routes./: pattern matching every path "/" (set https.redirect to false)`,
			`https.insecureBypassPatterns[1]: invalid ServeMux pattern (at offset 0: host/path missing /) "x" (write a ServeMux pattern such as "/.well-known/acme-challenge/", "GET /healthz" or "/status/{$}")`,
			`https.insecureBypassPatterns[2]: pattern matching every path "/" (set https.redirect to false)`,
			`https.insecureBypassPatterns[3]: empty pattern (write a ServeMux pattern such as "/.well-known/acme-challenge/", "GET /healthz" or "/status/{$}")`,
			`https.insecureBypassPatterns[4]: pattern matching every path "GET /" (set https.redirect to false)`,
			`https.insecureBypassPatterns[5]: pattern matching every path "/{path...}" (set https.redirect to false)`,
			`https.insecureBypassPatterns[6]: pattern matching every path "example.com/" (set https.redirect to false)`,
			`https.insecureBypassPatterns[8]: overlaps "/ok/" (https.insecureBypassPatterns[0]), neither being more specific, in "/{y}/b" (remove one, or give one a method or a longer literal path)`,
			`https.insecureBypassPatterns[10]: overlaps "/a/{x}" (https.insecureBypassPatterns[7]), neither being more specific, in "/a/{z}" (remove one, or give one a method or a longer literal path)`,
			`https.skips[0]: no leading slash in path prefix "api" (did you mean "/api"?)`,
			`https.skips[1]: path prefix skipping every path "/" (set https.redirect to false)`,
			`https.skips[2]: unclean path ("//", "." or ".." segments, or a backslash) "/a/../b" (write the path as path.Clean would)`,
			`https.skips[4]: spaces, controls or non-ASCII bytes in "/a b" (write the path as it appears decoded, ASCII only)`,
			`https.skips[6]: unclean path ("//", "." or ".." segments, or a backslash) "/a\\b" (write the path as path.Clean would)`,
			`https.skips[7]: query or fragment in a path prefix (skips match the path only) "/q?x" (remove the part from '?' or '#' on)`,
			`https.nonIdempotent: unknown mode "99" (use RedirectNonIdempotent, PassNonIdempotent or RefuseNonIdempotent)`,
		}},
		{"invalid proxies are not missing ones", Config{ProxyHeader: "x-forwarded-proto", TrustForwardedHost: true, TrustInvalid: true, Port: -1}, []string{
			`https.port: not a TCP port "-1" (use 1-65535, or 0 for the default port 443)`,
		}},
		{"proxy header without proxies", Config{ProxyHeader: "x-forwarded-proto", TrustForwardedHost: true}, []string{
			`https.proxyHeader: is set but trustedProxies is empty, so it would never be believed (add your proxy's address or CIDR to trustedProxies, or remove proxyHeader)`,
			`https.trustForwardedHost: is true but trustedProxies is empty, so X-Forwarded-Host would never be believed (add your proxy's address or CIDR to trustedProxies, or set trustForwardedHost to false)`,
		}},
		{"header names", Config{ProxyHeader: "Proto", Trust: trust("::1")}, []string{
			`https.proxyHeader: not a proxy scheme header "Proto" (use "X-Forwarded-Proto", "Forwarded", or the "X-…" header your proxy sets to "https")`,
		}},
		{"header token", Config{ProxyHeader: "X-Proto:", Trust: trust("::1")}, []string{
			`https.proxyHeader: invalid header name "X-Proto:" (use "X-Forwarded-Proto", "Forwarded", or the "X-…" header your proxy sets to "https")`,
		}},
		{"host option", Config{Host: "https://secure.example.com/"}, []string{
			`https.host: not a bare host "https://secure.example.com/" (write only the host, e.g. "secure.example.com")`,
		}},
		{"host option syntax", Config{Host: "a@b"}, []string{
			`https.host: invalid host[:port] "a@b" (write a host such as "secure.example.com" or "secure.example.com:8443")`,
		}},
		{"host option port twice", Config{Host: "a.example:8443", Port: 8443}, []string{
			`https.host: port given here and in https.port too, in "a.example:8443" (give the port in one place only)`,
		}},
		{"negative port", Config{Port: -1}, []string{
			`https.port: not a TCP port "-1" (use 1-65535, or 0 for the default port 443)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := New(tt.opts)
			if h != nil {
				t.Errorf("New returned a non-nil *Gate with an error")
			}
			if err == nil {
				t.Fatal("New returned no error")
			}
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var oe *cfgerr.Error
				if !errors.As(e, &oe) {
					t.Errorf("error %v is a %T, not a *cfgerr.Error", e, e)
				}
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewHTTPSAccepts(t *testing.T) {
	for _, o := range []Config{
		{ProxyHeader: "forwarded", Trust: trust("10.0.0.0/8", " ::1 ", "192.0.2.7")},
		{ProxyHeader: "X-Forwarded-Scheme", Trust: trust("127.0.0.1")},
		{AllowedHosts: []string{"Example.COM.", "*.example.com", "[::1]", "127.0.0.1", "xn--bcher-kva.example"}},
		{Host: "[::1]:8443"},
		{NonIdempotent: MethodPass, Port: 443, Skips: []string{"/healthz", "/static/", "/a{b}"},
			InsecureBypassPatterns: []string{"/healthz", "/healthz/", "GET /healthz", "/{$}", "/x/{id}", "example.com/acme/"},
			RouteBypass:            []string{"/healthz/", "/x/{id}", "invalid"}},
	} {
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v): %v", o, err)
		}
	}
}

func TestHTTPSCustomProxyHeader(t *testing.T) {
	tests := []struct {
		header, value string
		want          bool
	}{
		{"X-Forwarded-Scheme", "https", true},
		{"X-Forwarded-Scheme", "http", false},
		{"X-Forwarded-Ssl", "on", true},
		{"X-Forwarded-Ssl", "https", false},
		{"X-Forwarded-Ssl", "off", false},
	}
	for _, tt := range tests {
		t.Run(tt.header+"="+tt.value, func(t *testing.T) {
			h := mustHTTPS(t, Config{Redirect: true, ProxyHeader: strings.ToLower(tt.header), Trust: trust("10.0.0.0/8")})
			r := httpsTestReq{host: "example.com", remote: httpsTrustedPeer, header: map[string]string{tt.header: tt.value}}.build()
			if got := httpsDecide(t, h, r).Secure; got != tt.want {
				t.Errorf("Secure = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestHTTPSForwardedProto(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"proto=https", true},
		{"PROTO=HTTPS", true},
		{" for=192.0.2.1 ; proto = https ; by=x", true},
		{`proto="https"`, true},
		{`proto="h\ttps"`, true},
		{`for="[2001:db8::1]:8080";proto=https`, true},
		{`for="a,b";proto=https`, true},
		{"proto=https,proto=http", true},
		{"proto=http,proto=https", false},
		{"proto=http", false},
		{"for=192.0.2.1", false},
		{"", false},
		{"proto=https;proto=https", false},
		{`proto="https`, false},
		{`proto="https\`, false},
		{"proto=httpsx", false},
		{`proto="https "`, false},
		{"proto", false},
		{"=https", false},
		{"proto=https x", false},
		{`for="a;proto=https"`, false},
		{"proto=https\x00", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := httpsForwardedProto(tt.in); got != tt.want {
				t.Errorf("httpsForwardedProto(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTTPSHandler(t *testing.T) {
	h := mustHTTPS(t, Config{Redirect: true, NonIdempotent: MethodRefuse, AllowedHosts: []string{"example.com"}})
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("app")) })
	type result struct {
		Status   int
		Location string
		Type     string
		Body     string
	}
	tests := []struct {
		name string
		req  httpsTestReq
		want result
	}{
		{"served", httpsTestReq{host: "example.com", tls: true}, result{200, "", "text/plain; charset=utf-8", "app"}},
		{"redirect", httpsTestReq{host: "example.com", target: "/a?b"}, result{302, "https://example.com/a?b", "", ""}},
		{"bad host", httpsTestReq{host: "evil.example"}, result{400, "", "text/plain; charset=utf-8", "Host not allowed\n"}},
		{"refused", httpsTestReq{host: "example.com", method: "POST"}, result{403, "", "text/plain; charset=utf-8", httpsReasonRefused + "\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.Handler(next).ServeHTTP(rec, tt.req.build())
			res := rec.Result()
			got := result{res.StatusCode, res.Header.Get("Location"), res.Header.Get("Content-Type"), rec.Body.String()}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHTTPSOverTheWire sends raw request lines through a real server, so
// the request parser of net/http is part of the test.
func TestHTTPSOverTheWire(t *testing.T) {
	h := mustHTTPS(t, Config{Redirect: true, AllowedHosts: []string{"example.com"}})
	srv := httptest.NewServer(h.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	defer srv.Close()
	tests := []struct {
		target, host string
		wantStatus   int
		wantLocation string
	}{
		{"//evil.example/", "example.com", 302, "https://example.com//evil.example/"},
		{"/%0d%0aSet-Cookie:x", "example.com", 302, "https://example.com/%0d%0aSet-Cookie:x"},
		{"/a?b=c", "Example.com:80", 302, "https://example.com/a?b=c"},
		{"http://example.com/abs", "example.com", 302, "https://example.com/abs"},
		{"http://evil.example/abs", "example.com", 400, ""},
		{"/", "evil.example", 400, ""},
		{"/", "example.com@evil.example", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.target+" "+tt.host, func(t *testing.T) {
			conn, err := net.Dial("tcp", srv.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", tt.target, tt.host); err != nil {
				t.Fatal(err)
			}
			res, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.wantStatus || res.Header.Get("Location") != tt.wantLocation {
				t.Errorf("got %d %q, want %d %q", res.StatusCode, res.Header.Get("Location"), tt.wantStatus, tt.wantLocation)
			}
			if got := res.Header.Values("Set-Cookie"); got != nil {
				t.Errorf("Set-Cookie injected: %q", got)
			}
		})
	}
}

func TestHTTPSDecideAllocs(t *testing.T) {
	h := mustHTTPS(t, Config{
		Redirect: true, ProxyHeader: "Forwarded", Trust: trust("10.0.0.0/8", "192.168.0.0/16"),
		AllowedHosts: []string{"a.example", "example.com", "*.example.com"}, TrustForwardedHost: true,
		Skips: []string{"/healthz"}, InsecureBypassPatterns: []string{"/.well-known/acme-challenge/", "GET /status/{$}"},
	})
	reqs := map[string]*http.Request{
		"proxied": httpsTestReq{host: "internal", remote: httpsTrustedPeer, header: map[string]string{
			"Forwarded": `for=192.0.2.1;proto="https"`, "X-Forwarded-Host": "WWW.Example.com:443"}}.build(),
		"tls":        httpsTestReq{host: "[2001:db8::1]", tls: true}.build(),
		"skipped":    httpsTestReq{host: "example.com", target: "/healthz/live"}.build(),
		"bypassed":   httpsTestReq{host: "example.com", target: "/.well-known/acme-challenge/tok"}.build(),
		"bypass {$}": httpsTestReq{host: "example.com", target: "/status/"}.build(),
	}
	reqs["tls"].Host = "Example.COM"
	for name, r := range reqs {
		if d := h.Decide(r); d.Status != 0 {
			t.Fatalf("%s: Decide = %+v, want httpsServe", name, d)
		}
		if n := testing.AllocsPerRun(100, func() { h.Decide(r) }); n != 0 {
			t.Errorf("%s: Decide allocates %v times, want 0", name, n)
		}
	}
}

func BenchmarkHTTPSDecide(b *testing.B) {
	h := mustHTTPS(b, httpsBase)
	for _, bc := range []struct {
		name string
		req  httpsTestReq
	}{
		{"case=tls", httpsTestReq{host: "www.example.com", tls: true}},
		{"case=proxied", httpsTestReq{host: "www.example.com", remote: httpsTrustedPeer, header: map[string]string{"X-Forwarded-Proto": "https"}}},
		{"case=redirect", httpsTestReq{host: "www.example.com", target: "/a/b?c=d"}},
	} {
		r := bc.req.build()
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.Decide(r)
			}
		})
		if _, _, ok := h.Pass(r); ok {
			b.Run(bc.name+"/pass", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					h.Pass(r)
				}
			})
		}
	}
}

// FuzzRedirectTarget checks that, whatever the request, a redirect goes to
// https:// on an allowed host (or the Host option), with a Location that
// parses and carries no control bytes, and that Decide never changes r.
func FuzzRedirectTarget(f *testing.F) {
	f.Add("example.com", "/", "", "", "", "GET", true, uint8(0))
	f.Add("EXAMPLE.com.:80", "//evil.example", "", "", "", "POST", false, uint8(1))
	f.Add("example.com@evil.example", "/\\evil.example", "", "", "", "GET", false, uint8(2))
	f.Add("www.example.com", "/%0d%0aSet-Cookie:x", "evil.example", "https", "proto=https", "PUT", true, uint8(3))
	f.Add("[::1]:8080", "http://evil.example/x", "www.example.com:443", "http", `for=x;proto="https"`, "HEAD", true, uint8(0))
	f.Add("", "/a\r\nb", "", "", "", "GET", false, uint8(2))
	f.Add("0x7f.1", "*", "a.example.com, b", "", "", "DELETE", true, uint8(1))
	f.Add("xn--bcher-kva.example.com", "/café?q=ü", "", "", "", "GET", false, uint8(3))
	f.Add("example.com", "/x/%2e%2e/%2e%2e/admin", "", "", "", "GET", false, uint8(3))
	f.Add("example.com", "/u/1", "", "", "", "HEAD", false, uint8(3))
	f.Add("example.com:6666", `/a"<svg/onload=alert(1)>{|}^%zz`, "", "", "", "GET", false, uint8(3))
	f.Add("example.com", "/", "", "", "", "CONNECT", false, uint8(0))

	configs := []*Gate{
		mustHTTPS(f, Config{Redirect: true, ProxyHeader: "X-Forwarded-Proto", Trust: trust("10.0.0.0/8"), TrustForwardedHost: true}),
		mustHTTPS(f, Config{Redirect: true, ProxyHeader: "Forwarded", Trust: trust("10.0.0.0/8"), TrustForwardedHost: true,
			AllowedHosts: []string{"example.com", "*.example.com"}, Port: 8443}),
		mustHTTPS(f, Config{Redirect: true, Host: "secure.example.com", Permanent: true}),
		mustHTTPS(f, Config{Redirect: true, AllowedHosts: []string{"example.com", "[::1]"}, Skips: []string{"/api"},
			InsecureBypassPatterns: []string{"/x/", "GET /u/{id}", "example.com/h/"}}),
	}
	f.Fuzz(func(t *testing.T, host, target, xfh, xfp, fwd, method string, trusted bool, cfg uint8) {
		h := configs[int(cfg)%len(configs)]
		r := &http.Request{Method: method, Host: host, RequestURI: target, Header: http.Header{}, RemoteAddr: httpsUntrustedPeer}
		if trusted {
			r.RemoteAddr = httpsTrustedPeer
		}
		if u, err := url.ParseRequestURI(target); err == nil {
			r.URL = u
		} else {
			r.URL = &url.URL{Path: target}
		}
		if xfh != "" {
			r.Header["X-Forwarded-Host"] = []string{xfh}
		}
		if xfp != "" {
			r.Header["X-Forwarded-Proto"] = []string{xfp}
		}
		if fwd != "" {
			r.Header["Forwarded"] = []string{fwd}
		}
		d := httpsDecide(t, h, r)

		redirect := d.Status == 301 || d.Status == 302 || d.Status == 307 || d.Status == 308
		if redirect != (d.Location != "") {
			t.Fatalf("status %d with Location %q", d.Status, d.Location)
		}
		if d.Status != 0 && !redirect && d.Status != 400 && d.Status != 403 && !(d.Status == 405 && method == http.MethodConnect && d.Allow != "") {
			t.Fatalf("unexpected status %d", d.Status)
		}
		if cfg := int(cfg) % len(configs); cfg == 3 && d.Status == 0 && !d.Secure && r.URL != nil {
			// Served over plain HTTP through a bypass: the path must be one
			// ServeMux would route as it is, inside a bypass pattern.
			p, raw := r.URL.Path, strings.ToLower(r.URL.RawPath)
			if !httpsCleanPath(p) || strings.Contains(p, "\\") ||
				strings.Contains(raw, "%2e") || strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") {
				t.Fatalf("unclean path %q (raw %q) served over plain HTTP", p, r.URL.RawPath)
			}
			if !(p == "/api" || strings.HasPrefix(p, "/api/") || strings.HasPrefix(p, "/x/") ||
				strings.HasPrefix(p, "/u/") || strings.HasPrefix(p, "/h/")) {
				t.Fatalf("path %q served over plain HTTP outside every bypass", p)
			}
		}
		if !redirect {
			return
		}
		if d.Secure {
			t.Fatalf("secure request redirected: %+v", d)
		}
		for i := 0; i < len(d.Location); i++ {
			if c := d.Location[i]; c <= ' ' || c >= 0x7F || c == '\\' {
				t.Fatalf("Location %q has byte %q", d.Location, c)
			}
		}
		u, err := url.Parse(d.Location)
		if err != nil {
			t.Fatalf("Location %q does not parse: %v", d.Location, err)
		}
		if u.Scheme != "https" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(d.Location, "https://"+u.Host+"/") {
			t.Fatalf("Location %q is not https://host/…", d.Location)
		}
		// The path and query hold only RFC 3986 characters, '%' only in
		// an escape.
		rest := d.Location[len("https://"+u.Host):]
		for i := 0; i < len(rest); i++ {
			c := rest[i]
			if c == '%' && i+2 < len(rest) && httpsIsHex(rest[i+1]) && httpsIsHex(rest[i+2]) {
				i += 2
				continue
			}
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?", rune(c)) {
				t.Fatalf("Location %q has byte %q outside RFC 3986", d.Location, c)
			}
		}
		// Only a configured port: the client's never survives.
		if wantPort := map[int]string{1: "8443"}[int(cfg)%len(configs)]; u.Port() != wantPort {
			t.Fatalf("Location %q has port %q, want %q", d.Location, u.Port(), wantPort)
		}
		switch cfg := int(cfg) % len(configs); cfg {
		case 2:
			if u.Host != "secure.example.com" {
				t.Fatalf("Location %q leaves the host option", d.Location)
			}
		case 1, 3:
			hh, ok := parseHTTPSHost(u.Host)
			if !ok || !configs[cfg].allowed.allows(hh) {
				t.Fatalf("Location %q goes to a host that is not allowed", d.Location)
			}
			if cfg == 1 && u.Port() != "8443" {
				t.Fatalf("Location %q ignores the port option", d.Location)
			}
		default:
			// Any valid host, but it must be the one the request named.
			want := host
			if trusted && xfh != "" {
				want = httpsFirstValue(xfh)
			}
			got, _ := parseHTTPSHost(u.Host)
			sent, ok := parseHTTPSHost(want)
			if !ok || got.name != strings.ToLower(sent.name) || got.addr != sent.addr {
				t.Fatalf("Location %q does not go to the requested host %q", d.Location, want)
			}
		}
	})
}

// FuzzHTTPSHost checks the host grammar: accepted hosts print back as an
// authority that parses to the same host and holds only safe bytes.
func FuzzHTTPSHost(f *testing.F) {
	for _, s := range []string{"example.com", "EXAMPLE.com.:8080", "[::1]:443", "1.2.3.4", "0x7f.1", "a..b", "a@b", "[fe80::1%25x]", "b\u00fccher.example", "x:", "a_b-c.d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, ok := parseHTTPSHost(s)
		if !ok {
			return
		}
		var b strings.Builder
		h.writeAuthority(&b)
		auth := b.String()
		for i := 0; i < len(auth); i++ {
			if c := auth[i]; !httpsNameByte[c] && !strings.ContainsRune("[]:", rune(c)) && !(c >= 'a' && c <= 'f') {
				t.Fatalf("authority %q of %q has byte %q", auth, s, c)
			}
		}
		h2, ok := parseHTTPSHost(auth)
		if !ok || h2.addr != h.addr || h2.name != strings.ToLower(h.name) {
			t.Fatalf("%q -> %q does not round-trip: %+v vs %+v", s, auth, h, h2)
		}
		u, err := url.Parse("https://" + auth + "/")
		if err != nil || u.Host != auth {
			t.Fatalf("url.Parse disagrees on %q: %v %q", auth, err, u)
		}
	})
}

// FuzzHTTPSForwardedProto checks that only the first element of Forwarded
// counts and that parsing never panics.
func FuzzHTTPSForwardedProto(f *testing.F) {
	for _, s := range []string{"proto=https", `for="x";proto="https"`, "proto=http, proto=https", `proto="h\ttps`, ";;", "a=b;proto=HTTPS"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := httpsForwardedProto(s)
		if got && !strings.Contains(strings.ToLower(strings.ReplaceAll(s, `\`, "")), "https") {
			t.Fatalf("%q says https without the word", s)
		}
		if !strings.Contains(s, `"`) && httpsForwardedProto(s+", proto=http") != got {
			t.Fatalf("a second element changed the answer for %q", s)
		}
	})
}

func Example_decide() {
	h, err := New(Config{
		Redirect:     true,
		AllowedHosts: []string{"example.com", "*.example.com"},
		ProxyHeader:  "X-Forwarded-Proto",
		Trust:        trust("10.0.0.0/8"),
	})
	if err != nil {
		panic(err)
	}
	show := func(r *http.Request) {
		d := h.Decide(r)
		fmt.Printf("%d %q secure=%v\n", d.Status, d.Location, d.Secure)
	}

	r := httptest.NewRequest("GET", "http://www.example.com:80/login?next=%2F", nil)
	show(r)

	r = httptest.NewRequest("POST", "http://example.com/form", nil)
	show(r)

	r = httptest.NewRequest("GET", "http://example.com/", nil)
	r.RemoteAddr = "10.0.0.7:41000" // the load balancer
	r.Header.Set("X-Forwarded-Proto", "https")
	show(r)

	r = httptest.NewRequest("GET", "http://evil.example/", nil)
	show(r)
	// Output:
	// 302 "https://www.example.com/login?next=%2F" secure=false
	// 307 "https://example.com/form" secure=false
	// 0 "" secure=true
	// 400 "" secure=false
}

func Example_errors() {
	_, err := New(Config{
		Redirect:               true,
		AllowedHosts:           []string{".example.com"},
		InsecureBypassPatterns: []string{"/", "/acme"},
		Skips:                  []string{"acme"},
	})
	fmt.Println(err)
	// Output:
	// https.allowedHosts[0]: leading dot in host pattern ".example.com" (write "*.example.com" for its subdomains and "example.com" for the apex)
	// https.insecureBypassPatterns[0]: pattern matching every path "/" (set https.redirect to false)
	// https.skips[0]: no leading slash in path prefix "acme" (did you mean "/acme"?)
}

// trust parses proxy entries that must be valid.
func trust(entries ...string) proxy.Trust {
	t, err := proxy.Parse("trustedProxies", entries)
	if err != nil {
		panic(err)
	}
	return t
}
