// Package directivetest holds what the tests of the packages that use
// package directive share. Only _test.go files import it.
package directivetest

import "testing"

// ErrorTexts returns the text of every error joined in err (one that has an
// Unwrap() []error method, as errors.Join returns, or a lone error), in
// order, and fails t for each that is not an E. It returns nil for a nil
// err.
func ErrorTexts[E error](t testing.TB, err error) []string {
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
		if _, ok := e.(E); !ok {
			var want E
			t.Errorf("error %q is a %T, want %T", e, e, want)
		}
		texts = append(texts, e.Error())
	}
	return texts
}
