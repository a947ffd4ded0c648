package https

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/headerval"
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
		errs = append(errs, cfgerr.New(path, "", reason, fix)) // reason quotes the value
	}

	h.trust = opts.Trust
	if opts.ProxyHeader != "" {
		h.protoHeader, h.protoForwarded = compileHTTPSProxyHeader(opts.ProxyHeader, bad)
		h.protoValue = "https"
		if h.protoHeader == "X-Forwarded-Ssl" {
			h.protoValue = "on"
		}
		if opts.Trust.Empty() {
			bad("https.proxyHeader", opts.ProxyHeader,
				"is set but trustedProxies is empty, so it would never be believed",
				"add your proxy's address or CIDR to trustedProxies, or remove proxyHeader")
		}
	}
	if opts.TrustForwardedHost && opts.Trust.Empty() {
		bad("https.trustForwardedHost", "",
			"is true but trustedProxies is empty, so X-Forwarded-Host would never be believed",
			"add your proxy's address or CIDR to trustedProxies, or set trustForwardedHost to false")
	}

	// Hosts.
	for i, p := range opts.AllowedHosts {
		if reason, fix := h.allowed.add(p); reason != "" {
			bad(fmt.Sprintf("https.allowedHosts[%d]", i), p, fmt.Sprintf("%q: %s", p, reason), fix)
		}
	}
	h.restrictHosts = len(opts.AllowedHosts) > 0
	if opts.Port != 0 {
		if opts.Port < 1 || opts.Port > 65535 {
			bad("https.port", strconv.Itoa(opts.Port), fmt.Sprintf("%d is not a TCP port", opts.Port),
				"use 1-65535, or 0 to keep the request's port")
		} else {
			h.portSet = true
			if opts.Port != 443 {
				h.portSuffix = ":" + strconv.Itoa(opts.Port)
			}
		}
	}
	if opts.Host != "" {
		h.fixedAuthority = compileHTTPSHostOption(opts.Host, h.portSet, h.portSuffix, bad)
	}

	// Paths.
	for i, s := range opts.Skips {
		if reason, fix := checkHTTPSSkip(s); reason != "" {
			bad(fmt.Sprintf("https.skips[%d]", i), s, fmt.Sprintf("%q %s", s, reason), fix)
		}
	}
	h.skips = append([]string(nil), opts.Skips...)
	for i, e := range opts.Exempt {
		path := fmt.Sprintf("https.exempt[%d]", i)
		re, err := regexp.Compile(e)
		switch {
		case err != nil:
			bad(path, e, fmt.Sprintf("%q is not a valid regular expression: %v", e, err),
				`write an RE2 expression matched against the path without its leading "/", e.g. "^api/"`)
		case re.MatchString("") && re.MatchString("\x00\xff"):
			bad(path, e, fmt.Sprintf("%q matches every path", e), "set https.redirect to false instead")
		case strings.HasPrefix(e, "^/"):
			bad(path, e, fmt.Sprintf("%q can never match: the path is matched without its leading \"/\"", e),
				fmt.Sprintf("did you mean %q?", "^"+e[2:]))
		default:
			h.exempt = append(h.exempt, re)
		}
	}

	if opts.NonIdempotent > MethodRefuse {
		bad("https.nonIdempotent", strconv.Itoa(int(opts.NonIdempotent)), "unknown mode",
			"use RedirectNonIdempotent, PassNonIdempotent or RefuseNonIdempotent")
	}
	h.methods = opts.NonIdempotent

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
		bad("https.proxyHeader", name, fmt.Sprintf("%q is not a valid header name", name), fix)
		return "", false
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	switch key {
	case "Forwarded":
		return key, true
	case "X-Forwarded-Proto":
		return key, false
	case "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Port", "X-Real-Ip", "X-Forwarded-Server":
		bad("https.proxyHeader", name, fmt.Sprintf("%q does not carry the scheme", name), fix)
		return "", false
	}
	if !strings.HasPrefix(key, "X-") || len(key) == 2 {
		bad("https.proxyHeader", name, fmt.Sprintf("%q is not a proxy scheme header", name), fix)
		return "", false
	}
	return key, false
}

// compileHTTPSHostOption checks the Host option and returns the redirect
// authority it stands for, with the Port option applied.
func compileHTTPSHostOption(s string, portSet bool, portSuffix string, bad func(path, value, reason, fix string)) string {
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#") {
		bad("https.host", s, fmt.Sprintf("%q is not a bare host", s), `write only the host, e.g. "secure.example.com"`)
		return ""
	}
	h, ok := parseHTTPSHost(s)
	if !ok {
		bad("https.host", s, fmt.Sprintf("%q is not a valid host[:port]", s),
			`write a host such as "secure.example.com" or "secure.example.com:8443"`)
		return ""
	}
	if h.port != 0 && portSet {
		bad("https.host", s, fmt.Sprintf("%q has a port and https.port is set too", s),
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

// checkHTTPSSkip returns why a Skips entry is invalid, or "".
func checkHTTPSSkip(s string) (reason, fix string) {
	switch {
	case s == "":
		return "is empty", `write a path prefix such as "/healthz", or remove the entry`
	case s[0] != '/':
		return `does not start with "/"`, fmt.Sprintf("did you mean %q?", "/"+s)
	case s == "/":
		return "skips every path", "set https.redirect to false instead"
	case strings.ContainsAny(s, "?#"):
		return "has a query or fragment; skips match the path only", "remove the part from '?' or '#' on"
	case strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r >= 0x7F }) >= 0:
		return "has spaces, controls or non-ASCII bytes", "write the path as it appears decoded, ASCII only"
	case !httpsCleanPath(s):
		return `is not a clean path ("//", "." or ".." segments)`, "write the path as path.Clean would"
	}
	return "", ""
}
