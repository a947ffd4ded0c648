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
		CrossDomainPolicies: "all",
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
