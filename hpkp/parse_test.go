package hpkp

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// SHA-256 digests, in base64, of the strings "primary", "backup" and "third".
const (
	hashA = "mGobcTX0mGFQql+gAo/uqmbNrz7WoAo1XdhuBC9/tJQ="
	hashB = "VNANhndYzvgWvEaF9Y4ye5SXErB+vRfDSF8//J6fUTM="
	hashC = "semTJFBb0y2g4fhdz14ZoJ2wSB6KFfYsQesyAwSo6Sc="
)

var (
	pinA = Pin{Alg: "sha256", Hash: hashA}
	pinB = Pin{Alg: "sha256", Hash: hashB}
	pinC = Pin{Alg: "sha256", Hash: hashC}
)

const sixtyDays = 60 * 24 * time.Hour

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      Policy
		roundtrip string // String of the result
	}{
		{"full",
			`pin-sha256="` + hashA + `"; pin-sha256="` + hashB + `"; max-age=5184000; includeSubDomains; report-uri="https://example.com/hpkp"`,
			Policy{Pins: []Pin{pinA, pinB}, MaxAge: sixtyDays, IncludeSubDomains: true, ReportURI: "https://example.com/hpkp"},
			`pin-sha256="` + hashA + `"; pin-sha256="` + hashB + `"; max-age=5184000; includeSubDomains; report-uri="https://example.com/hpkp"`},
		{"names ignore case",
			`PIN-SHA256="` + hashA + `";Pin-Sha256="` + hashB + `";MAX-AGE=60;IncludeSubdomains`,
			Policy{Pins: []Pin{pinA, pinB}, MaxAge: time.Minute, IncludeSubDomains: true},
			`pin-sha256="` + hashA + `"; pin-sha256="` + hashB + `"; max-age=60; includeSubDomains`},
		{"canonical order keeps pin order",
			`report-uri="/r"; max-age=60; pin-sha256="` + hashC + `"; includeSubDomains; pin-sha256="` + hashA + `"`,
			Policy{Pins: []Pin{pinC, pinA}, MaxAge: time.Minute, IncludeSubDomains: true, ReportURI: "/r"},
			`pin-sha256="` + hashC + `"; pin-sha256="` + hashA + `"; max-age=60; includeSubDomains; report-uri="/r"`},
		{"whitespace and empty directives",
			" ;\tpin-sha256 = \"" + hashA + "\" ;; max-age = \"60\" ; ",
			Policy{Pins: []Pin{pinA}, MaxAge: time.Minute},
			`pin-sha256="` + hashA + `"; max-age=60`},
		{"no pins", "max-age=0", Policy{}, "max-age=0"},
		{"repeated pin kept", `pin-sha256="a"; pin-sha256="a"; max-age=1`,
			Policy{Pins: []Pin{{"sha256", "a"}, {"sha256", "a"}}, MaxAge: time.Second},
			`pin-sha256="a"; pin-sha256="a"; max-age=1`},
		{"other algorithm parses", `pin-SHA512="x"; max-age=1`,
			Policy{Pins: []Pin{{"sha512", "x"}}, MaxAge: time.Second}, `pin-sha512="x"; max-age=1`},
		{"empty hash parses", `pin-sha256=""; max-age=1`,
			Policy{Pins: []Pin{{"sha256", ""}}, MaxAge: time.Second}, `pin-sha256=""; max-age=1`},
		{"quoted-pairs", `pin-sha256="a\"b\\c"; max-age=1; report-uri="/\r"`,
			Policy{Pins: []Pin{{"sha256", `a"b\c`}}, MaxAge: time.Second, ReportURI: "/r"},
			`pin-sha256="a\"b\\c"; max-age=1; report-uri="/r"`},
		{"semicolon inside quotes", `max-age=1; report-uri="https://example.com/a;b,c"`,
			Policy{MaxAge: time.Second, ReportURI: "https://example.com/a;b,c"},
			`max-age=1; report-uri="https://example.com/a;b,c"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
			s := got.String()
			if s != tt.roundtrip {
				t.Errorf("String() = %q, want %q", s, tt.roundtrip)
			}
			again, err := Parse(s)
			if err != nil {
				t.Fatalf("Parse(String()) = %v", err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Parse(String()) (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const (
		missing = "max-age: the required directive is missing (RFC 7469 §2.1.2); browsers ignore the header (add max-age=5184000, 60 days)"
		twice   = ": the directive appears more than once; RFC 7469 §2.1 makes browsers ignore the whole header (keep one)"
		pinFix  = ` (write pin-sha256="<base64 digest>")`
		uriFix  = `write report-uri="https://example.com/hpkp-report"`
		tooBig  = `max-age: larger than 9223372036 seconds (about 292 years), the most a time.Duration holds; got "9223372037" (use max-age=5184000 for 60 days)`
	)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{missing}},
		{"pins only", `pin-sha256="a"; pin-sha256="b"`, []string{missing}},
		{"unquoted pin", "pin-sha256=abc; max-age=1", []string{
			`pins[0].sha256: want a quoted-string (RFC 7469 §2.1), got "abc"` + pinFix}},
		{"second pin unquoted", `pin-sha256="a"; pin-sha256=b; max-age=1`, []string{
			`pins[1].sha256: want a quoted-string (RFC 7469 §2.1), got "b"` + pinFix}},
		{"pin without value", "pin-sha256; max-age=1", []string{
			"pins[0].sha256: the directive needs a quoted-string value" + pinFix}},
		{"pin without algorithm", `pin-="a"; max-age=1`, []string{
			`pins[0]: directive "pin-" names no hash algorithm` + pinFix}},
		{"max-age without value", `max-age`, []string{
			"max-age: the directive needs a value (write max-age=5184000, 60 days)"}},
		{"max-age negative", "max-age=-1", []string{
			`max-age: want a number of seconds, got "-1" (write digits only, such as max-age=5184000 for 60 days)`}},
		{"max-age too large", "max-age=9223372037", []string{tooBig}},
		{"max-age twice", "max-age=1; max-age=1", []string{"max-age" + twice}},
		{"includeSubDomains twice", "max-age=1; includeSubDomains; includeSubDomains", []string{"includeSubDomains" + twice}},
		{"includeSubDomains with value", "max-age=1; includeSubDomains=1", []string{
			`includeSubDomains: the directive takes no value, got "1" (write includeSubDomains alone)`}},
		{"report-uri unquoted", "max-age=1; report-uri=https://example.com/r", []string{
			`report-uri: want a quoted-string (RFC 7469 §2.1), got "https://example.com/r" (` + uriFix + ")"}},
		{"report-uri without value", "max-age=1; report-uri", []string{
			"report-uri: the directive needs a quoted-string value (" + uriFix + ")"}},
		{"report-uri empty", `max-age=1; report-uri=""`, []string{
			"report-uri: the URI is empty (remove report-uri or " + uriFix + ")"}},
		{"report-uri twice", `max-age=1; report-uri="/a"; report-uri="/b"`, []string{"report-uri" + twice}},
		{"misspelt pin", `max-age=1; pin_sha256="a"`, []string{`pin_sha256: unknown directive (did you mean "pin-sha256"?)`}},
		{"misspelt includeSubDomains", "max-age=1; includeSubdomain", []string{
			`includeSubdomain: unknown directive (did you mean "includeSubDomains"?)`}},
		{"report-to", "max-age=1; report-to=group", []string{
			"report-to: unknown directive (remove it; Public-Key-Pins knows only pin-sha256, max-age, includeSubDomains and report-uri)"}},
		{"folded headers", `max-age=1, max-age=1`, []string{
			"comma at offset 9: two Public-Key-Pins headers were folded into one (send the header once; separate directives with ';')",
			"max-age" + twice}},
		{"CRLF injection", "max-age=1; report-uri=\"/r\"\r\nSet-Cookie: a=b", []string{
			`byte '\r' at offset 26 is not allowed in a header value (remove it: a header value is visible ASCII, spaces and tabs; CR, LF and NUL can split or cut the header)`}},
		{"unterminated quote", `pin-sha256="abc; max-age=1`, []string{
			`quoted-string at offset 11 has no closing quote (end it with '"'; write \" for a quote inside it)`, missing}},
		{"no name", `=1; max-age=1`, []string{
			"expected a directive name at offset 0, found '=' (write name or name=value, separated by ';')"}},
		{"name not a token", `max-age=1; report/uri="/r"; "x;y"; includeSubDomains`, []string{
			`directive name "report/uri" at offset 11 is not a token (write name or name=value, separated by ';')`,
			`expected a directive name at offset 28, found '"' (write name or name=value, separated by ';')`}},
		{"two quoted values", `max-age=1; pin-sha256="a" "b"`, []string{
			`unexpected '"' at offset 26 after pin-sha256 (separate directives with ';')`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if diff := cmp.Diff(tt.want, errorTexts(t, err)); diff != "" {
				t.Errorf("Parse(%q) errors (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(Policy{}, got); diff != "" {
				t.Errorf("Parse(%q) on error, want the zero Policy (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"zero", Policy{}, "max-age=0"},
		{"truncated seconds", Policy{MaxAge: 1500 * time.Millisecond}, "max-age=1"},
		{"negative", Policy{MaxAge: -time.Second}, "max-age=-1"},
		{"report-only is not in the value", Policy{Pins: []Pin{pinA}, ReportOnly: true}, `pin-sha256="` + hashA + `"; max-age=0`},
		{"quotes escaped", Policy{Pins: []Pin{{"sha256", `a"; max-age=0; x="`}}, ReportURI: `/\`},
			`pin-sha256="a\"; max-age=0; x=\""; max-age=0; report-uri="/\\"`},
		{"controls percent-encoded", Policy{Pins: []Pin{{"sha256", "a\r\nb\x00"}}, ReportURI: "/\té\x7f"},
			`pin-sha256="a%0D%0Ab%00"; max-age=0; report-uri="/%09%C3%A9%7F"`},
		{"algorithm kept a token", Policy{Pins: []Pin{{`sha256="x"; max-age`, "h"}}},
			`pin-sha256%3D%22x%22%3B%20max-age="h"; max-age=0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestHeaderName(t *testing.T) {
	if got := (Policy{}).HeaderName(); got != "Public-Key-Pins" {
		t.Errorf("HeaderName() = %q, want Public-Key-Pins", got)
	}
	if got := (Policy{ReportOnly: true}).HeaderName(); got != "Public-Key-Pins-Report-Only" {
		t.Errorf("report-only HeaderName() = %q, want Public-Key-Pins-Report-Only", got)
	}
}
