package secureheaders_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/secureheaders/secureheaders"
)

// A configuration starts from a preset, then applies rewrite, update and
// remove, in that order. null removes a header; false removes one
// parameter; "report-only" (or the README's "read-only") sends the CSP as
// Content-Security-Policy-Report-Only. The engine is then New(opts).
func ExampleParseConfig() {
	opts, err := secureheaders.ParseConfig([]byte(`{
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
	sh, err := secureheaders.New(opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := httptest.NewRecorder()
	sh.Handler(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	for _, name := range []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only", "Strict-Transport-Security", "X-XSS-Protection", "X-Download-Options"} {
		fmt.Printf("%s: %q\n", name, rec.Header().Get(name))
	}

	_, err = secureheaders.ParseConfig([]byte(`{"update": {"HSTS": {"max-age": -1, "preload": "yes"}, "X-Frame-Option": "DENY"},
		"https": {"DEVELOPMENT": true}, "reports": {"trustedProxies": ["10.0.0.0/8"]}}`))
	fmt.Println(err)
	// Output:
	// Content-Security-Policy: ""
	// Content-Security-Policy-Report-Only: "default-src 'self'; script-src 'self' code.jquery.com; report-uri /csp_report"
	// Strict-Transport-Security: ""
	// X-XSS-Protection: "1"
	// X-Download-Options: ""
	// update.HSTS.max-age: must not be negative, got "-1" (use 0 to expire the policy, or a positive number of seconds)
	// update.HSTS.preload: must be a boolean, got a string (write true or false)
	// update.X-Frame-Option: unknown header (did you mean "X-Frame-Options"?)
	// https.DEVELOPMENT: unknown key (did you mean "development"? keys are case-sensitive)
	// reports.trustedProxies: moved to the top level of the file in v0.2 (write "trustedProxies": […] next to "reports", where the engine, the HTTPS check and the report receiver share it)
}
