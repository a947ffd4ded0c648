package https

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRouteHostBypass checks the per-route opt-out of the allowedHosts
// check: only on the route's clean paths, only for syntactically valid
// Hosts, and never a redirect to the unchecked host.
func TestRouteHostBypass(t *testing.T) {
	base := Config{Redirect: true, AllowedHosts: []string{"example.com"}, RouteHostBypass: []string{"GET /healthz", "/lb/"},
		RouteBypass: []string{"GET /healthz"}}
	fixed := base
	fixed.Host = "example.com"
	// A route with a host: the check is skipped for that host only, and
	// behind a proxy trusted for X-Forwarded-Host, the host the check
	// reads is that header's, so the route's host is matched against it.
	proxied := Config{AllowedHosts: []string{"example.com"}, RouteHostBypass: []string{"lb.internal/healthz"},
		Trust: trust("10.0.0.0/8"), TrustForwardedHost: true}
	fromProxy := func(host, xfh string) httpsTestReq {
		return httpsTestReq{host: host, target: "/healthz", remote: "10.0.0.1:5555", header: map[string]string{"X-Forwarded-Host": xfh}}
	}
	tests := []struct {
		name string
		opts Config
		req  httpsTestReq
		want Decision
	}{
		{"health check over HTTP, IP Host", base, httpsTestReq{host: "10.0.0.5:8080", target: "/healthz"}, httpsServe},
		{"health check over HTTPS, IP Host: no HSTS", base, httpsTestReq{tls: true, host: "10.0.0.5", target: "/healthz"}, Decision{Secure: true, NoHSTS: true}},
		{"health check, internal name", base, httpsTestReq{host: "app-7.internal", target: "/healthz"}, httpsServe},
		{"health check, POST is not the pattern", base, httpsTestReq{method: "POST", host: "10.0.0.5", target: "/healthz"}, httpsDeniedHost},
		{"other path still checked", base, httpsTestReq{host: "10.0.0.5", target: "/admin"}, httpsDeniedHost},
		{"unclean path does not borrow it", base, httpsTestReq{host: "10.0.0.5", target: "/lb/../admin"}, httpsDeniedHost},
		{"escaped dot does not borrow it", base, httpsTestReq{host: "10.0.0.5", target: "/lb/%2e%2e/admin"}, httpsDeniedHost},
		{"double slash does not borrow it", base, httpsTestReq{host: "10.0.0.5", target: "//healthz"}, httpsDeniedHost},
		{"dot segment does not borrow it", base, httpsTestReq{host: "10.0.0.5", target: "/lb/./x"}, httpsDeniedHost},
		{"case is not the pattern", base, httpsTestReq{host: "10.0.0.5", target: "/HEALTHZ"}, httpsDeniedHost},
		{"trailing slash is not the pattern", base, httpsTestReq{host: "10.0.0.5", target: "/healthz/"}, httpsDeniedHost},
		{"host route: its host in another case", proxied, httpsTestReq{host: "LB.internal", target: "/lb/x"}, httpsDeniedHost},
		{"malformed Host still refused", base, httpsTestReq{host: "a@b", target: "/healthz"}, httpsBadHost},
		{"redirect due to an unchecked host refused", base, httpsTestReq{host: "evil.test", target: "/lb/x"}, Decision{Status: 400, Reason: httpsReasonUncheckedRedirect}},
		{"redirect to the fixed Host", fixed, httpsTestReq{host: "evil.test", target: "/lb/x"}, httpsRedirectTo(302, "https://example.com/lb/x")},
		{"host route: its host", proxied, httpsTestReq{host: "lb.internal", target: "/healthz"}, httpsServe},
		{"host route: another host", proxied, httpsTestReq{host: "evil.test", target: "/healthz"}, httpsDeniedHost},
		{"host route: the forwarded host is its host", proxied, fromProxy("app:8080", "lb.internal"), httpsServe},
		{"host route: a forwarded host is checked, not the proxy's Host", proxied, fromProxy("lb.internal", "evil.test"), httpsDeniedHost},
		{"allowed host redirected as usual", base, httpsTestReq{host: "example.com", target: "/lb/x"}, httpsRedirectTo(302, "https://example.com/lb/x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := httpsDecide(t, mustHTTPS(t, tt.opts), tt.req.build())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRouteHostBypassErrors(t *testing.T) {
	_, err := New(Config{AllowedHosts: []string{"example.com"}, RouteHostBypass: []string{"/", "/{a}/"}})
	want := `routes./: pattern matching every path, with "hostCheck": false "/" (give the route of the health check its own path, such as "GET /healthz", or leave https.allowedHosts empty)` + "\n" +
		`routes./{a}/: pattern with wildcard segments only, matching nearly every path, with "hostCheck": false "/{a}/" (give the route of the health check its own path, such as "GET /healthz", or leave https.allowedHosts empty)`
	if err == nil {
		t.Fatal("New: no error")
	}
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
}
