package hdrset_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/csp"
	render "github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/policy"
)

// FuzzCompileCSP compiles every CSP that csp.Parse accepts, as the enforced
// and the report-only policy, and checks what Write sends: no control byte,
// one fresh nonce in every slot of both headers, the compiled value parsing
// back to the same policy, and no upgrade-insecure-requests on plain HTTP.
func FuzzCompileCSP(f *testing.F) {
	for _, s := range []string{
		"default-src 'self'",
		"script-src 'self' nonce 'strict-dynamic'; object-src 'none'",
		"script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}' 'self'; upgrade-insecure-requests",
		"default-src 'none'; img-src https://cdn.example data:; frame-ancestors 'self' https://partner.example",
		"sandbox allow-scripts; report-uri /csp-report",
		"script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' nonce",
		"upgrade-insecure-requests",
		"default-src 'self';;; script-src\t'self'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		p, err := csp.Parse(header)
		if err != nil {
			return
		}
		set, err := render.Compile(policy.Policy{CSP: p, CSPReportOnly: p})
		if err != nil {
			return // Validate may refuse what parses (deprecated directives)
		}
		for _, secure := range []bool{true, false} {
			want := p.Clone()
			if !secure {
				delete(want, csp.UpgradeInsecureRequests)
			}
			h := http.Header{}
			n := set.Write(h, vo(secure), "")
			if want.HasNonce() != (n != "") || (n != "" && len(n) != render.NonceLen) {
				t.Fatalf("policy %q: nonce %q", header, n)
			}
			fields := set.Fields(vo(secure))
			for i, k := range set.Keys(vo(secure)) {
				v := h[k]
				if len(v) != 1 {
					t.Fatalf("%s: %d values", k, len(v))
				}
				for j := 0; j < len(v[0]); j++ {
					if c := v[0][j]; c < 0x20 || c == 0x7f {
						t.Fatalf("%s = %q: control byte %#x", k, v[0], c)
					}
				}
				if n != "" {
					if got := strings.ReplaceAll(v[0], "'nonce-"+n+"'", csp.NoncePlaceholder); got != fields[i].Value {
						t.Fatalf("%s\n sent %q\n  set %q", k, v[0], fields[i].Value)
					}
				} else if v[0] != fields[i].Value {
					t.Fatalf("%s\n sent %q\n  set %q", k, v[0], fields[i].Value)
				}
				back, err := csp.Parse(fields[i].Value)
				if err != nil {
					t.Fatalf("%s = %q does not parse back: %v", k, fields[i].Value, err)
				}
				if diff := cmp.Diff(want, back); diff != "" {
					t.Fatalf("%s = %q round trip (-want +got):\n%s", k, fields[i].Value, diff)
				}
			}
			if _, ok := h["Content-Security-Policy"]; ok != (len(want) > 0) {
				t.Fatalf("policy %q, secure=%v: CSP written %v, want %v", header, secure, ok, len(want) > 0)
			}
		}
	})
}
