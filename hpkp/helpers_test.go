package hpkp

import (
	"errors"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive/directivetest"
)

// errorTexts returns the text of every error joined in err, in order, and
// fails the test if one of them is not a *cfgerr.Error.
func errorTexts(t *testing.T, err error) []string {
	t.Helper()
	return directivetest.ErrorTexts[*cfgerr.Error](t, err)
}

// TestErrorsAs checks that errors.As reaches the *cfgerr.Error (the
// module's policy.Error) in a joined error, and that its Path carries no
// "hpkp." prefix: the caller that nests the policy adds it.
func TestErrorsAs(t *testing.T) {
	err := Policy{}.Validate()
	var target *cfgerr.Error
	if !errors.As(err, &target) || target.Path == "" || strings.HasPrefix(target.Path, "hpkp.") {
		t.Errorf("errors.As(%v) = %+v, want a *cfgerr.Error with a relative Path", err, target)
	}
}
