package policy

import (
	"testing"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
)

// TestEmpty: Policy.empty, which Override.Apply uses instead of the
// registry, is false for a policy holding any one header (each header of
// the registry in turn) and true for one holding none.
func TestEmpty(t *testing.T) {
	full := Policy{
		CSP:                 csp.Policy{csp.DefaultSrc: {csp.Self}},
		CSPReportOnly:       csp.Policy{csp.DefaultSrc: {csp.Self}},
		ReportingEndpoints:  ReportingEndpoints{"csp": "/r"},
		HSTS:                &hsts.Policy{MaxAge: 1},
		HPKP:                &hpkp.Policy{},
		ReferrerPolicy:      ReferrerPolicy{"no-referrer"},
		PermissionsPolicy:   PermissionsPolicy{"camera": nil},
		ClearSiteData:       ClearSiteData{"cache"},
		FrameOptions:        "DENY",
		ContentTypeOptions:  "nosniff",
		OpenerPolicy:        "x",
		EmbedderPolicy:      "x",
		ResourcePolicy:      "x",
		OriginAgentCluster:  "x",
		XSSProtection:       "x",
		DNSPrefetchControl:  "x",
		DownloadOptions:     "x",
		CrossDomainPolicies: "x",
		CacheControl:        "x",
	}
	if !(&Policy{}).empty() {
		t.Error("the zero Policy is not empty")
	}
	for i := range headers {
		h := &headers[i]
		if !h.present(&full) {
			t.Fatalf("the test's full policy lacks %s: add it", h.name)
		}
		var p Policy
		h.copyFrom(&p, &full)
		if p.empty() {
			t.Errorf("a policy holding only %s is empty", h.name)
		}
	}
	if !(&Policy{CSP: csp.Policy{}, ReferrerPolicy: ReferrerPolicy{}}).empty() {
		t.Error("a policy holding empty lists, which send nothing, is not empty")
	}
}
