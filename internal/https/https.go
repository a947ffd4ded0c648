package https

import (
	"net/http"
	"strings"

	"github.com/secureheaders/secureheaders/internal/patmux"
	"github.com/secureheaders/secureheaders/internal/proxy"
)

// Config is the compiled form's input: the engine's HTTPSOptions with the
// proxy trust already parsed. The zero value redirects nothing, trusts no
// proxy and accepts any syntactically valid Host. New validates and compiles
// it; the field meanings are documented on secureheaders.HTTPSOptions.
type Config struct {
	Redirect, Permanent bool
	Host                string
	Port                int
	// InsecureBypassPatterns are ServeMux patterns whose plain-HTTP
	// requests are served instead of redirected; Skips are the older
	// segment-aware path prefixes, turned into such patterns; RouteBypass
	// are the patterns of the engine's routes that skip the redirect (they
	// are valid ServeMux patterns; their errors are reported at
	// "routes.<pattern>").
	InsecureBypassPatterns []string
	Skips                  []string
	RouteBypass            []string
	// RouteHostBypass are the patterns of the engine's routes that skip
	// the allowedHosts check (hostcheck.go), reported at "routes.<pattern>".
	RouteHostBypass []string
	// CanonicalHost, when set, is the host every secure request for
	// another allowed host is redirected to, and the target of plain-HTTP
	// redirects (canonical.go).
	CanonicalHost string
	// UpgradeLocation rewrites http:// Locations to allowed hosts on
	// secure responses (location.go).
	UpgradeLocation bool
	Development     bool
	ProxyHeader     string
	// Trust is the engine's one proxy trust list; TrustSource is its
	// configuration path, for messages ("trustedProxies").
	Trust proxy.Trust
	// TrustInvalid says the trust list had errors (reported by its
	// parser): the checks that need a non-empty list are skipped, so an
	// entry with a typo is not also reported as a missing list.
	TrustInvalid       bool
	AllowedHosts       []string
	NonIdempotent      MethodMode
	TrustForwardedHost bool
	// Element says which element of ProxyHeader and X-Forwarded-Host is
	// read: the first (the proxy replaces the header) or the last (the
	// proxy appends its own element, RFC 7239 §4).
	Element Element
}

// Element is which element of a forwarding header list is read.
type Element uint8

// Elements; the zero value reads the first.
const (
	FirstElement Element = iota
	LastElement
)

// MethodMode is what a plain-HTTP request with a method other than GET or
// HEAD gets when a redirect is due.
type MethodMode uint8

// Method modes; the zero value redirects with 307 or 308.
const (
	MethodRedirect MethodMode = iota
	MethodPass
	MethodRefuse
)

// Gate decides, for each request, whether it is secure, whether its Host is
// acceptable and whether it must be redirected to https://.
//
// Build one with New. The zero value (and a nil *Gate) behaves like
// New(Config{}): no redirect, any syntactically valid Host. An
// HTTPS is immutable and safe for concurrent use.
//
// A valid Host is a name, an IPv4 address or a bracketed IPv6 address,
// optionally followed by ":" and a port 1-65535 (an empty port counts as
// none). A name is made of ASCII
// letters, digits, '-' and '_' in dot-separated labels of 1-63 bytes, 253
// bytes in all, with an optional trailing dot (ignored). Refused: userinfo
// ("@"), percent-encoding and IPv6 zones, '/', '\', spaces, controls,
// non-ASCII bytes (internationalized names arrive as "xn--" punycode), and
// names whose last label is a number ("1.2.3", "0x7f.1") unless the whole
// name is a dotted-quad IPv4 address, because browsers read those as IPv4
// addresses.
type Gate struct {
	redirect, permanent, development bool
	trust                            proxy.Trust
	protoHeader                      string // canonical header key; "" reads none
	protoForwarded                   bool   // protoHeader is RFC 7239 Forwarded
	protoValue                       string // value meaning https: "https", or "on" for X-Forwarded-Ssl
	forwardedHost                    bool
	last                             bool // read the last element of forwarding headers
	restrictHosts                    bool
	allowed                          httpsHostPatterns
	fixedAuthority                   string // the Host option, port mapped; "" uses the request's host
	portSuffix                       string // ":8443" from the Port option; "" with no Port or 443
	portSet                          bool
	bypass                           [2]*patmux.Matcher // route patterns, then the others; nil without any
	hostBypass                       *patmux.Matcher    // routes skipping the allowedHosts check; nil without any
	canonical                        httpsHost          // CanonicalHost; zero without it
	hasCanonical                     bool
	upgradeLocation                  bool
	methods                          MethodMode
	allow                            string             // Allow header of a 405 for CONNECT
	accepted                         memo[acceptedHost] // Hosts that passed the checks
	trustedPeers                     memo[struct{}]     // RemoteAddr hosts of trusted proxies
}

// Decision is the outcome of HTTPS.Decide for one request. The zero value
// means a plain-HTTP request to serve as it is.
type Decision struct {
	// Secure reports that the request arrived over TLS, or through a trusted
	// proxy whose ProxyHeader says https.
	Secure bool
	// Status is 0 to serve the request; 301, 302, 307 or 308 to redirect to
	// Location; 400 for a Host that is invalid, not allowed, or that a safe
	// redirect target cannot be built from; 403 for a refused non-idempotent
	// plain-HTTP request (or secure request for a non-canonical host); 405
	// (with Allow) for a plain-HTTP CONNECT. A secure request may be
	// redirected too, to CanonicalHost (canonical.go).
	Status int
	// Location is the redirect target, set for redirects only. It is always
	// "https://" + an allowed host (or the Host option) + a path starting
	// with "/", with no control bytes, spaces or backslashes.
	Location string
	// Reason is a short text for the body of a 4xx and for logs.
	Reason string
	// NoHSTS reports a secure request whose host is localhost, a
	// *.localhost name or an IP literal: its response must carry neither
	// Strict-Transport-Security nor Public-Key-Pins. Browsers ignore HSTS
	// for IP addresses (RFC 6797 §8.1.1), and an HSTS entry for localhost
	// (Safari keeps one) forces HTTPS on every later development server
	// there.
	NoHSTS bool
	// Allow is the value of the Allow header of a 405: the methods a
	// plain-HTTP request may use to be redirected or served.
	Allow string
}

// Reasons given in Decision.Reason.
const (
	httpsReasonBadHost    = "invalid Host header"
	httpsReasonHostDenied = "Host not allowed"
	httpsReasonNoHost     = "missing Host header: cannot redirect to HTTPS"
	httpsReasonBadTarget  = "request target cannot be redirected to HTTPS safely"
	httpsReasonRefused    = "this method is refused over plain HTTP: send the request to https:// instead"
	httpsReasonRedirect   = "plain HTTP redirected to HTTPS"
	httpsReasonConnect    = "CONNECT is not allowed over plain HTTP"
	// httpsReasonUncheckedRedirect: a route skips the Host check, but
	// a plain-HTTP request to it is due a redirect to its host.
	httpsReasonUncheckedRedirect = "Host not allowed: cannot redirect to HTTPS"
	httpsReasonCanonical         = "redirected to the canonical host"
	httpsReasonNotCanonical      = "this method is refused on a host other than the canonical one: send the request to the canonical host instead"
)

// Development reports whether the options had Development set, which turns
// the redirect off. Safe on a nil *Gate.
func (h *Gate) Development() bool { return h != nil && h.development }

// httpsZero stands in for a nil *Gate.
var httpsZero Gate

// Decide classifies r. It never modifies r, and it does not allocate unless a
// redirect is due (then it allocates the Location string) or a bypass
// pattern that is not a literal path (a host, a {wildcard}) has to be tried
// through ServeMux. In order:
//
//  1. Secure: r.TLS is set, or the peer is a trusted proxy and ProxyHeader
//     says https (X-Forwarded-Proto and X-… headers: the first comma-separated
//     value of the first line; Forwarded: proto= of the first element; with
//     LastElement, the last value or element of the last line). Untrusted
//     peers' forwarding headers are ignored.
//  2. Host: r.Host, or the first (LastElement: last) X-Forwarded-Host value
//     when TrustForwardedHost is on and the peer is trusted. A Host that is not a
//     valid host[:port] (see HTTPS), or is not in AllowedHosts, gets 400, even
//     on a secure request, unless a RouteHostBypass pattern matches (then
//     it is served, but never redirected to that host; hostcheck.go). An
//     empty Host (HTTP/1.0) passes this step.
//  3. Canonical host: a secure request for another allowed host is
//     redirected to CanonicalHost (canonical.go).
//  4. Redirect: only if not secure, Redirect is on, Development is off and
//     no bypass pattern matches (see bypassed: a path that is not clean
//     never matches one). GET and HEAD get 302 (301 when
//     Permanent); other methods 307 (308), or are served ("pass") or refused
//     with 403 ("refuse"); CONNECT gets 405 with Allow in every mode. A
//     redirect with an empty Host and no Host option gets 400.
//  5. Target: "https://" + the Host option (or CanonicalHost), or the checked host lower-cased
//     with the Port option's port (none for 0 and 443: the request's port,
//     chosen by the client, is never kept), + the request target as
//     received, percent-encoded per RFC 3986: unreserved bytes, sub-delims,
//     ':', '@', '/', '?' and existing "%XX" escapes are kept, every other
//     byte ('"', '<', '{', '|', '^', '#', a lone '%', bytes above 0x7E…)
//     becomes "%XX". A target with controls, spaces or a backslash, or one
//     that does not parse back to the intended host, gets 400.
func (h *Gate) Decide(r *http.Request) Decision {
	if h == nil {
		h = &httpsZero
	}
	d := Decision{Secure: r.TLS != nil}
	// The peer's trust is looked up only when a forwarding header it
	// would let us believe is there: a direct client sends none, and its
	// RemoteAddr is then not parsed at all.
	if !d.Secure && h.protoHeader != "" {
		if vs := r.Header[h.protoHeader]; len(vs) > 0 && h.trustsPeer(r) {
			switch {
			case h.protoForwarded && h.last:
				e, ok := httpsLastForwardedElement(vs[len(vs)-1])
				d.Secure = ok && httpsForwardedProto(e)
			case h.protoForwarded:
				d.Secure = httpsForwardedProto(vs[0])
			case h.last:
				d.Secure = strings.EqualFold(httpsLastValue(vs[len(vs)-1]), h.protoValue)
			case vs[0] == h.protoValue:
				d.Secure = true // the usual "https", without a comma or spaces to cut
			default:
				d.Secure = strings.EqualFold(httpsFirstValue(vs[0]), h.protoValue)
			}
		}
	}

	raw := r.Host
	if h.forwardedHost {
		if vs := r.Header["X-Forwarded-Host"]; len(vs) > 0 && h.trustsPeer(r) {
			if h.last {
				raw = httpsLastValue(vs[len(vs)-1])
			} else {
				raw = httpsFirstValue(vs[0])
			}
			if raw == "" {
				return d.refuse(http.StatusBadRequest, httpsReasonBadHost)
			}
		}
	}
	var host *acceptedHost // nil when raw is ""
	unchecked := false     // the host is not allowed, but the route skips the check
	if raw != "" {
		if host = h.accepted.lookup(raw); host == nil {
			hh, ok := parseHTTPSHost(raw)
			if !ok {
				return d.refuse(http.StatusBadRequest, httpsReasonBadHost)
			}
			host = &acceptedHost{host: hh, noHSTS: hh.noHSTS()}
			switch {
			case !h.restrictHosts || h.allowed.allows(hh):
				// Only an allowed host is remembered: a route's bypass
				// of the check depends on the path, not the host.
				h.accepted.store(raw, *host)
			case h.hostBypassed(r, raw):
				unchecked = true
			default:
				return d.refuse(http.StatusBadRequest, httpsReasonHostDenied)
			}
		}
		d.NoHSTS = d.Secure && host.noHSTS
	}

	if d.Secure || !h.redirect || h.development {
		if h.hasCanonical && d.Secure && raw != "" && !unchecked && !h.development {
			return h.toCanonical(r, d, raw, host.host)
		}
		return d
	}
	if h.bypassed(r) {
		return d
	}

	if r.Method == http.MethodConnect {
		// A tunnel has no https:// URL to move to (its target is an
		// authority, not a path), so it is refused, in every mode.
		d.Allow = h.allow
		return d.refuse(http.StatusMethodNotAllowed, httpsReasonConnect)
	}
	status := h.redirectStatus(r.Method)
	switch status {
	case 0:
		return d
	case http.StatusForbidden:
		return d.refuse(http.StatusForbidden, httpsReasonRefused)
	}
	if raw == "" && h.fixedAuthority == "" {
		return d.refuse(http.StatusBadRequest, httpsReasonNoHost)
	}
	if unchecked && h.fixedAuthority == "" {
		// Never a redirect to a host that is not allowed.
		return d.refuse(http.StatusBadRequest, httpsReasonUncheckedRedirect)
	}
	var hh httpsHost
	if host != nil {
		hh = host.host
	}
	loc, ok := h.target(r, raw != "", hh)
	if !ok {
		return d.refuse(http.StatusBadRequest, httpsReasonBadTarget)
	}
	d.Status, d.Location, d.Reason = status, loc, httpsReasonRedirect
	return d
}

// acceptedHost is what Decide remembers of a Host it accepted.
type acceptedHost struct {
	host   httpsHost
	noHSTS bool // host.noHSTS()
}

// trustsPeer is h.trust.TrustsPeer(r), remembering the peers it trusted
// by the host part of an "ip:port" or "[ip]:port" RemoteAddr (trust
// depends on the address, not the port, and a pooled proxy connection has
// a port of its own). Any other form of RemoteAddr is not remembered.
func (h *Gate) trustsPeer(r *http.Request) bool {
	key, ok := peerKey(r.RemoteAddr)
	if ok {
		if h.trustedPeers.lookup(key) != nil {
			return true
		}
	}
	if !h.trust.TrustsPeer(r) {
		return false
	}
	if ok {
		h.trustedPeers.store(key, struct{}{})
	}
	return true
}

// peerKey returns the host part of "host:port" when port is digits and
// host is bracketed or has no ':' (so that the key alone determines the
// address), and false for any other form ("::1", a Unix socket's "@").
func peerKey(remote string) (string, bool) {
	// One pass back over the port's digits to the ':' before them.
	i := len(remote) - 1
	for i >= 0 && '0' <= remote[i] && remote[i] <= '9' {
		i--
	}
	if i <= 0 || i == len(remote)-1 || remote[i] != ':' {
		return "", false
	}
	host := remote[:i]
	if host[0] == '[' {
		if host[len(host)-1] != ']' {
			return "", false
		}
		return host, true
	}
	if strings.IndexByte(host, ':') >= 0 {
		return "", false
	}
	return host, true
}

// refuse returns d with a 4xx status and reason.
func (d Decision) refuse(status int, reason string) Decision {
	d.Status, d.Reason = status, reason
	return d
}

// redirectStatus returns what a request with method gets when a redirect is
// due (CONNECT aside): 302 (301 when Permanent) for GET and HEAD; for other
// methods 307 (308), 0 to serve it (MethodPass) or 403 (MethodRefuse).
func (h *Gate) redirectStatus(method string) int {
	switch {
	case method == "" || method == http.MethodGet || method == http.MethodHead:
		if h.permanent {
			return http.StatusMovedPermanently
		}
		return http.StatusFound
	case h.methods == MethodPass:
		return 0
	case h.methods == MethodRefuse:
		return http.StatusForbidden
	case h.permanent:
		return http.StatusPermanentRedirect
	}
	return http.StatusTemporaryRedirect
}

// bypassed reports whether r matches a bypass pattern, as ServeMux would
// route it, and its path is clean: a path that ServeMux would clean or
// redirect first (an empty, "." or ".." segment, a backslash, a
// percent-encoded '.', '/' or '\', as in "/acme/%2e%2e/admin") never
// matches, so a bypass cannot lend itself to a path outside it. Neither
// does "/x" for the pattern "/x/": ServeMux answers it with a redirect to
// "/x/", which the bypass then serves.
func (h *Gate) bypassed(r *http.Request) bool {
	return h.bypass != [2]*patmux.Matcher{} && matchesClean(r, h.bypass[:])
}

// matchesClean reports whether r's path is clean (see bypassed) and one of
// ms (nil entries skipped) matches r, "/x" never matching "/x/".
func matchesClean(r *http.Request, ms []*patmux.Matcher) bool {
	if r.URL == nil || !httpsCleanPath(r.URL.Path) ||
		strings.IndexByte(r.URL.Path, '\\') >= 0 || httpsEscapedDotOrSlash(r.URL.RawPath) {
		return false
	}
	path := r.URL.Path
	for _, m := range ms {
		if m == nil {
			continue
		}
		p := m.Match(r)
		if p != "" && !(len(p) == len(path)+1 && p[len(path)] == '/' && p[:len(path)] == path) {
			return true
		}
	}
	return false
}

// httpsEscapedDotOrSlash reports whether an escaped path has "%2e", "%2f" or
// "%5c" in either case.
func httpsEscapedDotOrSlash(raw string) bool {
	for i := 0; i+2 < len(raw); i++ {
		if raw[i] == '%' {
			switch raw[i+1 : i+3] {
			case "2e", "2E", "2f", "2F", "5c", "5C":
				return true
			}
		}
	}
	return false
}

// httpsCleanPath reports whether p starts with "/" and has no empty, "." or
// ".." segment (a trailing "/" is fine). Bypass patterns apply to clean
// paths only, so "/api/../admin" cannot borrow the bypass of "/api/".
func httpsCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	return !strings.Contains(p, "//") && !strings.Contains(p, "/./") && !strings.Contains(p, "/../") &&
		!strings.HasSuffix(p, "/.") && !strings.HasSuffix(p, "/..")
}

// target builds and double-checks the redirect Location.
func (h *Gate) target(r *http.Request, haveHost bool, host httpsHost) (string, bool) {
	uri := r.RequestURI
	if !strings.HasPrefix(uri, "/") {
		if r.URL == nil {
			return "", false
		}
		uri = r.URL.RequestURI()
	}
	if !strings.HasPrefix(uri, "/") {
		return "", false // "*", opaque or relative targets have no https:// form
	}

	var b strings.Builder
	b.Grow(len("https://") + len(host.name) + len(":65535") + len(uri) + 16)
	b.WriteString("https://")
	if h.fixedAuthority != "" {
		b.WriteString(h.fixedAuthority)
	} else {
		if !haveHost {
			return "", false
		}
		host.writeAuthority(&b)
		// Only a configured port: the request's own port was chosen by the
		// client, and a redirect to it could be cached for everyone.
		b.WriteString(h.portSuffix)
	}
	authEnd := b.Len()
	// The bytes a Location keeps as they are go in one copy, up to the
	// first that needs a look of its own.
	clean := 0
	for clean < len(uri) && httpsLocationByte[uri[clean]] {
		clean++
	}
	b.WriteString(uri[:clean])
	const hex = "0123456789ABCDEF"
	for i := clean; i < len(uri); i++ {
		c := uri[i]
		switch {
		case c <= ' ' || c == 0x7F || c == '\\':
			return "", false
		case c == '%' && i+2 < len(uri) && httpsIsHex(uri[i+1]) && httpsIsHex(uri[i+2]):
			b.WriteString(uri[i : i+3]) // an escape already: kept as sent
			i += 2
		case !httpsLocationByte[c]:
			// '#' came as data (keep it out of the fragment); '"', '<',
			// '{', a lone '%', bytes above 0x7E… are outside RFC 3986.
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	loc := b.String()
	if !httpsSafeLocation(loc, loc[len("https://"):authEnd]) {
		return "", false
	}
	return loc, true
}

// httpsLocationByte marks the bytes a Location path and query keep as they
// are (RFC 3986 §3.3, §3.4): unreserved, sub-delims, ':', '@', '/' and '?'.
// '%' is kept only before two hex digits; every other byte is
// percent-encoded.
var httpsLocationByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~" + "!$&'()*+,;=" + ":@/?" {
		t[c] = true
	}
	return t
}()

func httpsIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// httpsSafeLocation is the last guard against an open redirect or a header
// injection: loc must be "https://" + authority + a path starting with
// "/", where authority holds only the bytes of a host[:port] (letters,
// digits, '-', '_', '.', ':' and the brackets of an IPv6 literal: no '/',
// '?', '#', '@', '\\', space or control that would move the host a URL
// parser reads or split the header). The path needs no second look: target
// writes only httpsLocationByte bytes and "%XX" escapes there, and refuses
// controls, spaces and backslashes. So this is a scan of the authority, not
// a second parse; FuzzRedirectTarget checks every Location byte by byte and
// with url.Parse that the host it reads is the one intended.
func httpsSafeLocation(loc, authority string) bool {
	const scheme = "https://"
	if authority == "" || !strings.HasPrefix(loc, scheme) || len(loc) < len(scheme)+len(authority) ||
		loc[len(scheme):len(scheme)+len(authority)] != authority {
		return false
	}
	for i := 0; i < len(authority); i++ {
		if !httpsAuthorityByte[authority[i]] {
			return false
		}
	}
	return strings.HasPrefix(loc[len(scheme)+len(authority):], "/")
}

// httpsAuthorityByte marks the bytes of a redirect target's host[:port].
var httpsAuthorityByte = func() (t [256]bool) {
	t = httpsNameByte
	t[':'], t['['], t[']'] = true, true, true
	return t
}()

// Handler returns a handler that applies Decide to each request: it answers
// redirects (Location set, no body) and 4xx (a short text/plain body) itself
// and passes every other request to next unchanged. A nil h passes everything
// with a valid Host.
func (h *Gate) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := h.Decide(r)
		switch {
		case d.Status == 0:
			next.ServeHTTP(w, r)
		case d.Location != "":
			w.Header().Set("Location", d.Location)
			w.WriteHeader(d.Status)
		default:
			if d.Allow != "" {
				w.Header().Set("Allow", d.Allow)
			}
			http.Error(w, d.Reason, d.Status)
		}
	})
}
