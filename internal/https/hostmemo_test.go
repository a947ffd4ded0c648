package https

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHostMemoSameDecisions checks that remembering accepted hosts changes
// no decision: a Gate that has seen every host before answers each request
// as a fresh Gate does, hosts of the same length (the same memo slot)
// included, and a refused host is never remembered as accepted.
func TestHostMemoSameDecisions(t *testing.T) {
	cfg := Config{Redirect: true, AllowedHosts: []string{"example.com", "*.example.com", "[::1]"}}
	hosts := []string{
		"example.com", "EXAMPLE.com", "example.com.", "example.com:8080",
		"evil.exampl", // same length as example.com, not allowed
		"a.example.com", "b.example.com", "localhost", "[::1]", "[::1]:8443",
		"example.com@evil", "exa mple.com", "", "evil.example.com.evil",
	}
	warm := mustHTTPS(t, cfg)
	for round := range 3 {
		for _, host := range hosts {
			for _, secure := range []bool{false, true} {
				target := "http://x/p?q=1"
				if secure {
					target = "https://x/p?q=1" // r.TLS set
				}
				r := httptest.NewRequest(http.MethodGet, target, nil)
				r.Host = host
				want := httpsDecide(t, mustHTTPS(t, cfg), r)
				got := httpsDecide(t, warm, r)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("round %d, Host %q, secure %v: decision (-fresh +warm):\n%s", round, host, secure, diff)
				}
			}
		}
	}
}
