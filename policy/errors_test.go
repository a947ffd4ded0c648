package policy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// TestErrorMessages pins the exact text of the errors of Validate and
// DecodeConfig for a table of bad inputs, and checks each concrete fix they
// suggest: fixed is the input with every suggested value applied as
// written, and it must be accepted. It also checks the rules every message
// follows: no Go type name, no path printed twice.
func TestErrorMessages(t *testing.T) {
	reportTo := func(group string) policy.Policy {
		return policy.Policy{CSP: csp.Policy{
			csp.DefaultSrc: {csp.Self},
			csp.ReportTo:   {{Kind: csp.Token, Value: group}},
		}}
	}
	withEndpoint := func(p policy.Policy, name, url string) policy.Policy {
		p.ReportingEndpoints = policy.ReportingEndpoints{name: url}
		return p
	}
	tests := []struct {
		name string
		p    *policy.Policy // validated when not nil
		js   string         // decoded when p is nil
		want []string
		// The input with the suggested fixes applied; nil (or "") when
		// every fix is advice rather than a value to write.
		fixedP  *policy.Policy
		fixedJS string
	}{
		{
			name:   "report-to without an endpoint",
			p:      ptr(reportTo("csp")),
			want:   []string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`},
			fixedP: ptr(withEndpoint(reportTo("csp"), "csp", "https://example.com/csp-report")),
		},
		{
			name:    "report-to without an endpoint, in a config file",
			js:      `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "report-to": ["csp"]}}}`,
			want:    []string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`},
			fixedJS: `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "report-to": ["csp"]}, "Reporting-Endpoints": {"csp": "/csp-report"}}}`,
		},
		{
			// "CSP" is a valid group name but not a valid endpoint name:
			// the entry the fix used to suggest would itself be refused.
			name:   "report-to group that cannot be an endpoint name",
			p:      ptr(reportTo("CSP")),
			want:   []string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "CSP" (rename the group to a lower-case endpoint name such as "csp-endpoint" in report-to, and add ReportingEndpoints{"csp-endpoint": "https://example.com/csp-report"})`},
			fixedP: ptr(withEndpoint(reportTo("csp-endpoint"), "csp-endpoint", "https://example.com/csp-report")),
		},
		{
			name: "report-to group holding ';'",
			p:    ptr(reportTo("a;b")),
			want: []string{
				`csp.report-to[0]: byte ';' not allowed in "a;b" (';' ends a directive; give one item per value)`,
				`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "a;b" (rename the group to a lower-case endpoint name such as "csp-endpoint" in report-to, and add ReportingEndpoints{"csp-endpoint": "https://example.com/csp-report"})`,
			},
			fixedP: ptr(withEndpoint(reportTo("csp-endpoint"), "csp-endpoint", "https://example.com/csp-report")),
		},
		{
			name:   "leaf paths are prefixed once",
			p:      &policy.Policy{HSTS: &hsts.Policy{MaxAge: 500}, HPKP: &hpkp.Policy{Pins: []hpkp.Pin{{Alg: "sha256", Hash: strings.Repeat("A", 43)}, {Alg: "sha256", Hash: pinB}}, MaxAge: 60e9}},
			want:   []string{`hsts.max-age: a MaxAge under one second truncates to max-age=0 and deletes the host's HSTS state; got "500ns" (did you mean 500 * time.Second? MaxAge is a time.Duration, not seconds)`, `hpkp.pins[0].sha256: the hash lacks its '=' padding (write "` + strings.Repeat("A", 43) + `=")`},
			fixedP: &policy.Policy{HSTS: &hsts.Policy{MaxAge: 500e9}, HPKP: &hpkp.Policy{Pins: []hpkp.Pin{{Alg: "sha256", Hash: strings.Repeat("A", 43) + "="}, {Alg: "sha256", Hash: pinB}}, MaxAge: 60e9}},
		},
		{
			name: "not a JSON object",
			js:   `["update"]`,
			want: []string{`the configuration must be a JSON object, got a list (write {"preset": "recommended", "update": {…}})`},
		},
		{
			name: "truncated JSON",
			js:   `{"update": {`,
			want: []string{`invalid JSON: unexpected end of input (write {"preset": "recommended", "update": {…}})`},
		},
		{
			name:    "route key misspelt",
			js:      `{"routes": {"/a/": {"updates": {}}}}`,
			want:    []string{`routes./a/.updates: unknown key (did you mean "update"?)`},
			fixedJS: `{"routes": {"/a/": {"update": {}}}}`,
		},
		{
			name:    "route redirect of the wrong type",
			js:      `{"routes": {"/a/": {"redirect": "no"}}}`,
			want:    []string{`routes./a/.redirect: must be a boolean, got a string (write {"update": {…}, "remove": […], "redirect": false})`},
			fixedJS: `{"routes": {"/a/": {"redirect": false}}}`,
		},
		{
			name:    "route update of the wrong type",
			js:      `{"routes": {"/a/": {"update": 1}}}`,
			want:    []string{`routes./a/.update: must be an object of header names to policies (write {"CSP": {"script-src": ["self"]}})`},
			fixedJS: `{"routes": {"/a/": {"update": {"CSP": {"script-src": ["self"]}}}}}`,
		},
		{
			name:    "top-level key misspelt",
			js:      `{"updates": {}}`,
			want:    []string{`updates: unknown key (did you mean "update"?)`},
			fixedJS: `{"update": {}}`,
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
			want:    []string{`update.HSTS.includeSubdomain: unknown key (did you mean "includeSubDomains"?)`, `update.HSTS.preload: must be a boolean (write true or false)`},
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.p != nil {
				err = policy.Validate(*tt.p)
			} else {
				_, err = policy.DecodeConfig([]byte(tt.js))
			}
			got := errorLines(err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for e := range policy.AllErrors(err) {
				checkMessage(t, e)
			}
			switch {
			case tt.fixedP != nil:
				if err := policy.Validate(*tt.fixedP); err != nil {
					t.Errorf("the suggested fix is refused: %v", err)
				}
			case tt.fixedJS != "":
				if _, err := policy.DecodeConfig([]byte(tt.fixedJS)); err != nil {
					t.Errorf("the suggested fix %s is refused: %v", tt.fixedJS, err)
				}
			}
		})
	}
}

// checkMessage fails t if e names a Go type, prints its path twice or has
// its offending text glued into Reason instead of Value.
func checkMessage(t *testing.T, e *policy.Error) {
	t.Helper()
	s := e.Error()
	for _, leak := range []string{"json:", "Go value", "Go struct", "map[", "[]string", "json.RawMessage", "*policy.", "*csp.", "*hsts.", "*hpkp."} {
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

func ptr[T any](v T) *T { return &v }
