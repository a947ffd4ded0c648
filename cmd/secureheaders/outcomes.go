package main

// outcome is what one result of an Observatory test is worth and what it
// tells the user.
type outcome struct {
	modifier int
	message  string
	fix      string
}

// outcomes are the results of the Observatory's tests (its names), with
// their score modifiers as the Observatory 1.4.8 scores them; the messages
// and fixes are ours. Read by result (see observatory.go).
var outcomes = map[string]outcome{
	// content-security-policy
	"csp-implemented-with-no-unsafe-default-src-none": {10, "Content-Security-Policy: default-src 'none', no unsafe source", ""},
	"csp-implemented-with-no-unsafe":                  {5, "Content-Security-Policy: no 'unsafe-inline', 'unsafe-eval' or broad source", "set default-src 'none' and allow each resource type explicitly (+5)"},
	"csp-implemented-with-unsafe-inline-in-style-src-only": {0, "Content-Security-Policy: style-src allows 'unsafe-inline', data: or a broad source",
		"drop 'unsafe-inline', data: and broad sources from style-src (use hashes or a nonce for inline styles)"},
	"csp-implemented-with-insecure-scheme-in-passive-content-only": {-10, "Content-Security-Policy: img-src or media-src allows http: or ftp: sources on an HTTPS site",
		"load images and media over https: and remove http: sources from img-src, media-src and default-src"},
	"csp-implemented-with-unsafe-eval": {-10, "Content-Security-Policy: script-src or style-src allows 'unsafe-eval'",
		"stop using eval() and new Function(), then remove 'unsafe-eval'"},
	"csp-implemented-with-unsafe-inline": {-20, "Content-Security-Policy: scripts or plugins are not restricted ('unsafe-inline' or data: in script-src, a broad source such as * or https: in script-src or object-src, or no script-src/object-src/default-src)",
		"use a nonce or hashes instead of 'unsafe-inline', remove data: and broad sources, and set object-src 'none'"},
	"csp-implemented-with-insecure-scheme": {-20, "Content-Security-Policy: allows loading resources over http: or ftp: on an HTTPS site",
		"remove the http: and ftp: sources (load them over https:)"},
	"csp-header-invalid": {-25, "Content-Security-Policy cannot be parsed (a repeated directive, 'strict-dynamic' without a nonce or hash, or a value too short)",
		"fix the policy: `secureheaders lint -csp '…'` shows what is wrong"},
	"csp-not-implemented": {-25, "no Content-Security-Policy header",
		"send one: the recommended preset's is a start (`secureheaders render`)"},
	"csp-not-implemented-but-reporting-enabled": {-25, "only Content-Security-Policy-Report-Only: nothing is enforced",
		"enforce the policy once its reports are clean (docs/rollout.md)"},
	// Ours, not the Observatory's: Lint finds that the enforced policy lets
	// injected scripts run where the Observatory's test does not look
	// (script-src-elem, script-src-attr, worker-src…). See cspVerdict.
	"csp-script-injection-allowed": {-20, "Content-Security-Policy lets injected scripts run (see the critical csp findings below); the Observatory's test reads only script-src, default-src and object-src, and misses it",
		"fix the critical csp findings (`secureheaders lint`)"},
	"csp-implemented-but-duplicate-directives": {0, "Content-Security-Policy: report-uri or report-to is repeated, which costs the CSP bonus",
		"keep one report-uri and one report-to"},

	// cookies
	"cookies-secure-with-httponly-sessions-and-samesite": {5, "Set-Cookie: every cookie is Secure and has SameSite, session cookies are HttpOnly", ""},
	"cookies-secure-with-httponly-sessions": {0, "Set-Cookie: every cookie is Secure and session cookies are HttpOnly, but some lack SameSite",
		"add SameSite=Lax or Strict to every cookie (secureheaders: Cookies.SameSite) (+5)"},
	"cookies-not-found": {0, "no cookies", ""},
	"cookies-without-secure-flag-but-protected-by-hsts": {-5, "Set-Cookie: a cookie lacks Secure (HSTS keeps it off plain HTTP)",
		"add Secure to every cookie (secureheaders: Cookies.Secure)"},
	"cookies-session-without-secure-flag-but-protected-by-hsts": {-10, "Set-Cookie: a session cookie lacks Secure (HSTS keeps it off plain HTTP)",
		"add Secure to every cookie (secureheaders: Cookies.Secure)"},
	"cookies-without-secure-flag": {-20, "Set-Cookie: a cookie lacks Secure and no HSTS protects it",
		"add Secure to every cookie (secureheaders: Cookies.Secure) and send HSTS"},
	"cookies-samesite-flag-invalid": {-20, "Set-Cookie: SameSite is not Strict, Lax or None, or is None on a cookie without Secure",
		"use SameSite=Lax or Strict (None only with Secure)"},
	"cookies-anticsrf-without-samesite-flag": {-20, "Set-Cookie: an anti-CSRF cookie lacks SameSite",
		"add SameSite=Lax or Strict to it (secureheaders: Cookies.SameSite)"},
	"cookies-session-without-httponly-flag": {-30, "Set-Cookie: a session cookie lacks HttpOnly, so injected scripts can steal it",
		"add HttpOnly to session cookies (secureheaders: Cookies.HTTPOnly)"},
	"cookies-session-without-secure-flag": {-40, "Set-Cookie: a session cookie lacks Secure and no HSTS protects it",
		"add Secure to every cookie (secureheaders: Cookies.Secure) and send HSTS"},

	// cross-origin-resource-sharing
	"cross-origin-resource-sharing-not-implemented":                    {0, "no Access-Control-Allow-Origin for a foreign origin", ""},
	"cross-origin-resource-sharing-implemented-with-public-access":     {0, "Access-Control-Allow-Origin: * (public, without credentials)", ""},
	"cross-origin-resource-sharing-implemented-with-restricted-access": {0, "Access-Control-Allow-Origin is restricted to chosen origins", ""},
	"cross-origin-resource-sharing-implemented-with-universal-access": {-50, "Access-Control-Allow-Origin echoes any origin with Access-Control-Allow-Credentials: true: any site can read this one as the user",
		"allow only the origins you trust, or use * without credentials"},

	// redirection
	"redirection-to-https":           {0, "plain HTTP redirects to HTTPS on the same host", ""},
	"redirection-not-needed-no-http": {0, "no plain-HTTP answer, so no redirect is needed", ""},
	"redirection-off-host-from-http": {-5, "the redirect from plain HTTP goes to another host, which never gets HSTS",
		"redirect to https:// on the same host first"},
	"redirection-not-to-https-on-initial-redirection": {-10, "plain HTTP redirects to another http:// URL before HTTPS",
		"redirect to https:// on the same host first"},
	"redirection-not-to-https": {-20, "the redirects from plain HTTP do not end on HTTPS",
		"redirect every plain-HTTP request to https:// (secureheaders: HTTPS.Redirect)"},
	"redirection-missing": {-20, "plain HTTP serves the page instead of redirecting to HTTPS",
		"redirect every plain-HTTP request to https:// (secureheaders: HTTPS.Redirect)"},
	"redirection-invalid-cert": {-20, "the redirect from plain HTTP reaches an HTTPS certificate that does not verify",
		"install a certificate browsers trust (Let's Encrypt, your cloud's)"},

	// referrer-policy
	"referrer-policy-private":         {5, "Referrer-Policy keeps paths and queries from other origins", ""},
	"referrer-policy-not-implemented": {0, "no Referrer-Policy (browsers default to strict-origin-when-cross-origin)", "send Referrer-Policy: strict-origin-when-cross-origin or stricter (+5)"},
	"referrer-policy-unsafe": {-5, "Referrer-Policy sends the full URL, or the origin over plain HTTP, to other origins",
		"use strict-origin-when-cross-origin, same-origin or no-referrer"},
	"referrer-policy-header-invalid": {-5, "Referrer-Policy holds no value browsers know",
		"use strict-origin-when-cross-origin, same-origin or no-referrer"},

	// strict-transport-security
	"hsts-implemented-max-age-at-least-six-months": {0, "Strict-Transport-Security: max-age of six months or more", ""},
	"hsts-implemented-max-age-less-than-six-months": {-10, "Strict-Transport-Security: max-age under six months (15552000 seconds)",
		"raise max-age to a year (31536000) once HTTPS is solid"},
	"hsts-not-implemented": {-20, "no Strict-Transport-Security header",
		"send Strict-Transport-Security: max-age=31536000; includeSubDomains (secureheaders sends it on HTTPS)"},
	"hsts-header-invalid": {-20, "Strict-Transport-Security cannot be parsed (no numeric max-age, or the header sent twice)",
		"send one Strict-Transport-Security: max-age=31536000; includeSubDomains"},
	"hsts-not-implemented-no-https": {-20, "no HTTPS response, so no HSTS", "serve the site over HTTPS"},
	"hsts-invalid-cert": {-20, "the HTTPS certificate does not verify, so browsers ignore HSTS",
		"install a certificate browsers trust (Let's Encrypt, your cloud's)"},

	// subresource-integrity
	"sri-implemented-and-all-scripts-loaded-securely":      {5, "same-origin scripts carry integrity and load over HTTPS", ""},
	"sri-implemented-and-external-scripts-loaded-securely": {5, "every script from another site carries integrity and loads over HTTPS", ""},
	"sri-not-implemented-response-not-html":                {0, "the page is not HTML, so it loads no script", ""},
	"sri-not-implemented-but-no-scripts-loaded":            {0, "the page has no <script>", ""},
	"sri-not-implemented-but-all-scripts-loaded-from-secure-origin": {0, "every <script src> is on the site's own domain, without integrity",
		"add integrity to them (`secureheaders hash -sri -write`) (+5)"},
	"sri-not-implemented-but-external-scripts-loaded-securely": {-5, "a <script src> from another site has no integrity attribute",
		"add integrity (and crossorigin) to it (`secureheaders sri` prints the value of a downloaded copy)"},
	"sri-implemented-but-external-scripts-not-loaded-securely": {-20, "a <script src> from another site loads over http: or a protocol-relative //host URL",
		"load it over https://"},
	"sri-not-implemented-and-external-scripts-not-loaded-securely": {-50, "a <script src> from another site loads over http: or a protocol-relative //host URL, without integrity",
		"load it over https:// and add integrity (and crossorigin) to it"},

	// x-content-type-options
	"x-content-type-options-nosniff":         {0, "X-Content-Type-Options: nosniff", ""},
	"x-content-type-options-not-implemented": {-5, "no X-Content-Type-Options header", "send X-Content-Type-Options: nosniff"},
	"x-content-type-options-header-invalid":  {-5, "X-Content-Type-Options is not nosniff (once)", "send X-Content-Type-Options: nosniff, once"},

	// x-frame-options
	"x-frame-options-implemented-via-csp": {5, "framing is governed by the CSP's frame-ancestors", ""},
	"x-frame-options-sameorigin-or-deny":  {0, "X-Frame-Options: DENY or SAMEORIGIN", "add frame-ancestors to the CSP ('none' or 'self') (+5)"},
	"x-frame-options-allow-from-origin":   {0, "X-Frame-Options: ALLOW-FROM, which browsers ignore", "use the CSP's frame-ancestors instead"},
	"x-frame-options-not-implemented": {-20, "no X-Frame-Options and no CSP frame-ancestors: any site can frame this page",
		"add frame-ancestors 'none' (or 'self') to the CSP, or send X-Frame-Options: DENY"},
	"x-frame-options-header-invalid": {-20, "X-Frame-Options is not DENY or SAMEORIGIN (once), and the CSP has no frame-ancestors",
		"add frame-ancestors 'none' (or 'self') to the CSP"},

	// cross-origin-resource-policy
	"corp-not-implemented":               {0, "no Cross-Origin-Resource-Policy", "send Cross-Origin-Resource-Policy: same-origin (+10)"},
	"corp-implemented-with-same-origin":  {10, "Cross-Origin-Resource-Policy: same-origin", ""},
	"corp-implemented-with-same-site":    {10, "Cross-Origin-Resource-Policy: same-site", ""},
	"corp-implemented-with-cross-origin": {0, "Cross-Origin-Resource-Policy: cross-origin", ""},
	"corp-header-invalid": {-5, "Cross-Origin-Resource-Policy holds no value browsers know",
		"send Cross-Origin-Resource-Policy: same-origin (or same-site)"},
}

// scored returns the scoreTest of result for test name.
func scored(name, result string) scoreTest {
	o, ok := outcomes[result]
	if !ok {
		panic("no outcome for " + result) // a typo in observatory.go; TestOutcomes catches it
	}
	return scoreTest{Name: name, Result: result, Modifier: o.modifier, Message: o.message, Fix: o.fix}
}
