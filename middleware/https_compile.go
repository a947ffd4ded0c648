package middleware

import (
	"errors"
	"fmt"
	"net/textproto"
	"regexp"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// NewHTTPS validates and compiles opts. It returns every problem at once,
// joined with errors.Join, each an *HTTPSOptionError naming the field and the
// fix; the *HTTPS is nil then. opts is copied: changing it later has no effect.
func NewHTTPS(opts HTTPSOptions) (*HTTPS, error) {
	h := &HTTPS{
		redirect:      opts.Redirect,
		permanent:     opts.Permanent,
		development:   opts.Development,
		forwardedHost: opts.TrustForwardedHost,
	}
	var errs []error
	bad := func(path, value, reason, fix string) {
		errs = append(errs, &HTTPSOptionError{Path: path, Value: value, Reason: reason, Fix: fix})
	}

	// Proxies and the scheme header.
	for i, e := range opts.TrustedProxies {
		if _, err := ParseProxyTrust([]string{e}); err != nil {
			bad(fmt.Sprintf("https.trustedProxies[%d]", i), e,
				fmt.Sprintf("%q is not a CIDR or an IP address", e),
				`write a CIDR such as "10.0.0.0/8" or an address such as "192.0.2.7"`)
		}
	}
	if len(errs) == 0 {
		h.trust, _ = ParseProxyTrust(opts.TrustedProxies) // each entry parsed alone above
	}
	if opts.ProxyHeader != "" {
		h.protoHeader, h.protoForwarded = compileHTTPSProxyHeader(opts.ProxyHeader, bad)
		h.protoValue = "https"
		if h.protoHeader == "X-Forwarded-Ssl" {
			h.protoValue = "on"
		}
		if len(opts.TrustedProxies) == 0 {
			bad("https.proxyHeader", opts.ProxyHeader,
				"is set but trustedProxies is empty, so it would never be believed",
				"add your proxy's address or CIDR to https.trustedProxies, or remove proxyHeader")
		}
	}
	if opts.TrustForwardedHost && len(opts.TrustedProxies) == 0 {
		bad("https.trustForwardedHost", "",
			"is true but trustedProxies is empty, so X-Forwarded-Host would never be believed",
			"add your proxy's address or CIDR to https.trustedProxies, or set trustForwardedHost to false")
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

	switch opts.NonIdempotent {
	case "", "redirect":
		h.methods = httpsMethodRedirect
	case "pass":
		h.methods = httpsMethodPass
	case "refuse":
		h.methods = httpsMethodRefuse
	default:
		fix := `use "redirect" (307/308), "pass" or "refuse" (403)`
		if l := strings.ToLower(opts.NonIdempotent); l == "redirect" || l == "pass" || l == "refuse" {
			fix = fmt.Sprintf("did you mean %q?", l)
		}
		bad("https.nonIdempotent", opts.NonIdempotent, fmt.Sprintf("unknown mode %q", opts.NonIdempotent), fix)
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
