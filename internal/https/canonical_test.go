package https

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func canonicalTo(status int, loc string) Decision {
	return Decision{Secure: true, Status: status, Location: loc, Reason: httpsReasonCanonical}
}

// TestCanonicalHost checks the canonical-host redirect of secure requests,
// and that plain-HTTP redirects go to the canonical host in one hop.
func TestCanonicalHost(t *testing.T) {
	base := Config{Redirect: true, AllowedHosts: []string{"example.com", "*.example.com", "10.0.0.0/8"}, CanonicalHost: "www.example.com",
		RouteHostBypass: []string{"GET /healthz"}}
	permanent := base
	permanent.Permanent = true
	pass, refuse, dev, port := base, base, base, base
	pass.NonIdempotent, refuse.NonIdempotent, dev.Development, port.Port = MethodPass, MethodRefuse, true, 8443
	tests := []struct {
		name string
		opts Config
		req  httpsTestReq
		want Decision
	}{
		{"canonical host served", base, httpsTestReq{tls: true, host: "www.example.com"}, httpsServeTLS},
		{"canonical host any case and port", base, httpsTestReq{tls: true, host: "WWW.Example.COM:8443"}, httpsServeTLS},
		{"apex GET", base, httpsTestReq{tls: true, host: "example.com", target: "/a?b=1"}, canonicalTo(302, "https://www.example.com/a?b=1")},
		{"apex HEAD permanent", permanent, httpsTestReq{tls: true, method: "HEAD", host: "example.com"}, canonicalTo(301, "https://www.example.com/")},
		{"subdomain POST", base, httpsTestReq{tls: true, method: "POST", host: "api.example.com", target: "/f"}, canonicalTo(307, "https://www.example.com/f")},
		{"POST permanent", permanent, httpsTestReq{tls: true, method: "POST", host: "example.com"}, canonicalTo(308, "https://www.example.com/")},
		{"POST pass", pass, httpsTestReq{tls: true, method: "POST", host: "example.com"}, httpsServeTLS},
		{"POST refuse", refuse, httpsTestReq{tls: true, method: "POST", host: "example.com"}, Decision{Secure: true, Status: 403, Reason: httpsReasonNotCanonical}},
		{"request port never kept", base, httpsTestReq{tls: true, host: "example.com:4444"}, canonicalTo(302, "https://www.example.com/")},
		{"Port option kept", port, httpsTestReq{tls: true, host: "example.com"}, canonicalTo(302, "https://www.example.com:8443/")},
		{"CONNECT served", base, httpsTestReq{tls: true, method: "CONNECT", host: "example.com", target: "example.com:443"}, httpsServeTLS},
		{"IP host redirected, without HSTS", base, httpsTestReq{tls: true, host: "10.0.0.5"},
			Decision{Secure: true, Status: 302, Location: "https://www.example.com/", Reason: httpsReasonCanonical, NoHSTS: true}},
		{"host check route not redirected", base, httpsTestReq{tls: true, host: "10.0.0.5", target: "/healthz"}, Decision{Secure: true, NoHSTS: true}},
		{"host check route allowed host not redirected", base, httpsTestReq{tls: true, host: "example.com", target: "/healthz"}, httpsServeTLS},
		{"development", dev, httpsTestReq{tls: true, host: "example.com"}, httpsServeTLS},
		{"no Host", base, httpsTestReq{tls: true, hostSet: true}, httpsServeTLS},
		{"disallowed host still refused", base, httpsTestReq{tls: true, host: "evil.test"}, Decision{Secure: true, Status: 400, Reason: httpsReasonHostDenied}},
		{"plain HTTP goes to the canonical host", base, httpsTestReq{host: "example.com", target: "/x"}, httpsRedirectTo(302, "https://www.example.com/x")},
		{"bad target refused", base, httpsTestReq{tls: true, host: "example.com", target: "*", method: "OPTIONS"}, Decision{Secure: true, Status: 400, Reason: httpsReasonBadTarget}},
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

// TestCanonicalHostErrors checks that a canonical host that cannot work is
// refused at construction.
func TestCanonicalHostErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Config
		want string
	}{
		{"outside allowedHosts", Config{AllowedHosts: []string{"example.com"}, CanonicalHost: "WWW.example.com"},
			`https.canonicalHost: is not in https.allowedHosts, so its own requests would be refused "WWW.example.com" (add "www.example.com" to https.allowedHosts)`},
		{"with host", Config{Host: "a.example", CanonicalHost: "b.example"},
			`https.canonicalHost: is set together with https.host "b.example" (remove https.host: plain-HTTP redirects go to the canonical host too)`},
		{"URL", Config{CanonicalHost: "https://www.example.com"},
			`https.canonicalHost: not a bare host "https://www.example.com" (write only the host, e.g. "secure.example.com")`},
		{"port twice", Config{CanonicalHost: "www.example.com:8443", Port: 8443},
			`https.canonicalHost: port given here and in https.port too, in "www.example.com:8443" (give the port in one place only)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := New(tt.opts)
			if err == nil || h != nil {
				t.Fatalf("New = %v, %v; want an error", h, err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
	// The fix of the first case works.
	mustHTTPS(t, Config{AllowedHosts: []string{"example.com", "www.example.com"}, CanonicalHost: "WWW.example.com"})
	// Without allowedHosts every host is allowed, the canonical one too.
	mustHTTPS(t, Config{CanonicalHost: "www.example.com"})
}
