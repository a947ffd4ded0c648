package hpkp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestValidate(t *testing.T) {
	const (
		backup   = "; RFC 7469 §4.3 requires a backup pin, so at least two (add the pin-sha256 of a backup key that is kept offline, not in the served certificate chain)"
		hashFixT = "set it to the base64 SHA-256 digest of the key's SubjectPublicKeyInfo: openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64"
		uriFix   = " (use an absolute URI such as https://example.com/hpkp-report)"
	)
	two := []Pin{pinA, pinB}
	withPin := func(p Pin) []Pin { return []Pin{pinA, p} }
	tests := []struct {
		name string
		p    Policy
		want []string
	}{
		{"two pins", Policy{Pins: two, MaxAge: sixtyDays}, nil},
		{"three pins, every option", Policy{Pins: []Pin{pinA, pinB, pinC}, MaxAge: sixtyDays, IncludeSubDomains: true,
			ReportURI: "https://example.com/hpkp-report?x=1#f", ReportOnly: true}, nil},
		{"relative report-uri", Policy{Pins: two, ReportURI: "/hpkp-report"}, nil},
		{"zero max-age forgets pins", Policy{Pins: two}, nil},
		{"zero Policy", Policy{}, []string{"pins: no pins" + backup}},
		{"one pin", Policy{Pins: []Pin{pinA}, MaxAge: sixtyDays}, []string{"pins: only one distinct pin" + backup}},
		{"same pin twice", Policy{Pins: []Pin{pinA, pinA}, MaxAge: sixtyDays}, []string{"pins: only one distinct pin" + backup}},
		{"sha1", Policy{Pins: withPin(Pin{"sha1", "47fJgNdjGW6dE0w+wcPeDe1U5c4="})}, []string{
			`pins[1].sha1: RFC 7469 defines only the algorithm "sha256", got "sha1" (pin the SHA-256 digest of the SubjectPublicKeyInfo, with Alg "sha256")`}},
		{"upper-case algorithm", Policy{Pins: withPin(Pin{"SHA256", hashB})}, []string{
			`pins[1].SHA256: the algorithm must be written "sha256", got "SHA256" (did you mean "sha256"?)`}},
		{"dashed algorithm and bad hash", Policy{Pins: withPin(Pin{"sha-256", ""})}, []string{
			`pins[1].sha-256: the algorithm must be written "sha256", got "sha-256" (did you mean "sha256"?)`,
			"pins[1].sha-256: the hash is empty (" + hashFixT + ")"}},
		{"no algorithm", Policy{Pins: withPin(Pin{"", hashB})}, []string{
			`pins[1]: the pin names no hash algorithm (set Alg to "sha256")`}},
		{"algorithm not a token", Policy{Pins: withPin(Pin{"sha 256", hashB})}, []string{
			`pins[1]: RFC 7469 defines only the algorithm "sha256", got "sha 256" (pin the SHA-256 digest of the SubjectPublicKeyInfo, with Alg "sha256")`}},
		{"empty hash", Policy{Pins: withPin(Pin{"sha256", ""})}, []string{"pins[1].sha256: the hash is empty (" + hashFixT + ")"}},
		{"not base64", Policy{Pins: withPin(Pin{"sha256", "primary key"})}, []string{
			`pins[1].sha256: the hash is not base64: "primary key" (` + hashFixT + ")"}},
		{"base64url", Policy{Pins: withPin(Pin{"sha256", "mGobcTX0mGFQql-gAo_uqmbNrz7WoAo1XdhuBC9_tJQ="})}, []string{
			"pins[1].sha256: the hash uses the base64url alphabet ('-', '_') (use standard base64: replace '-' with '+' and '_' with '/')"}},
		{"hex", Policy{Pins: withPin(Pin{"sha256", "986a1b7135f4986150aa5fa0028feeaa66cdaf3ed6a00a355dd86e042f7fb494"})}, []string{
			"pins[1].sha256: the hash is hex, 64 digits (encode the 32 digest bytes in base64, not hex: openssl dgst -sha256 -binary | base64)"}},
		{"no padding", Policy{Pins: withPin(Pin{"sha256", "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM"})}, []string{
			`pins[1].sha256: the hash lacks its '=' padding (write "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM=")`}},
		{"non-canonical trailing bits", Policy{Pins: withPin(Pin{"sha256", "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTN="})}, []string{
			`pins[1].sha256: the hash is not canonical padded base64 (illegal base64 data at input byte 43): "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTN=" (` + hashFixT + ")"}},
		{"sha1 digest", Policy{Pins: withPin(Pin{"sha256", "47fJgNdjGW6dE0w+wcPeDe1U5c4="})}, []string{
			"pins[1].sha256: the hash decodes to 20 bytes; a SHA-256 digest is 32 (pin the SHA-256 digest of the SubjectPublicKeyInfo, not another digest or the key itself)"}},
		{"sha384 digest", Policy{Pins: withPin(Pin{"sha256", "RI/BZqbN5XFck0szqxA/g/A5KYaMPTIA0BOAFDh93E5hTCmaL+Nyz4K9GD6JuNSZ"})}, []string{
			"pins[1].sha256: the hash decodes to 48 bytes; a SHA-256 digest is 32 (pin the SHA-256 digest of the SubjectPublicKeyInfo, not another digest or the key itself)"}},
		{"negative max-age", Policy{Pins: two, MaxAge: -time.Second}, []string{
			`max-age: negative duration "-1s" (use a positive duration, or 0 to make browsers forget the pins)`}},
		{"seconds written as nanoseconds", Policy{Pins: two, MaxAge: 5184000}, []string{
			`max-age: a MaxAge under one second truncates to max-age=0 and makes browsers forget the pins; got "5.184ms" (did you mean 5184000 * time.Second? MaxAge is a time.Duration, not seconds)`}},
		{"report-uri space", Policy{Pins: two, ReportURI: "https://example.com/a b"}, []string{
			`report-uri: byte ' ' at offset 21 is not allowed in the URI "https://example.com/a b" (percent-encode it as %20)`}},
		{"report-uri semicolon", Policy{Pins: two, ReportURI: "https://example.com/a;b"}, []string{
			`report-uri: byte ';' at offset 21 is not allowed in the URI "https://example.com/a;b" (percent-encode it as %3B)`}},
		{"report-uri comma", Policy{Pins: two, ReportURI: "/a,b"}, []string{
			`report-uri: byte ',' at offset 2 is not allowed in the URI "/a,b" (percent-encode it as %2C)`}},
		{"report-uri quote", Policy{Pins: two, ReportURI: `/a"`}, []string{
			`report-uri: byte '"' at offset 2 is not allowed in the URI "/a\"" (percent-encode it as %22)`}},
		{"report-uri backslash", Policy{Pins: two, ReportURI: `/a\b`}, []string{
			`report-uri: byte '\\' at offset 2 is not allowed in the URI "/a\\b" (percent-encode it as %5C)`}},
		{"report-uri brace", Policy{Pins: two, ReportURI: "/{id}"}, []string{
			`report-uri: byte '{' at offset 1 is not allowed in the URI "/{id}" (percent-encode it as %7B)`}},
		{"report-uri LF", Policy{Pins: two, ReportURI: "/a\nSet-Cookie: x"}, []string{
			`report-uri: byte '\n' at offset 2 is not allowed in the URI "/a\nSet-Cookie: x" (percent-encode it as %0A)`}},
		{"report-uri non-ASCII", Policy{Pins: two, ReportURI: "/é"}, []string{
			`report-uri: byte 0xC3 at offset 1 is not allowed in the URI "/\u00e9" (percent-encode it as %C3)`}},
		{"report-uri bad escape", Policy{Pins: two, ReportURI: "/a%zz"}, []string{
			`report-uri: not a URI-reference (invalid URL escape "%zz"): "/a%zz"` + uriFix}},
		{"report-uri missing scheme", Policy{Pins: two, ReportURI: "://example.com"}, []string{
			`report-uri: not a URI-reference (missing protocol scheme): "://example.com"` + uriFix}},
		{"report-uri bad host", Policy{Pins: two, ReportURI: "https://[::1/r"}, []string{
			`report-uri: not a URI-reference (missing ']' in host): "https://[::1/r"` + uriFix}},
		{"everything at once", Policy{Pins: []Pin{{"sha1", "x"}}, MaxAge: -time.Second, ReportURI: "/ "}, []string{
			"pins: only one distinct pin" + backup,
			`pins[0].sha1: RFC 7469 defines only the algorithm "sha256", got "sha1" (pin the SHA-256 digest of the SubjectPublicKeyInfo, with Alg "sha256")`,
			`max-age: negative duration "-1s" (use a positive duration, or 0 to make browsers forget the pins)`,
			`report-uri: byte ' ' at offset 1 is not allowed in the URI "/ " (percent-encode it as %20)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, errorTexts(t, tt.p.Validate())); diff != "" {
				t.Errorf("Validate() (-want +got):\n%s", diff)
			}
		})
	}
}
