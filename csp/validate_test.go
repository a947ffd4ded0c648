package csp

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want []string // exact Error() texts, in order; nil means valid
	}{
		{"nil", nil, nil},
		{"empty", Policy{}, nil},
		{"literal", Policy{
			DefaultSrc: {Self}, ScriptSrc: {Self, RequestNonce, StrictDynamic}, ObjectSrc: {None},
			ImgSrc: {Self, {Scheme, "data:"}, {Host, "*.example.com"}}, Sandbox: {tok("allow-scripts")},
			UpgradeInsecureRequests: nil, ReportTo: {tok("csp")}, FrameAncestors: {Self, {Host, "https://a.example"}},
		}, nil},
		{"useless but legal", Policy{ImgSrc: {StrictDynamic, {Nonce, "abc"}}, BaseURI: {RequestNonce}, PrefetchSrc: {Self}, Sandbox: {}}, nil},
		{"name case", Policy{"Script-Src": {Self}}, []string{`Script-Src: directive name not lower case (did you mean "script-src"?)`}},
		{"unknown", Policy{"scirpt-src": {Self}}, []string{`scirpt-src: unknown directive (did you mean "script-src"?)`}},
		{"injected name", Policy{"img-src; script-src *": {Self}}, []string{`"img-src; script-src *": unknown directive`}},
		{"deprecated", Policy{PluginTypes: {tok("application/pdf")}}, []string{`plugin-types: deprecated directive: removed from CSP3, browsers no longer run plugins (remove it; use object-src 'none')`}},
		{"zero source", Policy{ScriptSrc: {{}}}, []string{`script-src[0]: zero Source (build sources with ParseSource or the package's variables)`}},
		{"bad kind", Policy{ScriptSrc: {{Kind(42), "x"}}}, []string{`script-src[0]: unknown source Kind(42) "x" (build sources with ParseSource or the package's variables)`}},
		{"upper keyword", Policy{ScriptSrc: {{Keyword, "SELF"}}}, []string{`script-src[0]: unknown keyword "SELF" (did you mean "self"?)`}},
		{"misspelled keyword", Policy{ScriptSrc: {Self, {Keyword, "unsafe-inlin"}}}, []string{`script-src[1]: unknown keyword "unsafe-inlin" (did you mean "unsafe-inline"?)`}},
		{"upper host", Policy{ImgSrc: {{Host, "Example.com"}}}, []string{`img-src[0]: host source not in canonical form "Example.com" (did you mean "example.com"?)`}},
		{"host that is a keyword", Policy{ImgSrc: {{Host, "self"}}}, []string{`img-src[0]: host source reads back as a keyword "self" (build sources with ParseSource)`}},
		{"injected host", Policy{ImgSrc: {{Host, "a.example; script-src *"}}}, []string{`img-src[0]: byte ';' not allowed in "a.example; script-src *" (';' ends a directive; give one item per value)`}},
		{"CRLF scheme", Policy{ImgSrc: {{Scheme, "https:\r\n"}}}, []string{`img-src[0]: byte '\r' not allowed in "https:\r\n" (header injection: remove control bytes)`}},
		{"bad nonce", Policy{ScriptSrc: {{Nonce, "a'b"}}}, []string{`script-src[0]: nonce is not base64 "'nonce-a'b'" (a nonce is base64 or base64url: A-Z a-z 0-9 and + / or - _, up to two '=')`}},
		{"short hash", Policy{ScriptSrc: {{Hash, "sha256-YWJj"}}}, []string{`script-src[0]: sha256 digest has 3 bytes, want 32 "'sha256-YWJj'" (paste the whole digest, as HashSource prints it)`}},
		{"slot with value", Policy{ScriptSrc: {{NonceSlot, "x"}}}, []string{`script-src[0]: nonce slot source not in canonical form "x"`}},
		{"token in source list", Policy{ImgSrc: {tok("example.com")}}, []string{`img-src[0]: a Token is not a source "example.com" (build sources with ParseSource)`}},
		{"none mixed", Policy{ScriptSrc: {Self, None}}, []string{`script-src[1]: 'none' mixed with other sources (remove 'none', or the other sources)`}},
		{"empty list", Policy{ImgSrc: {}, ObjectSrc: nil}, []string{
			`img-src: empty source list (write 'none' to allow nothing)`,
			`object-src: empty source list (write 'none' to allow nothing)`,
		}},
		{"frame-ancestors hash", Policy{FrameAncestors: {{Hash, "sha256-" + alertSHA256}}}, []string{
			`frame-ancestors[0]: not allowed in frame-ancestors "'sha256-` + alertSHA256 + `'" (frame-ancestors takes only 'self', 'none', hosts and schemes)`,
		}},
		{"keyword in sandbox", Policy{Sandbox: {Self}}, []string{`sandbox[0]: keyword source not allowed in sandbox "'self'" (sandbox takes tokens; build them with ParseValue)`}},
		{"upper sandbox flag", Policy{Sandbox: {tok("Allow-Scripts")}}, []string{`sandbox[0]: unknown sandbox flag "Allow-Scripts" (did you mean "allow-scripts"?)`}},
		{"valueless with value", Policy{UpgradeInsecureRequests: {Self}}, []string{`upgrade-insecure-requests: takes no value "'self'" (remove the values)`}},
		{"two report-to", Policy{ReportTo: {tok("a"), tok("b")}}, []string{`report-to: takes exactly one group name (keep one: a policy reports to a single group)`}},
		{"report-uri comma", Policy{ReportURI: {tok("/a,b")}}, []string{`report-uri[0]: byte ',' not allowed in "/a,b" (',' starts another policy; give one item per value)`}},
		{"unquoted script sink", Policy{RequireTrustedTypesFor: {tok("script")}}, []string{`require-trusted-types-for[0]: unknown trusted types sink group "script" (did you mean "'script'"?)`}},
		{"trusted-types none token mixed", Policy{TrustedTypes: {tok("a"), tok("'none'")}}, []string{`trusted-types[1]: 'none' mixed with other sources (remove 'none', or the other sources)`}},
		{"canonical error order", Policy{"zz": nil, ReportTo: nil, ScriptSrc: {}, DefaultSrc: {}}, []string{
			`default-src: empty source list (write 'none' to allow nothing)`,
			`script-src: empty source list (write 'none' to allow nothing)`,
			`report-to: takes exactly one group name (name a group of the Reporting-Endpoints header)`,
			`zz: unknown directive`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := tt.p.Clone()
			err := tt.p.Validate()
			if diff := cmp.Diff(tt.want, errorLines(t, err)); diff != "" {
				t.Errorf("Validate errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tt.p); diff != "" {
				t.Errorf("Validate changed the policy (-before +after):\n%s", diff)
			}
		})
	}
}

// Every source that ParseSource accepts is valid in a fetch directive, and
// every directive's item that ParseValue accepts is valid there.
func TestParseValueAgreesWithValidate(t *testing.T) {
	items := []string{"self", "nonce", "https:", "*.example.com", "allow-scripts", "/r", "g", "script", "none",
		"allow-duplicates", "name", "*", "'sha256-" + alertSHA256 + "'"}
	for _, d := range Directives() {
		for _, s := range items {
			src, err := ParseValue(d, s)
			if err != nil {
				continue
			}
			if err := (Policy{d: {src}}).Validate(); err != nil {
				t.Errorf("ParseValue(%s, %q) = %v, but Validate: %v", d, s, src, err)
			}
		}
	}
	if _, err := ParseValue(UpgradeInsecureRequests, "x"); err == nil {
		t.Error("ParseValue(upgrade-insecure-requests, x) succeeded")
	}
}
