package policy_test

import (
	"fmt"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// printHeaders validates p and prints the headers a policy sends, one per line.
func printHeaders(p policy.Policy) {
	if err := policy.Validate(p); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range p.Fields() {
		fmt.Printf("%s: %s\n", f.Name, f.Value)
	}
}

// Update adds to a policy: script-src starts from default-src, so allowing
// a CDN never takes 'self' away, and HSTS, a scalar, is replaced whole.
func ExampleUpdate() {
	base := policy.FlaskSecureHeaders()
	p := policy.Update(base, policy.Policy{
		CSP: csp.Policy{
			csp.ScriptSrc: {csp.Self, {Kind: csp.Host, Value: "code.jquery.com"}},
		},
		HSTS:                &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true, Preload: true},
		CrossDomainPolicies: policy.CrossDomainAll,
	})
	printHeaders(p)
	// Output:
	// Content-Security-Policy: default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report
	// Strict-Transport-Security: max-age=31536000; includeSubDomains; preload
	// X-Frame-Options: SAMEORIGIN
	// X-Content-Type-Options: nosniff
	// X-XSS-Protection: 1; mode=block
	// X-Download-Options: noopen
	// X-Permitted-Cross-Domain-Policies: all
}

// An hsts.Policy with a zero MaxAge means "max-age not given": Update keeps
// the base's max-age (as a JSON "update" does), and Validate refuses it on
// its own. Telling browsers to forget HSTS takes an explicit Expire.
func ExampleUpdate_hsts() {
	base := policy.Recommended()

	patched := policy.Update(base, policy.Policy{HSTS: &hsts.Policy{IncludeSubDomains: true, Preload: true}})
	fmt.Println("patched:", patched.HSTS)

	alone := policy.None()
	alone.HSTS = &hsts.Policy{IncludeSubDomains: true}
	for e := range policy.AllErrors(policy.Validate(alone)) {
		fmt.Println("alone:  ", e)
	}

	forget := policy.Update(base, policy.Policy{HSTS: &hsts.Policy{Expire: true}})
	fmt.Println("forget: ", forget.HSTS)
	// Output:
	// patched: max-age=31536000; includeSubDomains; preload
	// alone:   hsts.max-age: is missing: a zero MaxAge would send max-age=0, which makes browsers forget the host's HSTS state (set MaxAge, e.g. to hsts.OneYear, or set Expire to send max-age=0 on purpose)
	// forget:  max-age=0
}

// The simpler headers have typed constants, so a value from the wrong
// header does not compile. Opener and embedder policies together make a page
// cross-origin isolated (SharedArrayBuffer, precise timers).
func ExamplePolicy() {
	p := policy.Policy{
		ReferrerPolicy:     policy.ReferrerPolicy{policy.NoReferrer, policy.StrictOriginWhenCrossOrigin},
		OpenerPolicy:       policy.OpenerSameOrigin,
		EmbedderPolicy:     policy.EmbedderRequireCORP,
		ResourcePolicy:     policy.ResourceSameSite,
		OriginAgentCluster: policy.OriginKeyed,
		DNSPrefetchControl: policy.DNSPrefetchOff,
	}
	printHeaders(p)
	// Output:
	// Referrer-Policy: no-referrer, strict-origin-when-cross-origin
	// Cross-Origin-Opener-Policy: same-origin
	// Cross-Origin-Embedder-Policy: require-corp
	// Cross-Origin-Resource-Policy: same-site
	// Origin-Agent-Cluster: ?1
	// X-DNS-Prefetch-Control: off
}

// Remove takes header names or the aliases CSP, HSTS and HPKP, in any case,
// with '_' or '-'. A misspelt name is an error with a suggestion.
func ExampleRemove() {
	p, err := policy.Remove(policy.FlaskSecureHeaders(), "CSP", "x_xss_protection", "X-Download-Options")
	if err != nil {
		fmt.Println(err)
		return
	}
	printHeaders(p)

	_, err = policy.Remove(p, "X-Frame-Option")
	fmt.Println(err)
	// Output:
	// Strict-Transport-Security: max-age=31536000; includeSubDomains
	// X-Frame-Options: SAMEORIGIN
	// X-Content-Type-Options: nosniff
	// X-Permitted-Cross-Domain-Policies: none
	// remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)
}

// An Override lets one route be framed by a partner: frame-ancestors is
// added and X-Frame-Options, which cannot name an origin, is dropped. The
// app policy is not changed.
func ExampleOverride_Apply() {
	app := policy.Recommended()
	embed := policy.Override{
		Update: policy.Policy{CSP: csp.Policy{csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner.example"}}}},
		Remove: []string{"X-Frame-Options"},
	}
	p, err := embed.Apply(app)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("route:", p.CSP[csp.FrameAncestors], p.FrameOptions == "")
	fmt.Println("app:  ", app.CSP[csp.FrameAncestors], app.FrameOptions)
	// Output:
	// route: ['self' https://partner.example] true
	// app:   ['self'] SAMEORIGIN
}

// Lint reports weak but valid choices, most serious first.
func ExampleLint() {
	for _, f := range policy.Lint(policy.FlaskSecureHeaders()) {
		fmt.Println(f.Severity, f.Path)
	}
	// Output:
	// warning csp.base-uri
	// warning csp.object-src
	// warning x-xss-protection
	// info csp.report-uri
	// info hsts.preload
}

// 'unsafe-inline' next to a nonce looks like a harmless fallback, but Lint
// warns: browsers that know nonces ignore it, so it buys nothing there, and
// older ones run every inline script, injected ones included. Send the nonce
// alone.
func ExampleLint_incorrect() {
	wrong := policy.Recommended()
	wrong.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.UnsafeInline, csp.RequestNonce}
	right := policy.Recommended()
	right.CSP[csp.ScriptSrc] = []csp.Source{csp.Self, csp.RequestNonce}

	for _, p := range []policy.Policy{wrong, right} {
		fmt.Println(p.CSP[csp.ScriptSrc])
		for _, f := range policy.Lint(p) {
			if f.Severity >= policy.Warning {
				fmt.Println("  ", f)
			}
		}
	}
	// Output:
	// ['self' 'unsafe-inline' 'nonce-{nonce}']
	//    warning: csp.script-src: 'unsafe-inline' next to a nonce or hash: CSP2+ browsers ignore it, older ones run every inline script (fix: remove 'unsafe-inline')
	// ['self' 'nonce-{nonce}']
}
