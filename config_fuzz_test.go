package secureheaders_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

// FuzzParseConfig checks that ParseConfig never panics; that every error
// is a *policy.Error with a printable line (no control byte, valid UTF-8,
// a path quoted when it needs to be); and that whatever it accepts builds an
// engine, with the app and every route compiling into header values
// without CR, LF or NUL.
func FuzzParseConfig(f *testing.F) {
	for _, name := range []string{"design-example.json", "flask-readme.json", "broken.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "config", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		`{"routes": {"GET /healthz": {"hostCheck": false, "redirect": false}}, "https": {"allowedHosts": ["example.com", "10.0.0.0/8", "2001:db8::/32"], "canonicalHost": "example.com", "upgradeLocation": true}}`,
		`{"cookies": {"secure": true, "sameSite": "Lax", "rules": [{"names": ["_session", "__Host-*"], "secure": true, "sameSite": "Strict"}, {"names": ["*"], "skip": true}]}}`,
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
		`{"https": {"redirect": true, "port": 1e3, "DEVELOPMENT": true, "allowedHoſts": ["a"]}, "trustedProxies": ["10.0.0.0/8"]}`,
		`{"cookies": {"sameSite": "lax", "secure": true, "secure": true}, "reports": {"dedupWindow": "1m", "maxBytes": -0}}`,
		"{\"update\": {\"Cache-Control\": \"no-store\\r\\nX: y\"}}",
		"{\"update\": {\"CSP\": {\"script-src\": [\"a\\u0000b\"]}}}",
		"{\"\\ud800\": 1, \"a\x01\": [[[[1.5e999]]]]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opts, err := secureheaders.ParseConfig(data)
		if err != nil {
			if opts != nil {
				t.Fatalf("ParseConfig returned Options with an error: %v", err)
			}
			for e := range policy.AllErrors(err) {
				if e.Reason == "" {
					t.Fatalf("error without a reason: %#v", e)
				}
				s := e.Error()
				if !utf8.ValidString(s) || strings.ContainsFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }) {
					t.Fatalf("error line %q is not printable", s)
				}
			}
			return
		}
		sh, err := secureheaders.New(opts)
		if err != nil {
			t.Fatalf("ParseConfig accepted options New refuses: %v", err)
		}
		sh.Close()
		check := func(what string, p policy.Policy) {
			set, err := render.Compile(p)
			if err != nil {
				t.Fatalf("%s: ParseConfig accepted a policy that does not compile: %v", what, err)
			}
			for _, secure := range []bool{true, false} {
				for _, fl := range set.Fields(secure) {
					if strings.ContainsAny(fl.Name+fl.Value, "\r\n\x00") {
						t.Fatalf("%s: header %q has a control byte: %q", what, fl.Name, fl.Value)
					}
				}
			}
		}
		check("app", *opts.Policy)
		for _, r := range opts.Routes {
			p, err := r.Override.Apply(*opts.Policy)
			if err != nil {
				t.Fatalf("route %q: ParseConfig accepted an override that fails: %v", r.Pattern, err)
			}
			check("route "+r.Pattern, p)
		}
	})
}
