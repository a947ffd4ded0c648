package main

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The nginx, Caddy and Apache exports reproduce the engine's choice of route (the
// most specific ServeMux pattern, see internal/patmux) with regular
// expressions tried in order, the first match winning: exact paths first
// (pages of -hashes before routes), then the path of each subtree or {$}
// route without its trailing slash (ServeMux redirects "/embed" to
// "/embed/", and the engine sends the route's headers with that redirect),
// then subtrees, longest first; for one path, a method before none. Every
// expression is anchored (^ and \z) and case-sensitive, like ServeMux; it
// is written with one-byte classes ("[.]") rather than backslashes, so that
// it reads the same in PCRE (nginx, Apache) and RE2 (Caddy, and the tests).

// routeEntry is one expression of the route order: a request whose key
// matches, and no earlier entry's, gets the headers of b.
type routeEntry struct {
	key    string // a regular expression valid in PCRE and in Go's RE2
	re     *regexp.Regexp
	b      block
	block  int      // b's index in the blocks given to routeEntries
	note   string   // the comment after the entry
	probes []string // requests that stand for every request the entry can get
}

// entrySource is what the expressions are matched against: the request's
// normalised path, with the method in front when a route names one (only
// the nginx map can read the method).
type entrySource struct{ methods []string }

func (s entrySource) String() string {
	if len(s.methods) > 0 {
		return `"$request_method $uri"`
	}
	return "$uri"
}

// request writes a request as the source reads it.
func (s entrySource) request(method, path string) string {
	if len(s.methods) > 0 {
		return method + " " + path
	}
	return path
}

// probeMethods returns one method for each way the keys can treat a
// request's method: every method a route names, HEAD (which "GET" also
// matches), and one that no route names.
func (s entrySource) probeMethods(m string) []string {
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

func (s entrySource) methodKey(m string) string {
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

// routeEntries returns the entries of blocks[1:] (blocks[0], the app, is
// what a request matching none gets) in the route order above, and what
// they are matched against.
func routeEntries(blocks []block) ([]routeEntry, entrySource) {
	var src entrySource
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
		e     routeEntry
	}
	var all []ranked
	add := func(group int, i int, b block, path, note string) {
		key := "^" + src.methodKey(b.match.method) + pcreLiteral(path)
		probe := path
		if group == subtree {
			probe += "\x01" // a byte no route path holds: no longer route matches it
		} else {
			key += `\z`
		}
		e := routeEntry{key: key, re: regexp.MustCompile(key), b: b, block: i, note: note}
		for _, m := range src.probeMethods(b.match.method) {
			e.probes = append(e.probes, src.request(m, probe))
		}
		all = append(all, ranked{group, e})
	}
	for i, b := range blocks {
		switch {
		case i == 0:
			continue // the app: the default
		case b.page:
			add(exactPage, i, b, b.match.path, b.where())
		case b.match.exact:
			add(exactRoute, i, b, b.match.path, b.where())
		default:
			add(subtree, i, b, b.match.path, b.where())
		}
		if !b.page && strings.HasSuffix(b.match.path, "/") && b.match.path != "/" {
			p := strings.TrimSuffix(b.match.path, "/")
			add(redirect, i, b, p, fmt.Sprintf("%s: ServeMux redirects %s to %s/", b.where(), p, p))
		}
	}
	slices.SortStableFunc(all, func(x, y ranked) int {
		return cmp.Or(cmp.Compare(x.group, y.group),
			-cmp.Compare(len(x.e.b.match.path), len(y.e.b.match.path)),
			strings.Compare(x.e.b.match.path, y.e.b.match.path),
			cmp.Compare(methodRank(x.e.b.match.method), methodRank(y.e.b.match.method)))
	})
	out := make([]routeEntry, len(all))
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
