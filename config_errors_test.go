package secureheaders_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// cfgCase is one configuration and the exact errors ParseConfig returns.
type cfgCase struct {
	name string
	js   string
	want []string
	// fixedJS is js with every suggested value applied as written; it must
	// be accepted. Empty when the fixes are advice rather than values.
	fixedJS string
}

// runCfgCases checks each case's exact error lines, the rules every
// message follows, and that each suggested fix is accepted.
func runCfgCases(t *testing.T, tests []cfgCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, err := secureheaders.ParseConfig([]byte(tt.js))
			got := cfgErrors(err)
			if os.Getenv("DUMP") != "" {
				for _, l := range got {
					fmt.Printf("DUMP\t%s\t%s\n", tt.name, l)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: errors (-want +got):\n%s", tt.js, diff)
			}
			if err != nil && opts != nil {
				t.Errorf("Options = %+v with an error, want nil", opts)
			}
			for e := range policy.AllErrors(err) {
				checkMessage(t, e)
			}
			if tt.fixedJS != "" {
				if _, err := secureheaders.ParseConfig([]byte(tt.fixedJS)); err != nil {
					t.Errorf("the suggested fix %s is refused: %v", tt.fixedJS, err)
				}
			}
		})
	}
}

// checkMessage fails t if e names a Go type, prints its path twice or is
// not a *policy.Error.
func checkMessage(t *testing.T, e *policy.Error) {
	t.Helper()
	s := e.Error()
	for _, leak := range []string{"json:", "Go value", "Go struct", "map[", "[]string", "json.RawMessage", "*policy.", "*csp.", "*hsts.", "*hpkp.", ".go:"} {
		if strings.Contains(s, leak) {
			t.Errorf("%q leaks %q", s, leak)
		}
	}
	if e.Path != "" && strings.Contains(e.Reason+e.Fix, e.Path) {
		t.Errorf("%q prints its path twice", s)
	}
	if i := strings.Index(e.Path, "."); i > 0 {
		if head := e.Path[:i+1]; strings.Contains(e.Path[i+1:], head) {
			t.Errorf("%q has a doubled path", s)
		}
	}
	var target *policy.Error
	if !errors.As(error(e), &target) {
		t.Errorf("%q is not a *policy.Error", s)
	}
}

// TestParseErrorMessages pins the text of the decoder's errors for a table
// of bad inputs, and checks each concrete fix they suggest.
func TestParseErrorMessages(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{
			name:    "report-to without an endpoint, in a config file",
			js:      `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "report-to": ["csp"]}}}`,
			want:    []string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`},
			fixedJS: `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "report-to": ["csp"]}, "Reporting-Endpoints": {"csp": "/csp-report"}}}`,
		},
		{
			name: "not a JSON object",
			js:   `["update"]`,
			want: []string{`the configuration must be a JSON object, got a list (write {"preset": "recommended", "update": {…}})`},
		},
		{
			name: "truncated JSON",
			js:   `{"update": {`,
			want: []string{`update: invalid JSON at line 1, column 13: unexpected end of input (the file ends inside a list, object or string: close it)`},
		},
		{
			name:    "route key misspelt",
			js:      `{"routes": {"/a/": {"updates": {"CSP": {"script-src": ["self"]}}}}}`,
			want:    []string{`routes./a/.updates: unknown key (did you mean "update"?)`},
			fixedJS: `{"routes": {"/a/": {"update": {"CSP": {"script-src": ["self"]}}}}}`,
		},
		{
			name:    "route redirect of the wrong type",
			js:      `{"routes": {"/a/": {"redirect": "no"}}}`,
			want:    []string{`routes./a/.redirect: must be a boolean, got a string (write true or false)`},
			fixedJS: `{"routes": {"/a/": {"redirect": false}}}`,
		},
		{
			name:    "route update of the wrong type",
			js:      `{"routes": {"/a/": {"update": 1}}}`,
			want:    []string{`routes./a/.update: must be an object of header names to policies, got a number (write {"CSP": {"script-src": ["self"]}})`},
			fixedJS: `{"routes": {"/a/": {"update": {"CSP": {"script-src": ["self"]}}}}}`,
		},
		{
			name:    "top-level key misspelt",
			js:      `{"updates": {"CSP": {"script-src": ["self"]}}}`,
			want:    []string{`updates: unknown key (did you mean "update"?)`},
			fixedJS: `{"update": {"CSP": {"script-src": ["self"]}}}`,
		},
		{
			name:    "header misspelt",
			js:      `{"update": {"X-Frame-Option": "DENY"}}`,
			want:    []string{`update.X-Frame-Option: unknown header (did you mean "X-Frame-Options"?)`},
			fixedJS: `{"update": {"X-Frame-Options": "DENY"}}`,
		},
		{
			name:    "removed header misspelt",
			js:      `{"remove": ["X-Download-Option"]}`,
			want:    []string{`remove[0]: unknown header "X-Download-Option" (did you mean "X-Download-Options"?)`},
			fixedJS: `{"remove": ["X-Download-Options"]}`,
		},
		{
			name:    "HSTS key misspelt, flag of the wrong type",
			js:      `{"update": {"HSTS": {"includeSubdomain": true, "preload": "yes"}}}`,
			want:    []string{`update.HSTS.includeSubdomain: unknown key (did you mean "includeSubDomains"?)`, `update.HSTS.preload: must be a boolean, got a string (write true or false)`},
			fixedJS: `{"update": {"HSTS": {"includeSubDomains": true, "preload": false}}}`,
		},
		{
			name:    "max-age words",
			js:      `{"update": {"HSTS": {"max-age": "a year"}}}`,
			want:    []string{`update.HSTS.max-age: must be a whole number of seconds, got "a year" (write e.g. 31536000 for a year)`},
			fixedJS: `{"update": {"HSTS": {"max-age": 31536000}}}`,
		},
		{
			name:    "max-age negative",
			js:      `{"update": {"HSTS": {"max-age": -1}}}`,
			want:    []string{`update.HSTS.max-age: must not be negative, got "-1" (use 0 to expire the policy, or a positive number of seconds)`},
			fixedJS: `{"update": {"HSTS": {"max-age": 0}}}`,
		},
		{
			name:    "CSP keyword misspelt in a route",
			js:      `{"routes": {"/a/": {"update": {"CSP": {"script-src": ["unsafe-inlin"]}}}}}`,
			want:    []string{`routes./a/.update.CSP.script-src[0]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`},
			fixedJS: `{"routes": {"/a/": {"update": {"CSP": {"script-src": ["unsafe-inline"]}}}}}`,
		},
		{
			name:    "HSTS header string in a config file",
			js:      `{"update": {"HSTS": "max-age=1; includeSubDomain"}}`,
			want:    []string{`update.HSTS.includeSubDomain: unknown directive (did you mean "includeSubDomains"?)`},
			fixedJS: `{"update": {"HSTS": "max-age=1; includeSubDomains"}}`,
		},
		{
			name: "injection in a CSP source",
			js:   `{"update": {"CSP": {"script-src": ["self; object-src *"]}}}`,
			want: []string{`update.CSP.script-src[0]: byte ';' at offset 4 is not allowed in the source "self; object-src *" (write one source per list item, without spaces, ';' or ',')`},
		},
	})
}

// TestParseDuplicateKeys checks that a key given twice in one object is an
// error, counting as one key the spellings each section declares the same.
func TestParseDuplicateKeys(t *testing.T) {
	runCfgCases(t, []cfgCase{
		// Exact keys: encoding/json would silently keep the last one.
		{name: "top-level key twice", js: `{"preset": "strict", "preset": "none"}`, want: []string{`preset: key given twice (keep one of them)`}},
		{name: "https key twice", js: `{"https": {"allowedHosts": ["a.example"], "allowedHosts": ["b.example"]}}`, want: []string{`https.allowedHosts: key given twice (keep one of them)`}},
		{name: "cookies key twice", js: `{"cookies": {"secure": true, "secure": false}}`, want: []string{`cookies.secure: key given twice (keep one of them)`}},
		{name: "reports key twice", js: `{"reports": {"maxBytes": 1024, "maxBytes": 2048}}`, want: []string{`reports.maxBytes: key given twice (keep one of them)`}},
		{name: "update twice", js: `{"update": {"CSP": {"script-src": ["self"]}}, "update": {"X-Frame-Options": "DENY"}}`, want: []string{`update: key given twice (keep one of them)`}},
		{name: "route twice", js: `{"routes": {"/a/": {"remove": ["HSTS"]}, "/a/": {"remove": ["CSP"]}}}`, want: []string{`routes./a/: key given twice (keep one of them)`}},
		{name: "route key twice", js: `{"routes": {"/a/": {"remove": ["HSTS"], "remove": ["CSP"]}}}`, want: []string{`routes./a/.remove: key given twice (keep one of them)`}},
		// Header names: case, '_' and '-', aliases.
		{name: "header name twice", js: `{"update": {"X-Frame-Options": "DENY", "X-Frame-Options": "SAMEORIGIN"}}`, want: []string{`update.X-Frame-Options: key given twice (keep one of them)`}},
		{name: "header name in another case", js: `{"update": {"X-Frame-Options": "DENY", "x-frame-options": "SAMEORIGIN"}}`, want: []string{`update.x-frame-options: key given twice, also as "X-Frame-Options" (keep one of them)`}},
		{name: "header name with underscores", js: `{"update": {"X-Frame-Options": "DENY", "X_Frame_Options": "SAMEORIGIN"}}`, want: []string{`update.X_Frame_Options: key given twice, also as "X-Frame-Options" (keep one of them)`}},
		{name: "header and its alias", js: `{"update": {"CSP": {"script-src": ["self"]}, "Content-Security-Policy": {"img-src": ["self"]}}}`, want: []string{`update.Content-Security-Policy: key given twice, also as "CSP" (keep one of them)`}},
		{name: "HSTS alias and name", js: `{"rewrite": {"HSTS": {"max-age": 1}, "Strict_Transport_Security": {"max-age": 2}}}`, want: []string{`rewrite.Strict_Transport_Security: key given twice, also as "HSTS" (keep one of them)`}},
		{name: "HPKP and its report-only name", js: `{"update": {"HPKP": null, "Public-Key-Pins-Report-Only": null}}`, want: []string{`update.Public-Key-Pins-Report-Only: key given twice, also as "HPKP" (keep one of them)`}},
		// A header's own keys.
		{name: "CSP directive in another case", js: `{"update": {"CSP": {"script-src": ["self"], "Script-Src": ["https://cdn.example"]}}}`, want: []string{`update.CSP.Script-Src: key given twice, also as "script-src" (keep one of them)`}},
		{name: "CSP report-only and read-only", js: `{"update": {"CSP": {"report-only": true, "read-only": false}}}`, want: []string{`update.CSP.read-only: key given twice, also as "report-only" (keep one of them)`}},
		{name: "HSTS max-age and maxage", js: `{"update": {"HSTS": {"max-age": 60, "maxage": 120}}}`, want: []string{`update.HSTS.maxage: key given twice, also as "max-age" (keep one of them)`}},
		{name: "HSTS includeSubDomains spellings", js: `{"update": {"HSTS": {"includeSubDomains": true, "include_subdomains": false}}}`, want: []string{`update.HSTS.include_subdomains: key given twice, also as "includeSubDomains" (keep one of them)`}},
		{name: "HPKP report-only spellings", js: `{"update": {"HPKP": {"report-only": true, "report_only": false}}}`, want: []string{`update.HPKP.report_only: key given twice, also as "report-only" (keep one of them)`}},
		{name: "Permissions-Policy feature twice", js: `{"update": {"Permissions-Policy": {"camera": [], "camera": ["self"]}}}`, want: []string{`update.Permissions-Policy.camera: key given twice (keep one of them)`}},
		{name: "seed dict value twice", js: `{"update": {"X-Frame-Options": {"value": "DENY", "value": "SAMEORIGIN"}}}`, want: []string{`update.X-Frame-Options.value: key given twice (keep one of them)`}},
	})
}

// TestParseExactKeys checks that the keys of the top level, https, cookies,
// reports and routes match exactly: no case folding (encoding/json's),
// no Unicode folding (U+017F LATIN SMALL LETTER LONG S folds to "s").
func TestParseExactKeys(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{name: "flask-secure-headers top-level read-only", js: `{"read-only": true}`, want: []string{`read-only: unknown key: report-only belongs to one header (write it inside the header: {"update": {"CSP": {"report-only": true}}})`}, fixedJS: `{"update": {"CSP": {"report-only": true}}}`},
		{name: "top level upper case", js: `{"PRESET": "strict"}`, want: []string{`PRESET: unknown key (did you mean "preset"? keys are case-sensitive)`}, fixedJS: `{"preset": "strict"}`},
		{name: "top level long s", js: `{"reportſ": {}}`, want: []string{`"report\u017f": unknown key (did you mean "reports"?)`}, fixedJS: `{"reports": {}}`},
		{name: "https upper case", js: `{"https": {"DEVELOPMENT": true}}`, want: []string{`https.DEVELOPMENT: unknown key (did you mean "development"? keys are case-sensitive)`}, fixedJS: `{"https": {"development": true}}`},
		{name: "https long s", js: `{"https": {"allowedHoſts": ["example.com"]}}`, want: []string{`"https.allowedHo\u017fts": unknown key (did you mean "allowedHosts"?)`}, fixedJS: `{"https": {"allowedHosts": ["example.com"]}}`},
		{name: "https snake case", js: `{"https": {"proxy_header": "X-Forwarded-Proto"}}`, want: []string{`https.proxy_header: unknown key (did you mean "proxyHeader"?)`}},
		{name: "cookies case", js: `{"cookies": {"HttpOnly": true}}`, want: []string{`cookies.HttpOnly: unknown key (did you mean "httpOnly"? keys are case-sensitive)`}, fixedJS: `{"cookies": {"httpOnly": true}}`},
		{name: "reports case", js: `{"reports": {"maxbytes": 1024}}`, want: []string{`reports.maxbytes: unknown key (did you mean "maxBytes"? keys are case-sensitive)`}, fixedJS: `{"reports": {"maxBytes": 1024}}`},
		{name: "route key case", js: `{"routes": {"/a/": {"Remove": ["HSTS"]}}}`, want: []string{`routes./a/.Remove: unknown key (did you mean "remove"? keys are case-sensitive)`}, fixedJS: `{"routes": {"/a/": {"remove": ["HSTS"]}}}`},
		{name: "https.trustedProxies (the v0.1 place) and the top level", js: `{"https": {"proxyHeader": "X-Forwarded-Proto", "trustedProxies": ["10.0.0.0/8"]}, "trustedProxies": ["10.0.0.0/8"]}`, want: []string{`https.trustedProxies: given twice, here and at the top level (one list serves the HTTPS check and the report receiver) (keep the top-level "trustedProxies" and delete this one)`},
			fixedJS: `{"https": {"proxyHeader": "X-Forwarded-Proto"}, "trustedProxies": ["10.0.0.0/8"]}`},
		{name: "reports.trustedProxies moved", js: `{"reports": {"trustedProxies": ["10.0.0.0/8"]}}`, want: []string{`reports.trustedProxies: moved to the top level of the file in v0.2 (write "trustedProxies": […] next to "reports", where the engine, the HTTPS check and the report receiver share it)`},
			fixedJS: `{"reports": {}, "trustedProxies": ["10.0.0.0/8"]}`},
		{name: "sameSite case", js: `{"cookies": {"sameSite": "lax"}}`, want: []string{`cookies.sameSite: unknown value "lax" (did you mean "Lax"? values are case-sensitive)`}, fixedJS: `{"cookies": {"sameSite": "Lax"}}`},
		{name: "nonIdempotent unknown", js: `{"https": {"nonIdempotent": "Refuse"}}`, want: []string{`https.nonIdempotent: unknown mode "Refuse" (use "redirect" (307/308), "pass" or "refuse" (403))`}},
	})
}

// TestParseIntegers checks that integers are digits only.
func TestParseIntegers(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{name: "max-age -0", js: `{"update": {"HSTS": {"max-age": -0}}}`, want: []string{`update.HSTS.max-age: must be written in digits only, got "-0" (write 0)`}, fixedJS: `{"update": {"HSTS": {"max-age": 0}}}`},
		{name: "max-age 1e3", js: `{"update": {"HSTS": {"max-age": 1e3}}}`, want: []string{`update.HSTS.max-age: must be written in digits only, got "1e3" (write 1000)`}, fixedJS: `{"update": {"HSTS": {"max-age": 1000}}}`},
		{name: "max-age 3.0", js: `{"update": {"HSTS": {"max-age": 3.0}}}`, want: []string{`update.HSTS.max-age: must be written in digits only, got "3.0" (write 3)`}, fixedJS: `{"update": {"HSTS": {"max-age": 3}}}`},
		{name: "max-age +1 is not JSON", js: `{"update": {"HSTS": {"max-age": +1}}}`, want: []string{`update.HSTS: invalid JSON at line 1, column 33: a number cannot start with "+"`}},
		{name: "max-age leading zero is not JSON", js: `{"update": {"HSTS": {"max-age": 01}}}`, want: []string{`update.HSTS: invalid JSON at line 1, column 33: a number cannot have a leading zero "01"`}},
		{name: "max-age -5", js: `{"update": {"HSTS": {"max-age": -5}}}`, want: []string{`update.HSTS.max-age: must not be negative, got "-5" (use 0 to expire the policy, or a positive number of seconds)`}, fixedJS: `{"update": {"HSTS": {"max-age": 0}}}`},
		{name: "max-age string 1e3", js: `{"update": {"HSTS": {"max-age": "1e3"}}}`, want: []string{`update.HSTS.max-age: must be written in digits only, got "1e3" (write 1000)`}, fixedJS: `{"update": {"HSTS": {"max-age": 1000}}}`},
		{name: "port 4.43e2", js: `{"https": {"port": 4.43e2}}`, want: []string{`https.port: must be written in digits only, got "4.43e2" (write 443)`}, fixedJS: `{"https": {"port": 443}}`},
		{name: "port negative", js: `{"https": {"port": -443}}`, want: []string{`https.port: must not be negative, got "-443" (use 1-65535, or 0 for the default port 443)`}},
		{name: "port too big", js: `{"https": {"port": 70000}}`, want: []string{`https.port: is not a TCP port, got "70000" (use 1-65535, or 0 for the default port 443)`}},
		{name: "port string", js: `{"https": {"port": "443"}}`, want: []string{`https.port: must be a TCP port number, got a string (use 1-65535, or 0 for the default port 443)`}},
		{name: "maxBytes 64e3", js: `{"reports": {"maxBytes": 64e3}}`, want: []string{`reports.maxBytes: must be written in digits only, got "64e3" (write 64000)`}, fixedJS: `{"reports": {"maxBytes": 64000}}`},
		{name: "burst fraction", js: `{"reports": {"burst": 2.5}}`, want: []string{`reports.burst: must be a number of requests, got "2.5" (write 50)`}},
		{name: "queueSize -0", js: `{"reports": {"queueSize": -0}}`, want: []string{`reports.queueSize: must be written in digits only, got "-0" (write 0)`}, fixedJS: `{"reports": {"queueSize": 0}}`},
		{name: "dedupWindow number", js: `{"reports": {"dedupWindow": 60}}`, want: []string{`reports.dedupWindow: must be a duration string, got a number (write a duration such as "1m" or "30s")`}, fixedJS: `{"reports": {"dedupWindow": "1m"}}`},
		{name: "dedupWindow words", js: `{"reports": {"dedupWindow": "a minute"}}`, want: []string{`reports.dedupWindow: must be a duration, got "a minute" (write a duration such as "1m" or "30s")`}, fixedJS: `{"reports": {"dedupWindow": "1m"}}`},
	})
}

// TestParseEmptyValues checks that an empty value is never silently
// nothing: it is an error whose fix says how to remove a header.
func TestParseEmptyValues(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{name: "empty CSP in a rewrite", js: `{"rewrite": {"CSP": {}}}`, want: []string{`rewrite.CSP: empty policy: no directive is sent (remove the header with null)`}, fixedJS: `{"rewrite": {"CSP": null}}`},
		{name: "CSP whose directives are all empty", js: `{"rewrite": {"CSP": {"script-src": [], "img-src": []}}}`, want: []string{`rewrite.CSP.script-src: empty source list (write ["none"] to allow nothing, or leave the directive out)`, `rewrite.CSP.img-src: empty source list (write ["none"] to allow nothing, or leave the directive out)`}, fixedJS: `{"rewrite": {"CSP": {"script-src": ["none"], "img-src": ["none"]}}}`},
		{name: "CSP directive false", js: `{"update": {"CSP": {"sandbox": false}}}`, want: []string{`update.CSP.sandbox: false sends nothing (leave the directive out; to drop it from the preset, rewrite the header without it)`}},
		{name: "CSP directive null", js: `{"update": {"CSP": {"frame-src": null, "img-src": ["self"]}}}`, want: []string{`update.CSP.frame-src: null sends nothing (leave the directive out; to drop it from the preset, rewrite the header without it)`}},
		{name: "CSP empty string", js: `{"update": {"CSP": ""}}`, want: []string{`update.CSP: empty value (remove the header with null)`}, fixedJS: `{"update": {"CSP": null}}`},
		{name: "empty Referrer-Policy list", js: `{"update": {"Referrer-Policy": []}}`, want: []string{`update.Referrer-Policy: empty list (remove the header with null)`}, fixedJS: `{"update": {"Referrer-Policy": null}}`},
		{name: "empty Referrer-Policy string", js: `{"update": {"Referrer-Policy": ""}}`, want: []string{`update.Referrer-Policy: empty value (remove the header with null)`}, fixedJS: `{"update": {"Referrer-Policy": null}}`},
		{name: "empty Clear-Site-Data", js: `{"update": {"Clear-Site-Data": []}}`, want: []string{`update.Clear-Site-Data: empty list (remove the header with null)`}, fixedJS: `{"update": {"Clear-Site-Data": null}}`},
		{name: "empty X-Frame-Options", js: `{"update": {"X-Frame-Options": ""}}`, want: []string{`update.X-Frame-Options: empty value (remove the header with null)`}, fixedJS: `{"update": {"X-Frame-Options": null}}`},
		{name: "empty seed dict", js: `{"update": {"X-Frame-Options": {}}}`, want: []string{`update.X-Frame-Options: missing "value" (write {"value": "…"}, or remove the header with null)`}, fixedJS: `{"update": {"X-Frame-Options": null}}`},
		{name: "empty seed value", js: `{"update": {"X-Frame-Options": {"value": ""}}}`, want: []string{`update.X-Frame-Options.value: empty value (remove the header with null)`}, fixedJS: `{"update": {"X-Frame-Options": null}}`},
		{name: "empty Permissions-Policy", js: `{"update": {"Permissions-Policy": {}}}`, want: []string{`update.Permissions-Policy: empty object (remove the header with null)`}, fixedJS: `{"update": {"Permissions-Policy": null}}`},
		{name: "empty Reporting-Endpoints", js: `{"update": {"Reporting-Endpoints": {}}}`, want: []string{`update.Reporting-Endpoints: empty object (remove the header with null)`}, fixedJS: `{"update": {"Reporting-Endpoints": null}}`},
		{name: "empty HSTS", js: `{"update": {"HSTS": {}}}`, want: []string{`update.HSTS: empty object (give "max-age", or remove the header with null)`}, fixedJS: `{"update": {"HSTS": null}}`},
		{name: "empty HPKP", js: `{"update": {"HPKP": {}}}`, want: []string{`update.HPKP: empty object (remove the header with null)`}, fixedJS: `{"update": {"HPKP": null}}`},
		{name: "empty X-XSS-Protection", js: `{"update": {"X-XSS-Protection": {}}}`, want: []string{`update.X-XSS-Protection: empty object (remove the header with null)`}, fixedJS: `{"update": {"X-XSS-Protection": null}}`},
		{name: "empty update", js: `{"update": {}}`, want: []string{`update: empty object (leave the key out, or write {"CSP": {"script-src": ["self"]}})`}},
		{name: "empty remove", js: `{"remove": []}`, want: []string{`remove: empty list (list the headers to drop, or leave the key out)`}},
		{name: "empty routes", js: `{"routes": {}}`, want: []string{`routes: empty object (leave the key out)`}},
		{name: "empty route", js: `{"routes": {"/a/": {}}}`, want: []string{`routes./a/: empty route (give it a rewrite, an update, a remove, "redirect": false or "hostCheck": false, or leave the route out)`}},
		{name: "HSTS rewrite without max-age", js: `{"rewrite": {"HSTS": {"includeSubDomains": true}}}`, want: []string{`rewrite.HSTS: "max-age" is missing (add "max-age": 31536000 (one year), or "max-age": 0 to make browsers forget the host)`},
			fixedJS: `{"rewrite": {"HSTS": {"includeSubDomains": true, "max-age": 31536000}}}`},
		{name: "HSTS update without a base max-age", js: `{"preset": "none", "update": {"HSTS": {"includeSubDomains": true}}}`, want: []string{`update.HSTS: "max-age" is missing (add "max-age": 31536000 (one year), or "max-age": 0 to make browsers forget the host)`},
			fixedJS: `{"preset": "none", "update": {"HSTS": {"includeSubDomains": true, "max-age": 31536000}}}`},
	})
}

// TestHSTSGoAndJSON checks that a partial HSTS means the same in Go and in
// a configuration file: leaving max-age out keeps the base's, with no base
// it is an error (never max-age=0 by accident), and max-age=0 is sent only
// when asked for (hsts.Policy.Expire, "max-age": 0).
func TestHSTSGoAndJSON(t *testing.T) {
	hstsOf := func(p policy.Policy) string {
		for _, f := range p.Fields() {
			if f.Name == "Strict-Transport-Security" {
				return f.Value
			}
		}
		return ""
	}
	tests := []struct {
		name    string
		base    policy.Policy
		preset  string
		patch   hsts.Policy
		json    string // the "HSTS" object of an update
		want    string // the header, or "" with wantErr
		wantErr string // policy.Validate's error in Go; the decoder's is in TestParseEmptyValues
	}{
		{"flags only keep the base max-age", policy.Recommended(), "recommended",
			hsts.Policy{IncludeSubDomains: true, Preload: true}, `{"includeSubDomains": true, "preload": true}`,
			"max-age=31536000; includeSubDomains; preload", ""},
		{"a new max-age replaces it", policy.Recommended(), "recommended",
			hsts.Policy{MaxAge: 2 * hsts.OneYear, IncludeSubDomains: true}, `{"max-age": 63072000}`,
			"max-age=63072000; includeSubDomains", ""},
		{"expire on purpose", policy.Recommended(), "recommended",
			hsts.Policy{Expire: true, IncludeSubDomains: true}, `{"max-age": 0}`,
			"max-age=0; includeSubDomains", ""},
		{"no base: max-age is required", policy.None(), "none",
			hsts.Policy{IncludeSubDomains: true}, `{"includeSubDomains": true}`,
			"", "hsts.max-age: is missing: a zero MaxAge would send max-age=0, which makes browsers forget the host's HSTS state (set MaxAge, e.g. to hsts.OneYear, or set Expire to send max-age=0 on purpose)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goP := policy.Update(tt.base, policy.Policy{HSTS: &tt.patch})
			err := policy.Validate(goP)
			if diff := cmp.Diff(tt.wantErr, fmt.Sprint(cfgErrorOrEmpty(err))); diff != "" {
				t.Errorf("Go: Validate (-want +got):\n%s", diff)
			}
			opts, err := secureheaders.ParseConfig([]byte(`{"preset": "` + tt.preset + `", "update": {"HSTS": ` + tt.json + `}}`))
			if tt.wantErr != "" {
				if err == nil {
					t.Errorf("JSON: ParseConfig accepted %s", tt.json)
				}
				if _, err := secureheaders.New(&secureheaders.Options{Policy: &goP}); err == nil {
					t.Errorf("Go: New accepted the partial HSTS")
				}
				return
			}
			if err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if diff := cmp.Diff(tt.want, hstsOf(goP)); diff != "" {
				t.Errorf("Go (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, hstsOf(*opts.Policy)); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}
		})
	}

	// At run time, Engine.Update follows the same rule.
	sh, err := secureheaders.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Update(policy.Policy{HSTS: &hsts.Policy{Preload: true, IncludeSubDomains: true}}); err != nil {
		t.Fatal(err)
	}
	if got, want := hstsOf(sh.Policy()), "max-age=31536000; includeSubDomains; preload"; got != want {
		t.Errorf("Engine.Update: HSTS %q, want %q", got, want)
	}
}

func cfgErrorOrEmpty(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestHeaderDecoders checks that every header of policy.Headers() decodes
// from its name, and that the decoder's names and aliases name the same
// header as policy.Remove's.
func TestHeaderDecoders(t *testing.T) {
	values := map[string]string{
		"Content-Security-Policy":             `{"default-src": ["self"]}`,
		"Content-Security-Policy-Report-Only": `{"default-src": ["self"]}`,
		"Reporting-Endpoints":                 `{"csp": "/r"}`,
		"Strict-Transport-Security":           `{"max-age": 60}`,
		"Public-Key-Pins":                     `{"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}]}`,
		"X-Frame-Options":                     `"DENY"`,
		"X-Content-Type-Options":              `"nosniff"`,
		"Referrer-Policy":                     `"no-referrer"`,
		"Permissions-Policy":                  `{"camera": []}`,
		"Cross-Origin-Opener-Policy":          `"same-origin"`,
		"Cross-Origin-Embedder-Policy":        `"require-corp"`,
		"Cross-Origin-Resource-Policy":        `"same-site"`,
		"Origin-Agent-Cluster":                `true`,
		"X-XSS-Protection":                    `0`,
		"X-DNS-Prefetch-Control":              `false`,
		"X-Download-Options":                  `"noopen"`,
		"X-Permitted-Cross-Domain-Policies":   `"none"`,
		"Clear-Site-Data":                     `["cache"]`,
		"Cache-Control":                       `"no-store"`,
	}
	for _, name := range policy.Headers() {
		t.Run(name, func(t *testing.T) {
			v, ok := values[name]
			if !ok {
				t.Fatalf("no test value for %s", name)
			}
			js := `{"preset": "none", "update": {"` + name + `": ` + v + `}}`
			opts, err := secureheaders.ParseConfig([]byte(js))
			if err != nil {
				t.Fatalf("%s: %v", js, err)
			}
			if len(opts.Policy.Fields()) != 1 {
				t.Errorf("%s: fields %+v, want one header", js, opts.Policy.Fields())
			}
			// null removes exactly what policy.Remove removes.
			for _, alias := range []string{name, "CSP", "CSP-Report-Only", "HSTS", "HPKP", "Public-Key-Pins-Report-Only"} {
				byRemove, err := policy.Remove(*opts.Policy, alias)
				if err != nil {
					t.Fatal(err)
				}
				byNull, err := secureheaders.ParseConfig([]byte(`{"preset": "none", "update": {"` + name + `": ` + v + `}, "remove": ["` + alias + `"]}`))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(byRemove, *byNull.Policy); diff != "" {
					t.Errorf("remove %q (-policy.Remove +decoder):\n%s", alias, diff)
				}
			}
		})
	}
}

// TestParseRouteRewrite: a route's "rewrite" and "replaceDirectives" are
// decoded as strictly as the top level's, with the route in every path,
// and problems are reported in the order of the file even though layered
// routes are decoded least specific first.
func TestParseRouteRewrite(t *testing.T) {
	runCfgCases(t, []cfgCase{
		{
			name: "empty rewrite",
			js:   `{"routes": {"/a/": {"rewrite": {}}}}`,
			want: []string{`routes./a/.rewrite: empty object (leave the key out, or write {"CSP": {"script-src": ["self"]}})`},
		},
		{
			name: "empty directive in a rewrite",
			js:   `{"routes": {"/a/": {"rewrite": {"CSP": {"default-src": []}}}}}`,
			want: []string{`routes./a/.rewrite.CSP.default-src: empty source list (write ["none"] to allow nothing, or leave the directive out)`},
		},
		{
			name:    "invalid source in a rewrite names the route and the directive",
			js:      `{"routes": {"/api/": {"rewrite": {"CSP": {"default-src": ["nonee"]}}}}}`,
			want:    []string{`routes./api/.rewrite.CSP.default-src[0]: unknown keyword "nonee" (did you mean "none"?)`},
			fixedJS: `{"routes": {"/api/": {"rewrite": {"CSP": {"default-src": ["none"]}}}}}`,
		},
		{
			name: "replaceDirectives with another header",
			js:   `{"routes": {"/a/": {"replaceDirectives": {"X-Frame-Options": "DENY"}}}}`,
			want: []string{`routes./a/.replaceDirectives.X-Frame-Options: holds CSP directives only (move the header to Rewrite (replace it whole) or Update (add to it))`},
		},
		{
			name: "replaceDirectives with null",
			js:   `{"routes": {"/a/": {"replaceDirectives": {"CSP": null}}}}`,
			want: []string{`routes./a/.replaceDirectives: holds CSP directives only: null and "report-only" are not accepted here (write {"CSP": {"script-src": ["self", "sha256-…"]}}; remove a header with "remove")`},
		},
		{
			name: "errors in file order across layers",
			js:   `{"routes": {"/a/b/": {"remove": ["X-Frame-Option"]}, "/a/": {"remove": ["HST"]}}}`,
			want: []string{
				`routes./a/b/.remove[0]: unknown header "X-Frame-Option" (did you mean "X-Frame-Options"?)`,
				`routes./a/.remove[0]: unknown header "HST" (did you mean "HSTS"?)`,
			},
		},
	})
}
