package patmux

import (
	"path"
	"strings"
	"testing"
)

// cleanByClean is the definition IsCleanPath implements: path.Clean keeps
// p as it is, but for a trailing "/".
func cleanByClean(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	c := path.Clean(p)
	if c != "/" && strings.HasSuffix(p, "/") {
		return c+"/" == p
	}
	return c == p
}

func TestIsCleanPathAgreesWithClean(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"a", false},
		{"/", true},
		{"//", false},
		{"/a", true},
		{"/a/", true},
		{"/a//", false},
		{"/a//b", false},
		{"/.", false},
		{"/..", false},
		{"/./", false},
		{"/../a", false},
		{"/a/.", false},
		{"/a/..", false},
		{"/a/./b", false},
		{"/a/../b", false},
		{"/.a", true},
		{"/..a/", true},
		{"/...", true},
		{"/a.b/c..", true},
	}
	for _, tt := range tests {
		if got := IsCleanPath(tt.in); got != tt.want {
			t.Errorf("IsCleanPath(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if ref := cleanByClean(tt.in); ref != tt.want {
			t.Errorf("table: %q: path.Clean says %v, the table %v", tt.in, ref, tt.want)
		}
	}
}

func FuzzIsCleanPath(f *testing.F) {
	for _, s := range []string{"/", "/a/../b", "//", "/a/", "/./", "/...", "/a/.", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if got, want := IsCleanPath(p), cleanByClean(p); got != want {
			t.Fatalf("IsCleanPath(%q) = %v, path.Clean says %v", p, got, want)
		}
	})
}
