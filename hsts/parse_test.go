package hsts

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		want      Policy
		roundtrip string // String of the result
	}{
		{"one year", "max-age=31536000", Policy{MaxAge: OneYear}, "max-age=31536000"},
		{"all", "max-age=63072000; includeSubDomains; preload",
			Policy{MaxAge: 2 * OneYear, IncludeSubDomains: true, Preload: true},
			"max-age=63072000; includeSubDomains; preload"},
		{"zero forgets on purpose", "max-age=0", Policy{Expire: true}, "max-age=0"},
		{"names ignore case", "MAX-AGE=60;INCLUDESUBDOMAINS;PreLoad",
			Policy{MaxAge: time.Minute, IncludeSubDomains: true, Preload: true},
			"max-age=60; includeSubDomains; preload"},
		{"whitespace", " \tmax-age = 60 ;\tincludeSubDomains  ",
			Policy{MaxAge: time.Minute, IncludeSubDomains: true}, "max-age=60; includeSubDomains"},
		{"no whitespace", "max-age=60;preload", Policy{MaxAge: time.Minute, Preload: true}, "max-age=60; preload"},
		{"canonical order", "preload; includeSubDomains; max-age=1",
			Policy{MaxAge: time.Second, IncludeSubDomains: true, Preload: true},
			"max-age=1; includeSubDomains; preload"},
		{"empty directives", ";; max-age=1 ;;", Policy{MaxAge: time.Second}, "max-age=1"},
		{"quoted value", `max-age="60"`, Policy{MaxAge: time.Minute}, "max-age=60"},
		{"quoted-pair", `max-age="6\0"`, Policy{MaxAge: time.Minute}, "max-age=60"},
		{"leading zeros", "max-age=0031536000", Policy{MaxAge: OneYear}, "max-age=31536000"},
		{"largest", "max-age=9223372036", Policy{MaxAge: 9223372036 * time.Second}, "max-age=9223372036"},
		{"preload without rules parses", "max-age=0; preload", Policy{Preload: true, Expire: true}, "max-age=0; preload"},
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
		missing   = "max-age: the required directive is missing (RFC 6797 §6.1.1); browsers ignore the header (add max-age=31536000, one year)"
		badByte   = " is not allowed in a header value (remove it: a header value is visible ASCII, spaces and tabs; CR, LF and NUL can split or cut the header)"
		noValue   = "write digits only, such as max-age=31536000 for one year"
		tooBig    = "max-age: larger than 9223372036 seconds (about 292 years), the most a time.Duration holds; got "
		tooBigFix = " (use max-age=31536000 for one year or 63072000 for two)"
		twice     = ": the directive appears more than once; RFC 6797 §6.1 makes browsers ignore the whole header (keep one)"
	)
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", []string{missing}},
		{"no max-age", "includeSubDomains; preload", []string{missing}},
		{"max-age without value", "max-age", []string{
			"max-age: the directive needs a value (write max-age=31536000, one year)"}},
		{"max-age empty", "max-age=", []string{`max-age: want a number of seconds, got an empty value (` + noValue + ")"}},
		{"max-age negative", "max-age=-1", []string{`max-age: want a number of seconds, got "-1" (` + noValue + ")"}},
		{"max-age plus", "max-age=+1", []string{`max-age: want a number of seconds, got "+1" (` + noValue + ")"}},
		{"max-age fraction", "max-age=1.5", []string{`max-age: want a number of seconds, got "1.5" (` + noValue + ")"}},
		{"max-age quoted words", `max-age="a year"`, []string{`max-age: want a number of seconds, got "a year" (` + noValue + ")"}},
		{"max-age beyond Duration", "max-age=9223372037", []string{tooBig + `"9223372037"` + tooBigFix}},
		{"max-age beyond int64", "max-age=99999999999999999999", []string{tooBig + `"99999999999999999999"` + tooBigFix}},
		{"max-age twice", "max-age=1; max-age=2", []string{"max-age" + twice}},
		{"flags twice", "max-age=1;preload;PRELOAD;includeSubDomains;includesubdomains", []string{
			"preload" + twice, "includeSubDomains" + twice}},
		{"includeSubDomains with value", "max-age=1; includeSubDomains=yes", []string{
			`includeSubDomains: the directive takes no value, got "yes" (write includeSubDomains alone)`}},
		{"preload with empty value", `max-age=1; preload=""`, []string{
			`preload: the directive takes no value, got an empty value (write preload alone)`}},
		{"misspelt includeSubDomains", "max-age=1; includeSubDomain", []string{
			`includeSubDomain: unknown directive (did you mean "includeSubDomains"?)`}},
		{"snake case", "max-age=1; include_subdomains", []string{
			`include_subdomains: unknown directive (did you mean "includeSubDomains"?)`}},
		{"maxage", "maxage=1", []string{`maxage: unknown directive (did you mean "max-age"?)`, missing}},
		{"unknown", "max-age=1; report-uri=x", []string{
			"report-uri: unknown directive (remove it; Strict-Transport-Security knows only max-age, includeSubDomains and preload)"}},
		{"folded headers", "max-age=1, max-age=1", []string{
			"comma at offset 9: two Strict-Transport-Security headers were folded into one (send the header once; separate directives with ';')",
			"max-age" + twice}},
		{"CRLF injection", "max-age=1\r\nSet-Cookie: a=b", []string{`byte '\r' at offset 9` + badByte}},
		{"NUL", "max-age=1\x00", []string{`byte '\x00' at offset 9` + badByte}},
		{"no-break space", "max-age=1;\u00a0preload", []string{"byte 0xC2 at offset 10" + badByte}},
		{"DEL after a tab", "max-age=1;\tpreload\x7f", []string{`byte '\x7f' at offset 18` + badByte}},
		{"missing semicolon", "max-age=1 includeSubDomains", []string{
			"unexpected 'i' at offset 10 after max-age (separate directives with ';')"}},
		{"unterminated quote", `max-age="1`, []string{
			`quoted-string at offset 8 has no closing quote (end it with '"'; write \" for a quote inside it)`}},
		{"no name", "=1; max-age=1", []string{
			"expected a directive name at offset 0, found '=' (write name or name=value, separated by ';')"}},
		{"quoted name", `max-age=1; "x"; preload`, []string{
			`expected a directive name at offset 11, found '"' (write name or name=value, separated by ';')`}},
		{"name not a token", "max/age=1", []string{
			`directive name "max/age" at offset 0 is not a token (write name or name=value, separated by ';')`, missing}},
		{"garbage skips quoted semicolon", `max-age=1 "a;b"; preload=1`, []string{
			`unexpected '"' at offset 10 after max-age (separate directives with ';')`,
			`preload: the directive takes no value, got "1" (write preload alone)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if diff := cmp.Diff(tt.want, errorTexts(t, err)); diff != "" {
				t.Errorf("Parse(%q) errors (-want +got):\n%s", tt.in, diff)
			}
			if got != (Policy{}) {
				t.Errorf("Parse(%q) = %+v on error, want the zero Policy", tt.in, got)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		p    Policy
		want string
	}{
		{Policy{}, "max-age=0"},
		{Policy{MaxAge: OneYear}, "max-age=31536000"},
		{Policy{MaxAge: OneYear + 999*time.Millisecond}, "max-age=31536000"},
		{Policy{MaxAge: 999 * time.Millisecond}, "max-age=0"},
		{Policy{MaxAge: -time.Second}, "max-age=-1"},
		{Policy{IncludeSubDomains: true}, "max-age=0; includeSubDomains"},
		{Policy{Preload: true}, "max-age=0; preload"},
		{Policy{MaxAge: 2 * OneYear, IncludeSubDomains: true, Preload: true}, "max-age=63072000; includeSubDomains; preload"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
}
