package csp

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

const (
	alertSHA256   = "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=" // sha256("alert(1)")
	bodySHA256    = "fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7/suurGyUo=" // sha256("body{}")
	bodySHA256URL = "fJgEClQWV1hGkK4qHMO0KotTsVnMYMXTq7_suurGyUo"
	bodySHA384    = "myyg/hQ74aSgjBBvVME/QXAXEkT4Y9dHbVQ5C0lIyGpldvNLJV2IWc5ElXbqLi06"
	bodySHA512    = "RX+E71HnX1pcVahPcN1JJT8DtvWD7JkmmiFvLvCoYRohC7wU1R/5eCgzNUXDlnQ7LRMjO2VgEmsdRqeHPzrNCQ=="
)

func TestParseSource(t *testing.T) {
	tests := []struct {
		in   string
		want Source
		str  string // want.String(), the rendered form
	}{
		// Keywords: quoted or not, exact, case-insensitive.
		{"self", Self, "'self'"},
		{"'self'", Self, "'self'"},
		{"SELF", Self, "'self'"},
		{"'Unsafe-Inline'", UnsafeInline, "'unsafe-inline'"},
		{"none", None, "'none'"},
		{"'none'", None, "'none'"},
		{"unsafe-eval", UnsafeEval, "'unsafe-eval'"},
		{"'unsafe-hashes'", UnsafeHashes, "'unsafe-hashes'"},
		{"strict-dynamic", StrictDynamic, "'strict-dynamic'"},
		{"'report-sample'", ReportSample, "'report-sample'"},
		{"wasm-unsafe-eval", WasmUnsafeEval, "'wasm-unsafe-eval'"},
		{"'inline-speculation-rules'", InlineSpeculationRules, "'inline-speculation-rules'"},
		{"'trusted-types-eval'", Source{Keyword, "trusted-types-eval"}, "'trusted-types-eval'"},
		{"report-sha256", Source{Keyword, "report-sha256"}, "'report-sha256'"},
		// Words that only start with a keyword are hosts.
		{"selfie.example.com", Source{Host, "selfie.example.com"}, "selfie.example.com"},
		{"none.example", Source{Host, "none.example"}, "none.example"},
		{"nonce.example.com", Source{Host, "nonce.example.com"}, "nonce.example.com"},
		{"self.example", Source{Host, "self.example"}, "self.example"},
		{"unsafe-inline.example.com", Source{Host, "unsafe-inline.example.com"}, "unsafe-inline.example.com"},
		{"nonce-abc.example.com", Source{Host, "nonce-abc.example.com"}, "nonce-abc.example.com"},
		{"sha256-abc.example.com", Source{Host, "sha256-abc.example.com"}, "sha256-abc.example.com"},
		// The per-request nonce slot.
		{"nonce", RequestNonce, NoncePlaceholder},
		{"'nonce'", RequestNonce, NoncePlaceholder},
		{"NONCE", RequestNonce, NoncePlaceholder},
		{NoncePlaceholder, RequestNonce, NoncePlaceholder},
		{"nonce-{nonce}", RequestNonce, NoncePlaceholder},
		// Fixed nonces: base64 or base64url, value kept as written.
		{"'nonce-abc123'", Source{Nonce, "abc123"}, "'nonce-abc123'"},
		{"nonce-abc123", Source{Nonce, "abc123"}, "'nonce-abc123'"},
		{"'NONCE-AbC'", Source{Nonce, "AbC"}, "'nonce-AbC'"},
		{"'nonce-YWJj+/=='", Source{Nonce, "YWJj+/=="}, "'nonce-YWJj+/=='"},
		{"'nonce-YW_J-jA'", Source{Nonce, "YW_J-jA"}, "'nonce-YW_J-jA'"},
		{"nonce-YW_J-jA", Source{Nonce, "YW_J-jA"}, "'nonce-YW_J-jA'"},
		// Hashes.
		{"'sha256-" + alertSHA256 + "'", Source{Hash, "sha256-" + alertSHA256}, "'sha256-" + alertSHA256 + "'"},
		{"sha256-" + alertSHA256, Source{Hash, "sha256-" + alertSHA256}, "'sha256-" + alertSHA256 + "'"},
		{"'SHA256-" + bodySHA256 + "'", Source{Hash, "sha256-" + bodySHA256}, "'sha256-" + bodySHA256 + "'"},
		{"'sha256-" + bodySHA256URL + "'", Source{Hash, "sha256-" + bodySHA256URL}, "'sha256-" + bodySHA256URL + "'"},
		{"'sha256-" + bodySHA256[:43] + "'", Source{Hash, "sha256-" + bodySHA256[:43]}, "'sha256-" + bodySHA256[:43] + "'"},
		{"'sha384-" + bodySHA384 + "'", Source{Hash, "sha384-" + bodySHA384}, "'sha384-" + bodySHA384 + "'"},
		{"sha512-" + bodySHA512, Source{Hash, "sha512-" + bodySHA512}, "'sha512-" + bodySHA512 + "'"},
		// Schemes.
		{"https:", Source{Scheme, "https:"}, "https:"},
		{"HTTPS:", Source{Scheme, "https:"}, "https:"},
		{"data:", Source{Scheme, "data:"}, "data:"},
		{"blob:", Source{Scheme, "blob:"}, "blob:"},
		{"wss:", Source{Scheme, "wss:"}, "wss:"},
		{"example.com:", Source{Scheme, "example.com:"}, "example.com:"}, // RFC 3986 allows '.' in a scheme
		{"web+app.v2-x:", Source{Scheme, "web+app.v2-x:"}, "web+app.v2-x:"},
		// Hosts.
		{"example.com", Source{Host, "example.com"}, "example.com"},
		{"*", Source{Host, "*"}, "*"},
		{"*.example.com", Source{Host, "*.example.com"}, "*.example.com"},
		{"localhost", Source{Host, "localhost"}, "localhost"},
		{"127.0.0.1:8080", Source{Host, "127.0.0.1:8080"}, "127.0.0.1:8080"},
		{"https://*.example.com:443/js/app.js", Source{Host, "https://*.example.com:443/js/app.js"}, "https://*.example.com:443/js/app.js"},
		{"HTTPS://CDN.Example.com:*/Path/", Source{Host, "https://cdn.example.com:*/Path/"}, "https://cdn.example.com:*/Path/"},
		{"https://*", Source{Host, "https://*"}, "https://*"},
		{"example.com/a%20b/it's", Source{Host, "example.com/a%20b/it's"}, "example.com/a%20b/it's"},
		{"ws://chat.example:65535", Source{Host, "ws://chat.example:65535"}, "ws://chat.example:65535"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSource(tt.in)
			if err != nil {
				t.Fatalf("ParseSource(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSource(%q) (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			again, err := ParseSource(got.String())
			if err != nil || again != got {
				t.Errorf("ParseSource(%q) = %v, %v; want %v (round trip)", got.String(), again, err, got)
			}
		})
	}
}

func TestParseSourceError(t *testing.T) {
	tests := []struct {
		in, want string // want is the exact Error() text
	}{
		{"unsafe-inlin", `unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`},
		{"'unsafe-inlin'", `unknown keyword "'unsafe-inlin'" (did you mean "'unsafe-inline'"?)`},
		{"'slef'", `unknown keyword "'slef'" (did you mean "'self'"?)`},
		{"slef", `unknown keyword "slef" (did you mean "self"?)`},
		{"'unsafe_eval'", `unknown keyword "'unsafe_eval'" (did you mean "'unsafe-eval'"?)`},
		{"strictdynamic", `unknown keyword "strictdynamic" (did you mean "strict-dynamic"?)`},
		{"'nonse'", `unknown keyword "'nonse'" (did you mean "'none'"?)`},
		{"data", `scheme without its colon "data" (did you mean "data:"?)`},
		{"HTTPS", `scheme without its colon "HTTPS" (did you mean "https:"?)`},
		{"'foo'", `quoted host or scheme "'foo'" (did you mean "foo"? hosts and schemes are not quoted)`},
		{"'!x'", `unknown keyword "'!x'" (only keywords, nonces and hashes are quoted)`},
		{"''", `unknown keyword "''" (only keywords, nonces and hashes are quoted)`},
		{"'example.com'", `quoted host or scheme "'example.com'" (did you mean "example.com"? hosts and schemes are not quoted)`},
		{"'https:'", `quoted host or scheme "'https:'" (did you mean "https:"? hosts and schemes are not quoted)`},
		{"'self", `unbalanced quote in source "'self" (quote keywords, nonces and hashes on both sides, or leave the quotes out)`},
		{"self'", `unbalanced quote in source "self'" (quote keywords, nonces and hashes on both sides, or leave the quotes out)`},
		{"'", `unbalanced quote in source "'" (quote keywords, nonces and hashes on both sides, or leave the quotes out)`},
		{"'nonce-'", `nonce is not base64 "'nonce-'" (a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '=')`},
		{"'nonce-a+b_c'", `nonce is not base64 "'nonce-a+b_c'" (a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '=')`},
		{"nonce-abc!", `nonce is not base64 "nonce-abc!" (a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '=')`},
		{"'nonce-abc==='", `nonce is not base64 "'nonce-abc==='" (a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '=')`},
		{"'sha1-YWJj'", `unsupported hash algorithm sha1 "'sha1-YWJj'" (CSP accepts sha256, sha384 and sha512; see HashSource)`},
		{"md5-YWJj", `unsupported hash algorithm md5 "md5-YWJj" (CSP accepts sha256, sha384 and sha512; see HashSource)`},
		{"'sha256-YWJj'", `sha256 digest has 3 bytes, want 32 "'sha256-YWJj'" (paste the whole digest, as HashSource prints it)`},
		{"'sha384-" + bodySHA256 + "'", `sha384 digest has 32 bytes, want 48 "'sha384-` + bodySHA256 + `'" (paste the whole digest, as HashSource prints it)`},
		{"sha256-abc$", `hash digest is not base64 "sha256-abc$" (paste the base64 digest exactly, as HashSource prints it)`},
		{"'sha256-" + bodySHA256[:43] + "=='", `hash digest is not base64 "'sha256-` + bodySHA256[:43] + `=='" (paste the base64 digest exactly, as HashSource prints it)`},
		{"'sha256-" + bodySHA256[:42] + "V='", `hash digest is not base64 "'sha256-` + bodySHA256[:42] + `V='" (paste the base64 digest exactly, as HashSource prints it)`},
		{"", `empty value (remove it, or write 'none' to allow nothing)`},
		{"a b", `space not allowed in "a b" (give one item per value)`},
		{"a;b", `byte ';' not allowed in "a;b" (';' ends a directive; give one item per value)`},
		{"'self',", `byte ',' not allowed in "'self'," (',' starts another policy; give one item per value)`},
		{"a\r\nSet-Cookie:x", `byte '\r' not allowed in "a\r\nSet-Cookie:x" (header injection: remove control bytes)`},
		{"a\n", `byte '\n' not allowed in "a\n" (header injection: remove control bytes)`},
		{"a\x00", `byte 0x00 not allowed in "a\x00" (header injection: remove control bytes)`},
		{"a\tb", `byte '\t' not allowed in "a\tb" (header injection: remove control bytes)`},
		{"a\x7f", `byte 0x7f not allowed in "a\x7f" (header injection: remove control bytes)`},
		{"caf\xc3\xa9.example", `byte 0xc3 not allowed in "caf\u00e9.example" (percent-encode or punycode non-ASCII text)`},
		{"https://", `invalid source "https://" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`},
		{"example..com", `invalid source "example..com" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`},
		{"example.com.", `invalid source "example.com." (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`},
		{"*example.com", `invalid source "*example.com" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`},
		{"ex_ample.com", `invalid source "ex_ample.com" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`},
		{"1http://example.com", `invalid scheme in source "1http://example.com" (a scheme is a letter then letters, digits, '+', '-' or '.')`},
		{"[::1]", `IP literal in source "[::1]" (CSP has no IPv6 host-source; use a host name or a scheme)`},
		{"example.com:99999", `invalid port in source "example.com:99999" (a port is * or a number up to 65535)`},
		{"example.com:x", `invalid port in source "example.com:x" (a port is * or a number up to 65535)`},
		{"data:text/html", `invalid port in source "data:text/html" (a port is * or a number up to 65535)`},
		{"example.com/a?b", `invalid path in source "example.com/a?b" (a path has no ? or #, and % only before two hex digits)`},
		{"example.com/a#b", `invalid path in source "example.com/a#b" (a path has no ? or #, and % only before two hex digits)`},
		{"example.com/%zz", `invalid path in source "example.com/%zz" (a path has no ? or #, and % only before two hex digits)`},
		{"example.com//a", `invalid path in source "example.com//a" (a path has no ? or #, and % only before two hex digits)`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSource(tt.in)
			if err == nil {
				t.Fatalf("ParseSource(%q) = %v, want error %q", tt.in, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("ParseSource(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
			}
			var e *cfgerr.Error
			if !errors.As(err, &e) || e.Path != "" {
				t.Errorf("ParseSource(%q) error %#v: want *cfgerr.Error with empty Path", tt.in, err)
			}
			if got != (Source{}) {
				t.Errorf("ParseSource(%q) = %v with an error, want the zero Source", tt.in, got)
			}
		})
	}
}

// ParseSource runs when policies are built, not per request, but a config
// reload parses every source: valid, canonical input costs no allocation.
func TestParseSourceAllocs(t *testing.T) {
	for _, s := range []string{"'self'", "nonce", "'nonce-abc'", "https:", "https://cdn.example.com:443/js/", "'sha256-" + alertSHA256 + "'"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = ParseSource(s) }); n != 0 {
			t.Errorf("ParseSource(%q): %v allocations, want 0", s, n)
		}
	}
}

func TestHashSource(t *testing.T) {
	tests := []struct {
		alg     string
		content string
		want    Source
	}{
		{"sha256", "alert(1)", Source{Hash, "sha256-" + alertSHA256}},
		{"SHA256", "body{}", Source{Hash, "sha256-" + bodySHA256}},
		{"sha384", "body{}", Source{Hash, "sha384-" + bodySHA384}},
		{"sha512", "body{}", Source{Hash, "sha512-" + bodySHA512}},
	}
	for _, tt := range tests {
		t.Run(tt.alg, func(t *testing.T) {
			got, err := HashSource(tt.alg, []byte(tt.content))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("HashSource (-want +got):\n%s", diff)
			}
			if back, err := ParseSource(got.String()); err != nil || back != got {
				t.Errorf("ParseSource(%q) = %v, %v; want %v", got.String(), back, err, got)
			}
		})
	}
	for alg, want := range map[string]string{
		"sha1":    `unsupported hash algorithm "sha1" (CSP accepts sha256, sha384 and sha512)`,
		"sha-256": `unsupported hash algorithm "sha-256" (did you mean "sha256"?)`,
		"":        `unsupported hash algorithm (CSP accepts sha256, sha384 and sha512)`,
	} {
		if _, err := HashSource(alg, nil); err == nil || err.Error() != want {
			t.Errorf("HashSource(%q) error = %v, want %s", alg, err, want)
		}
	}
}

func TestKindString(t *testing.T) {
	got := []string{Kind(0).String(), Keyword.String(), NonceSlot.String(), Nonce.String(),
		Hash.String(), Host.String(), Scheme.String(), Token.String(), Kind(9).String()}
	want := []string{"Kind(0)", "keyword", "nonce slot", "nonce", "hash", "host", "scheme", "token", "Kind(9)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Kind.String (-want +got):\n%s", diff)
	}
}
