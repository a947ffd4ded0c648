package csp

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkRendered fails unless s is safe to send as (part of) a header value.
func checkRendered(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == ',' {
			t.Fatalf("rendered %q has byte %q at %d", s, c, i)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"default-src 'self'; script-src 'self' nonce 'strict-dynamic'; object-src 'none'",
		"DEFAULT-SRC SELF;;img-src data: *.example.com:443/a%20b",
		"script-src 'nonce-{nonce}' 'nonce-YW_J-jA' 'sha256-" + alertSHA256 + "'",
		"sandbox allow-scripts; upgrade-insecure-requests; report-uri /r?x=1; report-to g",
		"require-trusted-types-for script; trusted-types a b 'allow-duplicates'",
		"frame-ancestors 'self' https://a.example; base-uri 'none'",
		"scirpt-src x; img-src 'slef'",
		"default-src 'self', script-src *",
		"default-src 'self'\r\nSet-Cookie: a=b",
		"script-src 'none' 'self'",
		"plugin-types a/b; block-all-mixed-content",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		p, err := Parse(header)
		if err != nil {
			if p != nil {
				t.Fatalf("Parse(%q) returned a policy and %v", header, err)
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse(%q) succeeded but Validate: %v", header, err)
		}
		s := p.String()
		checkRendered(t, s)
		if len(p) > 0 {
			segs := strings.Split(s, "; ")
			if len(segs) != len(p) {
				t.Fatalf("String() = %q: %d segments for %d directives", s, len(segs), len(p))
			}
			for _, seg := range segs {
				name, _, _ := strings.Cut(seg, " ")
				if strings.Contains(seg, ";") {
					t.Fatalf("String() = %q: segment %q has a ';'", s, seg)
				}
				if _, ok := p[Directive(name)]; !ok {
					t.Fatalf("String() = %q: segment %q names no directive of the policy", s, seg)
				}
			}
		}
		again, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) (from String of Parse(%q)): %v", s, header, err)
		}
		if diff := cmp.Diff(p, again); diff != "" {
			t.Fatalf("Parse(String()) != Parse(%q) (-first +second):\n%s", header, diff)
		}
		if joined := strings.Join(p.Template(), "{nonce}"); joined != s {
			t.Fatalf("Template joined = %q, String = %q", joined, s)
		}
		if diff := cmp.Diff(p, Update(p, p)); diff != "" && len(p) > 0 {
			t.Fatalf("Update(p, p) != p for %q (-want +got):\n%s", header, diff)
		}
	})
}

func FuzzParseSource(f *testing.F) {
	for _, s := range []string{
		"self", "'self'", "SELF", "selfie.example.com", "none.example", "nonce.example.com",
		"nonce", NoncePlaceholder, "'nonce-abc'", "nonce-YW_J-jA", "sha256-" + alertSHA256,
		"'sha384-" + bodySHA384 + "'", "'sha1-YWJj'", "https:", "HTTPS://*.Example.com:*/p%41th",
		"unsafe-inlin", "'slef'", "'example.com'", "[::1]", "a;b", "a,b", "a\r\n", "", "'", "''",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range Directives() {
			if v, err := ParseValue(d, s); err == nil {
				if err := (Policy{d: {v}}).Validate(); err != nil {
					t.Fatalf("ParseValue(%s, %q) = %v, which Validate refuses: %v", d, s, v, err)
				}
			}
		}
		src, err := ParseSource(s)
		if err != nil {
			if src != (Source{}) {
				t.Fatalf("ParseSource(%q) = %v and error %v", s, src, err)
			}
			_ = err.Error()
			return
		}
		r := src.String()
		checkRendered(t, r)
		if strings.ContainsAny(r, " ;") {
			t.Fatalf("ParseSource(%q).String() = %q has a space or ';'", s, r)
		}
		again, err := ParseSource(r)
		if err != nil || again != src {
			t.Fatalf("ParseSource(%q) = %v, %v; want %v (from %q)", r, again, err, src, s)
		}
		if e := sourceError(src); e != nil {
			t.Fatalf("ParseSource(%q) = %v, which Validate refuses: %v", s, src, e)
		}
	})
}
