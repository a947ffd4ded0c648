package https

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/internal/patmux"
)

// New validates and compiles opts. It returns every problem at once,
// joined with errors.Join, each a *cfgerr.Error naming the field and the
// fix; the *Gate is nil then. opts is copied: changing it later has no effect.
func New(opts Config) (*Gate, error) {
	h := &Gate{
		redirect:      opts.Redirect,
		permanent:     opts.Permanent,
		development:   opts.Development,
		forwardedHost: opts.TrustForwardedHost,
	}
	var errs []error
	bad := func(path, value, reason, fix string) {
		errs = append(errs, cfgerr.New(path, value, reason, fix))
	}

	h.trust = opts.Trust
	if opts.ProxyHeader != "" {
		h.protoHeader, h.protoForwarded = compileHTTPSProxyHeader(opts.ProxyHeader, bad)
		h.protoValue = "https"
		if h.protoHeader == "X-Forwarded-Ssl" {
			h.protoValue = "on"
		}
		if opts.Trust.Empty() && !opts.TrustInvalid {
			bad("https.proxyHeader", "",
				"is set but trustedProxies is empty, so it would never be believed",
				"add your proxy's address or CIDR to trustedProxies, or remove proxyHeader")
		}
	}
	switch opts.Element {
	case FirstElement:
	case LastElement:
		h.last = true
		if opts.ProxyHeader == "" && !opts.TrustForwardedHost {
			bad("https.proxyElement", "",
				"is set but neither proxyHeader nor trustForwardedHost is, so it would read nothing",
				"name your proxy's proxyHeader, or remove proxyElement")
		}
	default:
		bad("https.proxyElement", strconv.Itoa(int(opts.Element)), "unknown element",
			`use FirstProxyElement or LastProxyElement ("first" or "last" in JSON)`)
	}
	if opts.TrustForwardedHost && opts.Trust.Empty() && !opts.TrustInvalid {
		bad("https.trustForwardedHost", "",
			"is true but trustedProxies is empty, so X-Forwarded-Host would never be believed",
			"add your proxy's address or CIDR to trustedProxies, or set trustForwardedHost to false")
	}

	// Hosts.
	for i, p := range opts.AllowedHosts {
		if reason, fix := h.allowed.add(p); reason != "" {
			bad(fmt.Sprintf("https.allowedHosts[%d]", i), p, reason, fix)
		}
	}
	h.restrictHosts = len(opts.AllowedHosts) > 0
	if opts.Port != 0 {
		if opts.Port < 1 || opts.Port > 65535 {
			bad("https.port", strconv.Itoa(opts.Port), "not a TCP port",
				"use 1-65535, or 0 for the default port 443")
		} else {
			h.portSet = true
			if opts.Port != 443 {
				h.portSuffix = ":" + strconv.Itoa(opts.Port)
			}
		}
	}
	if opts.Host != "" {
		h.fixedAuthority = compileHTTPSHostOption("https.host", opts.Host, h.portSet, h.portSuffix, bad)
	}
	h.compileCanonical(opts, bad)

	// Bypass patterns.
	h.bypass = compileBypass(opts, bad)
	h.hostBypass = compileHostBypass(opts.RouteHostBypass, bad)
	h.compileUpgradeLocation(opts, bad)

	if opts.NonIdempotent > MethodRefuse {
		bad("https.nonIdempotent", strconv.Itoa(int(opts.NonIdempotent)), "unknown mode",
			"use RedirectNonIdempotent, PassNonIdempotent or RefuseNonIdempotent")
	}
	h.methods = opts.NonIdempotent
	h.allow = "GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE"
	if h.methods == MethodRefuse {
		h.allow = "GET, HEAD"
	}

	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return h, nil
}

// compileHTTPSProxyHeader checks the ProxyHeader option and returns its
// canonical key and whether it is RFC 7239 Forwarded.
func compileHTTPSProxyHeader(name string, bad func(path, value, reason, fix string)) (string, bool) {
	const fix = `use "X-Forwarded-Proto", "Forwarded", or the "X-…" header your proxy sets to "https"`
	if !headerval.IsToken(name) {
		bad("https.proxyHeader", name, "invalid header name", fix)
		return "", false
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	switch key {
	case "Forwarded":
		return key, true
	case "X-Forwarded-Proto":
		return key, false
	case "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-Ip", "X-Forwarded-Server":
		bad("https.proxyHeader", name, "not a header that carries the scheme", fix)
		return "", false
	}
	if !strings.HasPrefix(key, "X-") || len(key) == 2 {
		bad("https.proxyHeader", name, "not a proxy scheme header", fix)
		return "", false
	}
	return key, false
}

// compileHTTPSHostOption checks the Host option and returns the redirect
// authority it stands for, with the Port option applied.
func compileHTTPSHostOption(path, s string, portSet bool, portSuffix string, bad func(path, value, reason, fix string)) string {
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#") {
		bad(path, s, "not a bare host", `write only the host, e.g. "secure.example.com"`)
		return ""
	}
	h, ok := parseHTTPSHost(s)
	if !ok {
		bad(path, s, "invalid host[:port]",
			`write a host such as "secure.example.com" or "secure.example.com:8443"`)
		return ""
	}
	if h.port != 0 && portSet {
		bad(path, s, "port given here and in https.port too, in",
			"give the port in one place only")
		return ""
	}
	var b strings.Builder
	h.writeAuthority(&b)
	switch {
	case portSet:
		b.WriteString(portSuffix)
	case h.port != 0 && h.port != 443:
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(h.port))
	}
	return b.String()
}

// compileBypass compiles the bypass matchers: one for the route patterns
// (conflict-free among themselves, as the engine's routes mux checks) and
// one for InsecureBypassPatterns and Skips, where a conflict is an error.
// Either is nil when it has no pattern.
func compileBypass(opts Config, bad func(path, value, reason, fix string)) [2]*patmux.Matcher {
	var ms [2]*patmux.Matcher
	routes := newBypassSet()
	for _, p := range opts.RouteBypass {
		if reason := matchesEverything(p); reason != "" {
			bad("routes."+p, p, reason, "set https.redirect to false")
			continue
		}
		routes.add(p, "routes."+p) // an invalid route pattern is the engine's to report
	}
	ms[0] = routes.matcher()

	set := newBypassSet()
	add := func(path, pattern string) {
		if reason := matchesEverything(pattern); reason != "" {
			bad(path, pattern, reason, "set https.redirect to false")
		} else if reason, fix := set.add(pattern, path); reason != "" {
			bad(path, pattern, reason, fix)
		}
	}
	for i, p := range opts.InsecureBypassPatterns {
		path := fmt.Sprintf("https.insecureBypassPatterns[%d]", i)
		if p == "" {
			bad(path, "", "empty pattern", bypassPatternFix)
			continue
		}
		add(path, p)
	}
	for i, s := range opts.Skips {
		path := fmt.Sprintf("https.skips[%d]", i)
		if reason, fix := checkHTTPSSkip(s); reason != "" {
			bad(path, s, reason, fix)
			continue
		}
		// A skip is segment-aware: "/x" is "/x" and what is below "/x/";
		// "/x/" is only what is below it.
		p := skipPattern(s)
		add(path, p)
		if !strings.HasSuffix(p, "/") {
			add(path, p+"/")
		}
	}
	ms[1] = set.matcher()
	return ms
}

// bypassSet collects patterns in one ServeMux.
type bypassSet struct {
	mux      *http.ServeMux
	from     map[string]string // registered pattern → its configuration path
	patterns []string
}

func newBypassSet() *bypassSet {
	return &bypassSet{mux: http.NewServeMux(), from: map[string]string{}}
}

// add registers pattern, found at path, unless it is already there; it
// returns why ServeMux refused it, or "".
func (b *bypassSet) add(pattern, path string) (reason, fix string) {
	if _, dup := b.from[pattern]; dup {
		return "", ""
	}
	if err := patmux.Register(b.mux, pattern, http.NotFoundHandler()); err != nil {
		return bypassPatternError(err, b.from)
	}
	b.from[pattern] = path
	b.patterns = append(b.patterns, pattern)
	return "", ""
}

// matcher returns the set's matcher, nil when it is empty.
func (b *bypassSet) matcher() *patmux.Matcher {
	if len(b.patterns) == 0 {
		return nil
	}
	_ = patmux.Register(b.mux, "/", http.NotFoundHandler()) // the catch-all; "/" itself is refused
	return patmux.New(b.mux, b.patterns)
}

const bypassPatternFix = `write a ServeMux pattern such as "/.well-known/acme-challenge/", "GET /healthz" or "/status/{$}"`

// matchesEverything returns why pattern would bypass the redirect for every
// path ("/", "GET /", "example.com/", "/{path...}"), or "".
func matchesEverything(pattern string) string {
	rest := pattern
	if i := strings.IndexAny(rest, " \t"); i >= 0 {
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	if i := strings.IndexByte(rest, '/'); i > 0 {
		rest = rest[i:] // drop the host
	}
	if !strings.HasPrefix(rest, "/") {
		return "" // no path ("GET "): ServeMux refuses it, and says why
	}
	if rest == "/" || strings.HasPrefix(rest, "/{") && strings.HasSuffix(rest, "...}") && strings.Count(rest, "/") == 1 {
		return "pattern matching every path"
	}
	// "/{a}/", "/{a}/{b...}", "/{a}/{b}": no literal segment, so every
	// path of that shape ("/admin/…") bypasses the redirect.
	wild := false
	for _, seg := range strings.Split(strings.TrimSuffix(rest[1:], "/"), "/") {
		switch {
		case seg == "{$}":
		case len(seg) > 2 && seg[0] == '{' && seg[len(seg)-1] == '}':
			wild = true
		default:
			return ""
		}
	}
	if wild {
		return "pattern with wildcard segments only, matching nearly every path"
	}
	return ""
}

// bypassPatternError turns ServeMux's registration panic into a reason and
// a fix.
func bypassPatternError(err error, from map[string]string) (reason, fix string) {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, "conflicts with pattern "); ok {
		if other, err := strconv.QuotedPrefix(rest); err == nil {
			other, _ = strconv.Unquote(other)
			return fmt.Sprintf("overlaps %q (%s), neither being more specific, in", other, from[other]),
				"remove one, or give one a method or a longer literal path"
		}
	}
	return "invalid ServeMux pattern (" + msg + ")", bypassPatternFix
}

// skipPattern turns a valid Skips entry into the ServeMux pattern of the same
// literal path: '%', '{' and '}' are escaped, since patterns unescape their
// literal segments and read braces as wildcards.
func skipPattern(s string) string {
	if !strings.ContainsAny(s, "%{}") {
		return s
	}
	return strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D").Replace(s)
}

// checkHTTPSSkip returns why a Skips entry is invalid, or "".
func checkHTTPSSkip(s string) (reason, fix string) {
	switch {
	case s == "":
		return "empty path prefix", `write a path prefix such as "/healthz", or remove the entry`
	case s[0] != '/':
		return "no leading slash in path prefix", fmt.Sprintf("did you mean %q?", "/"+s)
	case s == "/":
		return "path prefix skipping every path", "set https.redirect to false"
	case strings.ContainsAny(s, "?#"):
		return "query or fragment in a path prefix (skips match the path only)", "remove the part from '?' or '#' on"
	case strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7F }) >= 0:
		return "spaces, controls or non-ASCII bytes in", "write the path as it appears decoded, ASCII only"
	case strings.IndexByte(s, '\\') >= 0 || !httpsCleanPath(s):
		return `unclean path ("//", "." or ".." segments, or a backslash)`, "write the path as path.Clean would"
	}
	return "", ""
}
