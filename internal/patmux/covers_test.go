package patmux

import (
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
