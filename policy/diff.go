package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hsts"
)

// Change is one difference that Diff found between two policies.
type Change struct {
	// Header is the header's name ("Content-Security-Policy").
	Header string `json:"header"`
	// Directive, for a CSP, is the directive whose effective source list
	// changed ("script-src-elem"), every fetch directive being compared
	// after the CSP3 fallbacks; empty for other headers.
	Directive string `json:"directive,omitempty"`
	// From and To name the directive each policy takes the list from when
	// it is not Directive itself ("default-src"), or "none" when that policy
	// does not restrict the directive at all.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Allowed are the sources the second policy allows that the first did
	// not, Blocked those the first allowed that the second does not. "*"
	// with From or To "none" stands for "anything".
	Allowed []string `json:"allowed,omitempty"`
	Blocked []string `json:"blocked,omitempty"`
	// Before and After are the header values, for headers other than a
	// CSP's source lists ("" when absent).
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Risk, when not empty, says why the change widens what an attacker can
	// do (a source that allows any host, a new script host, 'unsafe-inline'
	// where scripts run, a protective header removed…).
	Risk string `json:"risk,omitempty"`
}

// Diff compares a and b header by header, in canonical order. For each CSP
// (enforced and report-only) it compares every fetch directive's effective
// source list after the CSP3 fallback chain — so a change made only through
// default-src shows on each directive it reaches — plus base-uri,
// form-action and frame-ancestors, and the other directives by value. Other
// headers are compared by value; a header that b drops, or an HSTS max-age
// that b shortens, is a risky change. a and b are not modified.
func Diff(a, b Policy) []Change {
	var out []Change
	out = append(out, diffCSP("Content-Security-Policy", a.CSP, b.CSP)...)
	out = append(out, diffCSP("Content-Security-Policy-Report-Only", a.CSPReportOnly, b.CSPReportOnly)...)
	av, bv := fieldValues(a), fieldValues(b)
	for _, name := range Headers() {
		if strings.HasPrefix(name, "Content-Security-Policy") {
			continue
		}
		before, after := av[name], bv[name]
		if before == after {
			continue
		}
		c := Change{Header: name, Before: before, After: after}
		switch {
		case after == "":
			c.Risk = "the header is no longer sent"
		case name == "Strict-Transport-Security" && before != "" && hstsMaxAge(after) < hstsMaxAge(before):
			c.Risk = "a shorter max-age lets browsers forget HTTPS sooner"
		}
		out = append(out, c)
	}
	return out
}

// hstsMaxAge reads the max-age of a rendered HSTS value.
func hstsMaxAge(v string) time.Duration {
	p, _ := hsts.Parse(v)
	return p.MaxAge
}

// fieldValues maps each header p sends to its value.
func fieldValues(p Policy) map[string]string {
	m := map[string]string{}
	for _, f := range p.Fields() {
		m[f.Name] = f.Value
	}
	return m
}

// noFallbackLists are the source-list directives that are not fetch
// directives: Diff compares them as they are, with no fallback.
var noFallbackLists = []csp.Directive{csp.BaseURI, csp.FormAction, csp.FrameAncestors}

func diffCSP(header string, a, b csp.Policy) []Change {
	if len(a) == 0 && len(b) == 0 {
		return nil
	}
	var out []Change
	for _, d := range csp.Directives() {
		switch {
		case csp.IsFetch(d) || slices.Contains(noFallbackLists, d):
			if c, ok := diffList(header, d, a, b); ok {
				out = append(out, c)
			}
		case !d.SourceList():
			before, after := valueOf(a, d), valueOf(b, d)
			if before != after {
				c := Change{Header: header, Directive: string(d), Before: before, After: after}
				if after == "" && (d == csp.UpgradeInsecureRequests || d == csp.RequireTrustedTypesFor || d == csp.Sandbox) {
					c.Risk = "a protection of the page is no longer asked for"
				}
				out = append(out, c)
			}
		}
	}
	return out
}

// valueOf renders directive d of p alone ("" when absent).
func valueOf(p csp.Policy, d csp.Directive) string {
	srcs, ok := p[d]
	if !ok {
		return ""
	}
	return csp.Policy{d: srcs}.String()
}

// diffList compares the effective source lists of d in a and b.
func diffList(header string, d csp.Directive, a, b csp.Policy) (Change, bool) {
	fa, aok := a.Effective(d)
	fb, bok := b.Effective(d)
	if !aok && !bok {
		return Change{}, false
	}
	c := Change{Header: header, Directive: string(d)}
	name := func(from csp.Directive, ok bool) string {
		switch {
		case !ok:
			return "none"
		case from != d:
			return string(from)
		}
		return ""
	}
	c.From, c.To = name(fa, aok), name(fb, bok)
	as, bs := sourceStrings(a[fa]), sourceStrings(b[fb])
	switch {
	case !aok: // a allowed anything, b restricts
		c.Blocked = []string{"*"}
		c.Allowed = nil
	case !bok: // b allows anything
		c.Allowed = []string{"*"}
	default:
		for _, s := range bs {
			if !slices.Contains(as, s) {
				c.Allowed = append(c.Allowed, s)
			}
		}
		for _, s := range as {
			if !slices.Contains(bs, s) {
				c.Blocked = append(c.Blocked, s)
			}
		}
	}
	if len(c.Allowed) == 0 && len(c.Blocked) == 0 {
		return Change{}, false
	}
	c.Risk = widenRisk(d, b[fb], c.Allowed, bok)
	return c, true
}

func sourceStrings(srcs []csp.Source) []string {
	out := make([]string, len(srcs))
	for i, s := range srcs {
		out[i] = s.String()
	}
	return out
}

// widenRisk says why allowing the sources newly allowed in d is risky, or
// "". restricted is false when the second policy does not restrict d.
//
// A host newly allowed in script-src or script-src-elem (the lists <script
// src> obeys) is risky: a host allow-list is only as strict as everything
// the host serves, and one JSONP endpoint, old AngularJS or user upload on
// it runs what an attacker injects (CSP Evaluator rates allow-listed
// script hosts as a bypass; suggest says the same of the hosts it
// proposes). It is not risky where the list has 'strict-dynamic' with a
// nonce or hash: CSP3 browsers then ignore hosts; nor is a source that
// names one file (https://cdn.example/lib/app.js), the narrowing suggest
// proposes. 'self' and hosts in
// worker-src, script-src-attr (which hosts do not reach) or other
// directives are not flagged.
func widenRisk(d csp.Directive, list []csp.Source, allowed []string, restricted bool) string {
	scripts := d == csp.ScriptSrc || d == csp.ScriptSrcElem || d == csp.ScriptSrcAttr || d == csp.WorkerSrc || d == csp.ObjectSrc || d == csp.DefaultSrc
	if !restricted {
		if scripts || slices.Contains(noFallbackLists, d) {
			return string(d) + " is no longer restricted at all"
		}
		return ""
	}
	dynamic := slices.Contains(list, csp.StrictDynamic) && (hasNonce(list) || hasHash(list))
	for _, s := range list {
		if !slices.Contains(allowed, s.String()) {
			continue
		}
		switch {
		case anyHost(s, d == csp.ConnectSrc) && !(dynamic && s.Kind != csp.Keyword):
			if scripts || d == csp.BaseURI || d == csp.FrameAncestors || d == csp.FormAction {
				return s.String() + " allows any host in " + string(d)
			}
		case dangerousScheme(s) && (scripts || d == csp.BaseURI):
			return s.String() + " lets page-made URLs load in " + string(d)
		case (s == csp.UnsafeInline || s == csp.UnsafeHashes) && scripts && !(hasNonce(list) || hasHash(list)):
			return s.String() + " lets injected inline scripts run"
		case s == csp.UnsafeEval && scripts:
			return s.String() + " lets strings run as code"
		case bypassHost(s) && scripts && !dynamic:
			return s.String() + " serves JSONP or libraries that run injected code"
		case s.Kind == csp.Host && !namesFile(s) && (d == csp.ScriptSrc || d == csp.ScriptSrcElem) && !dynamic:
			return s.String() + " is a new script host: any script it serves (a JSONP endpoint, an old library, a user upload) runs in the page; use a nonce with 'strict-dynamic' or host the script yourself"
		}
	}
	return ""
}

// namesFile reports whether host source s names one file: it has a path
// that does not end in "/".
func namesFile(s csp.Source) bool {
	h := s.Value
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	i := strings.IndexByte(h, '/')
	return i >= 0 && !strings.HasSuffix(h, "/")
}
