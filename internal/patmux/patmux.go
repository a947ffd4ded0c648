// Package patmux matches requests against a set of net/http ServeMux
// patterns as ServeMux would, without allocating for literal patterns. The
// engine uses it for its pattern routes and the HTTPS gate for its insecure
// bypass patterns.
package patmux

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Matcher finds which of its patterns a request matches, as
// http.ServeMux would. ServeMux.Handler allocates for every subtree pattern
// it tries, so literal patterns — an optional method, a path, an optional
// trailing "/" (subtree) or "{$}" — are matched here from a table, without
// allocating. Anything else (a host, a {wildcard}) sends every request to
// ServeMux, and so does any request ServeMux would treat specially (an
// unclean or escaped path, CONNECT, a path that ServeMux would redirect to
// add a slash). TestPatternMatcherAgreesWithServeMux and its fuzz target
// hold the two to the same answers.
//
// A Matcher is immutable and safe for concurrent use.
type Matcher struct {
	mux      *http.ServeMux
	simple   bool          // every pattern is literal: the table answers
	lits     []literalPath // literal patterns, most specific first
	patterns []string      // as given to New, by index
	// slashed holds every pattern path ending in "/" (subtree or {$}),
	// without that slash: ServeMux redirects a request for the path
	// without its slash, so such requests go to ServeMux. A slice
	// compared by length first: for the few patterns of an application
	// cheaper than hashing the request path for a map.
	slashed []string
	routes  map[string]int // pattern → index (ServeMux also has a catch-all)
}

type literalPath struct {
	method  string // "" for any method
	path    string
	subtree bool
	index   int // of the pattern in Matcher.patterns
}

// New returns a Matcher for patterns, which must all be registered in mux
// (Register), with a catch-all "/" registered too unless "/" is one of
// them: the catch-all spares ServeMux.Handler working out a 404 or 405
// (three allocations) for every request no pattern matches. Match reports
// only the given patterns; Index reports their position in patterns. mux
// must not change afterwards.
func New(mux *http.ServeMux, patterns []string) *Matcher {
	m := &Matcher{mux: mux, simple: true, patterns: slices.Clone(patterns), routes: map[string]int{}}
	for i, p := range patterns {
		m.routes[p] = i
		lit, ok := parseLiteralPattern(p, i)
		if !ok {
			m.simple = false
			continue
		}
		m.lits = append(m.lits, lit)
		if strings.HasSuffix(lit.path, "/") && !slices.Contains(m.slashed, lit.path[:len(lit.path)-1]) {
			m.slashed = append(m.slashed, lit.path[:len(lit.path)-1])
		}
	}
	// Most specific first: exact paths before subtrees, longer subtrees
	// before shorter ones, a method before none, HEAD before GET.
	slices.SortStableFunc(m.lits, func(a, b literalPath) int {
		if a.subtree != b.subtree {
			if a.subtree {
				return 1
			}
			return -1
		}
		if len(a.path) != len(b.path) {
			return len(b.path) - len(a.path)
		}
		return methodRank(a.method) - methodRank(b.method)
	})
	return m
}

func methodRank(m string) int {
	switch m {
	case "":
		return 2
	case http.MethodGet:
		return 1 // GET also matches HEAD, so HEAD is more specific
	}
	return 0
}

// parseLiteralPattern reads "[METHOD ]/path[/]" or "[METHOD ]/path/{$}".
func parseLiteralPattern(p string, index int) (literalPath, bool) {
	var lit literalPath
	lit.index = index
	rest := p
	if i := strings.IndexAny(p, " \t"); i >= 0 {
		lit.method, rest = p[:i], strings.TrimLeft(p[i:], " \t")
	}
	if !strings.HasPrefix(rest, "/") {
		return lit, false // a host pattern
	}
	if s, ok := strings.CutSuffix(rest, "/{$}"); ok {
		rest = s + "/"
	} else if strings.HasSuffix(rest, "/") {
		lit.subtree = true
	}
	if strings.ContainsAny(rest, "{}%") || !IsCleanPath(rest) {
		return lit, false
	}
	lit.path = rest
	return lit, true
}

// IsCleanPath reports whether ServeMux would use p as it is: it starts
// with "/" and has no empty, "." or ".." segment (a trailing "/" is kept by
// ServeMux, and "/" alone is clean). It is path.Clean(p) == p, but for the
// trailing slash, as one scan that never allocates
// (TestIsCleanPathAgreesWithClean and FuzzIsCleanPath hold it to that).
func IsCleanPath(p string) bool {
	if p == "" || p[0] != '/' {
		return false
	}
	seg := 1 // start of the current segment
	for i := 1; i <= len(p); i++ {
		if i < len(p) && p[i] != '/' {
			continue
		}
		switch s := p[seg:i]; {
		case s == "":
			if i < len(p) {
				return false // "//"
			}
		case s == "." || s == "..":
			return false
		}
		seg = i + 1
	}
	return true
}

// Match returns the pattern r goes to, or "" for none.
func (m *Matcher) Match(r *http.Request) string {
	if i := m.Index(r); i >= 0 {
		return m.patterns[i]
	}
	return ""
}

// Index returns the position in New's patterns of the pattern r goes to,
// or -1 for none. A literal request path costs one scan of the path and one
// pass over the literal patterns; it never allocates.
func (m *Matcher) Index(r *http.Request) int {
	if m.simple && r.URL != nil && r.URL.RawPath == "" && r.Method != http.MethodConnect {
		p := r.URL.Path
		if IsCleanPath(p) && !m.isSlashed(p) {
			return m.matchLiteral(r.Method, p)
		}
	}
	_, pattern := m.mux.Handler(r)
	if i, ok := m.routes[pattern]; ok {
		return i
	}
	return -1
}

// isSlashed reports whether p + "/" is the path of a pattern.
func (m *Matcher) isSlashed(p string) bool {
	for _, s := range m.slashed {
		if len(s) == len(p) && s == p {
			return true
		}
	}
	return false
}

func (m *Matcher) matchLiteral(method, p string) int {
	if method == "" {
		method = http.MethodGet
	}
	for i := range m.lits {
		l := &m.lits[i]
		if !(l.method == "" || l.method == method || l.method == http.MethodGet && method == http.MethodHead) {
			continue
		}
		if p == l.path || l.subtree && strings.HasPrefix(p, l.path) {
			return l.index
		}
	}
	return -1
}

// Register adds pattern to mux with handler h, turning ServeMux's panic on a
// bad or conflicting pattern into an error whose text is ServeMux's, without
// its leading `parsing "<pattern>": ` (the caller names the pattern) and
// without the "(registered at file:line)" of this library's call. It also
// refuses the wildcard syntax of other routers, which ServeMux would take as
// a literal path that never matches what the user meant (see Foreign).
//
// The error is a *PatternError.
func Register(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	if reason, fix := Foreign(pattern); reason != "" {
		return &PatternError{Reason: reason, Fix: fix}
	}
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if rest, ok := strings.CutPrefix(msg, "parsing "+strconv.Quote(pattern)+": "); ok {
				msg = rest
			}
			msg = dropRegisteredAt(msg)
			if strings.HasPrefix(msg, "pattern "+strconv.Quote(pattern)+" conflicts with pattern "+strconv.Quote(pattern)+":") {
				err = &PatternError{Reason: "pattern given twice", Fix: "keep one of them"}
				return
			}
			err = &PatternError{Reason: msg}
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

// PatternError is why Register refused a pattern, and how to write it when
// that is known.
type PatternError struct {
	Reason, Fix string
}

// Error returns the reason, then the fix in parentheses.
func (e *PatternError) Error() string {
	if e.Fix == "" {
		return e.Reason
	}
	return e.Reason + " (" + e.Fix + ")"
}

// dropRegisteredAt removes every " (registered at …)" from a ServeMux
// conflict message: the file and line are the library's, not the user's.
func dropRegisteredAt(msg string) string {
	const open = " (registered at "
	for {
		i := strings.Index(msg, open)
		if i < 0 {
			return strings.ReplaceAll(msg, ":\n", ": ")
		}
		j := strings.IndexByte(msg[i+len(open):], ')')
		if j < 0 {
			return msg
		}
		msg = msg[:i] + msg[i+len(open)+j+1:]
	}
}

// Foreign returns why pattern uses another router's syntax that ServeMux
// reads as literal text or refuses (chi's and gorilla's "*" and
// "{id:[0-9]+}", Express's and httprouter's ":slug"), and the ServeMux
// spelling; "" and "" for a pattern without such syntax.
func Foreign(pattern string) (reason, fix string) {
	p := pattern
	if i := strings.IndexAny(p, " \t"); i >= 0 {
		p = strings.TrimLeft(p[i:], " \t")
	}
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[i:]
	}
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		switch {
		case seg == "*" && i == len(segs)-1:
			return `"*" is another router's wildcard`, `ServeMux matches a subtree with a trailing "/": write "` + strings.Join(segs[:i], "/") + `/"`
		case strings.Contains(seg, "*"):
			return `"*" is another router's wildcard`, `ServeMux names one segment "{name}" and the rest of the path "{name...}"`
		case strings.HasPrefix(seg, ":") && len(seg) > 1:
			return `"` + seg + `" is another router's parameter`, `ServeMux writes it "{` + seg[1:] + `}"`
		case strings.HasPrefix(seg, "{") && strings.Contains(seg, ":"):
			name, _, _ := strings.Cut(seg[1:], ":")
			return `"` + seg + `" is another router's regular-expression parameter`, `ServeMux has none: write "{` + name + `}" and check the value in the handler`
		}
	}
	return "", ""
}
