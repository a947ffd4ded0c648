package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/policy"
)

// staticFormats are the formats for servers that send fixed strings: they
// cannot fill in a per-request nonce.
var staticFormats = map[string]*staticFormat{
	"nginx":   {name: "nginx", quote: quoteNginx, write: writeNginx, methods: true},
	"caddy":   {name: "Caddy", quote: quoteCaddy, write: writeCaddy},
	"apache":  {name: "Apache", quote: quoteApache, write: writeApache},
	"netlify": {name: "_headers", quote: quoteNetlify, write: writeNetlify},
}

type staticFormat struct {
	name string
	// quote renders a header value as the format needs it, or says why the
	// value cannot be written safely.
	quote func(v string) (string, error)
	write func(e *exporter, blocks []block)
	// methods is true for a format that can match the method of a route
	// pattern ("GET /api/").
	methods bool
}

// exporter collects a static configuration and every problem found while
// writing it; nothing is printed when there is a problem.
type exporter struct {
	format       *staticFormat
	secure       bool
	nonceComment bool
	nginxPart    string // "", "http" or "server": which include of the nginx export
	out          strings.Builder
	errs         []error
}

// exportStatic renders blocks (the app block first) in format e.format.
func exportStatic(e *exporter, blocks []block) (string, error) {
	f := e.format
	for i := range blocks {
		blocks[i] = e.prepare(blocks[i])
	}
	if len(e.errs) == 0 {
		f.write(e, blocks)
	}
	if len(e.errs) > 0 {
		return "", errors.Join(e.errs...)
	}
	return e.out.String(), nil
}

// prepare checks every value of b: a nonce slot is an error (or, with
// -nonce-comment, a comment), a value the format cannot quote is an error.
func (e *exporter) prepare(b block) block {
	var keep []policy.Field
	for _, f := range b.fields {
		if err := headerval.CheckValue(f.Value); err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s: %s: %v", b.where(), f.Name, err))
			continue
		}
		if len(f.Parts) > 1 {
			if !e.nonceComment {
				e.errs = append(e.errs, fmt.Errorf("%s: %s needs a per-request nonce, which a static %s config cannot generate (serve it through the secureheaders middleware, allow inline code by hash with csp.HashSource instead of 'nonce', or pass -nonce-comment to write it as a comment)", b.where(), f.Name, e.format.name))
				continue
			}
			f.Name = "#" + f.Name // written as a comment, never sent
			keep = append(keep, f)
			continue
		}
		if _, err := e.format.quote(f.Value); err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s: %s: %v", b.where(), f.Name, err))
			continue
		}
		keep = append(keep, f)
	}
	b.fields = keep
	return b
}

// sent returns the fields of b that are sent (not commented out).
func sent(b block) []policy.Field {
	var out []policy.Field
	for _, f := range b.fields {
		if !strings.HasPrefix(f.Name, "#") {
			out = append(out, f)
		}
	}
	return out
}

// lines writes b's fields, one per line, with line(name, quoted value), and
// each commented field as a comment.
func (e *exporter) lines(b block, indent string, line func(name, value string) string) {
	for _, f := range b.fields {
		if name, ok := strings.CutPrefix(f.Name, "#"); ok {
			fmt.Fprintf(&e.out, "%s# %s is not sent: it needs a per-request nonce. It would be: %s\n", indent, name, f.Value)
			continue
		}
		v, _ := e.format.quote(f.Value) // checked by prepare
		e.out.WriteString(indent + line(f.Name, v) + "\n")
	}
}

// intro writes the comment at the top of every static export.
func (e *exporter) intro(lines ...string) {
	which := "HTTPS responses"
	if !e.secure {
		which = "plain-HTTP responses (no Strict-Transport-Security, no upgrade-insecure-requests)"
	}
	fmt.Fprintf(&e.out, "# Security headers for %s, written by secureheaders render.\n", which)
	for _, l := range lines {
		e.out.WriteString("# " + l + "\n")
	}
}

// quoteNginx writes v in double quotes. nginx reads \" and \\ as escapes in
// a quoted string, and '$' as the start of a variable, which has no escape.
func quoteNginx(v string) (string, error) {
	if strings.Contains(v, "$") {
		return "", errors.New(`the value holds '$', which nginx would read as a variable and cannot escape; remove it from the policy or write this header by hand with a geo/map variable`)
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`, nil
}

// quoteCaddy writes v in double quotes. The Caddyfile reads \" as an escape,
// keeps other backslashes (so a trailing one would eat the closing quote),
// and replaces {placeholders} in header values.
func quoteCaddy(v string) (string, error) {
	if strings.ContainsAny(v, `\{}`) {
		return "", errors.New(`the value holds '\', '{' or '}', which Caddy reads as an escape or a placeholder; remove it from the policy or write this header by hand`)
	}
	return `"` + strings.ReplaceAll(v, `"`, `\"`) + `"`, nil
}

// quoteApache writes v in double quotes. Apache reads \" as an escape and
// mod_headers reads '%' as a format specifier (%% is a literal percent).
func quoteApache(v string) (string, error) {
	if strings.Contains(v, `\`) {
		return "", errors.New(`the value holds '\', which Apache and mod_headers may read as an escape; remove it from the policy or write this header by hand`)
	}
	return `"` + strings.NewReplacer(`"`, `\"`, `%`, `%%`).Replace(v) + `"`, nil
}

// quoteNetlify returns v as it is: a _headers line is "Name: value" to the
// end of the line, and values never hold a line break (CheckValue).
func quoteNetlify(v string) (string, error) { return v, nil }

// caddyRegexp joins the keys of entries into one path_regexp argument.
// Caddy's regular expressions are Go's, where $ ends the text only, so \z
// is written $ (the Caddyfile would keep a backslash, and quoteCaddy
// refuses one).
func caddyRegexp(entries []routeEntry) string {
	alts := make([]string, len(entries))
	for i, en := range entries {
		alts[i] = strings.ReplaceAll(strings.TrimPrefix(en.key, "^"), `\z`, "$")
	}
	q, _ := quoteCaddy("^(?:" + strings.Join(alts, "|") + ")") // paths of isPathByte only
	return q
}

// overlaps reports whether a request en gets could also match one of own
// (checked on en's probes, which stand for every request it gets).
func overlaps(own []routeEntry, en routeEntry) bool {
	for _, o := range own {
		for _, p := range en.probes {
			if o.re.MatchString(p) {
				return true
			}
		}
	}
	return false
}

// writeCaddy writes one named matcher per block, matching the requests
// whose first entry of the route order (routeEntries) is the block's: its
// own expressions, minus those of the other blocks tried before its last
// one that overlap them. Caddy's path_regexp is case-sensitive, unlike its path matcher, and
// matches the path Caddy has cleaned (decoded, slashes merged, dot segments
// resolved), as nginx's $uri.
func writeCaddy(e *exporter, blocks []block) {
	e.intro("Put these lines inside the site block that serves HTTPS.")
	field := func(name, v string) string { return name + " " + v }
	if len(blocks) == 1 {
		e.out.WriteString("header {\n")
		e.lines(blocks[0], "\t", field)
		e.out.WriteString("}\n")
		return
	}
	entries, _ := routeEntries(blocks)
	e.out.WriteString("# Each request matches exactly one matcher below, the route the secureheaders engine\n# picks for its path (case-sensitive), so a route gets its own whole set.\n")
	for i, b := range blocks {
		var own, before []routeEntry
		last := len(entries) // the app: every entry is tried before it
		if i > 0 {
			for j, en := range entries {
				if en.block == i {
					own = append(own, en)
					last = j
				}
			}
		}
		for _, en := range entries[:last] {
			if en.block != i && (i == 0 || overlaps(own, en)) {
				before = append(before, en)
			}
		}
		name := "@secureheaders_app"
		if i > 0 {
			name = fmt.Sprintf("@secureheaders_route%d", i)
		}
		fmt.Fprintf(&e.out, "\n# %s\n%s {\n", b.where(), name)
		if len(own) > 0 {
			e.out.WriteString("\tpath_regexp " + caddyRegexp(own) + "\n")
		}
		if len(before) > 0 {
			e.out.WriteString("\tnot path_regexp " + caddyRegexp(before) + "\n")
		}
		e.out.WriteString("}\n")
		if len(b.fields) == 0 {
			e.out.WriteString("# This route sends none of the headers.\n")
			continue
		}
		e.out.WriteString("header " + name + " {\n")
		e.lines(b, "\t", field)
		e.out.WriteString("}\n")
	}
}

// writeApache writes one <LocationMatch> per route. Apache applies every
// matching section, in the order written, and each sets its route's whole
// set (unsetting what it does not send), so the last matching section wins:
// the sections are the route order of routeEntries reversed, a block placed
// by its last entry there (a subtree route with the redirect of its path
// without the slash, /embed, written with it). The expressions are those of
// nginx's map: anchored with \z, case-sensitive like Apache's matching of
// URL paths.
func writeApache(e *exporter, blocks []block) {
	e.intro(
		"Put these lines in the <VirtualHost> that serves HTTPS; they need mod_headers.",
		"Apache applies every matching <LocationMatch> in the order written, least specific",
		"first here, so each one sets its route's whole set and unsets what it does not send.",
	)
	set := func(name, v string) string { return "Header always set " + name + " " + v }
	e.lines(blocks[0], "", set)
	entries, _ := routeEntries(blocks)
	last := make([]int, len(blocks))
	for j, en := range entries {
		last[en.block] = j
	}
	order := make([]int, 0, len(blocks)-1)
	for i := 1; i < len(blocks); i++ {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(x, y int) int { return last[y] - last[x] })
	all := allNames(blocks)
	for _, i := range order {
		b := blocks[i]
		var alts []string
		for _, en := range entries {
			if en.block == i {
				alts = append(alts, strings.TrimPrefix(en.key, "^"))
			}
		}
		fmt.Fprintf(&e.out, "\n# %s\n<LocationMatch \"^(?:%s)\">\n", b.where(), strings.Join(alts, "|"))
		e.lines(b, "\t", set)
		sends := names(sent(b))
		for _, n := range all {
			if !slices.Contains(sends, n) && !strings.HasPrefix(n, "#") {
				e.out.WriteString("\tHeader always unset " + n + "\n")
			}
		}
		e.out.WriteString("</LocationMatch>\n")
	}
}

func netlifyPath(m pathMatch) string {
	if m.exact {
		return m.path
	}
	return m.path + "*"
}

// writeNetlify writes a _headers file. Such a file sends the headers of
// every rule whose path matches, joining the values of a header named by
// several rules; it cannot remove or replace a header a wider rule sets. So
// a route may only add headers, and writeNetlify refuses one that changes or
// removes a header of the app (or of a wider route).
func writeNetlify(e *exporter, blocks []block) {
	e.intro(
		"Save as _headers in the publish directory (Netlify, Cloudflare Pages). Every rule",
		"whose path matches applies, so a route below only adds headers to /*.",
	)
	line := func(name, v string) string { return name + ": " + v }
	e.out.WriteString("/*\n")
	e.lines(blocks[0], "  ", line)
	// adds holds, per route, the headers it sends that no wider rule
	// already sends with the same value; blocks are ordered wider first.
	adds := map[string][]policy.Field{"": sent(blocks[0])}
	covering := func(r block) []block {
		var out []block
		for _, b := range blocks {
			if b.pattern == "" || b.pattern != r.pattern && b.match.contains(r.match) {
				out = append(out, b)
			}
		}
		return out
	}
	for _, r := range blocks[1:] {
		// What a _headers file sends for r's paths: every matching rule.
		got := map[string][]string{}
		for _, b := range covering(r) {
			for _, f := range adds[b.pattern] {
				got[f.Name] = append(got[f.Name], f.Value)
			}
		}
		for _, f := range sent(r) {
			if !slices.Contains(got[f.Name], f.Value) {
				adds[r.pattern] = append(adds[r.pattern], f)
				got[f.Name] = append(got[f.Name], f.Value)
			}
		}
		want := map[string]string{}
		for _, f := range sent(r) {
			want[f.Name] = f.Value
		}
		for _, n := range allNames(blocks) {
			vs, w := got[n], want[n]
			switch {
			case len(vs) > 0 && w == "":
				e.errs = append(e.errs, fmt.Errorf("%s: removes %s, but a _headers file cannot remove a header that a wider rule sets (serve this path's headers from the app, or keep the header)", r.where(), n))
			case len(vs) > 1 || len(vs) == 1 && vs[0] != w:
				e.errs = append(e.errs, fmt.Errorf("%s: changes %s, but a _headers file applies every matching rule, not only the most specific one (Cloudflare Pages joins the values with a comma) (serve this path's headers from the app, or make the route only add headers)", r.where(), n))
			}
		}
		fmt.Fprintf(&e.out, "\n# %s\n", r.where())
		add := r
		add.fields = adds[r.pattern]
		for _, f := range r.fields {
			if strings.HasPrefix(f.Name, "#") {
				add.fields = append(add.fields, f)
			}
		}
		if len(add.fields) == 0 {
			e.out.WriteString("# (adds nothing to /*)\n")
			continue
		}
		e.out.WriteString(netlifyPath(r.match) + "\n")
		e.lines(add, "  ", line)
	}
}
