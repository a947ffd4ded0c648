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

// HSTS is a scalar for Update: a patch replaces the whole *hsts.Policy, so
// a patch that only means to add preload drops max-age to zero, which tells
// browsers to forget HSTS, and Lint says so. Copy the current value and
// change the field instead. (A JSON configuration's "update" is different:
// a partial HSTS object is read on top of the current one.)
func ExampleUpdate_incorrect() {
	base := policy.Recommended()

	wrong := policy.Update(base, policy.Policy{HSTS: &hsts.Policy{IncludeSubDomains: true}})
	fmt.Println("wrong:", wrong.HSTS)
	for _, f := range policy.Lint(wrong) {
		if f.Path == "hsts.max-age" {
			fmt.Println("      ", f)
		}
	}

	h := *base.HSTS // a copy: base is not changed
	h.Preload = true
	right := policy.Update(base, policy.Policy{HSTS: &h})
	fmt.Println("right:", right.HSTS)
	// Output:
	// wrong: max-age=0; includeSubDomains
	//        warning: hsts.max-age: max-age of 0 seconds is under a year (fix: use at least 31536000)
	// right: max-age=31536000; includeSubDomains; preload
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

// A configuration starts from a preset, then applies rewrite, update and
// remove, in that order. null removes a header; false removes one
// parameter; "report-only" (or the README's "read-only") sends the CSP as
// Content-Security-Policy-Report-Only.
func ExampleDecodeConfig() {
	cfg, err := policy.DecodeConfig([]byte(`{
		"preset": "flask-secure-headers",
		"update": {
			"CSP": {"script-src": ["self", "code.jquery.com"], "report-only": true},
			"X-XSS-Protection": {"value": 1, "mode": false},
			"HSTS": null
		},
		"remove": ["X-Download-Options"]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	printHeaders(cfg.Policy)

	_, err = policy.DecodeConfig([]byte(`{"update": {"HSTS": {"max-age": -1, "preload": "yes"}, "X-Frame-Option": "DENY"}}`))
	fmt.Println(err)
	// Output:
	// Content-Security-Policy-Report-Only: default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report
	// X-Frame-Options: SAMEORIGIN
	// X-Content-Type-Options: nosniff
	// X-XSS-Protection: 1
	// X-Permitted-Cross-Domain-Policies: none
	// update.X-Frame-Option: unknown header (did you mean "X-Frame-Options"?)
	// update.HSTS.max-age: must not be negative, got "-1" (use 0 to expire the policy, or a positive number of seconds)
	// update.HSTS.preload: must be a boolean (write true or false)
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
