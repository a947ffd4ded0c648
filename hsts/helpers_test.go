package hsts

import (
	"errors"
	"testing"

	"github.com/secureheaders/secureheaders/internal/directive/directivetest"
)

// errorTexts returns the text of every error joined in err, in order, and
// fails the test if one of them is not an *Error.
func errorTexts(t *testing.T, err error) []string {
	t.Helper()
	return directivetest.ErrorTexts[*Error](t, err)
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  Error
		want string
	}{
		{Error{}, "hsts"},
		{Error{Reason: "r"}, "hsts: r"},
		{Error{Path: "max-age", Reason: "r"}, "hsts.max-age: r"},
		{Error{Path: "max-age", Reason: "r", Fix: "f"}, "hsts.max-age: r (f)"},
		{Error{Reason: "r", Fix: "f"}, "hsts: r (f)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
	var target *Error
	if err := errors.Join(&Error{Path: "preload"}); !errors.As(err, &target) || target.Path != "preload" {
		t.Errorf("errors.As did not reach the *Error in %v", err)
	}
}
