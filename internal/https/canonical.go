package https

import (
	"net/http"
	"strings"
)

// This file holds the canonical host (unrolled/secure's SSLForceHost): with
// CanonicalHost set, a secure request for another allowed host is redirected
// to https://<canonical host><request target>, with the status a plain-HTTP
// redirect of its method would get (302/301 for GET and HEAD, 307/308 or the
// NonIdempotent mode's pass or 403 for others). Plain-HTTP redirects go to
// the canonical host directly, so a request moves in one hop. Not redirected:
// requests for the canonical host itself (whatever their port: the redirect
// target's port is the Port option's, so it cannot loop), requests without
// Host, CONNECT, requests of routes that skip the Host check, and every
// request in Development.

// compileCanonical checks CanonicalHost against the other options (call it
// after the allowed hosts and the port are compiled) and records it, or
// calls bad.
func (h *Gate) compileCanonical(opts Config, bad func(path, value, reason, fix string)) {
	s := opts.CanonicalHost
	if s == "" {
		return
	}
	if opts.Host != "" {
		bad("https.canonicalHost", s, "is set together with https.host",
			"remove https.host: plain-HTTP redirects go to the canonical host too")
		return
	}
	auth := compileHTTPSHostOption("https.canonicalHost", s, h.portSet, h.portSuffix, bad)
	if auth == "" {
		return
	}
	host, _ := parseHTTPSHost(s)
	if h.restrictHosts && !h.allowed.allows(host) {
		var b strings.Builder
		host.writeAuthority(&b)
		bad("https.canonicalHost", s, "is not in https.allowedHosts, so its own requests would be refused",
			"add "+quote(b.String())+" to https.allowedHosts")
		return
	}
	h.canonical, h.hasCanonical, h.fixedAuthority = host, true, auth
}

// isCanonical reports whether host is the canonical host, the port aside.
func (h *Gate) isCanonical(host httpsHost) bool {
	if host.name == "" || h.canonical.name == "" {
		return host.name == h.canonical.name && host.addr == h.canonical.addr
	}
	return strings.EqualFold(host.name, h.canonical.name)
}

// toCanonical returns the decision for a secure request d whose Host is
// raw, parsed as host: d itself, or a redirect to the canonical host.
func (h *Gate) toCanonical(r *http.Request, d Decision, raw string, host httpsHost) Decision {
	if h.isCanonical(host) || r.Method == http.MethodConnect || h.hostBypassed(r, raw) {
		return d
	}
	status := h.redirectStatus(r.Method)
	switch status {
	case 0:
		return d
	case http.StatusForbidden:
		return d.refuse(http.StatusForbidden, httpsReasonNotCanonical)
	}
	loc, ok := h.target(r, true, host)
	if !ok {
		return d.refuse(http.StatusBadRequest, httpsReasonBadTarget)
	}
	d.Status, d.Location, d.Reason = status, loc, httpsReasonCanonical
	return d
}
