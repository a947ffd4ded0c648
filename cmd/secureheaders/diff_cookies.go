package main

import (
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/internal/cookies"
)

// diffCookies compares the attributes a's and b's cookie options give each
// cookie the two files name (in their rules, only and except lists, a's
// first), then the cookies neither names ("*"). Rules are compared by what
// they do, not how they are written: reordering rules, or moving a name
// from one rule to another with the same attributes, changes nothing.
func diffCookies(a, b *diffConfig) []servingChange {
	fa, fb := cookieFlags(a.opts.Cookies), cookieFlags(b.opts.Cookies)
	var labels []string
	for _, o := range []secureheaders.CookieOptions{a.opts.Cookies, b.opts.Cookies} {
		for _, r := range o.Rules {
			labels = append(labels, r.Names...)
		}
		only, except := shorthands(o)
		labels = append(labels, only...)
		labels = append(labels, except...)
	}
	labels = append(labels, "*")
	var out []servingChange
	var seen []string
	for _, l := range labels {
		if slices.Contains(seen, l) {
			continue
		}
		seen = append(seen, l)
		// A name stands for itself; a prefix "p*" for the names under p
		// that no longer prefix or name picks out: "p" and a byte no name
		// holds.
		sample := l
		if p, ok := strings.CutSuffix(l, "*"); ok {
			sample = p + "\x00"
		}
		xa, xb := fa.AttrsFor(sample), fb.AttrsFor(sample)
		if xa == xb {
			continue
		}
		c := servingChange{Setting: "cookies", Cookie: l, Before: describeAttrs(xa), After: describeAttrs(xb)}
		lost, risky := cookieLoss(xa, xb)
		switch {
		case len(lost) > 0:
			c.Effect = widens
			if risky {
				c.Risk = "these cookies lose " + strings.Join(lost, ", ")
			}
		case len(cookieLossNames(xb, xa)) > 0:
			c.Effect = narrows
		}
		out = append(out, c)
	}
	return out
}

// cookieFlags compiles cookie options the way the engine does; they were
// validated when the file was read.
func cookieFlags(o secureheaders.CookieOptions) *cookies.Flags {
	cc := cookies.Config{Secure: o.Secure, HTTPOnly: o.HTTPOnly, SameSite: o.SameSite}
	cc.Only, cc.Except = shorthands(o)
	for _, r := range o.Rules {
		cc.Rules = append(cc.Rules, cookies.Rule{Names: r.Names, Secure: r.Secure, HTTPOnly: r.HTTPOnly, SameSite: r.SameSite, Skip: r.Skip})
	}
	f, _ := cookies.New(cc)
	return f
}

// shorthands returns v0.1's only and except lists, which a file may still
// hold: diff compares what the engine does with them.
func shorthands(o secureheaders.CookieOptions) (only, except []string) {
	//lint:ignore SA1019 the engine still applies them, so diff compares them
	return o.Only, o.Except
}

// describeAttrs writes the attributes added, as Set-Cookie spells them.
func describeAttrs(a cookies.Attrs) string {
	if a.Skip {
		return "left as the app sets them (skip)"
	}
	var parts []string
	if a.Secure {
		parts = append(parts, "Secure")
	}
	if a.HTTPOnly {
		parts = append(parts, "HttpOnly")
	}
	if a.SameSite != "" {
		parts = append(parts, "SameSite="+a.SameSite)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, "; ")
}

// sameSiteRank orders SameSite values from the most to the least
// protective: without one, browsers that default to Lax still protect.
func sameSiteRank(s string) int {
	switch s {
	case "Strict":
		return 3
	case "Lax":
		return 2
	case "":
		return 1
	}
	return 0 // None
}

// cookieLoss returns what b no longer adds that a added, and whether the
// loss is risky: Secure or HttpOnly gone, or SameSite down to none or
// "None" (Strict to Lax is a widening, not a risk).
func cookieLoss(a, b cookies.Attrs) (lost []string, risky bool) {
	lost = cookieLossNames(a, b)
	risky = len(lost) > 0 && (a.Secure && !b.Secure || a.HTTPOnly && !b.HTTPOnly || sameSiteRank(b.SameSite) <= 1 && sameSiteRank(a.SameSite) > sameSiteRank(b.SameSite))
	return lost, risky
}

// cookieLossNames names each attribute a adds that b does not, or weakens.
func cookieLossNames(a, b cookies.Attrs) []string {
	var lost []string
	if a.Secure && !b.Secure {
		lost = append(lost, "Secure (sent over plain HTTP too)")
	}
	if a.HTTPOnly && !b.HTTPOnly {
		lost = append(lost, "HttpOnly (scripts read them)")
	}
	if sameSiteRank(b.SameSite) < sameSiteRank(a.SameSite) {
		name := func(s string) string {
			if s == "" {
				return "unset"
			}
			return s
		}
		lost = append(lost, "SameSite "+name(a.SameSite)+" → "+name(b.SameSite)+" (sent on more cross-site requests)")
	}
	return lost
}
