package csp

import (
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// sandboxFlags are the sandboxing keywords of HTML's iframe sandbox
// attribute that the sandbox directive accepts.
var sandboxFlags = []string{
	"allow-downloads",
	"allow-forms",
	"allow-modals",
	"allow-orientation-lock",
	"allow-pointer-lock",
	"allow-popups",
	"allow-popups-to-escape-sandbox",
	"allow-presentation",
	"allow-same-origin",
	"allow-scripts",
	"allow-storage-access-by-user-activation",
	"allow-top-navigation",
	"allow-top-navigation-by-user-activation",
	"allow-top-navigation-to-custom-protocols",
}

// Quoted keywords of the Trusted Types directives, as Token values.
const (
	ttNone            = "'none'"
	ttAllowDuplicates = "'allow-duplicates'"
	ttScript          = "'script'"
)

// ParseValue parses one item of directive d's value as a user writes it.
// For a source-list directive (see Directive.SourceList) it is ParseSource,
// and then the source must fit d (frame-ancestors takes only 'self',
// 'none', hosts and schemes). For the others it returns a Token, after
// these normalisations:
//
//   - sandbox: the flag lower-cased ("allow-scripts");
//   - require-trusted-types-for: "script" or "'script'" → "'script'";
//   - trusted-types: "none" / "allow-duplicates", quoted or not, →
//     "'none'" / "'allow-duplicates'"; policy names and "*" as written;
//   - report-uri, report-to, deprecated and unknown directives: as written.
//
// The Token is then checked as Validate would check it. A valueless
// directive (upgrade-insecure-requests) takes no item and always returns
// an error. Errors are *policy.Error with an empty Path. ParseValue is pure and
// safe for concurrent use.
func ParseValue(d Directive, s string) (Source, error) {
	if d.SourceList() {
		src, err := ParseSource(s)
		if err != nil {
			return Source{}, err
		}
		if e := fitError(d, src); e != nil {
			return Source{}, e
		}
		return src, nil
	}
	if valueless(d) {
		return Source{}, &cfgerr.Error{Value: s, Reason: "takes no value", Fix: "remove the value"}
	}
	if err := headerval.CheckAtom(s); err != nil {
		return Source{}, atomError(s, err)
	}
	v := s
	switch d {
	case Sandbox:
		v = lower(s)
	case RequireTrustedTypesFor:
		if strings.EqualFold(s, "script") || strings.EqualFold(s, ttScript) {
			v = ttScript
		}
	case TrustedTypes:
		bare := s
		if len(s) > 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
			bare = s[1 : len(s)-1]
		}
		if strings.EqualFold(bare, "none") {
			v = ttNone
		} else if strings.EqualFold(bare, "allow-duplicates") {
			v = ttAllowDuplicates
		}
	}
	if e := tokenError(d, v); e != nil {
		return Source{}, e
	}
	return Source{Token, v}, nil
}

// tokenError checks Token value v of a directive that takes no source list.
func tokenError(d Directive, v string) *cfgerr.Error {
	if err := headerval.CheckAtom(v); err != nil {
		return atomError(v, err)
	}
	switch d {
	case Sandbox:
		if slices.Contains(sandboxFlags, v) {
			return nil
		}
		e := &cfgerr.Error{Value: v, Reason: "unknown sandbox flag", Fix: didYouMean(closest(v, sandboxFlags))}
		if e.Fix == "" {
			e.Fix = "flags are allow-forms, allow-scripts, allow-same-origin, …; a bare sandbox allows nothing"
		}
		return e
	case ReportURI:
		if v[0] == '\'' {
			return &cfgerr.Error{Value: v, Reason: "report-uri takes URLs, not keywords"}
		}
		if !isURIReference(v) {
			return &cfgerr.Error{Value: v, Reason: "invalid report-uri URL",
				Fix: "percent-encode bytes outside RFC 3986, and ';' and ','"}
		}
	case ReportTo:
		if !headerval.IsToken(v) {
			return &cfgerr.Error{Value: v, Reason: "invalid report-to group name",
				Fix: "a group name is a token, as in the Reporting-Endpoints header"}
		}
	case RequireTrustedTypesFor:
		if v != ttScript {
			return &cfgerr.Error{Value: v, Reason: "unknown trusted types sink group", Fix: didYouMean(ttScript)}
		}
	case TrustedTypes:
		if v == ttNone || v == ttAllowDuplicates || v == "*" {
			return nil
		}
		if v[0] == '\'' {
			e := &cfgerr.Error{Value: v, Reason: "unknown trusted-types keyword",
				Fix: "keywords are 'none' and 'allow-duplicates'"}
			if c := closest(strings.Trim(v, "'"), []string{"none", "allow-duplicates"}); c != "" {
				e.Fix = didYouMean("'" + c + "'")
			}
			return e
		}
		if !isPolicyName(v) {
			return &cfgerr.Error{Value: v, Reason: "invalid trusted types policy name",
				Fix: "a policy name is letters, digits and - # = _ / @ . %"}
		}
	}
	return nil
}

// isPolicyName reports whether s is a Trusted Types tt-policy-name.
func isPolicyName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && strings.IndexByte("-#=_/@.%", c) < 0 {
			return false
		}
	}
	return s != ""
}

// isURIReference reports whether s is made only of RFC 3986 URI-reference
// bytes (unreserved, reserved and %HH), less ';' and ',', which would split
// the header. It checks bytes, not structure: the browser resolves the
// reference against the document's URL.
func isURIReference(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c) || isDigit(c) || strings.IndexByte("-._~:/?#[]@!$&'()*+=", c) >= 0:
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}
