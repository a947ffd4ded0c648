package main

import (
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"

	"github.com/secureheaders/secureheaders/htmlhash"
)

// site is what check learnt about a site, in the terms of the Observatory's
// tests.
type site struct {
	// host is the host name of the checked URL.
	host string
	// page is the header of the response graded: the HTTPS one, or the
	// plain-HTTP one when HTTPS did not answer; pageHTTPS says which.
	page      http.Header
	pageHTTPS bool
	// body is the start of page's body, at most maxBodyBytes.
	body []byte
	// https is the HTTPS response's header, nil when HTTPS did not answer;
	// verified says whether its certificate chain verified.
	https    http.Header
	verified bool
	// httpRoute is every URL the plain-HTTP fetch went through, the first
	// included; nil when plain HTTP did not answer or was not probed.
	// httpVerified says whether every HTTPS certificate on it verified.
	httpRoute    []*url.URL
	httpVerified bool
	// cookies are the Set-Cookie fields the page's fetch received, every
	// redirect included, with the URL that set each.
	cookies []setCookie
	// metaCSP are the content of the page's <meta http-equiv=
	// Content-Security-Policy> elements, metaReferrer that of its last
	// <meta name=referrer> ("" for none); read from HTML pages only.
	metaCSP      []string
	metaReferrer string
	// preflight is the answer to a CORS preflight sent with Origin:
	// foreignOrigin, nil when there was none.
	preflight http.Header
}

// setCookie is one Set-Cookie field and the URL of the response that
// carried it.
type setCookie struct {
	field string
	from  *url.URL
}

// foreignOrigin is the Origin of check's CORS preflight: one no site trusts.
const foreignOrigin = "https://secureheaders-check.invalid"

// observatory runs the Observatory's ten tests on s, in its order.
func observatory(s *site) []scoreTest {
	c := cspTest(s)
	h := hstsTest(s)
	return []scoreTest{
		c.scoreTest,
		cookiesTest(s, h.Result == "hsts-implemented-max-age-at-least-six-months"),
		corsTest(s),
		redirectionTest(s),
		referrerTest(s),
		h,
		sriTest(s),
		xctoTest(s),
		xfoTest(s, c),
		corpTest(s),
	}
}

// field returns the values of the header name joined with ", ", as a
// fetch client (and the Observatory) sees a repeated field, and whether
// there is any.
func field(h http.Header, name string) (string, bool) {
	v := h.Values(name)
	return strings.Join(v, ", "), len(v) > 0
}

// token returns the value of header name, trimmed, lower-cased and cut to
// limit bytes, and whether the header is there with a value.
func token(h http.Header, name string, limit int) (string, bool) {
	v, ok := field(h, name)
	if len(v) > limit {
		v = v[:limit]
	}
	return strings.ToLower(strings.TrimSpace(v)), ok && v != ""
}

func hstsTest(s *site) scoreTest {
	const name = "strict-transport-security"
	switch {
	case s.https == nil:
		return scored(name, "hsts-not-implemented-no-https")
	case !s.verified:
		return scored(name, "hsts-invalid-cert")
	}
	v, ok := field(s.https, "Strict-Transport-Security")
	if !ok || v == "" {
		return scored(name, "hsts-not-implemented")
	}
	if len(v) > 1024 {
		v = v[:1024]
	}
	if strings.Contains(v, ",") {
		return scored(name, "hsts-header-invalid") // sent twice
	}
	maxAge, found := 0, false
	for p := range strings.SplitSeq(v, ";") {
		p = strings.ToLower(strings.TrimSpace(p))
		if n, ok := strings.CutPrefix(p, "max-age="); ok {
			// The Observatory reads a max-age without digits as NaN and
			// passes it; browsers ignore such a header, so it is invalid
			// here (docs/exporting.md).
			maxAge, found = leadingInt(n)
			if !found {
				return scored(name, "hsts-header-invalid")
			}
		}
	}
	switch {
	case !found:
		return scored(name, "hsts-header-invalid")
	case maxAge < sixMonths:
		return scored(name, "hsts-implemented-max-age-less-than-six-months")
	}
	return scored(name, "hsts-implemented-max-age-at-least-six-months")
}

// sixMonths is the Observatory's six months: 180 days, a little less than
// half a year, which many sites send.
const sixMonths = 15552000

// leadingInt reads an optionally signed integer at the start of s, after
// spaces, and ignores what follows ("600abc" is 600), as JavaScript's
// parseInt does; it returns false when there is no digit. Values past the
// range of int saturate.
func leadingInt(s string) (int, bool) {
	s = strings.TrimLeftFunc(s, unicode.IsSpace)
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		n = 1 << 62
	}
	if neg {
		n = -n
	}
	return n, true
}

func redirectionTest(s *site) scoreTest {
	const name = "redirection"
	r := s.httpRoute
	switch {
	case r == nil:
		return scored(name, "redirection-not-needed-no-http")
	case !s.httpVerified:
		return scored(name, "redirection-invalid-cert")
	case len(r) == 1:
		return scored(name, "redirection-missing")
	case r[len(r)-1].Scheme != "https":
		return scored(name, "redirection-not-to-https")
	case r[1].Scheme == "http":
		return scored(name, "redirection-not-to-https-on-initial-redirection")
	case r[0].Hostname() != r[1].Hostname():
		return scored(name, "redirection-off-host-from-http")
	}
	return scored(name, "redirection-to-https")
}

func xctoTest(s *site) scoreTest {
	const name = "x-content-type-options"
	v, ok := token(s.page, "X-Content-Type-Options", 256)
	switch {
	case !ok:
		return scored(name, "x-content-type-options-not-implemented")
	case v != "nosniff":
		return scored(name, "x-content-type-options-header-invalid")
	}
	return scored(name, "x-content-type-options-nosniff")
}

func xfoTest(s *site, c cspResult) scoreTest {
	const name = "x-frame-options"
	if c.frameAncestors {
		return scored(name, "x-frame-options-implemented-via-csp")
	}
	t := xfoHeader(s)
	if c.metaFrameAncestors && t.Modifier < 0 {
		t.Message += " (the frame-ancestors of the <meta> CSP, which the Observatory credits, does nothing there)"
		t.Ours = true
	}
	return t
}

func xfoHeader(s *site) scoreTest {
	const name = "x-frame-options"
	v, ok := token(s.page, "X-Frame-Options", 1024)
	switch {
	case !ok:
		return scored(name, "x-frame-options-not-implemented")
	case v == "deny" || v == "sameorigin":
		return scored(name, "x-frame-options-sameorigin-or-deny")
	case strings.HasPrefix(v, "allow-from"):
		return scored(name, "x-frame-options-allow-from-origin")
	}
	return scored(name, "x-frame-options-header-invalid")
}

func corpTest(s *site) scoreTest {
	const name = "cross-origin-resource-policy"
	v, ok := token(s.page, "Cross-Origin-Resource-Policy", 256)
	switch {
	case !ok:
		return scored(name, "corp-not-implemented")
	case v == "same-origin":
		return scored(name, "corp-implemented-with-same-origin")
	case v == "same-site":
		return scored(name, "corp-implemented-with-same-site")
	case v == "cross-origin":
		return scored(name, "corp-implemented-with-cross-origin")
	}
	return scored(name, "corp-header-invalid")
}

// Referrer-Policy values by what they leak to other origins.
var (
	privateReferrer = []string{"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
	unsafeReferrer  = []string{"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
)

func referrerTest(s *site) scoreTest {
	const name = "referrer-policy"
	v, ok := field(s.page, "Referrer-Policy")
	if s.metaReferrer != "" {
		// <meta name=referrer> comes after the header: it wins.
		v, ok = strings.Join(append(s.page.Values("Referrer-Policy"), s.metaReferrer), ", "), true
	}
	if !ok {
		return scored(name, "referrer-policy-not-implemented")
	}
	// The last value browsers know wins (a list is a fallback chain).
	last := ""
	for t := range strings.SplitSeq(v, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if contains(privateReferrer, t) || contains(unsafeReferrer, t) {
			last = t
		}
	}
	switch {
	case contains(privateReferrer, last):
		return scored(name, "referrer-policy-private")
	case contains(unsafeReferrer, last):
		return scored(name, "referrer-policy-unsafe")
	}
	return scored(name, "referrer-policy-header-invalid")
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func corsTest(s *site) scoreTest {
	const name = "cross-origin-resource-sharing"
	acao, ok := token(s.preflight, "Access-Control-Allow-Origin", 256)
	if !ok {
		return scored(name, "cross-origin-resource-sharing-not-implemented")
	}
	creds, _ := token(s.preflight, "Access-Control-Allow-Credentials", 256)
	switch {
	case acao == "*":
		return scored(name, "cross-origin-resource-sharing-implemented-with-public-access")
	case acao == foreignOrigin && creds == "true":
		return scored(name, "cross-origin-resource-sharing-implemented-with-universal-access")
	}
	return scored(name, "cross-origin-resource-sharing-implemented-with-restricted-access")
}

// worst keeps the worse of two results of one test by the test's order of
// results, best first ("" is no result yet).
func worst(order []string, old, result string) string {
	if old == "" || index(order, result) > index(order, old) {
		return result
	}
	return old
}

func index(list []string, s string) int {
	for i, l := range list {
		if l == s {
			return i
		}
	}
	return -1
}

// sriOrder ranks the subresource-integrity results, best first, as the
// Observatory does (it counts a missing integrity on an HTTPS script as
// worse than an integrity on an http: one).
var sriOrder = []string{
	"sri-implemented-and-all-scripts-loaded-securely",
	"sri-implemented-and-external-scripts-loaded-securely",
	"sri-implemented-but-external-scripts-not-loaded-securely",
	"sri-not-implemented-but-external-scripts-loaded-securely",
	"sri-not-implemented-and-external-scripts-not-loaded-securely",
	"sri-not-implemented-response-not-html",
}

// htmlTypes are the media types the Observatory parses as HTML.
var htmlTypes = []string{"text/html", "application/xhtml+xml"}

func sriTest(s *site) scoreTest {
	const name = "subresource-integrity"
	ct, _ := field(s.page, "Content-Type")
	mime, _, _ := strings.Cut(ct, ";")
	if !contains(htmlTypes, mime) {
		return scored(name, "sri-not-implemented-response-not-html")
	}
	scripts := htmlhash.Scripts(s.body)
	if len(scripts) == 0 {
		return scored(name, "sri-not-implemented-but-no-scripts-loaded")
	}
	site := registrableDomain(s.host)
	result, foreign := "", 0
	culprits := map[string][]string{} // by result
	for _, sc := range scripts {
		if sc.Src == "" {
			continue
		}
		var sameOrigin, secure bool
		switch kind, u := classifyScript(sc.Src); kind {
		case scriptProtocolRelative: // from another host, not secure
		case scriptAbsolute:
			sameOrigin = u != nil && registrableDomain(u.Hostname()) == site
			secure = u != nil && u.Scheme == "https"
		default: // the page's own origin and scheme
			sameOrigin, secure = true, s.pageHTTPS
		}
		integrity := sc.Integrity != ""
		if sameOrigin {
			if integrity && secure && result == "" {
				result = "sri-implemented-and-all-scripts-loaded-securely"
			}
			continue
		}
		foreign++
		r := ""
		switch {
		case integrity && !secure:
			r = "sri-implemented-but-external-scripts-not-loaded-securely"
		case !integrity && secure:
			r = "sri-not-implemented-but-external-scripts-loaded-securely"
		case !integrity:
			r = "sri-not-implemented-and-external-scripts-not-loaded-securely"
		default:
			continue
		}
		result = worst(sriOrder, result, r)
		culprits[r] = append(culprits[r], sc.Src)
	}
	switch {
	case result == "" && foreign > 0:
		result = "sri-implemented-and-external-scripts-loaded-securely"
	case result == "":
		result = "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
	}
	t := scored(name, result)
	if result == "sri-not-implemented-but-all-scripts-loaded-from-secure-origin" && !slices.ContainsFunc(scripts, func(e htmlhash.ScriptElement) bool { return e.Src != "" }) {
		t.Message, t.Fix = "the page's scripts are all inline (a nonce or hashes cover them, not integrity)", ""
	}
	if t.Modifier < 0 {
		t.Message += ": " + strings.Join(limitList(culprits[result], 3), ", ")
	}
	return t
}

// scriptKind is how a <script src> names its URL.
type scriptKind int

const (
	scriptRelative         scriptKind = iota // "/app.js", "app.js": the page's origin
	scriptProtocolRelative                   // "//cdn.example/a.js": another host, the page's scheme
	scriptAbsolute                           // "https://cdn.example/a.js"
)

// classifyScript tells how src names its URL, as the Observatory does, and
// parses an absolute one (nil when it does not parse). A protocol-relative
// URL counts as insecure there: it loads over http: from an http: page.
func classifyScript(src string) (scriptKind, *url.URL) {
	if len(src) > 2 && strings.HasPrefix(src, "//") && src[2] != '/' {
		return scriptProtocolRelative, nil
	}
	t := strings.TrimSpace(src)
	if l := strings.ToLower(t); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		u, err := url.Parse(t)
		if err != nil {
			u = nil
		}
		return scriptAbsolute, u
	}
	return scriptRelative, nil
}

// registrableDomain returns the host's domain under its public suffix
// ("www.example.co.uk" → "example.co.uk"), or "" for an IP address, a
// public suffix or a single label.
func registrableDomain(host string) string {
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(strings.ToLower(strings.TrimSuffix(host, ".")))
	if err != nil {
		return ""
	}
	return d
}

// limitList returns the first n of list, each cut to maxNameBytes, with
// "…" for the rest: what a hostile page names stays short in a message.
func limitList(list []string, n int) []string {
	out := make([]string, 0, min(len(list), n)+1)
	for i, s := range list {
		if i == n {
			return append(out, "… ("+strconv.Itoa(len(list)-n)+" more)")
		}
		if len(s) > maxNameBytes {
			s = strings.ToValidUTF8(s[:maxNameBytes], "") + "…"
		}
		out = append(out, s)
	}
	return out
}

// maxNameBytes caps a script URL or cookie name quoted in a message.
const maxNameBytes = 200
