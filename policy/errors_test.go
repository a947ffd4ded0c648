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

// TestErrorMessages pins the exact text of the errors of Validate for a
// table of bad inputs (secureheaders' TestParseErrorMessages does the same
// for the configuration file), and checks each concrete fix they
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
		p    *policy.Policy
		want []string
		// The input with the suggested fixes applied; nil when every fix
		// is advice rather than a value to write.
		fixedP *policy.Policy
	}{
		{
			name:   "report-to without an endpoint",
			p:      ptr(reportTo("csp")),
			want:   []string{`csp.report-to[0]: browsers would drop the reports: no Reporting-Endpoints entry for group "csp" (add ReportingEndpoints{"csp": "https://example.com/csp-report"}; in a config file, "Reporting-Endpoints": {"csp": "/csp-report"})`},
			fixedP: ptr(withEndpoint(reportTo("csp"), "csp", "https://example.com/csp-report")),
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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := policy.Validate(*tt.p)
			got := errorLines(err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for e := range policy.AllErrors(err) {
				checkMessage(t, e)
			}
			if tt.fixedP != nil {
				if err := policy.Validate(*tt.fixedP); err != nil {
					t.Errorf("the suggested fix is refused: %v", err)
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
