package patmux

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCovers(t *testing.T) {
	tests := []struct {
		general, specific string
		want              bool
	}{
		{"/", "/api/", true},
		{"/api/", "/", false},
		{"/api/", "GET /api/health", true},
		{"GET /api/health", "/api/", false},
		{"/api/", "/api", false},
		{"/api/", "/api/{$}", true},
		{"/api/{$}", "/api/", false},
		{"GET /api/", "HEAD /api/x", true},
		{"HEAD /api/", "GET /api/x", false},
		{"POST /api/", "GET /api/x", false},
		{"GET /api/", "/api/x", false},
		{"/api/{id}", "/api/42", true},
		{"/api/42", "/api/{id}", false},
		{"/api/{id}", "/api/{name}", true},
		{"/api/", "/api/{id...}", true},
		{"/api/{rest...}", "/api/", true},
		{"/api/{id}/", "/api/{x}/edit", true},
		{"/api/{id}/edit", "/api/{x}/", false},
		{"/{a}/health", "/api/{b}", false}, // overlap, neither more specific
		{"/api/", "/web/", false},
		{"/", "example.com/api/", true},
		{"/api/", "example.com/api/x", true},
		{"example.com/api/", "/api/x", false},
		{"/api/", "example.com/", false},
		{"example.com/", "example.com/api/", true},
		{"other.example/", "example.com/api/", false},
		{"/caf%C3%A9/", "/café/x", true},
		{"/api/{id}/{$}", "/api/7/{$}", true},
		{"/api/{id}/{$}", "/api/7/", false},
		{"bad pattern", "/", false},
	}
	for _, tt := range tests {
		if got := Covers(tt.general, tt.specific); got != tt.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tt.general, tt.specific, got, tt.want)
		}
	}
}

func TestLayers(t *testing.T) {
	patterns := []string{"GET /api/health", "/api/", "/", "example.com/", "example.com/api/health/x", "/web/"}
	want := [][]int{
		{2, 1},
		{2},
		nil,
		{2},
		{2, 1, 3},
		{2},
	}
	if diff := cmp.Diff(want, Layers(patterns)); diff != "" {
		t.Errorf("Layers (-want +got):\n%s", diff)
	}
}

// TestCoversIsSound checks Covers against ServeMux on every pair of a set
// of patterns and a set of requests: when general covers specific, every
// request specific matches, general matches.
func TestCoversIsSound(t *testing.T) {
	patterns := []string{
		"/", "/api/", "/api", "/api/{$}", "/api/{id}", "/api/{id}/", "/api/{id}/edit", "/api/{rest...}",
		"GET /api/", "HEAD /api/x", "POST /api/x", "GET /api/health", "/{a}/health", "/{a}/{b}",
		"example.com/", "example.com/api/", "example.com/api/x", "other.example/api/", "GET example.com/api/{id}",
		"/caf%C3%A9/", "/café/x", "/a/b/c", "/a/{b}/c", "/a/b/{c}",
	}
	var reqs []*http.Request
	for _, m := range []string{"GET", "HEAD", "POST"} {
		for _, host := range []string{"example.com", "other.example", "x.example"} {
			for _, p := range []string{"/", "/api", "/api/", "/api/x", "/api/x/", "/api/x/edit", "/api/health", "/z/health", "/caf%C3%A9/x", "/a/b/c", "/a/q/c", "/a/b/q", "/q"} {
				r := httptest.NewRequest(m, "http://"+host+p, nil)
				reqs = append(reqs, r)
			}
		}
	}
	matches := func(pattern string, r *http.Request) bool {
		mux := http.NewServeMux()
		h := &sentinel{}
		if err := Register(mux, pattern, h); err != nil {
			t.Fatalf("%q: %v", pattern, err)
		}
		got, _ := mux.Handler(r)
		return got == http.Handler(h)
	}
	n := 0
	for _, g := range patterns {
		for _, s := range patterns {
			if !Covers(g, s) {
				continue
			}
			n++
			for _, r := range reqs {
				if matches(s, r) && !matches(g, r) {
					t.Errorf("Covers(%q, %q), but %s %s%s matches only the second", g, s, r.Method, r.Host, r.URL.Path)
				}
			}
		}
	}
	t.Logf("%d covering pairs checked", n)
}

// TestLiteralCoversAgrees holds the prefix rules for literal paths to
// ServeMux's answers.
func TestLiteralCoversAgrees(t *testing.T) {
	paths := []string{"/", "/a", "/a/", "/a/{$}", "/a/b", "/a/b/", "/a/b/{$}", "/ab", "/ab/", "/b/", "/{$}"}
	for _, g := range paths {
		for _, s := range paths {
			if got, want := Covers(g, s), muxPathCovers(g, s); got != want {
				t.Errorf("Covers(%q, %q) = %v, ServeMux says %v", g, s, got, want)
			}
		}
	}
}
