package policy

import (
	"fmt"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
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
			errs = append(errs, cfgerr.Prefix(h.key, err))
		}
	}
	errs = append(errs, checkReportTo("csp", p.CSP, p.ReportingEndpoints)...)
	errs = append(errs, checkReportTo("csp-report-only", p.CSPReportOnly, p.ReportingEndpoints)...)
	return cfgerr.Join(errs)
}

func checkReportTo(key string, c csp.Policy, endpoints ReportingEndpoints) []error {
	var errs []error
	for i, s := range c[csp.ReportTo] {
		if _, ok := endpoints[s.Value]; !ok {
			errs = append(errs, &Error{
				Path:   fmt.Sprintf("%s.report-to[%d]", key, i),
				Value:  s.Value,
				Reason: "browsers would drop the reports: no Reporting-Endpoints entry for group",
				Fix:    reportToFix(s.Value),
			})
		}
	}
	return errs
}

// reportToFix says how to give group a Reporting-Endpoints entry. The entry
// is suggested only when it validates; a group that cannot be an endpoint
// name (upper case, ';', a space…) must be renamed first.
func reportToFix(group string) string {
	if (ReportingEndpoints{group: reportToFixURL}).validate() == nil {
		return fmt.Sprintf("add ReportingEndpoints{%q: %q}; in a config file, \"Reporting-Endpoints\": {%q: %q}",
			group, reportToFixURL, group, reportToFixPath)
	}
	return fmt.Sprintf("rename the group to a lower-case endpoint name such as %q in report-to, and add ReportingEndpoints{%q: %q}",
		reportToFixName, reportToFixName, reportToFixURL)
}

// The endpoint reportToFix suggests.
const (
	reportToFixName = "csp-endpoint"
	reportToFixURL  = "https://example.com/csp-report"
	reportToFixPath = "/csp-report"
)
