package policy

import (
	"fmt"

	"github.com/secureheaders/secureheaders/csp"
)

// Validate reports every problem of p at once, joined with errors.Join; each
// is an *Error whose Path names the header ("csp.script-src[2]", "hsts.preload",
// "x-frame-options") and whose Fix says what to write instead. It returns nil
// for a policy that can be sent as it is. The zero Policy is valid.
//
// Besides each header's own grammar it checks that every CSP report-to group
// has a Reporting-Endpoints entry, so the two headers never disagree.
func Validate(p Policy) error {
	var errs []error
	for i := range headers {
		h := &headers[i]
		if !h.present(&p) {
			continue
		}
		if err := h.validate(&p); err != nil {
			errs = append(errs, prefix(h.key, err))
		}
	}
	errs = append(errs, checkReportTo("csp", p.CSP, p.ReportingEndpoints)...)
	errs = append(errs, checkReportTo("csp-report-only", p.CSPReportOnly, p.ReportingEndpoints)...)
	return joinErrs(errs)
}

func checkReportTo(key string, c csp.Policy, endpoints ReportingEndpoints) []error {
	var errs []error
	for i, s := range c[csp.ReportTo] {
		if _, ok := endpoints[s.Value]; !ok {
			errs = append(errs, &Error{
				Path:   fmt.Sprintf("%s.report-to[%d]", key, i),
				Reason: fmt.Sprintf("group %q has no Reporting-Endpoints entry, so browsers would drop the reports", s.Value),
				Fix:    fmt.Sprintf("add ReportingEndpoints{%q: \"https://example.com/csp-report\"} (config: \"Reporting-Endpoints\": {%q: \"/csp-report\"})", s.Value, s.Value),
			})
		}
	}
	return errs
}
