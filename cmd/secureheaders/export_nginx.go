package main

import (
	"cmp"
	"fmt"
	"regexp"
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
// The map reproduces the engine's choice of route (the most specific
// ServeMux pattern, see internal/patmux) with regular expressions tried in
// order, the first match winning: exact paths first (pages of -hashes
// before routes), then the path of each subtree or {$} route without its
// trailing slash (ServeMux redirects "/embed" to "/embed/", and the engine
// sends the route's headers with that redirect), then subtrees, longest
// first; for one path, a method before none. Every expression is anchored
// (\z, not $, which PCRE also matches before a final newline, as in a
// decoded "%0A") and case-sensitive (~, not ~*), like ServeMux.

// nginxEntry is one map entry: a request whose key matches, and no earlier
// entry's, gets the headers of b.
type nginxEntry struct {
	key    string // a regular expression valid in PCRE and in Go's RE2
	re     *regexp.Regexp
	b      block
	note   string   // the comment after the entry
	probes []string // requests that stand for every request the entry can get
}

// nginxSource is the map's source: the request's normalised path, with the
// method in front when a route names one.
type nginxSource struct{ methods []string }

func (s nginxSource) String() string {
	if len(s.methods) > 0 {
		return `"$request_method $uri"`
	}
	return "$uri"
}

// request writes a request as the source reads it.
func (s nginxSource) request(method, path string) string {
	if len(s.methods) > 0 {
		return method + " " + path
	}
	return path
}

// probeMethods returns one method for each way the keys can treat a
// request's method: every method a route names, HEAD (which "GET" also
// matches), and one that no route names.
func (s nginxSource) probeMethods(m string) []string {
	switch {
	case len(s.methods) == 0:
		return []string{""}
	case m == "":
		return append(slices.Clone(s.methods), "GET", "HEAD", "OTHER")
	case m == "GET":
		return []string{"GET", "HEAD"}
	}
	return []string{m}
}

func (s nginxSource) methodKey(m string) string {
	switch {
	case len(s.methods) == 0:
		return ""
	case m == "":
		return "[^ ]+ "
	case m == "GET":
		return "(?:GET|HEAD) "
	}
	return m + " " // letters only (staticMatch)
}

// pcreLiteral quotes path for a regular expression: a byte other than a
// letter, a digit or one of /-_~:@ is written as a one-byte class ("[.]"),
// which needs no backslash (nginx reads some backslash escapes itself) and
// means the same in PCRE and RE2. staticMatch lets through only bytes of
// isPathByte; others would be written \xHH.
func pcreLiteral(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("/-_~:@", c) >= 0:
			b.WriteByte(c)
		case c > ' ' && c < 0x7f && strings.IndexByte(`\]^"'$;{}`, c) < 0:
			b.WriteString("[" + string(c) + "]")
		default:
			fmt.Fprintf(&b, `\x%02x`, c)
		}
	}
	return b.String()
}

// nginxEntries returns the map entries of blocks[1:] in the order nginx
// must try them.
func nginxEntries(blocks []block) ([]nginxEntry, nginxSource) {
	var src nginxSource
	for _, b := range blocks[1:] {
		if m := b.match.method; m != "" && !slices.Contains(src.methods, m) {
			src.methods = append(src.methods, m)
		}
	}
	slices.Sort(src.methods)
	const (
		exactPage = iota
		exactRoute
		redirect
		subtree
	)
	type ranked struct {
		group int
		e     nginxEntry
	}
	var all []ranked
	add := func(group int, b block, path, note string) {
		key := "^" + src.methodKey(b.match.method) + pcreLiteral(path)
		probe := path
		if group == subtree {
			probe += "\x01" // a byte no route path holds: no longer route matches it
		} else {
			key += `\z`
		}
		e := nginxEntry{key: key, re: regexp.MustCompile(key), b: b, note: note}
		for _, m := range src.probeMethods(b.match.method) {
			e.probes = append(e.probes, src.request(m, probe))
		}
		all = append(all, ranked{group, e})
	}
	for _, b := range blocks[1:] {
		switch {
		case b.page:
			add(exactPage, b, b.match.path, b.where())
		case b.match.exact:
			add(exactRoute, b, b.match.path, b.where())
		default:
			add(subtree, b, b.match.path, b.where())
		}
		if !b.page && strings.HasSuffix(b.match.path, "/") && b.match.path != "/" {
			p := strings.TrimSuffix(b.match.path, "/")
			add(redirect, b, p, fmt.Sprintf("%s: ServeMux redirects %s to %s/", b.where(), p, p))
		}
	}
	slices.SortStableFunc(all, func(x, y ranked) int {
		return cmp.Or(cmp.Compare(x.group, y.group),
			-cmp.Compare(len(x.e.b.match.path), len(y.e.b.match.path)),
			strings.Compare(x.e.b.match.path, y.e.b.match.path),
			cmp.Compare(methodRank(x.e.b.match.method), methodRank(y.e.b.match.method)))
	})
	out := make([]nginxEntry, len(all))
	for i, r := range all {
		out[i] = r.e
	}
	return out, src
}

// methodRank orders the patterns of one path as ServeMux prefers them:
// HEAD and other methods, then GET (which also matches HEAD), then none.
func methodRank(m string) int {
	switch m {
	case "":
		return 2
	case "GET":
		return 1
	}
	return 0
}

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
func headerEntries(entries []nginxEntry, name, def string) []nginxEntry {
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
			if !kept[i].re.MatchString(req) || slices.ContainsFunc(kept[:i], func(e nginxEntry) bool { return e.re.MatchString(req) }) {
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
	entries, src := nginxEntries(blocks)
	type header struct {
		name, def string
		entries   []nginxEntry
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
