package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
)

// role is what a source list governs once the CSP3 fallback chain
// (§6.8.3) has picked it for a fetch directive.
type role uint16

const (
	roleScript    role = 1 << iota // <script> elements: script-src-elem
	roleHandler                    // inline event handlers: script-src-attr
	roleEval                       // eval and new Function: script-src
	roleWorker                     // worker scripts: worker-src
	roleObject                     // plugins: object-src
	roleStyle                      // style sheets and <style>: style-src-elem
	roleStyleAttr                  // style attributes: style-src-attr
	roleConnect                    // fetch, XHR, WebSocket: connect-src
	roleOther                      // images, fonts, media, frames, …

	scriptRoles = roleScript | roleHandler | roleWorker
)

// leaf is a fetch directive (whose chain of fallbacks is csp.Fallbacks),
// what it governs, and the name a finding gives it when its list comes from
// default-src.
type leaf struct {
	dir  csp.Directive
	role role
	name string
}

// leaves covers every fetch directive; eval has no directive of its own and
// is checked against script-src, then default-src (CSP3 §4.4).
var leaves = []leaf{
	{csp.ScriptSrcElem, roleScript, "script-src"},
	{csp.ScriptSrcAttr, roleHandler, "script-src"},
	{csp.ScriptSrc, roleEval, "script-src"},
	{csp.WorkerSrc, roleWorker, "worker-src"},
	{csp.ObjectSrc, roleObject, "object-src"},
	{csp.StyleSrcElem, roleStyle, "style-src"},
	{csp.StyleSrcAttr, roleStyleAttr, "style-src"},
	{csp.ConnectSrc, roleConnect, "connect-src"},
	{csp.FrameSrc, roleOther, "frame-src"},
	{csp.FencedFrameSrc, roleOther, "fenced-frame-src"},
	{csp.ImgSrc, roleOther, "img-src"},
	{csp.FontSrc, roleOther, "font-src"},
	{csp.MediaSrc, roleOther, "media-src"},
	{csp.ManifestSrc, roleOther, "manifest-src"},
	{csp.PrefetchSrc, roleOther, "prefetch-src"},
}

// lintCSP adds the CSP findings for c under key: each present fetch
// directive is linted for what it governs through the fallback chain, then
// base-uri and the directives that are missing.
func lintCSP(add func(Severity, string, string, string), key string, c csp.Policy) {
	uses := map[csp.Directive]role{}
	// via names the first leaf of each role that reaches a directive by
	// falling back to default-src, for the "(… falls back to default-src)"
	// note.
	via := map[role]string{}
	missing := role(0)
	for _, l := range leaves {
		d, ok := c.Effective(l.dir)
		if !ok {
			missing |= l.role
			continue
		}
		uses[d] |= l.role
		if d == csp.DefaultSrc && l.dir != csp.DefaultSrc {
			if _, seen := via[l.role]; !seen {
				via[l.role] = l.name
			}
		}
	}
	for _, d := range csp.Directives() {
		r, ok := uses[d]
		if !ok {
			continue
		}
		lintSources(add, key+"."+string(d), d, c[d], r, via)
	}
	for _, d := range csp.Directives() {
		if d.SourceList() {
			for _, s := range c[d] {
				lintShorthand(add, key+"."+string(d), s)
			}
		}
	}
	for _, s := range c[csp.BaseURI] {
		if anyHost(s, false) || dangerousScheme(s) {
			add(Critical, key+".base-uri", fmt.Sprintf("%q lets an injected <base> tag point relative script URLs at another site", s.String()), "use base-uri 'self' or 'none'")
		}
	}
	lintMissing(add, key, c, missing)
	if _, ok := c[csp.ReportURI]; ok {
		if _, ok := c[csp.ReportTo]; !ok {
			add(Info, key+".report-uri", "report-uri is deprecated in CSP3; browsers that know report-to prefer it", "add report-to with a Reporting-Endpoints entry, and keep report-uri for older browsers")
		}
	}
}

// lintMissing adds the findings for what c leaves unrestricted.
func lintMissing(add func(Severity, string, string, string), key string, c csp.Policy, missing role) {
	switch {
	case missing&(roleScript|roleHandler) == roleScript|roleHandler:
		add(Critical, key+".script-src", "neither script-src nor default-src: scripts may load from anywhere", "add script-src 'self' or a nonce")
	case missing&roleScript != 0:
		add(Critical, key+".script-src", "no script-src-elem, script-src or default-src: <script> elements may load from anywhere", "add script-src 'self' or a nonce")
	case missing&roleHandler != 0:
		add(Critical, key+".script-src", "no script-src-attr, script-src or default-src: injected event handlers (onclick=…) run", "add script-src-attr 'none'")
	case missing&roleEval != 0:
		add(Warning, key+".script-src", "neither script-src nor default-src: eval and new Function are not restricted", "add script-src 'self' or a nonce")
	}
	objects, hasObject := c[csp.ObjectSrc]
	switch defaults, hasDefault := c[csp.DefaultSrc]; {
	case !hasObject && !hasDefault:
		add(Critical, key+".object-src", "object-src is not restricted: plugins can run script", "add object-src 'none'")
	case !hasObject && slices.ContainsFunc(defaults, func(s csp.Source) bool { return anyHost(s, false) || dangerousScheme(s) }):
		add(Critical, key+".object-src", "object-src falls back to default-src, which lets plugins load from anywhere, and plugins can run script", "add object-src 'none'")
	case !hasObject && !slices.Equal(defaults, []csp.Source{csp.None}):
		add(Warning, key+".object-src", "object-src falls back to default-src: plugins may load from its sources and run script", "add object-src 'none'")
	case hasObject && !slices.Equal(objects, []csp.Source{csp.None}) && !slices.ContainsFunc(objects, func(s csp.Source) bool { return anyHost(s, false) || dangerousScheme(s) }):
		add(Info, key+".object-src", "plugins may load from the listed sources", "use object-src 'none' unless the site needs plugins")
	}
	if _, ok := c[csp.BaseURI]; !ok {
		scripts := append(effectiveList(c, leaves[0]), effectiveList(c, leaves[2])...)
		if hasNonce(scripts) || hasHash(scripts) && slices.Contains(scripts, csp.StrictDynamic) {
			add(Critical, key+".base-uri", "base-uri is missing: an injected <base> tag can point relative script URLs at another site, and nonced scripts load from there", "add base-uri 'none' (or 'self')")
		} else {
			add(Warning, key+".base-uri", "base-uri is missing: an injected <base> tag can redirect relative script URLs", "add base-uri 'self' (or 'none')")
		}
	}
}

// effectiveList returns the list a browser uses for l in c (nil if none).
func effectiveList(c csp.Policy, l leaf) []csp.Source {
	d, _ := c.Effective(l.dir)
	return c[d]
}

// lintSources adds the findings for the sources of directive d, which
// governs what r says; via names the leaf of each role that reaches d by
// falling back to default-src.
func lintSources(add func(Severity, string, string, string), path string, d csp.Directive, list []csp.Source, r role, via map[role]string) {
	if r&(roleScript|roleHandler) == 0 && r&roleEval != 0 && r&roleObject == 0 {
		// script-src-elem and script-src-attr override this list, but
		// browsers that do not know them still read it for every script:
		// its script findings hold there, one level down.
		r |= roleScript | roleHandler
		next := add
		add = func(sev Severity, path, msg, fix string) {
			if sev == Critical {
				sev, msg = Warning, msg+" in browsers that do not know script-src-elem and script-src-attr"
			}
			next(sev, path, msg, fix)
		}
	}
	nonceOrHash := hasNonce(list) || hasHash(list)
	dynamic := slices.Contains(list, csp.StrictDynamic)
	note := func(rs role) string {
		if d != csp.DefaultSrc {
			return ""
		}
		for _, x := range []role{roleScript, roleHandler, roleEval, roleWorker, roleObject, roleStyle, roleStyleAttr, roleConnect} {
			if rs&x != 0 && via[x] != "" {
				return " (" + via[x] + " falls back to default-src)"
			}
		}
		return ""
	}
	for _, s := range list {
		switch {
		case s == csp.UnsafeInline:
			lintUnsafeInline(add, path, r, nonceOrHash, dynamic, note)
		case s == csp.UnsafeEval && r&roleEval != 0:
			add(Warning, path, "'unsafe-eval' lets strings run as code (eval, new Function)"+note(roleEval), "remove it; refactor the code that needs eval")
		case s == csp.UnsafeHashes && r&(roleScript|roleHandler) != 0:
			if hasHash(list) {
				add(Warning, path, "'unsafe-hashes' lets every event handler whose hash is listed run wherever it is injected"+note(roleHandler), "move the handlers into a script file or a nonced script")
			} else {
				add(Info, path, "'unsafe-hashes' does nothing without a hash", "remove it")
			}
		case s.Kind == csp.Nonce && r&roleScript != 0:
			add(Warning, path, "a fixed nonce is the same on every response, so an attacker can reuse it", "use the per-request nonce slot ('nonce')")
			if len(s.Value) < 22 {
				add(Warning, path, "nonce shorter than 128 bits", "use at least 16 random bytes")
			}
		case s.Kind == csp.Host || s.Kind == csp.Scheme:
			lintLocation(add, path, s, r, nonceOrHash, dynamic, note)
		}
	}
	if r&roleScript != 0 && dynamic && !nonceOrHash {
		add(Warning, path, "'strict-dynamic' without a nonce or hash blocks every script", "add the per-request nonce ('nonce') or hashes")
	}
}

// lintUnsafeInline adds the finding for 'unsafe-inline' in a list that
// governs r. CSP2+ browsers ignore it beside a nonce or hash, CSP3 ones
// beside 'strict-dynamic' for scripts.
func lintUnsafeInline(add func(Severity, string, string, string), path string, r role, nonceOrHash, dynamic bool, note func(role) string) {
	ignored := nonceOrHash || dynamic && r&(roleScript|roleHandler) != 0
	switch {
	case r&(roleScript|roleHandler) != 0 && ignored:
		add(Warning, path, "'unsafe-inline' next to a nonce or hash: CSP2+ browsers ignore it, older ones run every inline script", "remove 'unsafe-inline'")
	case r&(roleScript|roleHandler) == roleScript|roleHandler:
		add(Critical, path, "'unsafe-inline' lets injected inline scripts and event handlers run, which defeats most of CSP"+note(roleScript), "use a nonce ('nonce') or hashes")
	case r&roleScript != 0:
		add(Critical, path, "'unsafe-inline' lets injected inline scripts run, which defeats most of CSP"+note(roleScript), "use a nonce ('nonce') or hashes")
	case r&roleHandler != 0:
		add(Critical, path, "'unsafe-inline' lets injected event handlers (onclick=…) run, which defeats most of CSP", "move the handlers into nonced scripts (addEventListener) and use script-src-attr 'none'")
	case r&roleStyle != 0 && !nonceOrHash:
		add(Warning, path, "'unsafe-inline' lets injected <style> elements apply: CSS can restyle the page and leak its data"+note(roleStyle), "use a nonce or hashes for inline styles, or move them to files")
	case r&roleStyleAttr != 0 && !nonceOrHash:
		add(Info, path, "'unsafe-inline' lets injected style attributes apply"+note(roleStyleAttr), "move style attributes into classes and use style-src-attr 'none'")
	}
}

// lintLocation adds the finding for a host or scheme source s in a list
// that governs r: the most serious use decides.
func lintLocation(add func(Severity, string, string, string), path string, s csp.Source, r role, nonceOrHash, dynamic bool, note func(role) string) {
	any, risky := anyHost(s, r&roleConnect != 0), dangerousScheme(s)
	plain := s.Kind == csp.Host && strings.HasPrefix(s.Value, "http://")
	v := s.String()
	fix := "list the hosts you load scripts from, or use a nonce with 'strict-dynamic'"
	switch {
	case r&roleScript != 0 && dynamic && (any || risky || plain):
		// Ignored beside 'strict-dynamic' by CSP3 browsers: with a nonce
		// or hash it is the fallback of a strict CSP for older ones;
		// without, the 'strict-dynamic' warning says what is wrong.
	case r&roleScript != 0 && bypassHost(s):
		add(Critical, path, fmt.Sprintf("%q serves code that runs injected script (JSONP endpoints, AngularJS or any npm package), which bypasses the allow-list", v)+note(roleScript), "use a nonce with 'strict-dynamic', or host the libraries yourself")
	case r&(roleScript|roleWorker) != 0 && any && s.Kind == csp.Scheme:
		add(critical(r), path, fmt.Sprintf("%q allows scripts from any host of that scheme", v)+note(scriptRoles), fix)
	case r&(roleScript|roleWorker) != 0 && any:
		add(critical(r), path, fmt.Sprintf("%q allows scripts from any host", v)+note(scriptRoles), fix)
	case r&(roleScript|roleWorker) != 0 && risky:
		add(critical(r), path, fmt.Sprintf("%q lets an injected %s URL run as a script", v, s.Value)+note(scriptRoles), "remove it; load scripts from your own hosts")
	case r&roleObject != 0 && (any || risky):
		add(Critical, path, fmt.Sprintf("%q lets plugins load from anywhere, and plugins can run script", v)+note(roleObject), "use object-src 'none'")
	case r&(roleScript|roleWorker|roleObject) != 0 && plain:
		add(Warning, path, fmt.Sprintf("%q loads code over plain HTTP, which anyone on the network can alter", v), "use https://")
	case r&roleStyle != 0 && any:
		add(Warning, path, fmt.Sprintf("%q allows style sheets from any host: injected CSS can restyle the page and leak its data", v)+note(roleStyle), "list the hosts you load style sheets from")
	case r&roleConnect != 0 && any:
		add(Warning, path, fmt.Sprintf("%q lets scripts send data to any host (fetch, XHR, WebSocket)", v)+note(roleConnect), "list the hosts the page talks to")
	}
}

// critical is the severity of an any-host source: Critical where it runs
// in the page, Warning where it only starts workers.
func critical(r role) Severity {
	if r&roleScript != 0 {
		return Critical
	}
	return Warning
}

// lintShorthand flags CSP1's unquoted inline and eval, which browsers read
// today as hosts of those names, and a directive's name in a source list,
// which is a host of that name too: the sign of a missing ';' (CSP
// Evaluator's missing-semicolon check).
func lintShorthand(add func(Severity, string, string, string), path string, s csp.Source) {
	if s.Kind != csp.Host {
		return
	}
	if slices.Contains(csp.Directives(), csp.Directive(strings.ToLower(s.Value))) {
		add(Warning, path, fmt.Sprintf("%q is a directive's name read as a host: a ';' is probably missing before it", s.Value),
			fmt.Sprintf("end the list before %s with ';'", s.Value))
		return
	}
	switch s.Value {
	case "inline":
		add(Warning, path, `unquoted "inline" is a host named inline, not a keyword: browsers dropped CSP1's shorthand`, "write 'unsafe-inline' if that is what you meant (a nonce or hashes are safer)")
	case "eval":
		add(Warning, path, `unquoted "eval" is a host named eval, not a keyword: browsers dropped CSP1's shorthand`, "write 'unsafe-eval' if that is what you meant")
	}
}

func hasNonce(list []csp.Source) bool {
	return slices.ContainsFunc(list, func(s csp.Source) bool { return s.Kind == csp.NonceSlot || s.Kind == csp.Nonce })
}

func hasHash(list []csp.Source) bool {
	return slices.ContainsFunc(list, func(s csp.Source) bool { return s.Kind == csp.Hash })
}

// anyHost reports whether s matches any host: the scheme sources http: and
// https: (and ws:, wss: for connect-src when sockets is set), and a host
// source whose host is "*" or "*." followed by a public suffix, whatever its
// scheme, port or path ("*", "https://*", "*:*", "http://*:*", "*.com").
func anyHost(s csp.Source, sockets bool) bool {
	switch s.Kind {
	case csp.Scheme:
		return s.Value == "http:" || s.Value == "https:" || sockets && (s.Value == "ws:" || s.Value == "wss:")
	case csp.Host:
		h := s.Value
		if _, rest, ok := strings.Cut(h, "://"); ok {
			h = rest
		}
		if i := strings.IndexAny(h, ":/"); i >= 0 {
			h = h[:i]
		}
		return h == "*" || strings.HasPrefix(h, "*.") && publicSuffix(h[2:])
	}
	return false
}

// dangerousScheme reports whether s is a scheme whose URLs an attacker
// makes up in the page: data:, blob:, filesystem:.
func dangerousScheme(s csp.Source) bool {
	return s.Kind == csp.Scheme && (s.Value == "data:" || s.Value == "blob:" || s.Value == "filesystem:")
}

// sharedSuffixes are public suffixes under which anyone can get a host:
// hosting platforms whose "*." wildcard allows every customer's site.
var sharedSuffixes = []string{
	"amazonaws.com", "appspot.com", "azurewebsites.net", "blob.core.windows.net",
	"cloudfront.net", "firebaseapp.com", "github.io", "gitlab.io", "glitch.me",
	"googleusercontent.com", "herokuapp.com", "netlify.app", "onrender.com",
	"pages.dev", "s3.amazonaws.com", "vercel.app", "web.app", "workers.dev",
}

// secondLevel are the labels that, before a two-letter country code, make a
// public suffix (co.uk, com.au, gov.br, …).
var secondLevel = []string{"ac", "co", "com", "edu", "go", "gob", "gov", "ne", "net", "or", "org"}

// publicSuffix reports, by heuristic (no public suffix list), whether host
// is one: a single label ("com"), a country's second level ("co.uk"), or a
// shared hosting suffix.
func publicSuffix(host string) bool {
	if !strings.Contains(host, ".") || slices.Contains(sharedSuffixes, host) {
		return true
	}
	first, cc, ok := strings.Cut(host, ".")
	return ok && len(cc) == 2 && slices.Contains(secondLevel, first)
}

// anyOrigin reports whether frame-ancestors source s lets any site frame.
func anyOrigin(s csp.Source) bool {
	return anyHost(s, false) || dangerousScheme(s)
}

// bypassHosts serve, to anyone, script that runs what the page injects:
// JSONP endpoints with a callback parameter, AngularJS (whose templates
// evaluate expressions) or any published npm package. Allow-listing the
// whole host defeats a host allow-list (CSP Evaluator rates it HIGH).
var bypassHosts = []string{
	"accounts.google.com",
	"ajax.googleapis.com",
	"cdn.jsdelivr.net",
	"cdnjs.cloudflare.com",
	"unpkg.com",
	"www.google.com",
	"www.youtube.com",
}

// bypassHost reports whether s allows a whole host of bypassHosts, itself
// or through a "*." wildcard: no path, any scheme and port.
func bypassHost(s csp.Source) bool {
	if s.Kind != csp.Host {
		return false
	}
	h := s.Value
	if _, rest, ok := strings.Cut(h, "://"); ok {
		h = rest
	}
	h = strings.TrimSuffix(h, "/")
	if strings.Contains(h, "/") {
		return false
	}
	if i := strings.IndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	if strings.HasPrefix(h, "*.") && len(h) > 2 && !publicSuffix(h[2:]) { // "*.googleapis.com" covers ajax.googleapis.com; "*.com" is any host
		return slices.ContainsFunc(bypassHosts, func(b string) bool { return strings.HasSuffix(b, h[1:]) })
	}
	return slices.Contains(bypassHosts, h)
}
