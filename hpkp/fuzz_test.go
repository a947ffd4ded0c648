package hpkp

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// checkRendered fails the test if out, rendered from p, could split the
// header, if a second round trip through Parse changes anything, or if a
// valid p does not survive a round trip with exactly its own directives.
// A canonical p (one from Parse) must render to a fixed point at once.
func checkRendered(t *testing.T, p Policy, out string, canonical bool) {
	t.Helper()
	if strings.ContainsAny(out, "\r\n\x00") {
		t.Fatalf("String() = %q holds CR, LF or NUL", out)
	}
	again, err := Parse(out)
	if err != nil {
		if p.Validate() == nil {
			t.Fatalf("Parse(%q) of a valid policy: %v", out, err)
		}
		return
	}
	if canonical && again.String() != out {
		t.Fatalf("String() is not stable: %q then %q", out, again.String())
	}
	if third, err := Parse(again.String()); err != nil || !cmp.Equal(again, third) {
		t.Fatalf("second round trip of %q: %+v, %v; want %+v", again.String(), third, err, again)
	}
	if p.Validate() != nil {
		return
	}
	want := p.Clone()
	want.ReportOnly = false
	if diff := cmp.Diff(want, again); diff != "" {
		t.Fatalf("Parse(%q) of a valid policy (-want +got):\n%s", out, diff)
	}
	if strings.Contains(out, ",") {
		t.Fatalf("valid policy rendered a comma: %q", out)
	}
	directives := len(p.Pins) + 1
	if p.IncludeSubDomains {
		directives++
	}
	if p.ReportURI != "" {
		directives++
	}
	if got := strings.Count(out, ";"); got != directives-1 {
		t.Fatalf("String() = %q has %d ';', want %d", out, got, directives-1)
	}
}

func FuzzParse(f *testing.F) {
	valid := `pin-sha256="` + hashA + `"; pin-sha256="` + hashB + `"; max-age=5184000; includeSubDomains; report-uri="https://example.com/r"`
	for _, s := range []string{
		"", "max-age=0", valid, strings.ToUpper(valid), `pin-sha256="a\"b"; max-age="1"`,
		`max-age=1; report-uri="/a;b"`, `pin-="x"; max-age=1`, "pin-sha256=abc; max-age=1",
		`max-age=1, max-age=2`, "max-age=1\r\nX: y", `pin-sha256="abc; max-age=1`,
		`max-age=1; report-uri=""`, "max-age=1;\tincludeSubdomain", `pin-sha256="` + hashA + "\t\"; max-age=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := Parse(in)
		if err != nil {
			if diff := cmp.Diff(Policy{}, p); diff != "" {
				t.Fatalf("Parse(%q) on error, want the zero Policy (-want +got):\n%s", in, diff)
			}
			_ = errorTexts(t, err)
			return
		}
		if p.ReportOnly || p.MaxAge < 0 {
			t.Fatalf("Parse(%q) = %+v", in, p)
		}
		checkRendered(t, p, p.String(), true)
	})
}

// FuzzString renders policies built from arbitrary fields, which Parse
// could never produce.
func FuzzString(f *testing.F) {
	f.Add("sha256", hashB, "https://example.com/r", int64(5184000), true, false)
	f.Add("sha256", hashB, "", int64(0), false, true)
	f.Add(`sha256="x"; max-age`, "a\r\nb", "/\"\\", int64(-1), true, true)
	f.Add("SHA256", "", "/a%zz", int64(1), false, false)
	f.Fuzz(func(t *testing.T, alg, hash, uri string, seconds int64, sub, reportOnly bool) {
		p := Policy{
			Pins:              []Pin{pinA, {Alg: alg, Hash: hash}},
			MaxAge:            time.Duration(seconds) * time.Second,
			IncludeSubDomains: sub,
			ReportURI:         uri,
			ReportOnly:        reportOnly,
		}
		if seconds > maxSeconds || seconds < -maxSeconds {
			p.MaxAge = time.Duration(seconds) // keep it a valid Duration
		}
		checkRendered(t, p, p.String(), false)
	})
}
