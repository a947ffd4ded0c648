package hsts

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "max-age=0", "max-age=31536000; includeSubDomains; preload",
		"MAX-AGE=\"60\";includesubdomains", " ;max-age = 1 ;\t; ", `max-age="6\0"`,
		"max-age=9223372036", "max-age=9223372037", "max-age=1, max-age=2",
		"max-age=1; includeSubDomain", "max-age=1\r\nX: y", `max-age=1 "a;b"; preload`,
		`max-age="1`, "=", "\"", `max-age=1; preload="\"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		p, err := Parse(in)
		if err != nil {
			if p != (Policy{}) {
				t.Fatalf("Parse(%q) = %+v with error %v, want the zero Policy", in, p, err)
			}
			_ = errorTexts(t, err)
			return
		}
		if p.MaxAge < 0 {
			t.Fatalf("Parse(%q) gave a negative MaxAge %v", in, p.MaxAge)
		}
		out := p.String()
		if strings.ContainsAny(out, "\r\n\x00,\"") {
			t.Fatalf("String() = %q holds a forbidden byte", out)
		}
		parts := strings.Split(out, "; ")
		if !strings.HasPrefix(parts[0], "max-age=") || !headerval.IsDigits(parts[0][len("max-age="):]) {
			t.Fatalf("String() = %q does not start with max-age=<digits>", out)
		}
		for _, d := range parts[1:] {
			if d != "includeSubDomains" && d != "preload" {
				t.Fatalf("String() = %q holds directive %q", out, d)
			}
		}
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) = %v; it came from Parse(%q)", out, err, in)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("Parse(String()) of %q (-want +got):\n%s", in, diff)
		}
		if again.String() != out {
			t.Fatalf("String() is not stable: %q then %q", out, again.String())
		}
	})
}
