package suggestcsp

import (
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
)

// advice is what to do about one violation: a source to add to a
// directive (none when add is the zero Source), and the note's text.
type advice struct {
	dir          csp.Directive
	add          csp.Source
	action, risk string
}

func (a advice) added() string {
	if a.add.Kind == 0 {
		return ""
	}
	return string(a.dir) + " " + SourceText(a.add)
}

// The risks of the sources a suggestion may add.
const (
	riskScriptHost = "an allow-listed script host lets any script it serves run: a JSONP endpoint, an old library (AngularJS) or a user upload on it bypasses the policy; allow the narrowest path you can (https://host/path/file.js)"
	riskFrameAnc   = "that origin may now frame the page (clickjacking if it is not yours)"
	riskFormAction = "forms may now post to that origin"
	riskBaseURI    = "relative URLs may now resolve against that origin"
)

// advise decides what to do about a violation of directive d in c for what
// was blocked.
func advise(c csp.Policy, d csp.Directive, blocked string) advice {
	if len(c) == 0 {
		return advice{action: "the policy sends no such CSP: these reports come from another policy (an older deployment?); nothing proposed"}
	}
	gov, restricted := c.Effective(d)
	if !restricted {
		return advice{action: "the policy does not restrict " + string(d) + " (the reports come from another policy?); nothing proposed"}
	}
	list := c[gov]
	target := gov
	if gov == csp.DefaultSrc && d != csp.DefaultSrc {
		target = ownDirective(d)
	}
	script := strings.HasPrefix(string(d), "script-src") || d == csp.WorkerSrc
	switch blocked {
	case "inline":
		return adviseInline(list, target, d)
	case "eval":
		return advice{action: "remove the eval (eval(), new Function(), a string passed to setTimeout or setInterval) at the places listed; 'unsafe-eval' is never proposed: it lets injected strings run as code"}
	case "wasm-eval":
		return advice{action: "WebAssembly compilation was blocked: 'wasm-unsafe-eval' allows it without allowing eval; add it to " + string(target) + " only if the page needs WebAssembly (not proposed)"}
	case "trusted-types-policy", "trusted-types-sink":
		return advice{action: "a Trusted Types " + strings.TrimPrefix(blocked, "trusted-types-") + " violation: create the policy or pass a trusted value to the sink (nothing proposed)"}
	case "data:":
		if ownDirective(d) == csp.ImgSrc {
			if slices.Contains(list, csp.Source{Kind: csp.Scheme, Value: "data:"}) {
				return advice{action: "data: is already allowed in " + string(gov) + " (the reports come from an older policy?)"}
			}
			return advice{dir: target, add: csp.Source{Kind: csp.Scheme, Value: "data:"},
				action: "allow data: images in img-src (they cannot run script); check that your pages use them: content blockers also inject data: images"}
		}
		return advice{action: "a data: URL in " + string(d) + " is not proposed (in script, style, frame or object directives it runs attacker-controlled content); serve the resource from a URL"}
	case "":
		return advice{action: "the report does not say what was blocked; nothing proposed"}
	}
	if strings.HasSuffix(blocked, ":") {
		return advice{action: "a " + blocked + " URL in " + string(d) + " is not proposed (a scheme source allows any such URL); serve the resource from a URL, or add " + blocked + " yourself if you are sure"}
	}
	src, err := csp.ParseSource(blocked)
	if err != nil || src.Kind != csp.Host || !strings.Contains(blocked, "://") || strings.Contains(blocked, "*") {
		return advice{action: "not an origin a policy can name; nothing proposed"}
	}
	if slices.Contains(list, src) {
		return advice{action: blocked + " is already allowed in " + string(gov) + " (the reports come from an older policy?)"}
	}
	if script {
		if slices.Contains(list, csp.StrictDynamic) {
			return advice{action: "under 'strict-dynamic' browsers ignore host sources: give the <script> that loads it the nonce, or load it from a script that has the nonce (nothing proposed)"}
		}
		a := advice{dir: target, add: src, risk: riskScriptHost,
			action: "allow the script host " + blocked + " in " + string(target)}
		if hasNonce(list) {
			a.action += "; or, instead of any host: add 'strict-dynamic' to " + string(target) + " and give the <script> that loads it the nonce (scripts it loads then run, host lists are ignored)"
		}
		return a
	}
	a := advice{dir: target, add: src, action: "allow " + blocked + " in " + string(target)}
	switch d {
	case csp.FrameAncestors:
		a.risk = riskFrameAnc
	case csp.FormAction:
		a.risk = riskFormAction
	case csp.BaseURI:
		a.risk = riskBaseURI
	case csp.ObjectSrc:
		a = advice{action: "plugins (object, embed) are not proposed: keep object-src 'none' and replace the element"}
	}
	return a
}

// adviseInline is the advice for an inline script or style, or an inline
// event handler or style attribute (d ending in -attr).
func adviseInline(list []csp.Source, target, d csp.Directive) advice {
	kind := "<script>"
	if strings.HasPrefix(string(d), "style-src") {
		kind = "<style>"
	}
	if strings.HasSuffix(string(d), "-attr") {
		what := "inline event handler (onclick=…)"
		fix := "a script with the nonce that calls addEventListener"
		if kind == "<style>" {
			what, fix = "style attribute", "a class in a stylesheet or a <style> with the nonce"
		}
		return advice{action: "move each " + what + " at the places listed into " + fix + "; 'unsafe-inline' and 'unsafe-hashes' are not proposed"}
	}
	if hasNonce(list) {
		return advice{action: "give each inline " + kind + " at the places listed the nonce attribute (secureheaders.NonceAttr, or {{cspNonceAttr}} with TemplateFuncs); 'unsafe-inline' is never proposed"}
	}
	return advice{dir: target, add: csp.RequestNonce,
		action: "add the nonce to " + string(target) + " and give each inline " + kind + " at the places listed the nonce attribute (secureheaders.NonceAttr); 'unsafe-inline' is never proposed"}
}

func hasNonce(list []csp.Source) bool {
	return slices.ContainsFunc(list, func(s csp.Source) bool { return s.Kind == csp.NonceSlot })
}

// ownDirective is the directive to start for d when only default-src
// governs it: d without -elem or -attr (script-src for script-src-elem).
func ownDirective(d csp.Directive) csp.Directive {
	for _, suffix := range []string{"-elem", "-attr"} {
		if base, ok := strings.CutSuffix(string(d), suffix); ok && csp.IsFetch(csp.Directive(base)) {
			return csp.Directive(base)
		}
	}
	return d
}

// SourceText writes a source as a configuration file does: "nonce" for the
// nonce slot, a keyword without its quotes ("self"), the header text
// otherwise.
func SourceText(s csp.Source) string {
	switch s.Kind {
	case csp.NonceSlot:
		return "nonce"
	case csp.Keyword:
		return s.Value
	}
	return s.String()
}
