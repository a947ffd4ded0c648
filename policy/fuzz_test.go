package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

// FuzzDecodeConfig checks that DecodeConfig never panics and that whatever
// it accepts compiles, for the app and every route, into header values
// without CR, LF or NUL.
func FuzzDecodeConfig(f *testing.F) {
	for _, name := range []string{"design-example.json", "flask-readme.json", "broken.json"} {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "config", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{}`, `null`, `[]`, `{"preset": "strict"}`, `{"preset": "none", "update": {"CSP": "default-src 'self'"}}`,
		`{"update": {"CSP": {"script-src": ["self", "nonce", "sha256-` + pinA + `"], "report-only": true}}}`,
		`{"update": {"CSP-Report-Only": {"default-src": ["none"]}, "CSP": {"read-only": true}}}`,
		`{"update": {"CSP": {"sandbox": true, "upgrade-insecure-requests": false, "img-src": [], "report-to": ["a"]}, "Reporting-Endpoints": {"a": "/r"}}}`,
		`{"update": {"HSTS": {"max-age": "60", "includeSubDomains": true, "preload": false}}}`,
		`{"update": {"HSTS": "max-age=63072000; includeSubDomains; preload"}}`,
		`{"update": {"HPKP": {"pins": [{"sha256": "` + pinA + `"}, {"sha256": "` + pinB + `"}], "max-age": 60, "report-uri": "/r", "read-only": true}}}`,
		`{"update": {"X-XSS-Protection": {"value": 1, "mode": false, "report": "/x"}}}`,
		`{"update": {"X-Frame-Options": "allow-from https://a.example", "Referrer-Policy": "no-referrer, origin"}}`,
		`{"update": {"Permissions-Policy": {"camera": [], "geolocation": ["self", "https://a.example"]}, "Clear-Site-Data": ["\"cache\""]}}`,
		`{"update": {"Origin-Agent-Cluster": true, "X-DNS-Prefetch-Control": false, "Cache-Control": "no-store, max-age=0"}}`,
		`{"rewrite": {"CSP": null}, "remove": ["HSTS"], "routes": {"/a/": {"update": {"CSP": {"frame-ancestors": ["none"]}}, "remove": ["X-Frame-Options"]}}}`,
		"{\"update\": {\"Cache-Control\": \"no-store\\r\\nX: y\"}}",
		"{\"update\": {\"CSP\": {\"script-src\": [\"a\\u0000b\"]}}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := policy.DecodeConfig(data)
		if err != nil {
			if cfg != nil {
				t.Fatalf("DecodeConfig returned a Config with an error: %v", err)
			}
			for e := range policy.AllErrors(err) {
				if e.Error() == "" {
					t.Fatalf("empty error in %v", err)
				}
			}
			return
		}
		check := func(what string, p policy.Policy) {
			set, err := render.Compile(p)
			if err != nil {
				t.Fatalf("%s: DecodeConfig accepted a policy that does not compile: %v", what, err)
			}
			for _, secure := range []bool{true, false} {
				for _, fl := range set.Fields(secure) {
					if strings.ContainsAny(fl.Name+fl.Value, "\r\n\x00") {
						t.Fatalf("%s: header %q has a control byte: %q", what, fl.Name, fl.Value)
					}
				}
			}
		}
		check("app", cfg.Policy)
		for _, r := range cfg.Routes {
			p, err := r.Override.Apply(cfg.Policy)
			if err != nil {
				t.Fatalf("route %q: DecodeConfig accepted an override that fails: %v", r.Pattern, err)
			}
			check("route "+r.Pattern, p)
		}
	})
}
