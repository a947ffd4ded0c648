package main

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

// block is one header set to export: the app's (pattern "") or one config
// route's.
type block struct {
	pattern string
	page    bool // an HTML page of render -hashes (pattern is its path)
	match   pathMatch
	fields  []policy.Field
}

// where names the block in error messages and comments.
func (b block) where() string {
	if b.pattern == "" {
		return "app policy"
	}
	if b.page {
		return "page " + b.pattern
	}
	return fmt.Sprintf("route %q", b.pattern)
}

// pathMatch is what a static server can match: one exact path, or every path
// under a prefix ending in "/", for every method or for one (nginx only).
type pathMatch struct {
	method string // "" for every method; "GET" also matches HEAD, as in ServeMux
	path   string
	exact  bool
}

// contains reports whether m is a prefix match that includes every path of
// o, o being a different, more specific match.
func (m pathMatch) contains(o pathMatch) bool {
	if m.exact {
		return false
	}
	return strings.HasPrefix(o.path, m.path) && (o.path != m.path || o.exact)
}

// compileFields compiles p and returns the fields of one variant.
func compileFields(p policy.Policy, secure bool) ([]policy.Field, error) {
	set, err := render.Compile(p)
	if err != nil {
		return nil, err
	}
	return set.Fields(secure), nil
}

// appBlocks returns the app block and one block per config route, routes
// ordered from the least to the most specific path (then by pattern). With
// static non-nil, route patterns must be ones that static server can match.
func appBlocks(cfg *config, secure bool, static *staticFormat) ([]block, error) {
	fields, err := compileFields(cfg.Policy, secure)
	if err != nil {
		return nil, err
	}
	blocks := []block{{match: pathMatch{path: "/"}, fields: fields}}
	var errs []error
	for _, r := range cfg.Routes {
		b := block{pattern: r.Pattern}
		if static != nil {
			if b.match, err = staticMatch(r.Pattern); err == nil && b.match.method != "" && !static.methods {
				err = fmt.Errorf("a static %s config cannot match the method %q; drop the method from the pattern, or render this route alone with -route and place its headers by hand", static.name, b.match.method)
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %v", b.where(), err))
				continue
			}
		}
		p, err := cfg.routePolicy(r)
		if err == nil {
			b.fields, err = compileFields(p, secure)
		}
		if err != nil {
			for e := range policy.AllErrors(err) {
				errs = append(errs, fmt.Errorf("%s: %v", b.where(), e))
			}
			continue
		}
		blocks = append(blocks, b)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	slices.SortStableFunc(blocks[1:], func(a, b block) int {
		return cmp.Or(cmp.Compare(len(a.match.path), len(b.match.path)), boolCompare(a.match.exact, b.match.exact), strings.Compare(a.pattern, b.pattern))
	})
	return blocks, nil
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// staticMatch turns a net/http ServeMux pattern into a path match, or says
// why a static server cannot reproduce it. Supported: "/exact",
// "/prefix/", "/path/{$}" (exact) and "/prefix/{rest...}" (prefix), each
// with an optional method of letters ("GET /api/").
func staticMatch(pattern string) (pathMatch, error) {
	var method string
	if i := strings.IndexAny(pattern, " \t"); i >= 0 {
		method, pattern = pattern[:i], strings.TrimLeft(pattern[i:], " \t")
		if strings.IndexFunc(method, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') }) >= 0 {
			return pathMatch{}, fmt.Errorf("the method %q is not exported (only letters); render this route alone with -route and place its headers by hand", method)
		}
	}
	if !strings.HasPrefix(pattern, "/") {
		return pathMatch{}, errors.New("a static config cannot match a host in a route pattern (ServeMux compares hosts as written, nginx lowercases them); render this route alone with -route and put it in that host's server block")
	}
	m := pathMatch{path: pattern}
	if p, ok := strings.CutSuffix(pattern, "{$}"); ok && strings.HasSuffix(p, "/") {
		m = pathMatch{path: p, exact: true}
	} else if i := strings.LastIndex(pattern, "/{"); i >= 0 && strings.HasSuffix(pattern, "...}") {
		m = pathMatch{path: pattern[:i+1]}
	} else {
		m.exact = !strings.HasSuffix(pattern, "/")
	}
	m.method = method
	if strings.ContainsAny(m.path, "{}") {
		return pathMatch{}, errors.New("a {wildcard} segment is not exported (the static exports match literal paths, subtrees and {$} only); render this route alone with -route and place its headers by hand")
	}
	for i := 0; i < len(m.path); i++ {
		if c := m.path[i]; !isPathByte(c) {
			return pathMatch{}, fmt.Errorf("byte %q in the path is not exported (only letters, digits and -._~/:@+)", c)
		}
	}
	return m, nil
}

func isPathByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/:@+", c) >= 0
}

// names returns the header names of fields.
func names(fields []policy.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// allNames returns every header name any block sends, in first-seen order.
func allNames(blocks []block) []string {
	var out []string
	for _, b := range blocks {
		for _, f := range b.fields {
			if !slices.Contains(out, f.Name) {
				out = append(out, f.Name)
			}
		}
	}
	return out
}
