package main

import (
	"net/http"
	"strings"
)

// cookieOrder ranks the failing cookie results, least bad first, as the
// Observatory does; the worst one seen is the result.
var cookieOrder = []string{
	"cookies-without-secure-flag-but-protected-by-hsts",
	"cookies-without-secure-flag",
	"cookies-session-without-secure-flag-but-protected-by-hsts",
	"cookies-samesite-flag-invalid",
	"cookies-anticsrf-without-samesite-flag",
	"cookies-session-without-httponly-flag",
	"cookies-session-without-secure-flag",
}

// cookiesTest grades the cookies the page's fetch received. hsts says
// whether the HSTS test passed, which softens a missing Secure. A cookie
// is a session cookie when its name holds "sess" or "login", an anti-CSRF
// token when it holds "csrf" (the Observatory's guess, in any case).
// Cookies a browser would refuse (a __Host- or __Secure- prefix whose rules
// are broken, a Domain the host is not in) are not graded: browsers never
// store them.
func cookiesTest(s *site, hsts bool) scoreTest {
	const name = "cookies"
	result, missingSameSite, n := "", false, 0
	var culprits []string
	blame := func(r, cookie string) {
		if w := worst(cookieOrder, result, r); w != result {
			result, culprits = w, []string{cookie}
		} else if w == r && !contains(culprits, cookie) {
			culprits = append(culprits, cookie)
		}
	}
	for _, sc := range s.cookies {
		if badSameSite(sc.field) {
			blame("cookies-samesite-flag-invalid", cookieName(sc.field))
		}
	}
	for _, c := range jar(s.cookies) {
		n++
		key := strings.ToLower(c.Name)
		session := strings.Contains(key, "login") || strings.Contains(key, "sess")
		csrf := strings.Contains(key, "csrf")
		if !c.Secure && c.SameSite == http.SameSiteNoneMode {
			blame("cookies-samesite-flag-invalid", c.Name)
		}
		switch {
		case !c.Secure && hsts:
			blame("cookies-without-secure-flag-but-protected-by-hsts", c.Name)
		case !c.Secure:
			blame("cookies-without-secure-flag", c.Name)
		}
		noSameSite := c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode && c.SameSite != http.SameSiteNoneMode
		if csrf && noSameSite {
			blame("cookies-anticsrf-without-samesite-flag", c.Name)
		}
		switch {
		case session && !c.Secure && hsts:
			blame("cookies-session-without-secure-flag-but-protected-by-hsts", c.Name)
		case session && !c.Secure:
			blame("cookies-session-without-secure-flag", c.Name)
		}
		if session && !c.HttpOnly {
			blame("cookies-session-without-httponly-flag", c.Name)
		}
		missingSameSite = missingSameSite || noSameSite
	}
	switch {
	case n == 0:
		// Even with a malformed SameSite on a raw field: nothing is stored.
		return scored(name, "cookies-not-found")
	case result == "" && missingSameSite:
		return scored(name, "cookies-secure-with-httponly-sessions")
	case result == "":
		return scored(name, "cookies-secure-with-httponly-sessions-and-samesite")
	}
	t := scored(name, result)
	t.Message += " (" + strings.Join(limitList(culprits, 3), ", ") + ")"
	return t
}

// jar returns the cookies a browser keeps from fields, in order: those it
// stores, the last one of each name, domain and path.
func jar(fields []setCookie) []*http.Cookie {
	var out []*http.Cookie
	at := map[[3]string]int{}
	for _, sc := range fields {
		c, err := http.ParseSetCookie(sc.field)
		if err != nil || !stored(c, sc) {
			continue
		}
		domain := strings.ToLower(strings.TrimPrefix(c.Domain, "."))
		if domain == "" {
			domain = strings.ToLower(sc.from.Hostname())
		}
		key := [3]string{c.Name, domain, c.Path}
		if i, ok := at[key]; ok {
			out[i] = c
			continue
		}
		at[key] = len(out)
		out = append(out, c)
	}
	return out
}

// badSameSite reports whether a Set-Cookie field has a SameSite attribute
// without a value or with one other than Strict, Lax or None.
func badSameSite(field string) bool {
	for _, attr := range strings.Split(field, ";")[1:] {
		k, v, _ := strings.Cut(attr, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "samesite") {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "strict", "lax", "none":
		default:
			return true
		}
	}
	return false
}

// cookieName returns the name of a Set-Cookie field.
func cookieName(field string) string {
	name, _, _ := strings.Cut(field, "=")
	return strings.TrimSpace(name)
}

// stored reports whether a browser stores c, set by the response to
// sc.from: its Domain covers the host, and its name prefix's rules hold.
func stored(c *http.Cookie, sc setCookie) bool {
	host := strings.ToLower(sc.from.Hostname())
	if d := strings.ToLower(strings.TrimPrefix(c.Domain, ".")); d != "" && host != d && !strings.HasSuffix(host, "."+d) {
		return false
	}
	// Browsers match the prefixes case-insensitively (RFC 6265bis, since
	// draft 11): __HOST-sess must meet __Host-'s requirements too.
	switch {
	case hasPrefixFold(c.Name, "__Secure-"):
		return c.Secure && sc.from.Scheme == "https"
	case hasPrefixFold(c.Name, "__Host-"):
		return c.Secure && sc.from.Scheme == "https" && c.Domain == "" && c.Path == "/"
	}
	return true
}

// hasPrefixFold reports whether s starts with prefix, ASCII case ignored.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
