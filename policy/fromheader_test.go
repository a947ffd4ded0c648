package policy_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// everything sends every header the package models.
func everything() policy.Policy {
	return policy.Policy{
		CSP:                csp.MustParse("default-src 'self'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic'; report-to csp"),
		CSPReportOnly:      csp.MustParse("default-src 'none'; report-uri /csp-report"),
		ReportingEndpoints: policy.ReportingEndpoints{"csp": "/csp-report", "default": "https://r.example/reports"},
		HSTS:               &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true},
		HPKP: &hpkp.Policy{Pins: []hpkp.Pin{
			{Alg: "sha256", Hash: "d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="},
			{Alg: "sha256", Hash: "E9CZ9INDbd+2eRQozYqqbQ2yXLVKB9+xcprMF+44U1g="},
		}, MaxAge: 5184000 * time.Second, ReportOnly: true},
		FrameOptions:        policy.FrameDeny,
		ContentTypeOptions:  policy.NoSniff,
		ReferrerPolicy:      policy.ReferrerPolicy{"no-referrer", "strict-origin-when-cross-origin"},
		PermissionsPolicy:   policy.PermissionsPolicy{"camera": {}, "fullscreen": {"*"}, "geolocation": {"self", "https://maps.example"}},
		OpenerPolicy:        "same-origin",
		EmbedderPolicy:      "require-corp",
		ResourcePolicy:      "same-site",
		OriginAgentCluster:  "?1",
		XSSProtection:       "1; report=https://r.example/xss",
		DNSPrefetchControl:  "off",
		DownloadOptions:     policy.NoOpen,
		CrossDomainPolicies: "none",
		ClearSiteData:       policy.ClearSiteData{"cache", "cookies"},
		CacheControl:        "no-store, max-age=0",
	}
}

// header builds the http.Header that p's Fields describe.
func header(p policy.Policy) http.Header {
	h := http.Header{}
	for _, f := range p.Fields() {
		h.Add(f.Name, f.Value)
	}
	return h
}

func TestFromHeaderRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    policy.Policy
	}{
		{"recommended", policy.Recommended()},
		{"strict", policy.Strict()},
		{"flask-secure-headers", policy.FlaskSecureHeaders()},
		{"none", policy.None()},
		{"everything", everything()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := policy.FromHeader(header(tc.p))
			if len(errs) > 0 {
				t.Fatalf("FromHeader errors: %v", errs)
			}
			if diff := cmp.Diff(tc.p, got); diff != "" {
				t.Errorf("FromHeader(Fields(p)) mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromHeaderLenient(t *testing.T) {
	for _, tc := range []struct {
		name      string
		header    http.Header
		want      policy.Policy
		wantPaths []string // paths of the errors, in order
	}{
		{
			name:   "case-insensitive values and names",
			header: http.Header{"x-frame-options": {"sameorigin"}, "X-Content-Type-Options": {"NoSniff"}, "X-Xss-Protection": {"1;MODE=Block"}},
			want:   policy.Policy{FrameOptions: policy.FrameSameOrigin, ContentTypeOptions: policy.NoSniff, XSSProtection: policy.XSSBlock},
		},
		{
			name:      "bad CSP source dropped, the rest kept",
			header:    http.Header{"Content-Security-Policy": {"default-src 'self'; script-src 'self' 'unsafe-inlin' https://cdn.example"}},
			want:      policy.Policy{CSP: csp.Policy{csp.DefaultSrc: {csp.Self}, csp.ScriptSrc: {csp.Self, {Kind: csp.Host, Value: "https://cdn.example"}}}},
			wantPaths: []string{"csp.script-src[1]"},
		},
		{
			name:      "unknown directive dropped",
			header:    http.Header{"Content-Security-Policy": {"default-src 'self'; scirpt-src 'self'"}},
			want:      policy.Policy{CSP: csp.Policy{csp.DefaultSrc: {csp.Self}}},
			wantPaths: []string{"csp.scirpt-src"},
		},
		{
			name:      "repeated directive: first wins",
			header:    http.Header{"Content-Security-Policy": {"script-src 'self'; script-src *"}},
			want:      policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.Self}}},
			wantPaths: []string{"csp.script-src"},
		},
		{
			name:      "two CSPs: first read",
			header:    http.Header{"Content-Security-Policy": {"default-src 'self', img-src *", "object-src 'none'"}},
			want:      policy.Policy{CSP: csp.Policy{csp.DefaultSrc: {csp.Self}}},
			wantPaths: []string{"csp"},
		},
		{
			name:      "every source bad: nothing allowed",
			header:    http.Header{"Content-Security-Policy": {"script-src 'bogus'"}},
			want:      policy.Policy{CSP: csp.Policy{csp.ScriptSrc: {csp.None}}},
			wantPaths: []string{"csp.script-src[0]"},
		},
		{
			name:      "HSTS: first of two",
			header:    http.Header{"Strict-Transport-Security": {"max-age=60", "max-age=31536000"}},
			want:      policy.Policy{HSTS: &hsts.Policy{MaxAge: time.Minute}},
			wantPaths: []string{"hsts"},
		},
		{
			name:      "HSTS unparseable",
			header:    http.Header{"Strict-Transport-Security": {"max-age=-1"}},
			wantPaths: []string{"hsts.max-age"},
		},
		{
			name:      "X-Frame-Options conflict",
			header:    http.Header{"X-Frame-Options": {"DENY", "SAMEORIGIN"}},
			wantPaths: []string{"x-frame-options"},
		},
		{
			name:   "X-Frame-Options repeated, same value",
			header: http.Header{"X-Frame-Options": {"DENY, deny"}},
			want:   policy.Policy{FrameOptions: policy.FrameDeny},
		},
		{
			name:   "X-Frame-Options ALLOW-FROM",
			header: http.Header{"X-Frame-Options": {"allow-from https://a.example"}},
			want:   policy.Policy{FrameOptions: "ALLOW-FROM https://a.example"},
		},
		{
			name:      "unknown referrer token skipped",
			header:    http.Header{"Referrer-Policy": {"no-referrer, bogus", "Strict-Origin"}},
			want:      policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer", "strict-origin"}},
			wantPaths: []string{"referrer-policy[1]"},
		},
		{
			name:      "permissions: bad member dropped, parameters ignored",
			header:    http.Header{"Permissions-Policy": {`camera=(), geolocation=(self "https://a.example");report-to=x, usb=(, Bad=()`}},
			want:      policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}, "geolocation": {"self", "https://a.example"}}},
			wantPaths: []string{"permissions-policy.usb", "permissions-policy.Bad"},
		},
		{
			name:   "COOP with parameters, OAC",
			header: http.Header{"Cross-Origin-Opener-Policy": {`same-origin; report-to="coop"`}, "Origin-Agent-Cluster": {"?1"}},
			want:   policy.Policy{OpenerPolicy: "same-origin", OriginAgentCluster: "?1"},
		},
		{
			name:      "bad simple values",
			header:    http.Header{"X-Content-Type-Options": {"sniff"}, "Cross-Origin-Embedder-Policy": {"require-everything"}, "X-Xss-Protection": {"2"}},
			wantPaths: []string{"x-content-type-options", "cross-origin-embedder-policy", "x-xss-protection"},
		},
		{
			name:      "clear-site-data needs quotes",
			header:    http.Header{"Clear-Site-Data": {`"cache", cookies`}},
			want:      policy.Policy{ClearSiteData: policy.ClearSiteData{"cache"}},
			wantPaths: []string{"clear-site-data[1]"},
		},
		{
			name:      "reporting endpoints: bad member",
			header:    http.Header{"Reporting-Endpoints": {`csp="/r", bad=/r`}},
			want:      policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/r"}},
			wantPaths: []string{"reporting-endpoints.bad"},
		},
		{
			// Parsed as sent; Validate (and so Lint) reports the missing backup pin.
			name:   "HPKP with one pin is kept",
			header: http.Header{"Public-Key-Pins-Report-Only": {`pin-sha256="d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="; max-age=10`}},
			want: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{{Alg: "sha256", Hash: "d6qzRu9zOECb90Uez27xWltNsj0e1Md7GkYYkVoZWmM="}},
				MaxAge: 10 * time.Second, ReportOnly: true}},
		},
		{
			name:   "unmodelled headers ignored",
			header: http.Header{"Server": {"nginx"}, "Content-Type": {"text/html"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := policy.FromHeader(tc.header)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("policy mismatch (-want +got):\n%s", diff)
			}
			var paths []string
			for _, err := range errs {
				e, ok := err.(*policy.Error)
				if !ok {
					t.Fatalf("error %v is a %T, want *policy.Error", err, err)
				}
				paths = append(paths, e.Path)
			}
			if diff := cmp.Diff(tc.wantPaths, paths); diff != "" {
				t.Errorf("error paths mismatch (-want +got):\n%s\nerrors: %v", diff, errs)
			}
		})
	}
}

func FuzzFromHeader(f *testing.F) {
	for _, p := range []policy.Policy{policy.Recommended(), policy.Strict(), policy.FlaskSecureHeaders(), everything()} {
		for _, fl := range p.Fields() {
			f.Add(fl.Name, fl.Value)
		}
	}
	f.Add("Content-Security-Policy", "script-src 'self' 'nonce-abc' x;;; ,img-src *")
	f.Add("Permissions-Policy", `a=("x" self), b=*, c=(`)
	f.Add("X-Frame-Options", "ALLOW-FROM \"x\"")
	f.Fuzz(func(t *testing.T, name, value string) {
		p, _ := policy.FromHeader(http.Header{name: {value}})
		if err := policy.Validate(p); err != nil {
			// Readable but invalid as a whole (e.g. report-to without an
			// endpoint): Lint reports it; nothing more to check.
			return
		}
		fields := p.Fields()
		for _, fl := range fields {
			if strings.ContainsAny(fl.Value, "\r\n\x00") {
				t.Fatalf("%s value %q holds a control byte", fl.Name, fl.Value)
			}
		}
		// A valid policy read from a header reads back the same.
		again, errs := policy.FromHeader(header(p))
		if len(errs) > 0 {
			t.Fatalf("re-reading %v: %v", header(p), errs)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
	})
}
