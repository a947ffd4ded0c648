package policy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

type validateCase struct {
	name string
	p    policy.Policy
	want []string // nil: valid
}

func runValidate(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := policy.Validate(tt.p)
			if diff := cmp.Diff(tt.want, errorLines(err)); diff != "" {
				t.Errorf("Validate (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateSimpleHeaders(t *testing.T) {
	runValidate(t, []validateCase{
		// X-Frame-Options
		{"xfo DENY", policy.Policy{FrameOptions: "DENY"}, nil},
		{"xfo SAMEORIGIN", policy.Policy{FrameOptions: "SAMEORIGIN"}, nil},
		{"xfo ALLOW-FROM", policy.Policy{FrameOptions: "ALLOW-FROM https://a.example"}, nil},
		{"xfo lower case", policy.Policy{FrameOptions: "sameorigin"},
			[]string{`x-frame-options: invalid value "sameorigin" (use one of "DENY", "SAMEORIGIN")`}},
		{"xfo ALLOW-FROM two origins", policy.Policy{FrameOptions: "ALLOW-FROM https://a.example https://b.example"},
			[]string{`x-frame-options: ALLOW-FROM needs one origin, got "https://a.example https://b.example" (use "DENY" or "SAMEORIGIN", and CSP frame-ancestors to allow an origin)`}},
		{"xfo ALLOW-FROM nothing", policy.Policy{FrameOptions: "ALLOW-FROM "},
			[]string{`x-frame-options: ALLOW-FROM needs one origin, got an empty value (use "DENY" or "SAMEORIGIN", and CSP frame-ancestors to allow an origin)`}},
		{"xfo injection", policy.Policy{FrameOptions: "DENY\r\nSet-Cookie: a=b"},
			[]string{`x-frame-options: invalid value "DENY\r\nSet-Cookie: a=b" (use one of "DENY", "SAMEORIGIN")`}},

		// X-Content-Type-Options
		{"xcto nosniff", policy.Policy{ContentTypeOptions: policy.NoSniff}, nil},
		{"xcto NOSNIFF", policy.Policy{ContentTypeOptions: "NOSNIFF"},
			[]string{`x-content-type-options: invalid value "NOSNIFF" (use one of "nosniff")`}},

		// X-XSS-Protection
		{"xss 0", policy.Policy{XSSProtection: policy.XSSOff}, nil},
		{"xss 1", policy.Policy{XSSProtection: policy.XSSOn}, nil},
		{"xss block", policy.Policy{XSSProtection: policy.XSSBlock}, nil},
		{"xss report", policy.Policy{XSSProtection: "1; report=/xss-report"}, nil},
		{"xss 0 with mode", policy.Policy{XSSProtection: "0; mode=block"},
			[]string{`x-xss-protection: invalid value "0; mode=block" (use one of "0", "1", "1; mode=block")`}},
		{"xss report with space", policy.Policy{XSSProtection: "1; report=/a b"},
			[]string{`x-xss-protection: report= needs one URI, got "/a b" (use "0")`}},
		{"xss 2", policy.Policy{XSSProtection: "2"},
			[]string{`x-xss-protection: invalid value "2" (use one of "0", "1", "1; mode=block")`}},

		// X-Download-Options
		{"xdo noopen", policy.Policy{DownloadOptions: policy.NoOpen}, nil},
		{"xdo open", policy.Policy{DownloadOptions: "open"},
			[]string{`x-download-options: invalid value "open" (use one of "noopen")`}},

		// X-Permitted-Cross-Domain-Policies
		{"xpcdp none", policy.Policy{CrossDomainPolicies: "none"}, nil},
		{"xpcdp master-only", policy.Policy{CrossDomainPolicies: "master-only"}, nil},
		{"xpcdp by-content-type", policy.Policy{CrossDomainPolicies: "by-content-type"}, nil},
		{"xpcdp by-ftp-filename", policy.Policy{CrossDomainPolicies: "by-ftp-filename"}, nil},
		{"xpcdp all", policy.Policy{CrossDomainPolicies: "all"}, nil},
		{"xpcdp none-this-response", policy.Policy{CrossDomainPolicies: "none-this-response"}, nil},
		{"xpcdp All", policy.Policy{CrossDomainPolicies: "All"},
			[]string{`x-permitted-cross-domain-policies: invalid value "All" (use one of "none", "master-only", "by-content-type", "by-ftp-filename", "all", "none-this-response")`}},

		// Cross-Origin-Opener-Policy
		{"coop same-origin", policy.Policy{OpenerPolicy: "same-origin"}, nil},
		{"coop allow-popups", policy.Policy{OpenerPolicy: "same-origin-allow-popups"}, nil},
		{"coop noopener-allow-popups", policy.Policy{OpenerPolicy: "noopener-allow-popups"}, nil},
		{"coop unsafe-none", policy.Policy{OpenerPolicy: "unsafe-none"}, nil},
		{"coop same-site", policy.Policy{OpenerPolicy: "same-site"},
			[]string{`cross-origin-opener-policy: invalid value "same-site" (use one of "unsafe-none", "same-origin-allow-popups", "same-origin", "noopener-allow-popups")`}},

		// Cross-Origin-Embedder-Policy
		{"coep require-corp", policy.Policy{EmbedderPolicy: "require-corp"}, nil},
		{"coep credentialless", policy.Policy{EmbedderPolicy: "credentialless"}, nil},
		{"coep unsafe-none", policy.Policy{EmbedderPolicy: "unsafe-none"}, nil},
		{"coep same-origin", policy.Policy{EmbedderPolicy: "same-origin"},
			[]string{`cross-origin-embedder-policy: invalid value "same-origin" (use one of "unsafe-none", "require-corp", "credentialless")`}},

		// Cross-Origin-Resource-Policy
		{"corp same-site", policy.Policy{ResourcePolicy: "same-site"}, nil},
		{"corp same-origin", policy.Policy{ResourcePolicy: "same-origin"}, nil},
		{"corp cross-origin", policy.Policy{ResourcePolicy: "cross-origin"}, nil},
		{"corp require-corp", policy.Policy{ResourcePolicy: "require-corp"},
			[]string{`cross-origin-resource-policy: invalid value "require-corp" (use one of "same-site", "same-origin", "cross-origin")`}},

		// Origin-Agent-Cluster
		{"oac ?1", policy.Policy{OriginAgentCluster: "?1"}, nil},
		{"oac ?0", policy.Policy{OriginAgentCluster: "?0"}, nil},
		{"oac true", policy.Policy{OriginAgentCluster: "true"},
			[]string{`origin-agent-cluster: invalid value "true" (use one of "?1", "?0")`}},

		// X-DNS-Prefetch-Control
		{"dns on", policy.Policy{DNSPrefetchControl: "on"}, nil},
		{"dns off", policy.Policy{DNSPrefetchControl: "off"}, nil},
		{"dns Off", policy.Policy{DNSPrefetchControl: "Off"},
			[]string{`x-dns-prefetch-control: invalid value "Off" (use one of "on", "off")`}},

		// Cache-Control
		{"cache no-store", policy.Policy{CacheControl: "no-store"}, nil},
		{"cache list", policy.Policy{CacheControl: "private, max-age=0, no-cache=\"Set-Cookie\""}, nil},
		{"cache bad token", policy.Policy{CacheControl: "no store"},
			[]string{`cache-control: invalid Cache-Control directive "no store" (write directives such as "no-store" or "private, max-age=0")`}},
		{"cache trailing comma", policy.Policy{CacheControl: "no-store,"},
			[]string{`cache-control: empty Cache-Control directive (write directives such as "no-store" or "private, max-age=0")`}},
		{"cache injection", policy.Policy{CacheControl: "no-store\nX: y"},
			[]string{`cache-control: byte '\n' at offset 8 is not allowed in "no-store\nX: y" (write directives such as "no-store" or "private, max-age=0")`}},
	})
}

func TestValidateListHeaders(t *testing.T) {
	runValidate(t, []validateCase{
		// Referrer-Policy
		{"referrer one", policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer"}}, nil},
		{"referrer fallback", policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer", "strict-origin-when-cross-origin"}}, nil},
		{"referrer bad items", policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"origin", "never", "No-Referrer"}},
			[]string{
				`referrer-policy[1]: invalid value "never" (use one of "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url")`,
				`referrer-policy[2]: invalid value "No-Referrer" (use one of "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url")`}},

		// Clear-Site-Data
		{"clear all types", policy.Policy{ClearSiteData: policy.ClearSiteData{"cache", "cookies", "storage", "executionContexts", "clientHints", "prefetchCache", "prerenderCache"}}, nil},
		{"clear star", policy.Policy{ClearSiteData: policy.ClearSiteData{"*"}}, nil},
		{"clear quoted", policy.Policy{ClearSiteData: policy.ClearSiteData{`"cache"`}},
			[]string{`clear-site-data[0]: invalid value "\"cache\"" (use one of "cache", "cookies", "storage", "executionContexts", "clientHints", "prefetchCache", "prerenderCache", "*")`}},

		// Permissions-Policy
		{"permissions", policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{
			"camera": {}, "geolocation": {"self", "https://maps.example:8443"}, "fullscreen": {"*"}, "autoplay": {"src"}}}, nil},
		{"permissions bad", policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{
			"Camera": {}, "geolocation": {"'self'", "https://a.example/path", "a b", `"x"`}}},
			[]string{
				`permissions-policy.Camera: not a feature name (use a lower-case name such as "camera" or "geolocation")`,
				`permissions-policy.geolocation[0]: allowlist entry is not an origin: "'self'" (write an origin like "https://a.example" (scheme, host, optional port, no path))`,
				`permissions-policy.geolocation[1]: allowlist entry is not an origin: "https://a.example/path" (write an origin like "https://a.example" (scheme, host, optional port, no path))`,
				`permissions-policy.geolocation[2]: invalid allowlist entry "a b" (use "self", "src", "*" or an origin like "https://a.example")`,
				`permissions-policy.geolocation[3]: invalid allowlist entry "\"x\"" (use "self", "src", "*" or an origin like "https://a.example")`}},
		// Found by FuzzFromHeader: "*" with other entries renders as "*"
		// alone, so such a policy could not round-trip.
		{"permissions star with others", policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"fullscreen": {"*", "self"}}},
			[]string{`permissions-policy.fullscreen: "*" allows every origin, so the other entries do nothing (write ["*"] alone, or list the origins without "*")`}},

		// Reporting-Endpoints
		{"endpoints", policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/csp-report", "default": "https://r.example/reports"}}, nil},
		{"endpoints bad", policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{
			"CSP": "/r", "http": "http://r.example/", "proto": "//r.example/", "quote": `/a"b`}},
			[]string{
				`reporting-endpoints.CSP: not an endpoint name (use a lower-case name such as "csp-endpoint")`,
				`reporting-endpoints.http: neither an https URL nor a path: "http://r.example/" (browsers deliver reports only to secure endpoints: use https:// or a path on this origin)`,
				`reporting-endpoints.proto: neither an https URL nor a path: "//r.example/" (browsers deliver reports only to secure endpoints: use https:// or a path on this origin)`,
				`reporting-endpoints.quote: invalid URL "/a\"b" (write "https://example.com/reports" or "/reports")`}},
	})
}

// TestValidateLeafHeaders checks that the leaf packages' errors come out
// under the header's key. Their wording belongs to csp, hsts and hpkp and is
// tested there; only the paths are asserted here, except for the CSP case,
// which checks that the offending value survives the conversion to
// *policy.Error.
func TestValidateLeafHeaders(t *testing.T) {
	tests := []struct {
		name  string
		p     policy.Policy
		paths []string
	}{
		{"csp ok", policy.Policy{CSP: cspOf("default-src 'self'; script-src 'self' 'nonce-{nonce}'")}, nil},
		{"csp-report-only unknown directive", policy.Policy{CSPReportOnly: csp.Policy{"script-scr": {csp.Self}}}, []string{"csp-report-only.script-scr"}},
		{"hsts ok", policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear}}, nil},
		{"hsts negative", policy.Policy{HSTS: &hsts.Policy{MaxAge: -time.Second}}, []string{"hsts.max-age"}},
		{"hsts preload", policy.Policy{HSTS: &hsts.Policy{MaxAge: time.Hour, Preload: true}}, []string{"hsts.max-age", "hsts.includeSubDomains"}},
		{"hpkp one pin", policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA)}, MaxAge: time.Hour}}, []string{"hpkp.pins"}},
		{"hpkp README pins", policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin("1234"), sha256Pin("ABCD")}}},
			[]string{"hpkp.pins[0].sha256", "hpkp.pins[1].sha256"}},
		{"hpkp two pins", policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: time.Hour}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for e := range policy.AllErrors(policy.Validate(tt.p)) {
				paths = append(paths, e.Path)
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("error paths (-want +got):\n%s", diff)
			}
		})
	}
	err := policy.Validate(policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.Self, {Kind: csp.Keyword, Value: "unsafe-inlin"}}}})
	want := []string{`csp.script-src[1]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("CSP error (-want +got):\n%s", diff)
	}
}

// TestValidateReportTo checks the cross-check between CSP report-to and
// Reporting-Endpoints, for the enforced and the report-only CSP.
func TestValidateReportTo(t *testing.T) {
	runValidate(t, []validateCase{
		{"matching endpoint", policy.Policy{
			CSP:                cspOf("default-src 'self'; report-to csp"),
			ReportingEndpoints: policy.ReportingEndpoints{"csp": "/csp-report"},
		}, nil},
		{"report-only matching endpoint", policy.Policy{
			CSPReportOnly:      cspOf("default-src 'self'; report-to csp"),
			ReportingEndpoints: policy.ReportingEndpoints{"csp": "https://r.example/csp"},
		}, nil},
		{"no Reporting-Endpoints", policy.Policy{CSP: cspOf("default-src 'self'; report-to csp")},
			[]string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`}},
		{"other name", policy.Policy{
			CSPReportOnly:      cspOf("default-src 'self'; report-to csp-ro"),
			ReportingEndpoints: policy.ReportingEndpoints{"csp": "/csp-report"},
		},
			[]string{`csp-report-only.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp-ro" (add ReportingEndpoints{"csp-ro": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp-ro": "/csp-report"})`}},
		{"report-uri needs no endpoint", policy.Policy{CSP: cspOf("default-src 'self'; report-uri /csp_report")}, nil},
	})
}

// TestValidateAll checks that every problem is reported at once, in
// canonical header order, and that each is an *Error reachable with
// errors.As.
func TestValidateAll(t *testing.T) {
	p := policy.Policy{
		CSP:           cspOf("default-src 'self'; report-to nowhere"),
		FrameOptions:  "deny",
		XSSProtection: "1; mode=blok",
		CacheControl:  "no store",
	}
	err := policy.Validate(p)
	want := []string{
		`x-frame-options: invalid value "deny" (use one of "DENY", "SAMEORIGIN")`,
		`x-xss-protection: invalid value "1; mode=blok" (use one of "0", "1", "1; mode=block")`,
		`cache-control: invalid Cache-Control directive "no store" (write directives such as "no-store" or "private, max-age=0")`,
		`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "nowhere" (add ReportingEndpoints{"nowhere": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"nowhere": "/csp-report"})`,
	}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
	var e *policy.Error
	if !errors.As(err, &e) || e.Path != "x-frame-options" {
		t.Errorf("errors.As(err, *policy.Error) = %v, want the x-frame-options error", e)
	}
	if policy.Validate(policy.Policy{}) != nil {
		t.Error("the zero Policy is invalid")
	}
}

// TestValidateLeafErrorOneType checks that a leaf package's error is a
// *policy.Error with a path relative to the leaf, and that Validate returns
// it with the header prefixed.
func TestValidateLeafErrorOneType(t *testing.T) {
	h := &hsts.Policy{MaxAge: -time.Second}
	var leaf *policy.Error
	if err := h.Validate(); !errors.As(err, &leaf) || leaf.Path != "max-age" || leaf.Value != "-1s" {
		t.Errorf("errors.As(hsts Validate, *policy.Error) = %+v, want Path max-age, Value -1s", leaf)
	}
	var e *policy.Error
	if err := policy.Validate(policy.Policy{HSTS: h}); !errors.As(err, &e) || e.Path != "hsts.max-age" {
		t.Errorf("errors.As(Validate, *policy.Error) = %+v, want Path hsts.max-age", e)
	}
}

func TestPresetsValid(t *testing.T) {
	for _, name := range []string{"", policy.PresetRecommended, policy.PresetStrict, policy.PresetFlask, "flask", "Flask_Secure_Headers", policy.PresetNone} {
		p, err := policy.ByName(name)
		if err != nil {
			t.Errorf("ByName(%q): %v", name, err)
			continue
		}
		if err := policy.Validate(p); err != nil {
			t.Errorf("preset %q is invalid: %v", name, err)
		}
	}
	_, err := policy.ByName("strickt")
	want := []string{`preset: unknown preset "strickt" (use "recommended", "strict", "flask-secure-headers" or "none")`}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("ByName(strickt) (-want +got):\n%s", diff)
	}
}
