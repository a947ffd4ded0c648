package bench

import (
	"bytes"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

func itoa(i int) string { return strconv.Itoa(i) }

// routePattern is the ServeMux pattern of route i: "/r07/".
func routePattern(i int) string { return "/r" + leftPad(i) + "/" }

func leftPad(i int) string {
	if i < 10 {
		return "0" + itoa(i)
	}
	return itoa(i)
}

// routeOverride is route i's change to the app policy: framing by its own
// partner, a CDN for images, no X-Frame-Options.
func routeOverride(i int) policy.Override {
	n := leftPad(i)
	return policy.Override{
		Update: policy.Policy{CSP: csp.Policy{
			csp.FrameAncestors: {{Kind: csp.Host, Value: "https://partner" + n + ".example"}},
			csp.ImgSrc:         {csp.Self, {Kind: csp.Host, Value: "https://cdn" + n + ".example"}},
		}},
		Remove: []string{"X-Frame-Options"},
	}
}

// configJSON is the app policy of the hot path and n routes as a JSON
// configuration file.
func configJSON(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{
  "preset": "none",
  "update": {
    "CSP": {"default-src": ["self"], "script-src": ["self", "nonce"], "object-src": ["none"],
            "base-uri": ["none"], "report-uri": ["/csp-report"]},
    "HSTS": {"max-age": 31536000, "includeSubDomains": true, "preload": true},
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": {"geolocation": [], "camera": []},
    "Cross-Origin-Opener-Policy": "same-origin"
  },
  "https": {"redirect": true, "permanent": true, "proxyHeader": "X-Forwarded-Proto"},
  "trustedProxies": ["10.0.0.0/8"],
  "routes": {`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		p := leftPad(i)
		b.WriteString("\n    \"" + routePattern(i) + `": {"update": {"CSP": {"frame-ancestors": ["https://partner` + p +
			`.example"], "img-src": ["self", "https://cdn` + p + `.example"]}}, "remove": ["X-Frame-Options"]}`)
	}
	b.WriteString("\n  }\n}\n")
	return b.Bytes()
}

// routesOptions is appOptions with n pattern routes.
func routesOptions(n int) *secureheaders.Options {
	o := appOptions(true)
	for i := range n {
		o.Routes = append(o.Routes, policy.Route{Pattern: routePattern(i), Override: routeOverride(i)})
	}
	return o
}

// compileWays are the three ways to build an engine with n routes.
var compileWays = []struct {
	name  string
	build func(tb testing.TB, n int, data []byte, opts *secureheaders.Options) *secureheaders.Engine
}{
	// config: secureheaders.ParseConfig + New, from the bytes (ParseConfig
	// checks the options as New does, so the engine is compiled twice).
	{"config", func(tb testing.TB, _ int, data []byte, _ *secureheaders.Options) *secureheaders.Engine {
		opts, err := secureheaders.ParseConfig(data)
		if err != nil {
			tb.Fatal(err)
		}
		return newEngine(tb, opts)
	}},
	// options: New with n Options.Routes.
	{"options", func(tb testing.TB, _ int, _ []byte, opts *secureheaders.Options) *secureheaders.Engine {
		return newEngine(tb, opts)
	}},
	// route: New, then n calls of Route (routes wrapped in code).
	{"route", func(tb testing.TB, n int, _ []byte, _ *secureheaders.Options) *secureheaders.Engine {
		sh := newEngine(tb, appOptions(true))
		for i := range n {
			if _, err := sh.Route(routeOverride(i)); err != nil {
				tb.Fatal(err)
			}
		}
		return sh
	}},
}

// BenchmarkCompile builds an engine with 0 or 50 routes, each way.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{0, 50} {
		data, opts := configJSON(n), routesOptions(n)
		for _, way := range compileWays {
			b.Run(benchName("routes", itoa(n), "from", way.name), func(b *testing.B) {
				b.ReportAllocs()
				cpu := startCPU()
				for b.Loop() {
					way.build(b, n, data, opts)
				}
				cpu.report(b)
			})
		}
	}
}

// TestCompileWays checks that the config and options ways build the same
// engine: the hot path's policy, and route 7's policy under /r07/.
func TestCompileWays(t *testing.T) {
	const n = 50
	data, opts := configJSON(n), routesOptions(n)
	for _, way := range compileWays[:2] {
		t.Run("from="+way.name, func(t *testing.T) {
			h := way.build(t, n, data, opts).Handler(app)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, newSecureRequest(requestPath))
			got, _ := maskNonce(t, rec.Header())
			if got["Content-Security-Policy"] != cspPrefix+"{nonce}"+cspSuffix || got["X-Frame-Options"] != valFrame {
				t.Errorf("app headers: %q", got)
			}
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, newSecureRequest("/r07/x"))
			got, _ = maskNonce(t, rec.Header())
			c := got["Content-Security-Policy"]
			if _, ok := got["X-Frame-Options"]; ok || !strings.Contains(c, "frame-ancestors https://partner07.example") ||
				!strings.Contains(c, "img-src 'self' https://cdn07.example") {
				t.Errorf("route /r07/ headers: %q", got)
			}
		})
	}
}
