package policy_test

import (
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

// Valid pins: the base64 SHA-256 digests of three made-up keys.
const (
	pinA = "mGobcTX0mGFQql+gAo/uqmbNrz7WoAo1XdhuBC9/tJQ="
	pinB = "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM="
	pinC = "semTJFBb0y2g4fhdz14ZoJ2wSB6KFfYsQesyAwSo6Sc="
)

func sha256Pin(h string) hpkp.Pin { return hpkp.Pin{Alg: "sha256", Hash: h} }

// cspOf parses a CSP header value for a table entry.
func cspOf(s string) csp.Policy { return csp.MustParse(s) }

// lines renders p as "Name: value" lines, the way an HTTPS response gets it.
func lines(t *testing.T, p policy.Policy) string {
	t.Helper()
	set, err := render.Compile(p)
	if err != nil {
		t.Fatalf("render.Compile: %v", err)
	}
	var b strings.Builder
	for _, f := range set.Fields(true) {
		b.WriteString(f.Name + ": " + f.Value + "\n")
	}
	return b.String()
}

// errorLines flattens a joined error into one line per problem ("" for nil).
func errorLines(err error) []string {
	var out []string
	for e := range policy.AllErrors(err) {
		out = append(out, e.Error())
	}
	return out
}
