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
		{"malformed Host still refused", base, httpsTestReq{host: "a@b", target: "/healthz"}, httpsBadHost},
		{"redirect due to an unchecked host refused", base, httpsTestReq{host: "evil.test", target: "/lb/x"}, Decision{Status: 400, Reason: httpsReasonUncheckedRedirect}},
		{"redirect to the fixed Host", fixed, httpsTestReq{host: "evil.test", target: "/lb/x"}, httpsRedirectTo(302, "https://example.com/lb/x")},
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
