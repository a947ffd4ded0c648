package hsts

import (
	"errors"
	"testing"
)

// errorTexts returns the text of every error joined in err, in order, and
// fails the test if one of them is not an *Error.
func errorTexts(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	var texts []string
	for _, e := range errs {
		if _, ok := e.(*Error); !ok {
			t.Errorf("error %q is a %T, want *Error", e, e)
		}
		texts = append(texts, e.Error())
	}
	return texts
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
