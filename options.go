package secureheaders

import (
	"log/slog"
	"net/http"
	"slices"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/cookies"
	"github.com/secureheaders/secureheaders/internal/https"
	"github.com/secureheaders/secureheaders/internal/proxy"
	"github.com/secureheaders/secureheaders/internal/refusallog"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// Options configures New and Reconfigure. It is plain data: New copies it,
// and changing it afterwards has no effect. The zero Options means the
// Recommended policy, no HTTPS redirect (HSTS is still sent on HTTPS
// responses only), no cookie flags, no report receiver, no trusted proxy.
type Options struct {
	// Policy is the app-wide policy; nil means policy.Recommended().
	Policy *policy.Policy
	// Routes are overrides for ServeMux patterns ("/embed/", "GET /api/{id}"),
	// applied by Handler to every request the pattern matches. They layer:
	// a request gets the override of every route whose pattern covers the
	// pattern it matches (patterns that match every request it matches,
	// such as "/api/" for "GET /api/health"), least specific first, then
	// that pattern's own, all composed when the engine is compiled (see
	// docs/merge.md, "Routes layer"). Routes wrapped in code use Route
	// instead.
	Routes []policy.Route
	// HTTPS configures the redirect and the Host check.
	HTTPS HTTPSOptions
	// Cookies configures Set-Cookie flags; the zero value changes no cookie.
	Cookies CookieOptions
	// TrustedProxies are the CIDRs ("10.0.0.0/8") and addresses
	// ("192.0.2.7", "::1") of the reverse proxies in front of the
	// application. Only their forwarding headers are believed: the scheme
	// header of HTTPS.ProxyHeader, X-Forwarded-Host (HTTPS.TrustForwardedHost)
	// and X-Forwarded-For (the report receiver's per-client rate limit).
	// Empty: no forwarding header is believed (fail closed). IPv6 zones and
	// IPv4-mapped IPv6 forms are refused.
	TrustedProxies []string
	// Reports, when non-nil, mounts the CSP report receiver at Reports.Path
	// (default "/csp-report") inside Handler. Its TrustedProxies must be
	// empty: the receiver uses the engine's TrustedProxies.
	//
	// The receiver is an insecure bypass of its own: it answers at its
	// exact path over plain HTTP too, never redirected, because browsers
	// POST reports to the URL written in the policy (report-uri,
	// Reporting-Endpoints), and a redirect would lose them. The Host check
	// still applies. Write an https:// URL in the policy to keep reports
	// off plain HTTP.
	Reports *report.Options
	// ReportSink receives reports; nil logs them with Logger.
	ReportSink report.Sink
	// Logger is used by the report receiver, and for the requests Handler
	// refuses (400, 403, 405): each is logged with its reason, what to
	// change to have it served ("fix"), its Host (and X-Forwarded-Host
	// when sent: behind a proxy that is the Host checked), method, path
	// and peer, at Info when the configuration is the likely cause (a
	// valid Host missing from AllowedHosts) and Debug otherwise, at most
	// 10 records
	// at once and one a second after that, the refusals past the limit
	// counted and reported in a "N refusals suppressed" record before the
	// next one; the limit is the engine's, kept across Reconfigure (with
	// a new Logger too). nil means slog.Default().
	Logger *slog.Logger
	// DenyHandler, when non-nil, answers the requests Handler refuses
	// (400 for a bad or disallowed Host, 403 for a refused method, 405
	// for a plain-HTTP CONNECT) instead of the short text/plain default.
	// It must write the status itself: DenyReason tells it the status and
	// the reason. The app policy's headers are already set (without HSTS
	// on a 400: the Host is not one the app serves), Nonce works, cookie
	// flags apply, and Allow is set for a 405. Redirects never reach it.
	// It is called concurrently, like any handler.
	DenyHandler http.Handler
}

// HTTPSOptions configures the HTTPS redirect and the Host check. It is the
// "https" object of the JSON configuration.
//
// The zero value redirects nothing and accepts any syntactically valid Host.
type HTTPSOptions struct {
	// Redirect sends plain-HTTP requests to https://.
	Redirect bool
	// Permanent uses 301 (GET, HEAD) and 308 (other methods) instead of 302
	// and 307. Browsers cache permanent redirects: turn it on once HTTPS works.
	Permanent bool
	// Host, when set, is the host (optionally host:port) every redirect goes
	// to, instead of the request's own host.
	Host string
	// Port, when set (1-65535), is the port of the redirect target; 443
	// means no port in the URL. Zero means the default port (443, none in
	// the URL): the port of the request's Host is chosen by the client
	// and never reaches the Location, so a shared cache cannot keep a
	// redirect to a port an attacker picked. Only this port, or the one
	// in Host, appears.
	Port int
	// InsecureBypassPatterns are net/http ServeMux patterns
	// ("/.well-known/acme-challenge/", "GET /healthz", "/status/{$}",
	// "example.com/acme/") whose plain-HTTP requests are served over HTTP
	// instead of redirected, like http.CrossOriginProtection's
	// AddInsecureBypassPattern. A request matches as ServeMux would route
	// it, and only when its path is clean: a path with an empty, "." or ".."
	// segment, a backslash, or a percent-encoded '.', '/' or '\'
	// ("/acme/%2e%2e/admin") never matches, and neither does "/x" for
	// "/x/". A host in a pattern is matched against the Host header, as
	// ServeMux does, never against X-Forwarded-Host. The Host check still
	// applies, and HSTS is still sent on HTTPS responses only. Invalid or
	// conflicting patterns, and patterns that match every path ("/",
	// "GET /", "/{path...}") or have wildcard segments only ("/{a}/",
	// "/{a}/{b...}"), are refused: set Redirect to false instead.
	//
	// The patterns of Options.Routes whose SkipRedirect is set join this
	// list, and so do Skips.
	InsecureBypassPatterns []string
	// Skips are path prefixes that are never redirected, kept for migrants
	// from flask-sslify: each is the same as InsecureBypassPatterns entries,
	// segment-aware: "/healthz" is the patterns "/healthz" and "/healthz/"
	// (so not "/healthzz"); "/api/" is the pattern "/api/" (what is below
	// it). A skip is a literal path: '{', '}' and '%' have no pattern
	// meaning in it.
	Skips []string
	// Development turns the redirect off (local HTTP work). Host checks stay.
	Development bool
	// ProxyHeader names the header a trusted proxy (Options.TrustedProxies)
	// uses to tell the original scheme: "X-Forwarded-Proto", "Forwarded"
	// (RFC 7239 proto=), or another "X-…" header whose value is "https"
	// ("on" for X-Forwarded-Ssl). Empty: none is read. Which value (or
	// Forwarded element) is read is ProxyElement's choice: by default the
	// first, so the proxy must set the header, replacing any the client
	// sent, not append to it.
	ProxyHeader string
	// ProxyElement says which element of ProxyHeader's comma-separated
	// list (and of X-Forwarded-Host, with TrustForwardedHost) is read. The
	// zero value, FirstProxyElement, reads the first value of the first
	// header line: right when the proxy replaces the header. LastProxyElement
	// reads the last value of the last line: right when the proxy appends
	// its element to what the client sent (RFC 7239 §4 lets proxies
	// append; so do many X-Forwarded-Proto setups), since everything left
	// of it may be the client's. With several proxies that each append,
	// the last element is the innermost proxy's view. Setting
	// LastProxyElement without ProxyHeader or TrustForwardedHost is an
	// error.
	ProxyElement ProxyElement
	// AllowedHosts, when not empty, is the list of hosts served at all
	// (Django's ALLOWED_HOSTS): "example.com" exactly, "*.example.com" any
	// subdomain but not the apex, an IP address ("192.0.2.7", "2001:db8::1"
	// or "[2001:db8::1]"), or an address range in netip.Prefix syntax,
	// unbracketed ("10.0.0.0/8", "2001:db8::/32"), for load balancers and
	// health checkers. Other hosts get 400 (see Options.DenyHandler), except
	// on routes with SkipHostCheck. Refused: ranges with host bits set
	// ("10.0.0.5/8"), zones, brackets around a range ("[2001:db8::]/32"),
	// IPv4-mapped ranges and "/0".
	AllowedHosts []string
	// CanonicalHost, when set (host or host:port), is the one host the
	// app is served at over HTTPS, like unrolled/secure's SSLHost with
	// SSLForceHost: a secure request for another allowed host is
	// redirected to it, with the status a plain-HTTP redirect of its
	// method gets (302 or 301 with Permanent for GET and HEAD; 307, 308,
	// pass or 403 per NonIdempotent for others), and plain-HTTP redirects
	// go straight to it. It must be allowed by AllowedHosts and replaces
	// Host (setting both is an error). Not redirected: requests for the
	// canonical host on any port, requests without Host, CONNECT, routes
	// with SkipHostCheck, everything in Development. A redirect to it from
	// a secure request carries the app policy's headers, HSTS included (the
	// HSTS preload list requires it on the apex's redirect). Empty: off.
	CanonicalHost string
	// UpgradeLocation rewrites the Location of responses to secure
	// requests from "http://host/…" to "https://host/…" when host is
	// allowed by AllowedHosts (which must not be empty) and has no port or
	// port 80: for apps behind a TLS proxy that build absolute redirects
	// from the scheme they see (unrolled/secure's ModifyResponseHeaders).
	// Other hosts, userinfo, backslashes, other ports, control bytes and
	// several Location values are left as they are. Only the scheme and
	// the port change (the host is kept as written); the Port option's
	// port is used, as for redirects.
	UpgradeLocation bool
	// NonIdempotent says what a plain-HTTP request with a method other than
	// GET or HEAD gets when a redirect is due.
	NonIdempotent NonIdempotentMode
	// TrustForwardedHost makes the first X-Forwarded-Host value (the last
	// with LastProxyElement), sent by a trusted proxy, the host that is
	// checked and redirected to; with the first, the proxy must replace a
	// client-sent X-Forwarded-Host, not append to it.
	TrustForwardedHost bool
}

// ProxyElement is which element of a forwarding header's comma-separated
// list HTTPSOptions reads. In JSON it is "first" or "last".
type ProxyElement uint8

// The elements.
const (
	// FirstProxyElement, the zero value, reads the first value of the
	// first header line: for a proxy that replaces the header.
	FirstProxyElement ProxyElement = iota
	// LastProxyElement reads the last value of the last header line: for
	// a proxy that appends its own element (RFC 7239 §4).
	LastProxyElement
)

// String returns the element's JSON name ("first", "last").
func (e ProxyElement) String() string {
	switch e {
	case FirstProxyElement:
		return "first"
	case LastProxyElement:
		return "last"
	}
	return "ProxyElement(" + itoa(int(e)) + ")"
}

// NonIdempotentMode is what HTTPSOptions.NonIdempotent does with a
// plain-HTTP POST, PUT, DELETE… when a redirect is due.
type NonIdempotentMode uint8

// The modes. In JSON they are "redirect", "pass" and "refuse".
const (
	// RedirectNonIdempotent, the zero value, answers 307 (308 with
	// Permanent), which keep the method and body.
	RedirectNonIdempotent NonIdempotentMode = iota
	// PassNonIdempotent serves the request as it came.
	PassNonIdempotent
	// RefuseNonIdempotent answers 403.
	RefuseNonIdempotent
)

// String returns the mode's JSON name ("redirect", "pass", "refuse").
func (m NonIdempotentMode) String() string {
	switch m {
	case RedirectNonIdempotent:
		return "redirect"
	case PassNonIdempotent:
		return "pass"
	case RefuseNonIdempotent:
		return "refuse"
	}
	return "NonIdempotentMode(" + itoa(int(m)) + ")"
}

// CookieOptions adds attributes to the cookies an application sets, like
// Django's SESSION_COOKIE_SECURE and friends but for every Set-Cookie. It is
// the "cookies" object of the JSON configuration. The zero value changes
// nothing.
type CookieOptions struct {
	// Secure adds "; Secure" on responses to secure requests only: a browser
	// drops a Secure cookie that arrives over plain HTTP.
	Secure bool
	// HTTPOnly adds "; HttpOnly", hiding the cookie from scripts.
	HTTPOnly bool
	// SameSite adds "; SameSite=Lax", "Strict" or "None" to cookies that
	// have no valid SameSite attribute (an explicit "Strict", "Lax" or
	// "None", in any case, is kept; one with another value, an empty one
	// or a bare "SameSite", which browsers ignore, is replaced). Zero adds
	// nothing; http.SameSiteDefaultMode is refused. SameSiteNoneMode
	// requires Secure and is only added on secure requests.
	SameSite http.SameSite
	// Rules give some cookies attributes of their own (secure_headers'
	// {strict: {only: ["_session"]}, lax: {except: ["_session"]}}). For
	// each cookie the rules are tried in order and the first whose Names
	// match it gives all its attributes (Secure, HTTPOnly, SameSite as
	// above, or Skip: none at all); a cookie no rule matches gets the
	// top-level Secure, HTTPOnly and SameSite. Refused: a rule without
	// names, an invalid name, a name an earlier rule always matches first
	// (it would never apply), Skip with attributes, SameSite=None without
	// Secure in the same rule, and rules when no attribute is enabled
	// anywhere.
	Rules []CookieRule
	// Only, when not empty, limits the flags to the cookies with these
	// names (exact, as CookieRule.Names): the same as one rule with these Names
	// and the top-level attributes, and no attribute for other cookies.
	// Only, Except and Rules cannot be combined.
	//
	// Deprecated: write a rule; Only stays as v0.1's shorthand for it.
	Only []string
	// Except exempts the cookies with these names from the flags: the same
	// as one rule with these Names and Skip.
	//
	// Deprecated: write a rule with Skip; Except stays as v0.1's
	// shorthand for it.
	Except []string
}

// CookieRule is one CookieOptions.Rules entry: the attributes of the
// cookies it names, in the file {"names": […], "secure": b, "httpOnly": b,
// "sameSite": "Strict", "skip": b}. The zero value is invalid (no names).
type CookieRule struct {
	// Names are cookie names, exact and case-sensitive ("_session"), or
	// prefixes ending in "*" ("__Host-*", "ab_*"); "*" alone matches every
	// cookie (a catch-all that ends the rules). The cookie prefixes
	// "__Secure-" and "__Host-" at the start of a name or prefix match in
	// any case, as browsers match them (RFC 6265bis): "__Host-*" covers
	// "__HOST-id", "__Secure-sid" covers "__SECURE-sid" but not
	// "__Secure-SID"; a prefix shorter than those ("__Ho*") is exact. A
	// Set-Cookie pair without "=" is nameless to browsers, so only "*"
	// matches it.
	Names []string
	// Secure, HTTPOnly and SameSite are as in CookieOptions, for these
	// cookies instead of the top-level ones.
	Secure   bool
	HTTPOnly bool
	SameSite http.SameSite
	// Skip leaves these cookies exactly as the application set them.
	Skip bool
}

// clone returns a deep copy of o.
func (o *Options) clone() Options {
	c := *o
	if o.Policy != nil {
		p := o.Policy.Clone()
		c.Policy = &p
	}
	c.Routes = make([]policy.Route, len(o.Routes))
	for i, r := range o.Routes {
		c.Routes[i] = r
		c.Routes[i].Override = r.Override.Clone()
	}
	if len(o.Routes) == 0 {
		c.Routes = nil
	}
	c.TrustedProxies = slices.Clone(o.TrustedProxies)
	c.HTTPS.InsecureBypassPatterns = slices.Clone(o.HTTPS.InsecureBypassPatterns)
	c.HTTPS.Skips = slices.Clone(o.HTTPS.Skips)
	c.HTTPS.AllowedHosts = slices.Clone(o.HTTPS.AllowedHosts)
	c.Cookies.Only = slices.Clone(o.Cookies.Only)
	c.Cookies.Except = slices.Clone(o.Cookies.Except)
	c.Cookies.Rules = nil
	for _, r := range o.Cookies.Rules {
		r.Names = slices.Clone(r.Names)
		c.Cookies.Rules = append(c.Cookies.Rules, r)
	}
	if o.Reports != nil {
		r := *o.Reports
		r.AllowedOrigins = slices.Clone(r.AllowedOrigins)
		r.TrustedProxies = slices.Clone(r.TrustedProxies)
		c.Reports = &r
	}
	return c
}

// compileServing validates and compiles the parts of o that are not the
// policy: proxy trust, HTTPS, cookies and the report receiver. Every
// problem is returned, joined; on error nothing is started.
func compileServing(o *Options) (*state, error) {
	var errs cfgerr.List
	st := &state{}
	trust, trustErr := proxy.Parse("trustedProxies", o.TrustedProxies)
	errs.Append("", trustErr)
	var err error
	h := o.HTTPS
	var routeBypass, hostBypass []string
	for _, r := range o.Routes {
		if r.SkipRedirect {
			routeBypass = append(routeBypass, r.Pattern)
		}
		if r.SkipHostCheck {
			hostBypass = append(hostBypass, r.Pattern)
		}
	}
	st.https, err = https.New(https.Config{
		Redirect: h.Redirect, Permanent: h.Permanent, Host: h.Host, Port: h.Port,
		InsecureBypassPatterns: h.InsecureBypassPatterns, Skips: h.Skips, RouteBypass: routeBypass,
		RouteHostBypass: hostBypass, CanonicalHost: h.CanonicalHost, UpgradeLocation: h.UpgradeLocation,
		Development: h.Development,
		ProxyHeader: h.ProxyHeader, Trust: trust, TrustInvalid: trustErr != nil, AllowedHosts: h.AllowedHosts,
		NonIdempotent: https.MethodMode(h.NonIdempotent), TrustForwardedHost: h.TrustForwardedHost,
		Element: https.Element(h.ProxyElement),
	})
	errs.Append("", err)
	c := o.Cookies
	cc := cookies.Config{Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite, Only: c.Only, Except: c.Except}
	for _, r := range c.Rules {
		cc.Rules = append(cc.Rules, cookies.Rule{Names: r.Names, Secure: r.Secure, HTTPOnly: r.HTTPOnly, SameSite: r.SameSite, Skip: r.Skip})
	}
	if st.https.UpgradesLocation() {
		cc.SecureHook = st.https.UpgradeLocation
	}
	st.cookies, err = cookies.New(cc)
	errs.Append("", err)
	st.refusals = refusallog.New(o.Logger)
	if o.Reports != nil {
		ro := *o.Reports
		if len(ro.TrustedProxies) > 0 {
			errs.Add("reports.trustedProxies", "", "is set on the engine's report receiver",
				"list the proxies once, in the top-level trustedProxies (Options.TrustedProxies)")
		}
		if ro.Path == "" {
			ro.Path = DefaultReportPath
		}
		st.repPath = ro.Path
		ro.TrustedProxies = nil // reported above, or parsed with the engine's
		errs.Append("reports", ro.Validate())
		if errs.Err() == nil {
			ro.TrustedProxies = o.TrustedProxies
			st.reports, err = report.NewHandler(ro, o.ReportSink, o.Logger)
			errs.Append("reports", err)
		}
	}
	if err := errs.Err(); err != nil {
		if st.reports != nil {
			st.reports.Close()
		}
		return nil, err
	}
	return st, nil
}
