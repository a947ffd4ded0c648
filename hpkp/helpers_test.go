package hpkp

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
		{Error{}, "hpkp"},
		{Error{Reason: "r"}, "hpkp: r"},
		{Error{Path: "max-age", Reason: "r"}, "hpkp.max-age: r"},
		{Error{Path: "max-age", Reason: "r", Fix: "f"}, "hpkp.max-age: r (f)"},
		{Error{Reason: "r", Fix: "f"}, "hpkp: r (f)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
	var target *Error
	if err := errors.Join(&Error{Path: "pins"}); !errors.As(err, &target) || target.Path != "pins" {
		t.Errorf("errors.As did not reach the *Error in %v", err)
	}
}
