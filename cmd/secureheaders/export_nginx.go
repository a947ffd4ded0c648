package main

import (
	"fmt"
	"slices"
	"strings"
)

// The nginx export sets every header with one add_header line at server
// level, so it is included as it is next to the site's own location blocks.
// A header whose value depends on the path gets its value from a map over
// $uri (or "$request_method $uri" when a route names a method): a map is
// allowed only in the http block, hence the two includes of -nginx-part.
// nginx sends no header whose value is empty, so a route that does not send
// a header maps it to "".
//
// The map's entries are the route order of routeEntries, each a
// case-sensitive regular expression (~, not ~*; an exact string key would
// be compared ignoring case) anchored with \z (not $, which PCRE also
// matches before a final newline, as in a decoded "%0A").

// sentValue returns the value b sends for header name, "" when it sends
// none (nginx then sends nothing).
func sentValue(b block, name string) string {
	for _, f := range b.fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// headerEntries returns the entries a map for header name needs, with
// def its default (the app's value). Entry i is left out when every
// request it would be first to match gets the same value from the entries
// after it (or the default), checked on its probes.
func headerEntries(entries []routeEntry, name, def string) []routeEntry {
	kept := slices.Clone(entries)
	valueAfter := func(i int, req string) string {
		for _, e := range kept[i+1:] {
			if e.re.MatchString(req) {
				return sentValue(e.b, name)
			}
		}
		return def
	}
	for i := len(kept) - 1; i >= 0; i-- {
		needed := false
		for _, req := range kept[i].probes {
			if !kept[i].re.MatchString(req) || slices.ContainsFunc(kept[:i], func(e routeEntry) bool { return e.re.MatchString(req) }) {
				continue // not a request this entry gets
			}
			if valueAfter(i, req) != sentValue(kept[i].b, name) {
				needed = true
				break
			}
		}
		if !needed {
			kept = slices.Delete(kept, i, i+1)
		}
	}
	return kept
}

// nginxVar names the map variable of a header.
func nginxVar(name string) string {
	return "$sh_" + strings.ReplaceAll(strings.ToLower(name), "-", "_")
}

func writeNginx(e *exporter, blocks []block) {
	entries, src := routeEntries(blocks)
	type header struct {
		name, def string
		entries   []routeEntry
	}
	var headers []header
	for _, n := range allNames(blocks) {
		if strings.HasPrefix(n, "#") {
			continue
		}
		h := header{name: n, def: sentValue(blocks[0], n)}
		h.entries = headerEntries(entries, n, h.def)
		headers = append(headers, h)
	}
	maps := slices.ContainsFunc(headers, func(h header) bool { return len(h.entries) > 0 })
	q := func(v string) string {
		s, _ := quoteNginx(v) // checked by prepare
		return s
	}
	switch {
	case maps && e.nginxPart == "":
		what := "routes"
		if slices.ContainsFunc(blocks, func(b block) bool { return b.page }) {
			what = "pages"
		}
		e.errs = append(e.errs, fmt.Errorf("the %s change headers by path, which nginx expresses with map blocks, allowed only in the http block: write two includes, render -nginx-part http (include it in http {}) and render -nginx-part server (include it in the server block that serves HTTPS)", what))
		return
	case e.nginxPart == "http":
		e.intro(
			"-nginx-part http: include this file in the http block (map is allowed only there),",
			"and the -nginx-part server file in the server block.",
			"Each map gives one header's value by path, as the secureheaders engine picks a route:",
			"the first expression that matches wins, case-sensitive and anchored; \"\" sends no header.",
			"$uri is the path nginx serves: decoded (%2F is a slash), slashes merged, dot segments",
			"resolved, and the index file's path after an internal redirect to it (docs/exporting.md).",
		)
		if !maps {
			e.out.WriteString("# No header changes by path: there is nothing to include in the http block.\n")
		}
		for _, h := range headers {
			if len(h.entries) == 0 {
				continue
			}
			fmt.Fprintf(&e.out, "\nmap %s %s {\n\tdefault %s;\n", src, nginxVar(h.name), q(h.def))
			for _, en := range h.entries {
				fmt.Fprintf(&e.out, "\t%s %s; # %s\n", q("~"+en.key), q(sentValue(en.b, h.name)), en.note)
			}
			e.out.WriteString("}\n")
		}
		return
	}
	lines := []string{
		"Put these lines in the server block that serves HTTPS (listen 443 ssl), and again in",
		"each of its locations that has add_header lines of its own: nginx gives a location",
		"the server's add_header lines only when it has none.",
	}
	if e.nginxPart == "server" {
		lines[0] = "-nginx-part server: include this file in the server block that serves HTTPS, and again in"
		if maps {
			lines = append(lines, "The $sh_ variables are the maps of the -nginx-part http file, included in the http block.")
		}
	}
	e.intro(lines...)
	for _, b := range blocks {
		for _, f := range b.fields {
			if n, ok := strings.CutPrefix(f.Name, "#"); ok {
				fmt.Fprintf(&e.out, "# %s: %s is not sent: it needs a per-request nonce. It would be: %s\n", b.where(), n, f.Value)
			}
		}
	}
	for _, h := range headers {
		v := q(h.def)
		if len(h.entries) > 0 {
			v = nginxVar(h.name)
		} else if h.def == "" {
			continue
		}
		e.out.WriteString("add_header " + h.name + " " + v + " always;\n")
	}
}
