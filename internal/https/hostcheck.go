package https

import (
	"net/http"

	"github.com/secureheaders/secureheaders/internal/patmux"
)

// This file holds the per-route opt-out of the allowedHosts check
// (policy.Route.SkipHostCheck, "hostCheck": false in the file), for health
// checks and load balancers that send an address or an internal name as
// Host. Such a request still needs a syntactically valid Host; it is matched
// against the route patterns only when its host is not allowed, so requests
// for allowed hosts pay nothing. It is never redirected to its host: a
// plain-HTTP request that is due a redirect gets 400, unless the Host option
// or CanonicalHost gives a fixed target. It is not redirected to the
// canonical host either.

// compileHostBypass compiles the route patterns that skip the Host check,
// nil without any. Patterns that would skip it for every path are refused
// (leave allowedHosts empty instead); other pattern errors are the engine's
// to report, at the route.
func compileHostBypass(patterns []string, bad func(path, value, reason, fix string)) *patmux.Matcher {
	set := newBypassSet()
	for _, p := range patterns {
		if reason := matchesEverything(p); reason != "" {
			bad("routes."+p, p, reason+`, with "hostCheck": false`,
				"give the route of the health check its own path, such as \"GET /healthz\", or leave https.allowedHosts empty")
			continue
		}
		set.add(p, "routes."+p)
	}
	return set.matcher()
}

// hostBypassed reports whether r is for a route that skips the Host check,
// with a clean path (see bypassed). host is the Host the check read: a
// route's host ("lb.internal/healthz") is matched against it, not against
// r.Host, which behind a proxy trusted for X-Forwarded-Host is the proxy's
// (otherwise a client could send the route's host as Host and any host in
// X-Forwarded-Host, which the app then reads unchecked). Such a request is
// copied with host as its Host, only here, on the path of hosts the
// allow-list refused.
func (h *Gate) hostBypassed(r *http.Request, host string) bool {
	if h.hostBypass == nil {
		return false
	}
	if host != r.Host {
		r2 := *r
		r2.Host = host
		r = &r2
	}
	return matchesClean(r, []*patmux.Matcher{h.hostBypass})
}
