package directivetest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type testError string

func (e *testError) Error() string { return string(*e) }

func newError(s string) error { e := testError(s); return &e }

// recorder counts the failures reported to it.
type recorder struct {
	testing.TB
	failures int
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failures++ }

func TestErrorTexts(t *testing.T) {
	tests := []struct {
		name         string
		err          error
		want         []string
		wantFailures int
	}{
		{"nil", nil, nil, 0},
		{"lone", newError("a"), []string{"a"}, 0},
		{"joined in order", errors.Join(newError("a"), newError("b")), []string{"a", "b"}, 0},
		{"wrong type", errors.Join(newError("a"), errors.New("b"), errors.New("c")), []string{"a", "b", "c"}, 2},
		{"lone wrong type", errors.New("x"), []string{"x"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &recorder{TB: t}
			got := ErrorTexts[*testError](r, tt.err)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ErrorTexts (-want +got):\n%s", diff)
			}
			if r.failures != tt.wantFailures {
				t.Errorf("ErrorTexts reported %d failures, want %d", r.failures, tt.wantFailures)
			}
		})
	}
}
