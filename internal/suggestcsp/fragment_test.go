package suggestcsp_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
)

// TestFragmentDecodes: the fragment is a configuration the decoder accepts
// on its own, and it adds what the suggestion says.
func TestFragmentDecodes(t *testing.T) {
	app := policy.Policy{CSP: csp.MustParse("default-src 'self'"), CSPReportOnly: csp.MustParse("default-src 'self'; script-src 'self' 'nonce-{nonce}'")}
	s := suggestcsp.Suggest(app, []suggestcsp.Route{{Pattern: "/embed/", Policy: app}}, []suggestcsp.Violation{
		{Disposition: "report", Directive: "script-src-elem", Blocked: "https://cdn.example", Path: "/", Count: 1},
		{Disposition: "enforce", Directive: "img-src", Blocked: "https://img.example", Path: "/", Count: 1},
		{Disposition: "report", Directive: "frame-src", Blocked: "https://video.example", Path: "/embed/x", Count: 1},
		{Disposition: "report", Directive: "style-src-elem", Blocked: "inline", Path: "/embed/x", Count: 1},
	})
	want := `{
  "update": {
    "Content-Security-Policy": {
      "img-src": ["https://img.example"]
    },
    "Content-Security-Policy-Report-Only": {
      "script-src": ["https://cdn.example"]
    }
  },
  "routes": {
    "/embed/": {"update": {
      "Content-Security-Policy-Report-Only": {
        "frame-src": ["https://video.example"],
        "style-src": ["nonce"]
      }
    }}
  }
}
`
	frag := s.Fragment()
	if diff := cmp.Diff(want, string(frag)); diff != "" {
		t.Errorf("fragment (-want +got):\n%s", diff)
	}
	opts, err := secureheaders.ParseConfig(frag)
	if err != nil {
		t.Fatalf("the fragment does not decode: %v", err)
	}
	if got := opts.Policy.CSPReportOnly.String(); got != "script-src https://cdn.example" {
		t.Errorf("decoded report-only CSP %q", got)
	}
	if got := string(suggestcsp.Suggestion{}.Fragment()); got != "{}\n" {
		t.Errorf("empty fragment %q", got)
	}
}
