package suggestcsp_test

import (
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
)

// FuzzSuggest: whatever a (hostile) report group says, the fragment decodes
// as a configuration and adds nothing but host origins, the nonce, and
// data: in img-src.
func FuzzSuggest(f *testing.F) {
	f.Add("report", "script-src-elem", "https://cdn.example", "/", "alert(1)")
	f.Add("report", "img-src", "data:", "/a/b", "")
	f.Add("enforce", "style-src-elem", "inline", "/embed/x", "a{}")
	f.Add("report", "frame-src", "https://*.x", "/embed/", "")
	f.Add("report", "script-src", "'unsafe-inline'", "/%2e%2e/", "")
	app := policy.Policy{
		CSP:           csp.MustParse("default-src 'self'"),
		CSPReportOnly: csp.MustParse("default-src 'self'; script-src 'self' 'nonce-{nonce}'"),
	}
	routes := []suggestcsp.Route{{Pattern: "/embed/", Policy: app}, {Pattern: "GET /api/{id}", Policy: app}}
	f.Fuzz(func(t *testing.T, disposition, directive, blocked, path, sample string) {
		s := suggestcsp.Suggest(app, routes, []suggestcsp.Violation{{
			Disposition: disposition, Directive: directive, Blocked: blocked, Path: path, Count: 1,
			Samples: []suggestcsp.Sample{{SourceFile: path, Line: 1, Sample: sample}},
		}})
		frag := s.Fragment()
		opts, err := secureheaders.ParseConfig(frag)
		if err != nil {
			t.Fatalf("fragment does not decode: %v\n%s", err, frag)
		}
		check := func(p policy.Policy) {
			for _, c := range []csp.Policy{p.CSP, p.CSPReportOnly} {
				for d, srcs := range c {
					for _, src := range srcs {
						ok := src.Kind == csp.NonceSlot ||
							src.Kind == csp.Host && strings.Contains(src.Value, "://") && !strings.Contains(src.Value, "*") ||
							src.Kind == csp.Scheme && src.Value == "data:" && d == csp.ImgSrc
						if !ok {
							t.Fatalf("proposed %s in %s:\n%s", src, d, frag)
						}
					}
				}
			}
		}
		for _, r := range opts.Routes {
			check(r.Override.Update)
		}
		for _, tg := range s.Targets {
			check(tg.Add)
		}
	})
}
