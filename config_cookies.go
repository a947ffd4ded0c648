package secureheaders

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/jsontree"
)

// cookies decodes the "cookies" object: {"secure": b, "httpOnly": b,
// "sameSite": "Lax", "rules": [{"names": […], "secure": b, "httpOnly": b,
// "sameSite": "Strict", "skip": b}, …]}, or v0.1's "only" or "except"
// (shorthands for one rule, which the engine checks).
func (d *decoder) cookies(n *jsontree.Node) CookieOptions {
	var c CookieOptions
	f := d.section(n, cookiesKeys, `write {"secure": true, "httpOnly": true, "sameSite": "Lax"}`)
	for _, m := range f {
		v := m.Value
		switch m.Key {
		case "secure":
			c.Secure = d.boolean(v)
		case "httpOnly":
			c.HTTPOnly = d.boolean(v)
		case "sameSite":
			c.SameSite = d.sameSite(v)
		case "rules":
			c.Rules = d.cookieRules(v)
		case "only":
			c.Only = d.strings(v, `write ["session"]`)
		case "except":
			c.Except = d.strings(v, `write ["theme"]`)
		}
	}
	return c
}

// cookieRules decodes the "rules" list.
func (d *decoder) cookieRules(n *jsontree.Node) []CookieRule {
	const fix = `write [{"names": ["_session"], "secure": true, "httpOnly": true, "sameSite": "Strict"}]`
	if n.Kind != jsontree.Array {
		d.wrongKind(n, "a list of rules", fix)
		return nil
	}
	var out []CookieRule
	for _, e := range n.Elems {
		before := len(d.errs)
		f := d.section(e, cookieRuleKeys, fix)
		if f == nil {
			continue
		}
		var r CookieRule
		for _, m := range f {
			v := m.Value
			switch m.Key {
			case "names":
				r.Names = d.strings(v, `write ["_session"] or ["__Host-*"]`)
			case "secure":
				r.Secure = d.boolean(v)
			case "httpOnly":
				r.HTTPOnly = d.boolean(v)
			case "sameSite":
				r.SameSite = d.sameSite(v)
			case "skip":
				r.Skip = d.boolean(v)
			}
		}
		if len(d.errs) == before {
			// A rule that failed to decode is left out whole, so the
			// engine's checks do not report it again as half a rule.
			out = append(out, r)
		}
	}
	return out
}

// sameSite reads "Lax", "Strict" or "None".
func (d *decoder) sameSite(v *jsontree.Node) http.SameSite {
	const fix = `use "Lax", "Strict" or "None"`
	switch s := d.str(v, fix); s {
	case "":
	case "Lax":
		return http.SameSiteLaxMode
	case "Strict":
		return http.SameSiteStrictMode
	case "None":
		return http.SameSiteNoneMode
	default:
		if v.Kind == jsontree.String {
			fix := fix
			for _, m := range []string{"Lax", "Strict", "None"} {
				if strings.EqualFold(s, m) {
					fix = "did you mean " + strconv.Quote(m) + "? values are case-sensitive"
				}
			}
			d.add(v.Path, s, "unknown value", fix)
		}
	}
	return 0
}
