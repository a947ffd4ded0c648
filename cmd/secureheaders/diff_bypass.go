package main

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/internal/patmux"
)

// diffConfig is one side of a diff of two configuration files: the config
// as the other commands read it, and the Options it decoded to.
type diffConfig struct {
	*config
	opts *secureheaders.Options
}

// serves reports whether c sets a serving option (https, trustedProxies,
// cookies, reports).
func (c *diffConfig) serves() bool {
	o := c.opts
	return !reflect.DeepEqual(o.HTTPS, secureheaders.HTTPSOptions{}) || len(o.TrustedProxies) > 0 ||
		!reflect.DeepEqual(o.Cookies, secureheaders.CookieOptions{}) || o.Reports != nil
}

// redirects reports whether c redirects plain HTTP at all.
func (c *diffConfig) redirects() bool {
	return c.opts.HTTPS.Redirect && !c.opts.HTTPS.Development
}

// bypass is a pattern the engine exempts from the redirect or the Host
// check, with the configuration path that puts it there.
type bypass struct{ pattern, from string }

// redirectBypasses returns the patterns c never redirects: its
// https.insecureBypassPatterns, https.skips (each as its patterns) and the
// routes with "redirect": false, as the engine joins them.
func (c *diffConfig) redirectBypasses() []bypass {
	var out []bypass
	for i, p := range c.opts.HTTPS.InsecureBypassPatterns {
		out = append(out, bypass{p, "https.insecureBypassPatterns" + pathIndex(i)})
	}
	for i, s := range c.opts.HTTPS.Skips {
		for _, p := range skipPatterns(s) {
			out = append(out, bypass{p, "https.skips" + pathIndex(i)})
		}
	}
	for _, r := range c.Routes {
		if r.SkipRedirect {
			out = append(out, bypass{r.Pattern, "routes." + r.Pattern + ".redirect"})
		}
	}
	return out
}

// hostBypasses returns the routes of c with "hostCheck": false.
func (c *diffConfig) hostBypasses() []bypass {
	var out []bypass
	for _, r := range c.Routes {
		if r.SkipHostCheck {
			out = append(out, bypass{r.Pattern, "routes." + r.Pattern + ".hostCheck"})
		}
	}
	return out
}

// bypassedBy returns the path of the first of bs whose pattern covers pat
// (patmux.Covers: every request pat matches, it matches, as the engine's
// bypass matcher sees it), or "".
func (c *diffConfig) bypassedBy(pat string, bs []bypass) string {
	for _, b := range bs {
		if patmux.Covers(b.pattern, pat) {
			return b.from
		}
	}
	return ""
}

// skipPatterns returns the ServeMux patterns of an https.skips entry, as
// the engine registers them: "/x" is "/x" and "/x/", "/x/" itself; '%',
// '{' and '}' are literal.
func skipPatterns(s string) []string {
	p := strings.NewReplacer("%", "%25", "{", "%7B", "}", "%7D").Replace(s)
	if strings.HasSuffix(p, "/") {
		return []string{p}
	}
	return []string{p, p + "/"}
}

// pathIndex writes "[i]".
func pathIndex(i int) string { return "[" + strconv.Itoa(i) + "]" }

// routeServing compares the redirect and the Host check of the requests
// the route pattern pat matches in a and in b. A change is listed when a
// route's flag (the route's own, or that of a route covering it) makes
// it; one made by an https list entry is listed with that entry instead.
func routeServing(a, b *diffConfig, pat string) []servingChange {
	var out []servingChange
	ra, rb := a.bypassedBy(pat, a.redirectBypasses()), b.bypassedBy(pat, b.redirectBypasses())
	if (ra == "") != (rb == "") && !strings.HasPrefix(ra+rb, "https.") {
		c := servingChange{Setting: "redirect", Before: state(ra, "redirected", "not redirected"), After: state(rb, "redirected", "not redirected")}
		switch {
		case !a.redirects() && !b.redirects():
		case rb != "":
			c.Effect = widens
			if b.redirects() {
				c.Risk = "its plain-HTTP requests are served over HTTP instead of redirected"
			}
		default:
			c.Effect = narrows
		}
		out = append(out, c)
	}
	ha, hb := a.bypassedBy(pat, a.hostBypasses()), b.bypassedBy(pat, b.hostBypasses())
	if (ha == "") != (hb == "") {
		c := servingChange{Setting: "hostCheck", Before: state(ha, "checked", "not checked"), After: state(hb, "checked", "not checked")}
		c.Effect = narrows
		if hb != "" {
			c.Effect = widens
			if len(b.opts.HTTPS.AllowedHosts) > 0 {
				c.Risk = "its requests are served whatever their Host, outside https.allowedHosts"
			}
		}
		out = append(out, c)
	}
	return out
}

// state describes a bypass: on when from is empty, else off with where.
func state(from, on, off string) string {
	if from == "" {
		return on
	}
	return off + " (" + from + ")"
}
