package main

import (
	"fmt"
	"io"
	"net/netip"
	"net/textproto"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders"
)

// This file compares what two configurations do besides sending headers:
// the HTTPS redirect and its bypasses, the Host check, which proxies are
// believed, the cookie attributes and the report receiver. A change that
// lets a request be served over plain HTTP, lets a Host through, believes
// more peers or takes an attribute off a cookie widens the serving; the
// ones named in serveRisks are risky and count for -fail-on widen.

// servingChange is one serving option that differs between A and B.
type servingChange struct {
	// Setting is the option's path in the configuration file
	// ("https.redirect", "trustedProxies", "cookies"); under a route, the
	// route's key ("redirect", "hostCheck").
	Setting string `json:"setting"`
	// Cookie, for "cookies", names the cookies whose attributes differ: a
	// name, a prefix ending in "*", or "*" for those no rule names.
	Cookie string `json:"cookie,omitempty"`
	// Before and After are the values in A and B of a single-valued
	// option, written as in the file ("true", "\"pass\"") or described
	// ("Secure; HttpOnly", "redirected"); "-" when unset.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Added and Removed are the entries of a list option that B has and A
	// had not, and the reverse.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Effect is "widens" when B serves more or protects less, "narrows"
	// for the reverse, empty when neither (a changed redirect port, a list
	// entry that another entry already covered).
	Effect string `json:"effect,omitempty"`
	// Risk, for some widenings, says what an attacker gains; -fail-on
	// widen fails on it.
	Risk string `json:"risk,omitempty"`
}

const (
	widens  = "widens"
	narrows = "narrows"
)

// diffServing compares the app-wide serving options of a and b, in the
// order docs/config.md lists them: trustedProxies, https, cookies, reports.
func diffServing(a, b *diffConfig) []servingChange {
	var out []servingChange
	add := func(c servingChange) { out = append(out, c) }
	ha, hb := a.opts.HTTPS, b.opts.HTTPS

	pa, pb := a.opts.TrustedProxies, b.opts.TrustedProxies
	if c, ok := diffList("trustedProxies", pa, pb, func(e string) bool { return proxyCovered(pa, e) }, func(e string) bool { return proxyCovered(pb, e) }); ok {
		if c.Effect == widens {
			c.Risk = proxyRisk(a.opts.TrustedProxies, c.Added)
		}
		add(c)
	}

	if ha.Redirect != hb.Redirect {
		c := flagChange("https.redirect", ha.Redirect, hb.Redirect, true)
		switch {
		case !a.redirects() && !b.redirects():
			c.Effect = "" // development is on in both
		case !hb.Redirect:
			c.Risk = "plain-HTTP requests are served as they came instead of redirected to https://"
		}
		add(c)
	}
	if ha.Permanent != hb.Permanent {
		add(servingChange{Setting: "https.permanent", Before: strconv.FormatBool(ha.Permanent), After: strconv.FormatBool(hb.Permanent)})
	}
	if ha.Host != hb.Host {
		add(servingChange{Setting: "https.host", Before: quoted(ha.Host), After: quoted(hb.Host)})
	}
	if ha.Port != hb.Port {
		add(servingChange{Setting: "https.port", Before: number(ha.Port), After: number(hb.Port)})
	}
	for _, l := range []struct {
		setting string
		a, b    []string
		pats    func(string) []string
	}{
		{"https.skips", ha.Skips, hb.Skips, skipPatterns},
		{"https.insecureBypassPatterns", ha.InsecureBypassPatterns, hb.InsecureBypassPatterns, func(p string) []string { return []string{p} }},
	} {
		// An entry is covered when the other file already served all it
		// matches over plain HTTP, through any of its bypasses.
		coveredIn := func(c *diffConfig) func(string) bool {
			return func(e string) bool {
				for _, p := range l.pats(e) {
					if c.bypassedBy(p, c.redirectBypasses()) == "" {
						return false
					}
				}
				return true
			}
		}
		if c, ok := diffList(l.setting, l.a, l.b, coveredIn(a), coveredIn(b)); ok {
			switch {
			case !b.redirects() && !a.redirects():
				c.Effect = ""
			case c.Effect == widens && b.redirects():
				c.Risk = "plain-HTTP requests these match are served over HTTP instead of redirected: " + strings.Join(quoteAll(uncovered(c.Added, coveredIn(a))), ", ")
			}
			add(c)
		}
	}
	if ha.Development != hb.Development {
		c := flagChange("https.development", ha.Development, hb.Development, false)
		switch {
		case !ha.Redirect && !hb.Redirect:
			c.Effect = ""
		case hb.Development && hb.Redirect:
			c.Risk = "development turns the redirect off: plain-HTTP requests are served as they came"
		}
		add(c)
	}
	if ha.ProxyHeader != hb.ProxyHeader {
		add(proxyHeaderChange(a, b))
	}
	if ha.ProxyElement != hb.ProxyElement {
		add(proxyElementChange(a, b))
	}
	if c, ok := diffHosts(ha.AllowedHosts, hb.AllowedHosts); ok {
		add(c)
	}
	if ha.CanonicalHost != hb.CanonicalHost {
		add(servingChange{Setting: "https.canonicalHost", Before: quoted(ha.CanonicalHost), After: quoted(hb.CanonicalHost)})
	}
	if ha.UpgradeLocation != hb.UpgradeLocation {
		add(flagChange("https.upgradeLocation", ha.UpgradeLocation, hb.UpgradeLocation, true))
	}
	if ha.NonIdempotent != hb.NonIdempotent {
		c := servingChange{Setting: "https.nonIdempotent", Before: strconv.Quote(ha.NonIdempotent.String()), After: strconv.Quote(hb.NonIdempotent.String())}
		switch {
		case !a.redirects() && !b.redirects():
		case hb.NonIdempotent == secureheaders.PassNonIdempotent:
			c.Effect = widens
			if b.redirects() {
				c.Risk = "plain-HTTP POST, PUT, DELETE… requests are served as they came, their bodies and cookies sent in the clear"
			}
		case ha.NonIdempotent == secureheaders.PassNonIdempotent:
			c.Effect = narrows
		}
		add(c)
	}
	if ha.TrustForwardedHost != hb.TrustForwardedHost {
		c := flagChange("https.trustForwardedHost", ha.TrustForwardedHost, hb.TrustForwardedHost, false)
		if hb.TrustForwardedHost && len(b.opts.TrustedProxies) > 0 {
			c.Risk = "the Host checked and redirected to is read from X-Forwarded-Host when a trusted proxy sends one: each proxy must replace the client's"
		}
		add(c)
	}

	out = append(out, diffCookies(a, b)...)
	out = append(out, diffReports(a.opts, b.opts)...)
	return out
}

// proxyHeaderChange compares https.proxyHeader. A header B reads and A
// did not (set, or another one) widens: its "https" from a trusted peer
// now skips the redirect, and a proxy that neither sets nor removes it
// passes on the client's. It is risky when B redirects and trusts
// proxies. Removing the header narrows; another spelling of the same
// header (the engine reads it canonically) changes nothing.
func proxyHeaderChange(a, b *diffConfig) servingChange {
	ha, hb := a.opts.HTTPS.ProxyHeader, b.opts.HTTPS.ProxyHeader
	c := servingChange{Setting: "https.proxyHeader", Before: quoted(ha), After: quoted(hb)}
	switch {
	case hb == "":
		c.Effect = narrows
	case textproto.CanonicalMIMEHeaderKey(ha) == textproto.CanonicalMIMEHeaderKey(hb):
	default:
		c.Effect = widens
		if b.redirects() && len(b.opts.TrustedProxies) > 0 {
			c.Risk = "the scheme is read from " + hb + ", which A did not read: a trusted proxy that neither sets nor removes it passes on a client's, and the client's plain-HTTP request skips the redirect"
		}
	}
	return c
}

// proxyElementChange compares https.proxyElement. Reading the first
// element where A read the last widens: behind a proxy that appends its
// own, the first is the client's. It is risky when B believes a
// forwarded scheme while it redirects, or a forwarded host.
func proxyElementChange(a, b *diffConfig) servingChange {
	ea, eb := a.opts.HTTPS.ProxyElement, b.opts.HTTPS.ProxyElement
	c := servingChange{Setting: "https.proxyElement", Before: strconv.Quote(ea.String()), After: strconv.Quote(eb.String())}
	if eb != secureheaders.FirstProxyElement {
		c.Effect = narrows
		return c
	}
	c.Effect = widens
	hb := b.opts.HTTPS
	if len(b.opts.TrustedProxies) > 0 && (hb.ProxyHeader != "" && b.redirects() || hb.TrustForwardedHost) {
		c.Risk = "the first element of the forwarding headers is read: behind a proxy that appends its own, that is the client's, who chooses the scheme (and the Host, with trustForwardedHost)"
	}
	return c
}

// flagChange is the change of a boolean option; protects says whether
// true is the safer value (https.redirect) or false is (https.development).
func flagChange(setting string, a, b, protects bool) servingChange {
	c := servingChange{Setting: setting, Before: strconv.FormatBool(a), After: strconv.FormatBool(b), Effect: narrows}
	if b != protects {
		c.Effect = widens
	}
	return c
}

// diffList compares the list option setting. An entry of b is a widening
// when inA(entry) is false (a did not already allow what it allows), an
// entry of a missing from b a narrowing when inB(entry) is false. ok is
// false when the lists hold the same entries.
func diffList(setting string, a, b []string, inA, inB func(e string) bool) (servingChange, bool) {
	c := servingChange{Setting: setting}
	for _, e := range b {
		if !slices.Contains(a, e) {
			c.Added = append(c.Added, e)
		}
	}
	for _, e := range a {
		if !slices.Contains(b, e) {
			c.Removed = append(c.Removed, e)
		}
	}
	switch {
	case len(c.Added) == 0 && len(c.Removed) == 0:
		return c, false
	case len(uncovered(c.Added, inA)) > 0:
		c.Effect = widens
	case len(uncovered(c.Removed, inB)) > 0:
		c.Effect = narrows
	}
	return c, true
}

// uncovered returns the entries of list that covered does not accept.
func uncovered(list []string, covered func(string) bool) []string {
	var out []string
	for _, e := range list {
		if !covered(e) {
			out = append(out, e)
		}
	}
	return out
}

// diffHosts compares https.allowedHosts. An empty list accepts every Host,
// so emptying it is the widest change.
func diffHosts(a, b []string) (servingChange, bool) {
	c, ok := diffList("https.allowedHosts", a, b, func(e string) bool { return hostCovered(a, e) }, func(e string) bool { return hostCovered(b, e) })
	switch {
	case !ok:
	case len(a) > 0 && len(b) == 0:
		c.Effect = widens
		c.Risk = "the Host check is off: every Host is served (a forged Host poisons caches and the links the app builds, such as password-reset URLs)"
	case len(a) == 0:
		c.Effect = narrows
	case c.Effect == widens:
		added := uncovered(c.Added, func(e string) bool { return hostCovered(a, e) })
		c.Risk = "newly allowed Hosts: " + strings.Join(quoteAll(added), ", ")
		for _, e := range added {
			if strings.Contains(e, "*") || strings.Contains(e, "/") {
				c.Risk += "; a wildcard or range lets in every name or address under it, a dangling DNS record included"
				break
			}
		}
	}
	return c, ok
}

// hostCovered reports whether the allowedHosts list allows every Host the
// pattern e allows: e itself, a "*.suffix" covering e, or an address
// range holding e. Names compare case-insensitively, a final dot ignored.
func hostCovered(list []string, e string) bool {
	norm := func(s string) string { return strings.TrimSuffix(strings.ToLower(s), ".") }
	e = norm(e)
	if ep, ok := hostPrefix(e); ok {
		for _, l := range list {
			if lp, ok := hostPrefix(norm(l)); ok && prefixCovers(lp, ep) {
				return true
			}
		}
		return false
	}
	for _, l := range list {
		l = norm(l)
		if l == e {
			return true
		}
		if s, ok := strings.CutPrefix(l, "*."); ok && strings.HasSuffix(strings.TrimPrefix(e, "*."), "."+s) {
			return true
		}
	}
	return false
}

// hostPrefix reads an allowedHosts address or range as a prefix.
func hostPrefix(s string) (netip.Prefix, bool) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	return netip.Prefix{}, false
}

// prefixCovers reports whether every address of q is in p.
func prefixCovers(p, q netip.Prefix) bool {
	return p.Addr().Is4() == q.Addr().Is4() && p.Bits() <= q.Bits() && p.Contains(q.Addr())
}

// proxyCovered reports whether the trustedProxies list trusts every peer
// the entry e names.
func proxyCovered(list []string, e string) bool {
	ep, ok := hostPrefix(strings.TrimSpace(e))
	if !ok {
		return false
	}
	for _, l := range list {
		if lp, ok := hostPrefix(strings.TrimSpace(l)); ok && prefixCovers(lp, ep) {
			return true
		}
	}
	return false
}

// proxyRisk says which peers are newly believed, and how many addresses a
// wide range holds.
func proxyRisk(a, added []string) string {
	var parts []string
	for _, e := range uncovered(added, func(e string) bool { return proxyCovered(a, e) }) {
		p, _ := hostPrefix(strings.TrimSpace(e))
		part := strconv.Quote(e)
		switch bits := p.Addr().BitLen() - p.Bits(); {
		case p.Bits() == 0:
			part += " (every address)"
		case bits >= 16:
			part += fmt.Sprintf(" (2^%d addresses)", bits)
		}
		parts = append(parts, part)
	}
	return "forwarding headers (the scheme, X-Forwarded-Host, X-Forwarded-For) are believed from " + strings.Join(parts, ", ") +
		": a client there can pass a plain-HTTP request for HTTPS, skip the redirect and choose the address the report receiver rate-limits"
}

// quoted writes a string option as the file does, or "-" when unset.
func quoted(s string) string {
	if s == "" {
		return "-"
	}
	return strconv.Quote(s)
}

// number writes a number option, or "-" when zero (its default).
func number(n int) string {
	if n == 0 {
		return "-"
	}
	return strconv.Itoa(n)
}

// quoteAll quotes each entry.
func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}

// printServing writes one block per serving change: the setting (and the
// cookies it is about) with its effect, "+"/"-" lines for a list or the
// values before and after, then the risk.
func printServing(w io.Writer, indent string, changes []servingChange) {
	for _, c := range changes {
		head := c.Setting
		if c.Cookie != "" {
			head += " " + strconv.Quote(c.Cookie)
			if c.Cookie == "*" {
				head = c.Setting + " of other names"
			}
		}
		if c.Effect != "" {
			head += " (" + c.Effect + ")"
		}
		fmt.Fprintln(w, indent+head)
		if c.Added != nil || c.Removed != nil {
			for _, s := range c.Added {
				fmt.Fprintf(w, "%s  + %s\n", indent, cell(s))
			}
			for _, s := range c.Removed {
				fmt.Fprintf(w, "%s  - %s\n", indent, cell(s))
			}
		} else {
			fmt.Fprintf(w, "%s  before: %s\n%s  after:  %s\n", indent, c.Before, indent, c.After)
		}
		if c.Risk != "" {
			fmt.Fprintf(w, "%s  RISK: %s\n", indent, c.Risk)
		}
	}
}
