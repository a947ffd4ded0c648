package policy_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

type mergeCase struct {
	name        string
	base, patch policy.Policy
	want        policy.Policy
}

func runUpdate(t *testing.T, tests []mergeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := policy.Update(tt.base, tt.patch)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Update (-want +got):\n%s", diff)
			}
		})
	}
}

// Rule 1: a header absent from patch is kept as it is in base.
func TestUpdateRule1KeepsAbsent(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "empty patch",
			base:  policy.Policy{FrameOptions: policy.FrameDeny, HSTS: &hsts.Policy{MaxAge: hsts.OneYear}},
			patch: policy.Policy{},
			want:  policy.Policy{FrameOptions: policy.FrameDeny, HSTS: &hsts.Policy{MaxAge: hsts.OneYear}},
		},
		{
			name:  "other header patched",
			base:  policy.Policy{CSP: cspOf("default-src 'self'"), ContentTypeOptions: policy.NoSniff},
			patch: policy.Policy{FrameOptions: policy.FrameSameOrigin},
			want:  policy.Policy{CSP: cspOf("default-src 'self'"), ContentTypeOptions: policy.NoSniff, FrameOptions: policy.FrameSameOrigin},
		},
		{
			// An empty (non-nil) list is "absent": it cannot clear a header.
			name:  "empty list is absent",
			base:  policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer"}},
			patch: policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{}, CSP: csp.Policy{}},
			want:  policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer"}},
		},
	})
}

// Rule 2: a header absent from base is taken from patch (a copy).
func TestUpdateRule2TakesNew(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "csp into empty",
			base:  policy.Policy{},
			patch: policy.Policy{CSP: cspOf("script-src 'self'")},
			// No default-src in base: nothing to seed from.
			want: policy.Policy{CSP: cspOf("script-src 'self'")},
		},
		{
			name:  "hpkp into flask preset",
			base:  policy.Policy{FrameOptions: policy.FrameSameOrigin},
			patch: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: 60 * time.Second}},
			want: policy.Policy{FrameOptions: policy.FrameSameOrigin,
				HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: 60 * time.Second}},
		},
		{
			name:  "permissions and endpoints",
			base:  policy.Policy{},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}, ReportingEndpoints: policy.ReportingEndpoints{"csp": "/r"}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}, ReportingEndpoints: policy.ReportingEndpoints{"csp": "/r"}},
		},
	})
}

// Rule 3: CSP (and the report-only CSP) merge with csp.Update.
func TestUpdateRule3CSP(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "union in order, duplicates dropped",
			base:  policy.Policy{CSP: cspOf("default-src 'self'; script-src 'self' a.example")},
			patch: policy.Policy{CSP: cspOf("script-src b.example 'self' a.example")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'; script-src 'self' a.example b.example")},
		},
		{
			name:  "none disappears once another source is added",
			base:  policy.Policy{CSP: cspOf("default-src 'none'")},
			patch: policy.Policy{CSP: cspOf("default-src 'self'")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'")},
		},
		{
			name:  "adding none changes nothing",
			base:  policy.Policy{CSP: cspOf("default-src 'self'")},
			patch: policy.Policy{CSP: cspOf("default-src 'none'")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'")},
		},
		{
			name:  "absent fetch directive starts from default-src",
			base:  policy.Policy{CSP: cspOf("default-src 'self'; report-uri /csp_report")},
			patch: policy.Policy{CSP: cspOf("script-src code.jquery.com")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report")},
		},
		{
			name:  "non-fetch directive is not seeded",
			base:  policy.Policy{CSP: cspOf("default-src 'self'")},
			patch: policy.Policy{CSP: cspOf("frame-ancestors https://partner.example")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'; frame-ancestors https://partner.example")},
		},
		{
			name:  "valueless directive added",
			base:  policy.Policy{CSP: cspOf("default-src 'self'")},
			patch: policy.Policy{CSP: cspOf("upgrade-insecure-requests")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'; upgrade-insecure-requests")},
		},
		{
			name:  "report-only CSP merges the same way",
			base:  policy.Policy{CSPReportOnly: cspOf("default-src 'self'")},
			patch: policy.Policy{CSPReportOnly: cspOf("img-src data:")},
			want:  policy.Policy{CSPReportOnly: cspOf("default-src 'self'; img-src 'self' data:")},
		},
		{
			name:  "enforced and report-only are separate",
			base:  policy.Policy{CSP: cspOf("default-src 'self'")},
			patch: policy.Policy{CSPReportOnly: cspOf("default-src 'none'")},
			want:  policy.Policy{CSP: cspOf("default-src 'self'"), CSPReportOnly: cspOf("default-src 'none'")},
		},
	})
}

// Rule 4: HPKP pins are unioned; the scalars are patch's.
func TestUpdateRule4HPKP(t *testing.T) {
	base := &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: 5184000 * time.Second,
		IncludeSubDomains: true, ReportURI: "/hpkp_report"}
	runUpdate(t, []mergeCase{
		{
			name:  "pins unioned in order",
			base:  policy.Policy{HPKP: base},
			patch: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinB), sha256Pin(pinC)}, MaxAge: 5184000 * time.Second, IncludeSubDomains: true, ReportURI: "/hpkp_report"}},
			want: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB), sha256Pin(pinC)},
				MaxAge: 5184000 * time.Second, IncludeSubDomains: true, ReportURI: "/hpkp_report"}},
		},
		{
			name:  "scalars taken from patch, even zero",
			base:  policy.Policy{HPKP: base},
			patch: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinC)}, MaxAge: time.Hour, ReportOnly: true}},
			want: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB), sha256Pin(pinC)},
				MaxAge: time.Hour, ReportOnly: true}},
		},
	})
}

// Rule 5: Permissions-Policy features and allowlists are unioned.
func TestUpdateRule5Permissions(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "features unioned",
			base:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"usb": {}}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}, "usb": {}}},
		},
		{
			name:  "allowlists unioned in order",
			base:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"geolocation": {"self", "https://a.example"}}},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"geolocation": {"https://b.example", "self"}}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"geolocation": {"self", "https://a.example", "https://b.example"}}},
		},
		{
			// Update only adds: an empty allowlist cannot disable a feature
			// that base allows (use Rewrite for that).
			name:  "empty allowlist adds nothing",
			base:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {"self"}}},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {"self"}}},
		},
		{
			name:  "star collapses the allowlist",
			base:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"fullscreen": {"self"}}},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"fullscreen": {"*"}}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"fullscreen": {"*"}}},
		},
	})
}

// Rule 6: Reporting-Endpoints names are unioned; patch's URL wins.
func TestUpdateRule6Endpoints(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "names unioned, patch wins",
			base:  policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/old", "nel": "/nel"}},
			patch: policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/new", "coop": "/coop"}},
			want:  policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"csp": "/new", "nel": "/nel", "coop": "/coop"}},
		},
	})
}

// Rule 7: every other header is a scalar: patch's value replaces base's.
func TestUpdateRule7Scalars(t *testing.T) {
	runUpdate(t, []mergeCase{
		{
			name:  "X-Frame-Options replaced",
			base:  policy.Policy{FrameOptions: policy.FrameSameOrigin},
			patch: policy.Policy{FrameOptions: policy.FrameDeny},
			want:  policy.Policy{FrameOptions: policy.FrameDeny},
		},
		{
			name:  "HSTS replaced whole: preload false removes preload",
			base:  policy.Policy{HSTS: &hsts.Policy{MaxAge: 2 * hsts.OneYear, IncludeSubDomains: true, Preload: true}},
			patch: policy.Policy{HSTS: &hsts.Policy{MaxAge: time.Second, IncludeSubDomains: true, Preload: false}},
			want:  policy.Policy{HSTS: &hsts.Policy{MaxAge: time.Second, IncludeSubDomains: true}},
		},
		{
			name:  "HSTS without MaxAge keeps the base's max-age (as JSON leaving max-age out)",
			base:  policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true}},
			patch: policy.Policy{HSTS: &hsts.Policy{IncludeSubDomains: true, Preload: true}},
			want:  policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true, Preload: true}},
		},
		{
			name:  "HSTS Expire replaces the base's max-age with 0",
			base:  policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true}},
			patch: policy.Policy{HSTS: &hsts.Policy{Expire: true}},
			want:  policy.Policy{HSTS: &hsts.Policy{Expire: true}},
		},
		{
			name:  "HSTS MaxAge replaces an expired base",
			base:  policy.Policy{HSTS: &hsts.Policy{Expire: true}},
			patch: policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear}},
			want:  policy.Policy{HSTS: &hsts.Policy{MaxAge: hsts.OneYear}},
		},
		{
			name:  "Referrer-Policy list replaced, not unioned",
			base:  policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"no-referrer", "strict-origin"}},
			patch: policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"same-origin"}},
			want:  policy.Policy{ReferrerPolicy: policy.ReferrerPolicy{"same-origin"}},
		},
		{
			name:  "Clear-Site-Data list replaced",
			base:  policy.Policy{ClearSiteData: policy.ClearSiteData{"cache", "cookies"}},
			patch: policy.Policy{ClearSiteData: policy.ClearSiteData{"storage"}},
			want:  policy.Policy{ClearSiteData: policy.ClearSiteData{"storage"}},
		},
		{
			name: "every typed string",
			base: policy.Policy{XSSProtection: policy.XSSBlock, CrossDomainPolicies: "none", OpenerPolicy: "same-origin",
				EmbedderPolicy: "require-corp", ResourcePolicy: "same-origin", OriginAgentCluster: "?1",
				DNSPrefetchControl: "off", DownloadOptions: policy.NoOpen, ContentTypeOptions: policy.NoSniff, CacheControl: "no-store"},
			patch: policy.Policy{XSSProtection: policy.XSSOff, CrossDomainPolicies: "all", OpenerPolicy: "unsafe-none",
				EmbedderPolicy: "credentialless", ResourcePolicy: "cross-origin", OriginAgentCluster: "?0",
				DNSPrefetchControl: "on", CacheControl: "private, max-age=0"},
			want: policy.Policy{XSSProtection: policy.XSSOff, CrossDomainPolicies: "all", OpenerPolicy: "unsafe-none",
				EmbedderPolicy: "credentialless", ResourcePolicy: "cross-origin", OriginAgentCluster: "?0",
				DNSPrefetchControl: "on", DownloadOptions: policy.NoOpen, ContentTypeOptions: policy.NoSniff, CacheControl: "private, max-age=0"},
		},
	})
}

// samples are policies that together set every header.
func samples() map[string]policy.Policy {
	full := policy.Strict()
	full.CSPReportOnly = cspOf("default-src 'self'; report-to csp")
	full.ReportingEndpoints = policy.ReportingEndpoints{"csp": "/csp-report"}
	full.HPKP = &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: time.Hour, ReportURI: "/r"}
	full.PermissionsPolicy["geolocation"] = []string{"self"}
	full.ClearSiteData = policy.ClearSiteData{"cache"}
	full.CacheControl = "no-store"
	return map[string]policy.Policy{
		"zero":        {},
		"recommended": policy.Recommended(),
		"strict":      policy.Strict(),
		"flask":       policy.FlaskSecureHeaders(),
		"full":        full,
	}
}

// patches are the x of the algebraic properties below.
func patches() map[string]policy.Policy {
	return map[string]policy.Policy{
		"csp":         {CSP: cspOf("script-src 'self' code.jquery.com 'nonce-{nonce}'; object-src 'none'; upgrade-insecure-requests")},
		"report-only": {CSPReportOnly: cspOf("default-src 'none'")},
		"hsts":        {HSTS: &hsts.Policy{MaxAge: time.Second}},
		"hpkp":        {HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinC)}, MaxAge: time.Minute}},
		"lists": {PermissionsPolicy: policy.PermissionsPolicy{"geolocation": {"https://maps.example"}, "usb": {}},
			ReportingEndpoints: policy.ReportingEndpoints{"csp": "/other"}, ReferrerPolicy: policy.ReferrerPolicy{"same-origin"},
			ClearSiteData: policy.ClearSiteData{"*"}},
		"scalars": {FrameOptions: policy.FrameDeny, XSSProtection: policy.XSSOn, CacheControl: "no-cache"},
		"all":     samples()["full"],
	}
}

func TestUpdateIdentity(t *testing.T) {
	for name, p := range samples() {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(p, policy.Update(p, policy.Policy{})); diff != "" {
				t.Errorf("Update(p, Policy{}) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p, policy.Rewrite(p, policy.Policy{})); diff != "" {
				t.Errorf("Rewrite(p, Policy{}) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p, policy.Update(policy.Policy{}, p)); diff != "" {
				t.Errorf("Update(Policy{}, p) (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateIdempotent(t *testing.T) {
	for bn, base := range samples() {
		for xn, x := range patches() {
			t.Run(bn+"+"+xn, func(t *testing.T) {
				once := policy.Update(base, x)
				twice := policy.Update(once, x)
				if diff := cmp.Diff(once, twice); diff != "" {
					t.Errorf("Update(Update(p, x), x) != Update(p, x) (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// mutate changes every map, slice and pointer target of p in place.
func mutate(p *policy.Policy) {
	for d, l := range p.CSP {
		if len(l) > 0 {
			l[0] = csp.Source{Kind: csp.Host, Value: "evil.example"}
		}
		p.CSP[d] = append(l, csp.UnsafeEval)
	}
	if p.CSP != nil {
		p.CSP[csp.ScriptSrc] = []csp.Source{csp.UnsafeInline}
	}
	for d, l := range p.CSPReportOnly {
		if len(l) > 0 {
			l[0] = csp.Source{Kind: csp.Host, Value: "evil.example"}
		}
		p.CSPReportOnly[d] = l
	}
	if p.HSTS != nil {
		p.HSTS.MaxAge = -1
	}
	if p.HPKP != nil {
		if len(p.HPKP.Pins) > 0 {
			p.HPKP.Pins[0].Hash = "evil"
		}
		p.HPKP.MaxAge = -1
	}
	for k, l := range p.PermissionsPolicy {
		if len(l) > 0 {
			l[0] = "https://evil.example"
		}
		p.PermissionsPolicy[k] = append(l, "*")
	}
	if p.PermissionsPolicy != nil {
		p.PermissionsPolicy["evil"] = nil
	}
	if p.ReportingEndpoints != nil {
		p.ReportingEndpoints["csp"] = "https://evil.example"
	}
	if len(p.ReferrerPolicy) > 0 {
		p.ReferrerPolicy[0] = "unsafe-url"
	}
	if len(p.ClearSiteData) > 0 {
		p.ClearSiteData[0] = "evil"
	}
}

// TestNoAliasing checks that the results of Update, Rewrite, Remove,
// Override.Apply and Clone share no memory with their inputs: changing a
// result in place leaves the inputs as they were.
func TestNoAliasing(t *testing.T) {
	ops := map[string]func(a, b policy.Policy) policy.Policy{
		"Update":  policy.Update,
		"Rewrite": policy.Rewrite,
		"Clone":   func(a, _ policy.Policy) policy.Policy { return a.Clone() },
		"Remove": func(a, _ policy.Policy) policy.Policy {
			out, err := policy.Remove(a, "X-Frame-Options")
			if err != nil {
				panic(err)
			}
			return out
		},
		"Override.Apply": func(a, b policy.Policy) policy.Policy {
			out, err := policy.Override{Rewrite: b, ReplaceDirectives: policy.Policy{CSP: b.CSP}, Update: b, Remove: []string{"HSTS"}}.Apply(a)
			if err != nil {
				panic(err)
			}
			return out
		},
	}
	for opName, op := range ops {
		for bn := range samples() {
			for xn := range patches() {
				t.Run(opName+"/"+bn+"+"+xn, func(t *testing.T) {
					base, x := samples()[bn], patches()[xn]
					got := op(base, x)
					mutate(&got)
					if diff := cmp.Diff(samples()[bn], base); diff != "" {
						t.Errorf("base changed through the result (-want +got):\n%s", diff)
					}
					if diff := cmp.Diff(patches()[xn], x); diff != "" {
						t.Errorf("patch changed through the result (-want +got):\n%s", diff)
					}
				})
			}
		}
	}
}

func TestRewrite(t *testing.T) {
	tests := []mergeCase{
		{
			name:  "csp replaced whole",
			base:  policy.FlaskSecureHeaders(),
			patch: policy.Policy{CSP: cspOf("default-src 'none'")},
			want: func() policy.Policy {
				p := policy.FlaskSecureHeaders()
				p.CSP = cspOf("default-src 'none'")
				return p
			}(),
		},
		{
			name:  "hpkp pins not unioned",
			base:  policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}}},
			patch: policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinC), sha256Pin(pinB)}}},
			want:  policy.Policy{HPKP: &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinC), sha256Pin(pinB)}}},
		},
		{
			name:  "permissions replaced, so a feature can be disabled",
			base:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {"self"}, "usb": {}}},
			patch: policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}},
			want:  policy.Policy{PermissionsPolicy: policy.PermissionsPolicy{"camera": {}}},
		},
		{
			name:  "absent headers kept",
			base:  policy.Policy{FrameOptions: policy.FrameDeny, ReportingEndpoints: policy.ReportingEndpoints{"a": "/a"}},
			patch: policy.Policy{ReportingEndpoints: policy.ReportingEndpoints{"b": "/b"}},
			want:  policy.Policy{FrameOptions: policy.FrameDeny, ReportingEndpoints: policy.ReportingEndpoints{"b": "/b"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, policy.Rewrite(tt.base, tt.patch)); diff != "" {
				t.Errorf("Rewrite (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRemove(t *testing.T) {
	full := samples()["full"]
	tests := []struct {
		names []string
		// gone lists the headers (policy.Headers names) that are no longer sent.
		gone []string
	}{
		{[]string{"CSP"}, []string{"Content-Security-Policy"}},
		{[]string{"content-security-policy"}, []string{"Content-Security-Policy"}},
		{[]string{"Content_Security_Policy"}, []string{"Content-Security-Policy"}},
		{[]string{"csp-report-only"}, []string{"Content-Security-Policy-Report-Only"}},
		{[]string{"CSP_Report_Only"}, []string{"Content-Security-Policy-Report-Only"}},
		{[]string{"HSTS"}, []string{"Strict-Transport-Security"}},
		{[]string{"strict-transport-security"}, []string{"Strict-Transport-Security"}},
		{[]string{"hpkp"}, []string{"Public-Key-Pins"}},
		{[]string{"Public-Key-Pins-Report-Only"}, []string{"Public-Key-Pins"}},
		{[]string{"x_frame_options", " X-XSS-Protection "}, []string{"X-Frame-Options", "X-XSS-Protection"}},
		{[]string{"Reporting-Endpoints", "Permissions-Policy", "Referrer-Policy", "Clear-Site-Data", "Cache-Control"},
			[]string{"Reporting-Endpoints", "Referrer-Policy", "Permissions-Policy", "Clear-Site-Data", "Cache-Control"}},
		{[]string{"HSTS", "hsts"}, []string{"Strict-Transport-Security"}},
		{nil, nil},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.names, ","), func(t *testing.T) {
			got, err := policy.Remove(full, tt.names...)
			if err != nil {
				t.Fatalf("Remove: %v", err)
			}
			var want []string
			for _, f := range full.Fields() {
				if !containsFold(tt.gone, f.Name) {
					want = append(want, f.Name)
				}
			}
			var names []string
			for _, f := range got.Fields() {
				names = append(names, f.Name)
			}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("headers sent after Remove(%q) (-want +got):\n%s", tt.names, diff)
			}
		})
	}
}

func containsFold(list []string, name string) bool {
	for _, n := range list {
		// Public-Key-Pins also covers its -Report-Only variant.
		if strings.EqualFold(n, name) || n == "Public-Key-Pins" && name == "Public-Key-Pins-Report-Only" {
			return true
		}
	}
	return false
}

func TestRemoveUnknown(t *testing.T) {
	p := policy.Recommended()
	got, err := policy.Remove(p, "X-Frame-Option", "HSTS", "X-Powered-By", "CPS")
	want := []string{
		`remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`,
		`remove[2]: unknown header "X-Powered-By" (use one of the header names of policy.Headers(), or CSP, HSTS, HPKP)`,
		`remove[3]: unknown header "CPS" (did you mean "CSP"?)`,
	}
	if diff := cmp.Diff(want, errorLines(err)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// On error nothing is removed, not even the valid names.
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("policy after a failed Remove (-want +got):\n%s", diff)
	}
}

func TestOverrideApply(t *testing.T) {
	app := policy.FlaskSecureHeaders()
	tests := []struct {
		name    string
		o       policy.Override
		want    string
		wantErr []string
	}{
		{
			name: "zero override changes nothing",
			want: lines(t, app),
		},
		{
			name: "update then remove",
			o: policy.Override{
				Update: policy.Policy{CSP: cspOf("script-src code.jquery.com"), FrameOptions: policy.FrameDeny},
				Remove: []string{"X-XSS-Protection", "HSTS"},
			},
			want: "Content-Security-Policy: default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report\n" +
				"X-Frame-Options: DENY\n" +
				"X-Content-Type-Options: nosniff\n" +
				"X-Download-Options: noopen\n" +
				"X-Permitted-Cross-Domain-Policies: none\n",
		},
		{
			name: "remove wins over update of the same header",
			o:    policy.Override{Update: policy.Policy{FrameOptions: policy.FrameDeny}, Remove: []string{"x-frame-options"}},
			want: strings.Replace(lines(t, app), "X-Frame-Options: SAMEORIGIN\n", "", 1),
		},
		{
			name: "rule 1: rewrite replaces the header whole",
			o:    policy.Override{Rewrite: policy.Policy{CSP: cspOf("default-src 'none'; frame-ancestors 'none'")}},
			want: strings.Replace(lines(t, app), "default-src 'self'; report-uri /csp_report", "default-src 'none'; frame-ancestors 'none'", 1),
		},
		{
			name: "rule 2: replaceDirectives replaces the named directives only",
			o:    policy.Override{ReplaceDirectives: policy.Policy{CSP: cspOf("default-src 'none'; script-src 'self'")}},
			want: strings.Replace(lines(t, app), "default-src 'self'; report-uri /csp_report", "default-src 'none'; script-src 'self'; report-uri /csp_report", 1),
		},
		{
			name: "rule 2: replaceDirectives on an absent CSP takes it as given",
			o: policy.Override{
				Remove:            []string{"HSTS"},
				ReplaceDirectives: policy.Policy{CSPReportOnly: cspOf("script-src 'self'")},
			},
			want: strings.Replace(lines(t, app), "Strict-Transport-Security: max-age=31536000; includeSubDomains\n",
				"Content-Security-Policy-Report-Only: script-src 'self'\n", 1),
		},
		{
			name: "rule 3: update merges into the rewrite",
			o: policy.Override{
				Rewrite: policy.Policy{CSP: cspOf("default-src 'none'")},
				Update:  policy.Policy{CSP: cspOf("img-src https://img.example")},
			},
			want: strings.Replace(lines(t, app), "default-src 'self'; report-uri /csp_report", "default-src 'none'; img-src https://img.example", 1),
		},
		{
			name: "rule 4: remove wins over rewrite",
			o:    policy.Override{Rewrite: policy.Policy{FrameOptions: policy.FrameDeny}, Remove: []string{"X-Frame-Options"}},
			want: strings.Replace(lines(t, app), "X-Frame-Options: SAMEORIGIN\n", "", 1),
		},
		{
			name:    "replaceDirectives holds CSPs only",
			o:       policy.Override{ReplaceDirectives: policy.Policy{FrameOptions: policy.FrameDeny}},
			wantErr: []string{`replaceDirectives.X-Frame-Options: holds CSP directives only (move the header to Rewrite (replace it whole) or Update (add to it))`},
		},
		{
			name:    "unknown name",
			o:       policy.Override{Remove: []string{"X-Frame-Option"}},
			wantErr: []string{`remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := policy.FlaskSecureHeaders()
			got, err := tt.o.Apply(app)
			if diff := cmp.Diff(tt.wantErr, errorLines(err)); diff != "" {
				t.Fatalf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, app); diff != "" {
				t.Errorf("Apply changed the app policy (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, lines(t, got)); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOverrideClone(t *testing.T) {
	mk := func() policy.Override {
		return policy.Override{
			Rewrite:           policy.Policy{CSP: cspOf("default-src 'none'")},
			ReplaceDirectives: policy.Policy{CSP: cspOf("img-src 'self'")},
			Update:            policy.Policy{CSP: cspOf("script-src 'self'")},
			Remove:            []string{"HSTS"},
		}
	}
	o := mk()
	c := o.Clone()
	c.Remove[0] = "CSP"
	c.Update.CSP[csp.ScriptSrc][0] = csp.UnsafeInline
	c.Rewrite.CSP[csp.DefaultSrc][0] = csp.UnsafeInline
	c.ReplaceDirectives.CSP[csp.ImgSrc][0] = csp.UnsafeInline
	want := mk()
	if diff := cmp.Diff(want, o); diff != "" {
		t.Errorf("Clone shares memory with the original (-want +got):\n%s", diff)
	}
}

// TestCloneKeepsEmpty checks that Clone and Update copy a header that is
// set but empty (a non-nil map or list of length 0) as empty, not nil, and
// into new memory: Clone copies each header through the registry.
func TestCloneKeepsEmpty(t *testing.T) {
	empty := func() policy.Policy {
		return policy.Policy{
			CSP:                csp.Policy{},
			ReportingEndpoints: policy.ReportingEndpoints{},
			ReferrerPolicy:     policy.ReferrerPolicy{},
			PermissionsPolicy:  policy.PermissionsPolicy{},
			ClearSiteData:      policy.ClearSiteData{},
		}
	}
	ops := map[string]func(policy.Policy) policy.Policy{
		"Clone":  policy.Policy.Clone,
		"Update": func(p policy.Policy) policy.Policy { return policy.Update(p, policy.Policy{FrameOptions: "DENY"}) },
	}
	for name, op := range ops {
		t.Run(name, func(t *testing.T) {
			base := empty()
			got := op(base)
			got.FrameOptions = ""
			if diff := cmp.Diff(empty(), got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			got.CSP[csp.ImgSrc] = []csp.Source{csp.Self}
			got.ReportingEndpoints["x"] = "/r"
			got.PermissionsPolicy["camera"] = nil
			if diff := cmp.Diff(empty(), base); diff != "" {
				t.Errorf("base changed through the result (-want +got):\n%s", diff)
			}
		})
	}
}
