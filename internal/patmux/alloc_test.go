//go:build !race

package patmux

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestIndexAllocs pins that a literal request path is matched without
// allocating (one scan of the path, one pass over the table).
func TestIndexAllocs(t *testing.T) {
	pats := []string{"/embed/", "GET /api/health", "/a/{$}"}
	mux := http.NewServeMux()
	for _, p := range append(pats, "/") {
		if err := Register(mux, p, http.NotFoundHandler()); err != nil {
			t.Fatal(err)
		}
	}
	m := New(mux, pats)
	for _, tt := range []struct {
		target string
		want   int
	}{{"/embed/x", 0}, {"/api/health", 1}, {"/a/", 2}, {"/other", -1}} {
		r := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if got := m.Index(r); got != tt.want {
			t.Errorf("Index(%s) = %d, want %d", tt.target, got, tt.want)
		}
		if n := testing.AllocsPerRun(100, func() { m.Index(r) }); n != 0 {
			t.Errorf("Index(%s): %v allocations, want 0", tt.target, n)
		}
	}
}
