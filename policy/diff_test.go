package policy_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// scriptHostRisk is Diff's risk for https://cdn.example newly allowed in a
// script list.
const scriptHostRisk = "https://cdn.example is a new script host: any script it serves (a JSONP endpoint, an old library, a user upload) runs in the page; use a nonce with 'strict-dynamic' or host the script yourself"

func TestDiff(t *testing.T) {
	base := policy.Policy{
		CSP:          csp.MustParse("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'"),
		HSTS:         &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true},
		FrameOptions: policy.FrameDeny,
	}
	tests := []struct {
		name string
		b    policy.Policy
		want []policy.Change
	}{
		{"identical", base, nil},
		{"widened only through default-src", policy.Policy{
			CSP:  csp.MustParse("default-src 'self' https:; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "default-src", Allowed: []string{"https:"}, Risk: "https: allows any host in default-src"},
			{Header: "Content-Security-Policy", Directive: "child-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "connect-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "fenced-frame-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "font-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "frame-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "img-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "manifest-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "media-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "prefetch-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "style-src", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "style-src-attr", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
			{Header: "Content-Security-Policy", Directive: "style-src-elem", From: "default-src", To: "default-src", Allowed: []string{"https:"}},
		}},
		{"unsafe-inline in scripts, HSTS shortened, XFO dropped", policy.Policy{
			CSP:  csp.MustParse("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'"),
			HSTS: &hsts.Policy{MaxAge: 300 * 1e9, IncludeSubDomains: true},
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "script-src", Allowed: []string{"'unsafe-inline'"}, Blocked: []string{"'nonce-AAAAAAAAAAAAAAAAAAAAAA'"}, Risk: "'unsafe-inline' lets injected inline scripts run"},
			{Header: "Content-Security-Policy", Directive: "script-src-attr", From: "script-src", To: "script-src", Allowed: []string{"'unsafe-inline'"}, Blocked: []string{"'nonce-AAAAAAAAAAAAAAAAAAAAAA'"}, Risk: "'unsafe-inline' lets injected inline scripts run"},
			{Header: "Content-Security-Policy", Directive: "script-src-elem", From: "script-src", To: "script-src", Allowed: []string{"'unsafe-inline'"}, Blocked: []string{"'nonce-AAAAAAAAAAAAAAAAAAAAAA'"}, Risk: "'unsafe-inline' lets injected inline scripts run"},
			{Header: "Content-Security-Policy", Directive: "worker-src", From: "script-src", To: "script-src", Allowed: []string{"'unsafe-inline'"}, Blocked: []string{"'nonce-AAAAAAAAAAAAAAAAAAAAAA'"}, Risk: "'unsafe-inline' lets injected inline scripts run"},
			{Header: "Strict-Transport-Security", Before: "max-age=31536000; includeSubDomains", After: "max-age=300; includeSubDomains", Risk: "a shorter max-age lets browsers forget HTTPS sooner"},
			{Header: "X-Frame-Options", Before: "DENY", Risk: "the header is no longer sent"},
		}},
		{"new script host: risky where <script src> obeys it", policy.Policy{
			CSP:  csp.MustParse("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' https://cdn.example; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "script-src", Allowed: []string{"https://cdn.example"}, Risk: scriptHostRisk},
			{Header: "Content-Security-Policy", Directive: "script-src-attr", From: "script-src", To: "script-src", Allowed: []string{"https://cdn.example"}},
			{Header: "Content-Security-Policy", Directive: "script-src-elem", From: "script-src", To: "script-src", Allowed: []string{"https://cdn.example"}, Risk: scriptHostRisk},
			{Header: "Content-Security-Policy", Directive: "worker-src", From: "script-src", To: "script-src", Allowed: []string{"https://cdn.example"}},
		}},
		{"new script host under 'strict-dynamic': ignored by browsers, not risky", policy.Policy{
			CSP:  csp.MustParse("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' 'strict-dynamic' https://cdn.example; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "script-src", Allowed: []string{"'strict-dynamic'", "https://cdn.example"}},
			{Header: "Content-Security-Policy", Directive: "script-src-attr", From: "script-src", To: "script-src", Allowed: []string{"'strict-dynamic'", "https://cdn.example"}},
			{Header: "Content-Security-Policy", Directive: "script-src-elem", From: "script-src", To: "script-src", Allowed: []string{"'strict-dynamic'", "https://cdn.example"}},
			{Header: "Content-Security-Policy", Directive: "worker-src", From: "script-src", To: "script-src", Allowed: []string{"'strict-dynamic'", "https://cdn.example"}},
		}},
		{"new script file and directory: the file is not risky, the directory is", policy.Policy{
			CSP:  csp.MustParse("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' https://cdn.example/lib/app.js; script-src-elem 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA' https://cdn.example/lib/; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "script-src", Allowed: []string{"https://cdn.example/lib/app.js"}},
			{Header: "Content-Security-Policy", Directive: "script-src-attr", From: "script-src", To: "script-src", Allowed: []string{"https://cdn.example/lib/app.js"}},
			{Header: "Content-Security-Policy", Directive: "script-src-elem", From: "script-src", Allowed: []string{"https://cdn.example/lib/"}, Risk: "https://cdn.example/lib/ is a new script host: any script it serves (a JSONP endpoint, an old library, a user upload) runs in the page; use a nonce with 'strict-dynamic' or host the script yourself"},
			{Header: "Content-Security-Policy", Directive: "worker-src", From: "script-src", To: "script-src", Allowed: []string{"https://cdn.example/lib/app.js"}},
		}},
		{"new image host: not risky", policy.Policy{
			CSP:  csp.MustParse("default-src 'self'; img-src 'self' https://img.example; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, []policy.Change{
			{Header: "Content-Security-Policy", Directive: "img-src", From: "default-src", Allowed: []string{"https://img.example"}},
		}},
		{"object-src dropped: no longer restricted", policy.Policy{
			CSP:  csp.MustParse("script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'"),
			HSTS: base.HSTS, FrameOptions: policy.FrameDeny,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := policy.Diff(base, tt.b)
			if tt.want == nil && tt.name != "identical" {
				// Only properties: default-src gone means every directive
				// that fell back to it is no longer restricted.
				var risky int
				for _, c := range got {
					if c.Directive == "default-src" && c.To != "none" {
						t.Errorf("default-src change %+v: want To none", c)
					}
					if c.Risk != "" {
						risky++
					}
				}
				if risky == 0 {
					t.Errorf("dropping default-src is not flagged: %+v", got)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}
