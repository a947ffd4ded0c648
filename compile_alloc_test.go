//go:build !race

package secureheaders_test

import (
	"fmt"
	"strings"
	"testing"

	secureheaders "github.com/secureheaders/secureheaders"
)

// routesConfig is a configuration file with an app policy and n pattern
// routes, each changing the CSP and dropping X-Frame-Options (the shape of
// bench/compile_test.go's configJSON).
func routesConfig(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"preset": "none", "update": {
  "CSP": {"default-src": ["self"], "script-src": ["self", "nonce"], "object-src": ["none"], "base-uri": ["none"], "report-uri": ["/csp-report"]},
  "HSTS": {"max-age": 31536000, "includeSubDomains": true}, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin", "Permissions-Policy": {"geolocation": [], "camera": []}},
 "routes": {`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"/r%02d/": {"update": {"CSP": {"frame-ancestors": ["https://partner%02d.example"], "img-src": ["self", "https://cdn%02d.example"]}}, "remove": ["X-Frame-Options"]}`, i, i, i)
	}
	b.WriteString("}}")
	return []byte(b.String())
}

// TestCompileAllocs checks the allocation budget of the JSON path, issue
// 16's compile target: ParseConfig and New of 50 routes. This test
// measured 4,972 allocations, and 17,966 on main before the decoder and the
// compile stopped copying, folding and rendering the same things again
// (go test -run TestCompileAllocs -v .); the budget leaves room for the
// collector's noise, not for a return of that work.
func TestCompileAllocs(t *testing.T) {
	data := routesConfig(50)
	got := testing.AllocsPerRun(20, func() {
		opts, err := secureheaders.ParseConfig(data)
		if err != nil {
			t.Fatal(err)
		}
		e, err := secureheaders.New(opts)
		if err != nil {
			t.Fatal(err)
		}
		e.Close()
	})
	t.Logf("ParseConfig + New, 50 routes: %v allocations", got)
	const budget = 6000
	if got > budget {
		t.Errorf("%v allocations, budget %v", got, budget)
	}
}
