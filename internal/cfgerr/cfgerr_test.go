package cfgerr

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{}, ""},
		{Error{Reason: "bad"}, "bad"},
		{Error{Path: "csp.script-src[2]", Value: "unsafe-inlin", Reason: "unknown keyword", Fix: `did you mean "unsafe-inline"?`},
			`csp.script-src[2]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`},
		{Error{Path: "a\r\nb", Reason: "unknown key"}, `"a\r\nb": unknown key`},
		{Error{Path: "x", Value: "\x00é", Reason: "bad byte"}, `x: bad byte "\x00\u00e9"`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestAllAndPrefix(t *testing.T) {
	a, b, c := New("a", "", "r1", ""), New("[1]", "", "r2", ""), New("", "", "r3", "")
	joined := errors.Join(a, errors.Join(b, fmt.Errorf("wrapped: %w", c)), errors.New("plain"))
	var paths []string
	for e := range All(Prefix("routes", joined)) {
		paths = append(paths, e.Path+"|"+e.Reason)
	}
	want := []string{"routes.a|r1", "routes[1]|r2", "routes|r3", "routes|plain"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if a.Path != "a" {
		t.Errorf("Prefix modified its input: %q", a.Path)
	}
	if got := slices.Collect(All(nil)); len(got) != 0 {
		t.Errorf("All(nil) yielded %v", got)
	}
	var target *Error
	if !errors.As(joined, &target) || target != a {
		t.Errorf("errors.As found %v, want the first", target)
	}
}
