package csp

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

func tok(v string) Source { return Source{Token, v} }

func TestParse(t *testing.T) {
	tests := []struct {
		in        string
		want      Policy
		roundtrip string // want.String(); Parse(roundtrip) must give want again
	}{
		{"", Policy{}, ""},
		{" ; ;", Policy{}, ""},
		{"default-src 'self'", Policy{DefaultSrc: {Self}}, "default-src 'self'"},
		{"DEFAULT-SRC SELF", Policy{DefaultSrc: {Self}}, "default-src 'self'"},
		{";; default-src   'self'  https:;", Policy{DefaultSrc: {Self, {Scheme, "https:"}}}, "default-src 'self' https:"},
		{
			"script-src 'self' nonce 'strict-dynamic'; default-src 'none'",
			Policy{DefaultSrc: {None}, ScriptSrc: {Self, RequestNonce, StrictDynamic}},
			"default-src 'none'; script-src 'self' 'nonce-{nonce}' 'strict-dynamic'",
		},
		{
			"script-src 'nonce-{nonce}' 'nonce-abc' 'sha256-" + alertSHA256 + "'",
			Policy{ScriptSrc: {RequestNonce, {Nonce, "abc"}, {Hash, "sha256-" + alertSHA256}}},
			"script-src 'nonce-{nonce}' 'nonce-abc' 'sha256-" + alertSHA256 + "'",
		},
		{
			"img-src Selfie.Example.com none.example nonce.example.com data:",
			Policy{ImgSrc: {{Host, "selfie.example.com"}, {Host, "none.example"}, {Host, "nonce.example.com"}, {Scheme, "data:"}}},
			"img-src selfie.example.com none.example nonce.example.com data:",
		},
		{"img-src 'strict-dynamic'", Policy{ImgSrc: {StrictDynamic}}, "img-src 'strict-dynamic'"},
		{"script-src 'self' 'self'", Policy{ScriptSrc: {Self, Self}}, "script-src 'self' 'self'"},
		{
			"upgrade-insecure-requests; default-src https:",
			Policy{DefaultSrc: {{Scheme, "https:"}}, UpgradeInsecureRequests: nil},
			"default-src https:; upgrade-insecure-requests",
		},
		{"sandbox", Policy{Sandbox: nil}, "sandbox"},
		{"sandbox Allow-Scripts allow-forms", Policy{Sandbox: {tok("allow-scripts"), tok("allow-forms")}}, "sandbox allow-scripts allow-forms"},
		{
			"report-to csp-endpoint; report-uri /csp-report https://r.example/x?y=1&z=%20",
			Policy{ReportURI: {tok("/csp-report"), tok("https://r.example/x?y=1&z=%20")}, ReportTo: {tok("csp-endpoint")}},
			"report-uri /csp-report https://r.example/x?y=1&z=%20; report-to csp-endpoint",
		},
		{
			"trusted-types one two#1 'allow-duplicates'; require-trusted-types-for script",
			Policy{RequireTrustedTypesFor: {tok("'script'")}, TrustedTypes: {tok("one"), tok("two#1"), tok("'allow-duplicates'")}},
			"require-trusted-types-for 'script'; trusted-types one two#1 'allow-duplicates'",
		},
		{"trusted-types none", Policy{TrustedTypes: {tok("'none'")}}, "trusted-types 'none'"},
		{"trusted-types", Policy{TrustedTypes: nil}, "trusted-types"},
		{"trusted-types *", Policy{TrustedTypes: {tok("*")}}, "trusted-types *"},
		{
			"frame-ancestors 'self' https://partner.example; base-uri 'none'; form-action 'self'",
			Policy{BaseURI: {None}, FormAction: {Self}, FrameAncestors: {Self, {Host, "https://partner.example"}}},
			"base-uri 'none'; form-action 'self'; frame-ancestors 'self' https://partner.example",
		},
		{"prefetch-src 'self'", Policy{PrefetchSrc: {Self}}, "prefetch-src 'self'"},
		{
			// every directive, in reverse canonical order
			"report-to g; report-uri /r; trusted-types p; require-trusted-types-for 'script'; upgrade-insecure-requests; " +
				"sandbox; frame-ancestors 'none'; form-action 'none'; base-uri 'none'; worker-src 'none'; style-src-elem 'none'; " +
				"style-src-attr 'none'; style-src 'none'; script-src-elem 'none'; script-src-attr 'none'; script-src 'none'; " +
				"prefetch-src 'none'; object-src 'none'; media-src 'none'; manifest-src 'none'; img-src 'none'; frame-src 'none'; " +
				"font-src 'none'; fenced-frame-src 'none'; connect-src 'none'; child-src 'none'; default-src 'none'",
			Policy{
				ReportTo: {tok("g")}, ReportURI: {tok("/r")}, TrustedTypes: {tok("p")}, RequireTrustedTypesFor: {tok("'script'")},
				UpgradeInsecureRequests: nil, Sandbox: nil, FrameAncestors: {None}, FormAction: {None}, BaseURI: {None},
				WorkerSrc: {None}, StyleSrcElem: {None}, StyleSrcAttr: {None}, StyleSrc: {None}, ScriptSrcElem: {None},
				ScriptSrcAttr: {None}, ScriptSrc: {None}, PrefetchSrc: {None}, ObjectSrc: {None}, MediaSrc: {None},
				ManifestSrc: {None}, ImgSrc: {None}, FrameSrc: {None}, FontSrc: {None}, FencedFrameSrc: {None},
				ConnectSrc: {None}, ChildSrc: {None}, DefaultSrc: {None},
			},
			"default-src 'none'; child-src 'none'; connect-src 'none'; fenced-frame-src 'none'; font-src 'none'; " +
				"frame-src 'none'; img-src 'none'; manifest-src 'none'; media-src 'none'; object-src 'none'; " +
				"prefetch-src 'none'; script-src 'none'; script-src-attr 'none'; script-src-elem 'none'; style-src 'none'; " +
				"style-src-attr 'none'; style-src-elem 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'; " +
				"frame-ancestors 'none'; sandbox; upgrade-insecure-requests; require-trusted-types-for 'script'; " +
				"trusted-types p; report-uri /r; report-to g",
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.roundtrip {
				t.Errorf("String():\n got %q\nwant %q", s, tt.roundtrip)
			}
			again, err := Parse(tt.roundtrip)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.roundtrip, err)
			}
			if diff := cmp.Diff(tt.want, again); diff != "" {
				t.Errorf("Parse(String()) (-want +got):\n%s", diff)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate() of a parsed policy: %v", err)
			}
		})
	}
}

// errorLines returns the Error() text of each error joined in err.
func errorLines(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var lines []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *cfgerr.Error
		if !errors.As(e, &ce) {
			t.Errorf("error %v is %T, want *cfgerr.Error", e, e)
		}
		lines = append(lines, e.Error())
	}
	return lines
}

func TestParseError(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"scirpt-src 'self'", []string{`scirpt-src: unknown directive (did you mean "script-src"?)`}},
		{"foo-bar x", []string{`foo-bar: unknown directive`}},
		{"script-src 'self' unsafe-inlin", []string{`script-src[1]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`}},
		{"script-src 'self' 'slef' unsafe-inline", []string{`script-src[1]: unknown keyword "'slef'" (did you mean "'self'"?)`}},
		{"default-src 'self'; DEFAULT-SRC *", []string{`default-src: duplicate directive (browsers obey only the first; merge the values into one directive)`}},
		{"foo; foo", []string{`foo: unknown directive`, `foo: duplicate directive (browsers obey only the first; merge the values into one directive)`}},
		{"block-all-mixed-content", []string{`block-all-mixed-content: deprecated directive: browsers now upgrade or block all mixed content (remove it; use upgrade-insecure-requests)`}},
		{"plugin-types application/pdf", []string{`plugin-types: deprecated directive: removed from CSP3, browsers no longer run plugins (remove it; use object-src 'none')`}},
		{"referrer no-referrer", []string{`referrer: deprecated directive: removed from CSP2 (remove it; send a Referrer-Policy header)`}},
		{"reflected-xss block", []string{`reflected-xss: deprecated directive: browsers removed their XSS auditors (remove it; rely on a strict script-src and send X-XSS-Protection: 0)`}},
		{"script-src 'none' 'self'", []string{`script-src[0]: 'none' mixed with other sources (remove 'none', or the other sources)`}},
		{"script-src", []string{`script-src: empty source list (write 'none' to allow nothing)`}},
		{"upgrade-insecure-requests 1", []string{`upgrade-insecure-requests: takes no value "1" (remove the values)`}},
		{"sandbox allow-script 'self'", []string{
			`sandbox[0]: unknown sandbox flag "allow-script" (did you mean "allow-scripts"?)`,
			`sandbox[1]: unknown sandbox flag "'self'" (flags are allow-forms, allow-scripts, allow-same-origin, …; a bare sandbox allows nothing)`,
		}},
		{"report-to a b", []string{`report-to: takes exactly one group name (keep one: a policy reports to a single group)`}},
		{"report-to", []string{`report-to: takes exactly one group name (name a group of the Reporting-Endpoints header)`}},
		{"report-to a/b", []string{`report-to[0]: invalid report-to group name "a/b" (a group name is a token, as in the Reporting-Endpoints header)`}},
		{"report-uri", []string{`report-uri: needs a URL (give the report endpoint's URL, or remove the directive)`}},
		{"report-uri 'none'", []string{`report-uri[0]: report-uri takes URLs, not keywords "'none'"`}},
		{"report-uri /r%zz", []string{`report-uri[0]: invalid report-uri URL "/r%zz" (percent-encode bytes outside RFC 3986, and ';' and ',')`}},
		{"require-trusted-types-for 'scripts'", []string{`require-trusted-types-for[0]: unknown trusted types sink group "'scripts'" (did you mean "'script'"?)`}},
		{"require-trusted-types-for", []string{`require-trusted-types-for: needs a sink group (write 'script')`}},
		{"trusted-types 'none' foo", []string{`trusted-types[0]: 'none' mixed with other sources (remove 'none', or the other sources)`}},
		{"trusted-types 'allow-duplicate'", []string{`trusted-types[0]: unknown trusted-types keyword "'allow-duplicate'" (did you mean "'allow-duplicates'"?)`}},
		{"trusted-types a!b", []string{`trusted-types[0]: invalid trusted types policy name "a!b" (a policy name is letters, digits and - # = _ / @ . %)`}},
		{"frame-ancestors 'unsafe-inline' nonce", []string{
			`frame-ancestors[0]: not allowed in frame-ancestors "'unsafe-inline'" (frame-ancestors takes only 'self', 'none', hosts and schemes)`,
			`frame-ancestors[1]: not allowed in frame-ancestors "'nonce-{nonce}'" (frame-ancestors takes only 'self', 'none', hosts and schemes)`,
		}},
		// Injection: commas, CR, LF, NUL, tabs are never separators.
		{"default-src 'self', script-src *", []string{`default-src[0]: byte ',' not allowed in "'self'," (',' starts another policy; give one item per value)`}},
		{"default-src 'self'\r\nSet-Cookie: a=b", []string{
			`default-src[0]: byte '\r' not allowed in "'self'\r\nSet-Cookie:" (header injection: remove control bytes)`,
			`default-src[1]: invalid source "a=b" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`,
		}},
		{"script-src\t'self'", []string{`invalid directive name "script-src\t'self'" (a directive name is letters, digits and '-')`}},
		{"script-src 'self'\x00", []string{`script-src[0]: byte 0x00 not allowed in "'self'\x00" (header injection: remove control bytes)`}},
		{"\r\n", []string{`invalid directive name "\r\n" (a directive name is letters, digits and '-')`}},
		// Every problem is reported, in header order.
		{"scirpt-src x; img-src 'slef' ex_ample.com; object-src; report-to", []string{
			`scirpt-src: unknown directive (did you mean "script-src"?)`,
			`img-src[0]: unknown keyword "'slef'" (did you mean "'self'"?)`,
			`img-src[1]: invalid source "ex_ample.com" (a host is *, *.example.com or example.com (letters, digits, '-' and '.'), optionally with scheme://, :port and /path)`,
			`object-src: empty source list (write 'none' to allow nothing)`,
			`report-to: takes exactly one group name (name a group of the Reporting-Endpoints header)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want errors", tt.in, p)
			}
			if p != nil {
				t.Errorf("Parse(%q) = %#v with an error, want nil", tt.in, p)
			}
			if diff := cmp.Diff(tt.want, errorLines(t, err)); diff != "" {
				t.Errorf("Parse(%q) errors (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestMustParse(t *testing.T) {
	if got := MustParse("default-src 'self'").String(); got != "default-src 'self'" {
		t.Errorf("MustParse: String() = %q", got)
	}
	defer func() {
		r := recover()
		want := `csp: MustParse("scirpt-src x"): scirpt-src: unknown directive (did you mean "script-src"?)`
		if r != want {
			t.Errorf("MustParse panic = %v, want %s", r, want)
		}
	}()
	MustParse("scirpt-src x")
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		in       string
		want     []string
		hasNonce bool
	}{
		{"", []string{""}, false},
		{"default-src 'self'", []string{"default-src 'self'"}, false},
		{"default-src 'nonce-abc'", []string{"default-src 'nonce-abc'"}, false},
		{"script-src 'self' nonce", []string{"script-src 'self' 'nonce-", "'"}, true},
		{
			"style-src nonce; script-src nonce 'strict-dynamic'; default-src 'self'",
			[]string{"default-src 'self'; script-src 'nonce-", "' 'strict-dynamic'; style-src 'nonce-", "'"},
			true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p := MustParse(tt.in)
			got := p.Template()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Template (-want +got):\n%s", diff)
			}
			if h := p.HasNonce(); h != tt.hasNonce {
				t.Errorf("HasNonce() = %v, want %v", h, tt.hasNonce)
			}
			if s := strings.Join(got, "{nonce}"); s != p.String() {
				t.Errorf("Template joined with {nonce} = %q, String() = %q", s, p.String())
			}
		})
	}
	var nilPolicy Policy
	if nilPolicy.String() != "" || nilPolicy.HasNonce() || len(nilPolicy.Template()) != 1 {
		t.Errorf("nil Policy: String %q, HasNonce %v, Template %q", nilPolicy.String(), nilPolicy.HasNonce(), nilPolicy.Template())
	}
}

func TestStringUnknownLast(t *testing.T) {
	p := Policy{"zeta": nil, ReportTo: {tok("g")}, "alpha-src": {Self}, ReflectedXSS: nil, DefaultSrc: {Self}}
	want := "default-src 'self'; report-to g; alpha-src 'self'; reflected-xss; zeta"
	if got := p.String(); got != want {
		t.Errorf("String():\n got %q\nwant %q", got, want)
	}
}

func TestDirectives(t *testing.T) {
	all := Directives()
	if len(all) != 27 {
		t.Errorf("len(Directives()) = %d, want 27", len(all))
	}
	for i, d := range all {
		if Order(d) != i {
			t.Errorf("Order(%s) = %d, want %d", d, Order(d), i)
		}
	}
	for _, d := range []Directive{"unknown", BlockAllMixedContent, PluginTypes, Referrer, ReflectedXSS, "Default-Src"} {
		if Order(d) != len(all) {
			t.Errorf("Order(%q) = %d, want %d", d, Order(d), len(all))
		}
	}
	all[0] = "changed"
	if Directives()[0] != DefaultSrc {
		t.Error("Directives() returned a shared slice")
	}

	var fetch, lists []Directive
	for _, d := range append(Directives(), BlockAllMixedContent, "x-src") {
		if IsFetch(d) {
			fetch = append(fetch, d)
		}
		if d.SourceList() {
			lists = append(lists, d)
		}
	}
	wantFetch := []Directive{DefaultSrc, ChildSrc, ConnectSrc, FencedFrameSrc, FontSrc, FrameSrc, ImgSrc,
		ManifestSrc, MediaSrc, ObjectSrc, PrefetchSrc, ScriptSrc, ScriptSrcAttr, ScriptSrcElem, StyleSrc,
		StyleSrcAttr, StyleSrcElem, WorkerSrc}
	if diff := cmp.Diff(wantFetch, fetch); diff != "" {
		t.Errorf("IsFetch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(append(wantFetch, BaseURI, FormAction, FrameAncestors), lists); diff != "" {
		t.Errorf("SourceList (-want +got):\n%s", diff)
	}
}
