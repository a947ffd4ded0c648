package policy_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// base is a CSP lintCSP has nothing to say about; the cases of TestLintCSP
// add to it or replace its directives.
const base = "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"

// TestLintCSP pins the exact text of the CSP findings, linted on the
// effective policy. Every example of issue 13 is here and gets a finding at
// warning or above.
func TestLintCSP(t *testing.T) {
	const anyHostFix = " (fix: list the hosts you load scripts from, or use a nonce with 'strict-dynamic')"
	tests := []struct {
		name, csp string
		want      []string
	}{
		{"clean", base, nil},
		{"script-src-elem overrides a strict script-src",
			"default-src 'self'; script-src 'self'; script-src-elem 'self' 'unsafe-inline' *; object-src 'none'; base-uri 'none'",
			[]string{
				"critical: csp.script-src-elem: 'unsafe-inline' lets injected inline scripts run, which defeats most of CSP (fix: use a nonce ('nonce') or hashes)",
				`critical: csp.script-src-elem: "*" allows scripts from any host` + anyHostFix,
			}},
		{"script-src-attr alone", "script-src-attr 'unsafe-inline'", []string{
			"critical: csp.object-src: object-src is not restricted: plugins can run script (fix: add object-src 'none')",
			"critical: csp.script-src: no script-src-elem, script-src or default-src: <script> elements may load from anywhere (fix: add script-src 'self' or a nonce)",
			"critical: csp.script-src-attr: 'unsafe-inline' lets injected event handlers (onclick=…) run, which defeats most of CSP (fix: move the handlers into nonced scripts (addEventListener) and use script-src-attr 'none')",
			"warning: csp.base-uri: base-uri is missing: an injected <base> tag can redirect relative script URLs (fix: add base-uri 'self' (or 'none'))",
		}},
		{"unsafe-inline in script-src-attr beside a strict base", base + "; script-src-attr 'unsafe-inline'", []string{
			"critical: csp.script-src-attr: 'unsafe-inline' lets injected event handlers (onclick=…) run, which defeats most of CSP (fix: move the handlers into nonced scripts (addEventListener) and use script-src-attr 'none')",
		}},
		{"https://*", base + "; script-src https://*", []string{`critical: csp.script-src: "https://*" allows scripts from any host` + anyHostFix}},
		{"http://*:*", base + "; script-src http://*:*", []string{`critical: csp.script-src: "http://*:*" allows scripts from any host` + anyHostFix}},
		{"*:*", base + "; script-src *:*", []string{`critical: csp.script-src: "*:*" allows scripts from any host` + anyHostFix}},
		{"*.com", base + "; script-src *.com", []string{`critical: csp.script-src: "*.com" allows scripts from any host` + anyHostFix}},
		{"*.co.uk", base + "; script-src *.co.uk", []string{`critical: csp.script-src: "*.co.uk" allows scripts from any host` + anyHostFix}},
		{"*.github.io", base + "; script-src *.github.io", []string{`critical: csp.script-src: "*.github.io" allows scripts from any host` + anyHostFix}},
		{"a site's own wildcard is fine", base + "; script-src *.example.com", nil},
		{"https:", base + "; script-src https:", []string{`critical: csp.script-src: "https:" allows scripts from any host of that scheme` + anyHostFix}},
		{"blob:", base + "; script-src 'self' blob:", []string{`critical: csp.script-src: "blob:" lets an injected blob: URL run as a script (fix: remove it; load scripts from your own hosts)`}},
		{"plain-HTTP script host", base + "; script-src http://cdn.example", []string{`warning: csp.script-src: "http://cdn.example" loads code over plain HTTP, which anyone on the network can alter (fix: use https://)`}},
		{"default-src * reaches scripts and plugins",
			"default-src *; base-uri 'self'; frame-ancestors 'self'", []string{
				`critical: csp.default-src: "*" allows scripts from any host (script-src falls back to default-src)` + anyHostFix,
				"critical: csp.object-src: object-src falls back to default-src, which lets plugins load from anywhere, and plugins can run script (fix: add object-src 'none')",
			}},
		{"unsafe-inline in default-src", "default-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'", []string{
			"critical: csp.default-src: 'unsafe-inline' lets injected inline scripts and event handlers run, which defeats most of CSP (script-src falls back to default-src) (fix: use a nonce ('nonce') or hashes)",
		}},
		{"object-src *", "default-src 'self'; base-uri 'self'; object-src *", []string{
			`critical: csp.object-src: "*" lets plugins load from anywhere, and plugins can run script (fix: use object-src 'none')`,
		}},
		{"object-src with hosts", "default-src 'self'; base-uri 'self'; object-src 'self'", []string{
			"info: csp.object-src: plugins may load from the listed sources (fix: use object-src 'none' unless the site needs plugins)",
		}},
		{"base-uri *", "default-src 'self'; object-src 'none'; base-uri *", []string{
			`critical: csp.base-uri: "*" lets an injected <base> tag point relative script URLs at another site (fix: use base-uri 'self' or 'none')`,
		}},
		{"no base-uri beside a nonce", "default-src 'self'; object-src 'none'; script-src 'nonce-{nonce}'", []string{
			"critical: csp.base-uri: base-uri is missing: an injected <base> tag can point relative script URLs at another site, and nonced scripts load from there (fix: add base-uri 'none' (or 'self'))",
		}},
		{"style-src * 'unsafe-inline'", base + "; style-src * 'unsafe-inline'", []string{
			`warning: csp.style-src: "*" allows style sheets from any host: injected CSS can restyle the page and leak its data (fix: list the hosts you load style sheets from)`,
			"warning: csp.style-src: 'unsafe-inline' lets injected <style> elements apply: CSS can restyle the page and leak its data (fix: use a nonce or hashes for inline styles, or move them to files)",
		}},
		{"style attributes only", base + "; style-src-attr 'unsafe-inline'", []string{
			"info: csp.style-src-attr: 'unsafe-inline' lets injected style attributes apply (fix: move style attributes into classes and use style-src-attr 'none')",
		}},
		{"frame-ancestors *", "default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors *", []string{
			`warning: csp.frame-ancestors: "*" lets any site frame the page for clickjacking (fix: use frame-ancestors 'self' or 'none', or list the sites that may frame the page)`,
		}},
		{"connect-src *", base + "; connect-src *", []string{
			`warning: csp.connect-src: "*" lets scripts send data to any host (fetch, XHR, WebSocket) (fix: list the hosts the page talks to)`,
		}},
		{"connect-src wss:", base + "; connect-src 'self' wss:", []string{
			`warning: csp.connect-src: "wss:" lets scripts send data to any host (fetch, XHR, WebSocket) (fix: list the hosts the page talks to)`,
		}},
		{"worker-src *", base + "; worker-src *", []string{
			`warning: csp.worker-src: "*" allows scripts from any host` + anyHostFix,
		}},
		{"img-src * is not linted", base + "; img-src * data:", nil},
		{"strict-dynamic with a nonce: allow-list ignored", base + "; script-src 'nonce-{nonce}' 'strict-dynamic' https: 'self' *", nil},
		{"script-src behind script-src-elem and -attr still counts for old browsers",
			base + "; script-src 'unsafe-inline' *; script-src-elem 'self'; script-src-attr 'none'", []string{
				"warning: csp.script-src: 'unsafe-inline' lets injected inline scripts and event handlers run, which defeats most of CSP in browsers that do not know script-src-elem and script-src-attr (fix: use a nonce ('nonce') or hashes)",
				`warning: csp.script-src: "*" allows scripts from any host in browsers that do not know script-src-elem and script-src-attr` + anyHostFix,
			}},
		{"allow-list bypass host", base + "; script-src 'self' https://cdnjs.cloudflare.com", []string{
			`critical: csp.script-src: "https://cdnjs.cloudflare.com" serves code that runs injected script (JSONP endpoints, AngularJS or any npm package), which bypasses the allow-list (fix: use a nonce with 'strict-dynamic', or host the libraries yourself)`,
		}},
		{"bypass host through a wildcard", base + "; script-src 'self' *.googleapis.com www.youtube.com", []string{
			`critical: csp.script-src: "*.googleapis.com" serves code that runs injected script (JSONP endpoints, AngularJS or any npm package), which bypasses the allow-list (fix: use a nonce with 'strict-dynamic', or host the libraries yourself)`,
			`critical: csp.script-src: "www.youtube.com" serves code that runs injected script (JSONP endpoints, AngularJS or any npm package), which bypasses the allow-list (fix: use a nonce with 'strict-dynamic', or host the libraries yourself)`,
		}},
		{"a wildcard of a host that serves no bypass", base + "; script-src 'self' *.example-cdn.com", nil},
		{"one file of a bypass host", base + "; script-src 'self' https://cdnjs.cloudflare.com/ajax/libs/zxcvbn/4.4.2/zxcvbn.js", nil},
		{"strict-dynamic without a nonce blocks everything", base + "; script-src 'strict-dynamic' https:", []string{
			"warning: csp.script-src: 'strict-dynamic' without a nonce or hash blocks every script (fix: add the per-request nonce ('nonce') or hashes)",
		}},
		{"unsafe-hashes with a hash", base + "; script-src 'self' 'unsafe-hashes' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", []string{
			"warning: csp.script-src: 'unsafe-hashes' lets every event handler whose hash is listed run wherever it is injected (fix: move the handlers into a script file or a nonced script)",
		}},
		{"unsafe-hashes alone", base + "; script-src 'self' 'unsafe-hashes'", []string{
			"info: csp.script-src: 'unsafe-hashes' does nothing without a hash (fix: remove it)",
		}},
		{"eval only through the script-src fallback", base + "; script-src 'self' 'unsafe-eval'; script-src-elem 'self'", []string{
			"warning: csp.script-src: 'unsafe-eval' lets strings run as code (eval, new Function) (fix: remove it; refactor the code that needs eval)",
		}},
		{"CSP1 shorthands", base + "; script-src 'self' inline eval", []string{
			`warning: csp.script-src: unquoted "inline" is a host named inline, not a keyword: browsers dropped CSP1's shorthand (fix: write 'unsafe-inline' if that is what you meant (a nonce or hashes are safer))`,
			`warning: csp.script-src: unquoted "eval" is a host named eval, not a keyword: browsers dropped CSP1's shorthand (fix: write 'unsafe-eval' if that is what you meant)`,
		}},
		{"a missing semicolon", base + "; script-src 'self' Connect-Src", []string{
			`warning: csp.script-src: "connect-src" is a directive's name read as a host: a ';' is probably missing before it (fix: end the list before connect-src with ';')`,
		}},
		{"a host that only starts like a directive", base + "; script-src 'self' script-src.example.com", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := csp.Parse(tt.csp)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range policy.Lint(policy.Policy{CSP: c}) {
				if f.Path == "csp" || strings.HasPrefix(f.Path, "csp.") {
					got = append(got, f.String())
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint(%q) (-want +got):\n%s", tt.csp, diff)
			}
		})
	}
}

// TestLintPreloadHint: the hint names only what is missing.
func TestLintPreloadHint(t *testing.T) {
	p := clean()
	p.HSTS.Preload = false
	got := policy.Lint(p)
	want := []string{"info: hsts.preload: not eligible for the HSTS preload list (fix: add preload, then submit the domain at https://hstspreload.org)"}
	var s []string
	for _, f := range got {
		s = append(s, f.String())
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// FuzzLintCSP: Lint never panics on a CSP that parses, every CSP finding is
// under "csp", and a policy that lets any host run script is never clean.
func FuzzLintCSP(f *testing.F) {
	for _, s := range []string{
		base, "script-src-attr 'unsafe-inline'", "default-src *", "script-src 'strict-dynamic'",
		"worker-src https:; child-src 'none'", "object-src data:; base-uri https://*:*",
		"script-src 'nonce-{nonce}' 'strict-dynamic' https: 'unsafe-inline'; base-uri 'none'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := csp.Parse(s)
		if err != nil {
			return
		}
		findings := policy.Lint(policy.Policy{CSP: c})
		worst := policy.Info - 1
		for _, f := range findings {
			if f.Path == "csp" || strings.HasPrefix(f.Path, "csp.") {
				worst = max(worst, f.Severity)
			}
		}
		for _, d := range []csp.Directive{csp.ScriptSrcElem, csp.ScriptSrc, csp.DefaultSrc} {
			list, ok := c[d]
			if !ok {
				continue
			}
			if slices.Contains(list, csp.Source{Kind: csp.Host, Value: "*"}) && !slices.Contains(list, csp.StrictDynamic) && worst < policy.Critical {
				t.Errorf("Lint(%q): %s allows scripts from * and nothing is critical", s, d)
			}
			break
		}
		if worst < policy.Warning {
			// Clean: then scripts must be restricted.
			for _, d := range []csp.Directive{csp.ScriptSrcElem, csp.ScriptSrc, csp.DefaultSrc} {
				if _, ok := c[d]; ok {
					return
				}
			}
			t.Errorf("Lint(%q) has nothing at warning or above without a script restriction", s)
		}
	})
}
