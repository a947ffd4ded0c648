package cookies

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// This file holds the per-cookie rules: Config.Rules are tried in order for
// each cookie, and the first whose Names match it gives the cookie's
// attributes whole; a cookie no rule matches gets the top-level ones. A
// name is exact ("session"), or a prefix ending in "*" ("__Host-*"); "*"
// alone matches every cookie. Names are case-sensitive, as browsers keep
// them, except the cookie prefixes "__Secure-" and "__Host-", which
// browsers recognise in any case (RFC 6265bis since draft 11: "__HOST-id"
// must meet the requirements of "__Host-"): a name or pattern that starts
// with one of them matches that part case-insensitively and the rest
// exactly; a pattern shorter than the prefix ("__Ho*") is exact. Names are
// read as browsers read them: a pair without "=" ("theme") is a nameless
// cookie whose value is "theme", so only "*" matches it. Refused: a rule
// without names, an invalid name, a rule that can never apply because an
// earlier rule matches all its names first, Skip together with
// attributes, SameSite=None without Secure.

// The cookie prefixes browsers enforce, as rule names are stored.
const (
	securePrefix = "__Secure-"
	hostPrefix   = "__Host-"
)

// prefixLen returns the length of the cookie prefix name starts with, in
// any case, or 0. On bytes as many as an ASCII prefix's, strings.EqualFold
// only folds ASCII: a multi-byte rune leaves fewer runes than the prefix.
func prefixLen(name string) int {
	for _, p := range [...]string{securePrefix, hostPrefix} {
		if len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// canonicalName spells the cookie prefix of name as securePrefix or
// hostPrefix do, so that two spellings of one prefix compare equal.
func canonicalName(name string) string {
	switch prefixLen(name) {
	case len(securePrefix):
		return securePrefix + name[len(securePrefix):]
	case len(hostPrefix):
		return hostPrefix + name[len(hostPrefix):]
	}
	return name
}

// pattern is a compiled rule name: canonicalName of a name, or of a prefix
// without its "*", with its cookie prefix (prefixLen) in lower case, which
// matches in any case.
type pattern struct {
	s    string
	fold string // "__host-", "__secure-" or ""
}

func newPattern(s string) pattern {
	s = canonicalName(s)
	return pattern{s, strings.ToLower(s[:prefixLen(s)])}
}

// is reports whether the cookie name is p: its cookie prefix in any case,
// the rest exactly.
func (p pattern) is(name string) bool {
	k := len(p.fold)
	return len(name) == len(p.s) && name[k:] == p.s[k:] && (k == 0 || lowerIs(name[:k], p.fold))
}

// prefixes reports whether the cookie name starts with p: p's cookie
// prefix, when it holds a whole one, in any case, the rest exactly.
func (p pattern) prefixes(name string) bool {
	k := len(p.fold)
	return len(name) >= len(p.s) && name[k:len(p.s)] == p.s[k:] && (k == 0 || lowerIs(name[:k], p.fold))
}

// lowerIs reports whether s, lowered in ASCII, is lower (as long as s and
// lower case already): browsers fold the prefixes in ASCII only. It keeps
// the case-insensitive match out of the request's cost, where
// strings.EqualFold showed: bench BenchmarkCookieRules (cd bench && go
// test -run XXX -bench BenchmarkCookieRules -benchmem -benchtime 300000x
// -count 3, three rounds interleaved, median cpu-ns/op, exact/prefixed
// names) measured 1234/1168 before folding, 1269/1198 with EqualFold,
// 1197/1074 with lowerIs, on a shared 2-core machine where the spread of
// one variant is ±15%.
func lowerIs(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// Rule is one Config.Rules entry (the engine's CookieRule).
type Rule struct {
	Names            []string
	Secure, HTTPOnly bool
	SameSite         http.SameSite
	Skip             bool
}

// attrs are the attributes one cookie gets.
type attrs struct {
	secure, httpOnly bool
	sameSite         string // canonical "Lax", "Strict", "None", or ""
	skip             bool
}

// adds reports whether a adds an attribute to some cookie.
func (a attrs) adds() bool { return !a.skip && (a.secure || a.httpOnly || a.sameSite != "") }

// needed reports whether a can add an attribute on a request of the given
// security.
func (a attrs) needed(secure bool) bool {
	return !a.skip && (a.httpOnly || a.secure && secure || a.sameSite != "" && (secure || a.sameSite != "None"))
}

// rule is a compiled Rule.
type rule struct {
	exact    []pattern
	prefixes []pattern // without the "*"; "" matches every name
	attrs    attrs
}

func (r *rule) matches(name string) bool {
	for _, n := range r.exact {
		if n.is(name) {
			return true
		}
	}
	for _, p := range r.prefixes {
		if p.prefixes(name) {
			return true
		}
	}
	return false
}

// attrsFor returns the attributes of the cookie called name.
func (c *Flags) attrsFor(name string) attrs {
	for i := range c.rules {
		if c.rules[i].matches(name) {
			return c.rules[i].attrs
		}
	}
	return c.def
}

// compileAttrs checks one set of attributes found at path ("cookies", or
// "cookies.rules[i]").
func compileAttrs(path string, secure, httpOnly bool, sameSite http.SameSite, bad func(path, value, reason, fix string)) attrs {
	a := attrs{secure: secure, httpOnly: httpOnly}
	switch sameSite {
	case 0:
	case http.SameSiteLaxMode:
		a.sameSite = "Lax"
	case http.SameSiteStrictMode:
		a.sameSite = "Strict"
	case http.SameSiteNoneMode:
		a.sameSite = "None"
		if !secure {
			bad(path+".sameSite", "None", "mode browsers reject without Secure",
				"set "+path+`.secure to true, or use "Lax"`)
		}
	default:
		bad(path+".sameSite", strconv.Itoa(int(sameSite)), "unsupported mode",
			`http.SameSiteDefaultMode adds a bare SameSite, which browsers read as Lax: use http.SameSiteLaxMode, http.SameSiteStrictMode or http.SameSiteNoneMode ("Lax", "Strict" or "None" in JSON), or leave it unset`)
	}
	return a
}

// compileRules checks and compiles the rules.
func compileRules(rules []Rule, bad func(path, value, reason, fix string)) []rule {
	out := make([]rule, 0, len(rules))
	for i, r := range rules {
		path := fmt.Sprintf("cookies.rules[%d]", i)
		cr := rule{attrs: compileAttrs(path, r.Secure, r.HTTPOnly, r.SameSite, bad)}
		cr.attrs.skip = r.Skip
		if r.Skip && (r.Secure || r.HTTPOnly || r.SameSite != 0) {
			bad(path+".skip", "", "is set together with attributes, which it would ignore",
				"remove skip to set the attributes, or remove the attributes to leave these cookies alone")
		}
		if len(r.Names) == 0 {
			bad(path+".names", "", "rule without names", `list the cookies it is for, e.g. ["session"] or ["__Host-*"]`)
		}
		for j, n := range r.Names {
			npath := fmt.Sprintf("%s.names[%d]", path, j)
			p, isPrefix := strings.CutSuffix(n, "*")
			p = canonicalName(p)
			if p == "" && !isPrefix || p != "" && !headerval.IsToken(p) || strings.Contains(p, "*") {
				reason := "invalid cookie name"
				if n == "" {
					reason = "empty cookie name"
				}
				bad(npath, n, reason, `write the name exactly as the application sets it (an RFC 9110 token), or a prefix ending in "*"`)
				continue
			}
			if k, m, ok := shadowing(out, p, isPrefix); ok {
				bad(npath, n, fmt.Sprintf("never applies: cookies.rules[%d] matches it first (with %q), in", k, m),
					fmt.Sprintf("move this rule before cookies.rules[%d], or remove the name", k))
			}
			if isPrefix {
				cr.prefixes = append(cr.prefixes, newPattern(p))
			} else {
				cr.exact = append(cr.exact, newPattern(p))
			}
		}
		out = append(out, cr)
	}
	return out
}

// shadowing returns the earlier rule and name that match every cookie the
// name p (canonical; a prefix when isPrefix) matches, if any. A prefix q
// shorter than p's cookie prefix matches one spelling of it only, so it
// shadows nothing that starts with a whole cookie prefix.
func shadowing(earlier []rule, p string, isPrefix bool) (int, string, bool) {
	for k, r := range earlier {
		for _, q := range r.prefixes {
			if strings.HasPrefix(p, q.s) && (q.s == "" || len(q.s) >= prefixLen(p)) {
				return k, q.s + "*", true
			}
		}
		if !isPrefix {
			for _, q := range r.exact {
				if q.s == p {
					return k, q.s, true
				}
			}
		}
	}
	return 0, "", false
}

// compileShorthand compiles v0.1's Only and Except, kept as shorthands for
// the rules they stand for: Only is one rule giving the listed cookies the
// top-level attributes, which then apply to no other cookie; Except is one
// rule skipping the listed cookies. Each goes alone: with the other, or
// with Rules, it is refused. It returns the attributes for the cookies no
// rule matches and the rules.
func compileShorthand(opts Config, def attrs, bad func(path, value, reason, fix string)) (attrs, []rule) {
	switch {
	case len(opts.Only) > 0 && len(opts.Except) > 0:
		bad("cookies.only", "", "only and except are both set", "keep one of the two lists")
	case len(opts.Rules) > 0:
		path := "cookies.only"
		if len(opts.Except) > 0 {
			path = "cookies.except"
		}
		bad(path, "", "is set together with rules", "move the names into a rule of their own, first in rules")
	case !def.adds():
		bad("cookies", "", "only/except are set but no attribute is enabled, so they do nothing",
			"enable secure, httpOnly or sameSite, or remove the lists")
	}
	if len(opts.Only) > 0 {
		return attrs{}, []rule{{exact: compileCookieNames("cookies.only", opts.Only, bad), attrs: def}}
	}
	return def, []rule{{exact: compileCookieNames("cookies.except", opts.Except, bad), attrs: attrs{skip: true}}}
}

// compileCookieNames checks and compiles a list of cookie names.
func compileCookieNames(path string, names []string, bad func(path, value, reason, fix string)) []pattern {
	for i, n := range names {
		if !headerval.IsToken(n) {
			reason := "invalid cookie name"
			if n == "" {
				reason = "empty cookie name"
			}
			bad(fmt.Sprintf("%s[%d]", path, i), n, reason,
				"write the name exactly as the application sets it (an RFC 9110 token)")
		}
	}
	out := make([]pattern, len(names))
	for i, n := range names {
		out[i] = newPattern(n)
	}
	return out
}
