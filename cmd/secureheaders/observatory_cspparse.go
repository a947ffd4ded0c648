package main

import (
	"errors"
	"net/url"
	"slices"
	"strings"
)

// errCSPSyntax is what parseCSPLikeObservatory refuses.
var errCSPSyntax = errors.New("CSP cannot be parsed")

// shortestPolicy is the length under which the Observatory refuses a
// policy: "img-src" less one.
const shortestPolicy = len("img-src") - 1

// cspSource is one source of one policy while policies are combined.
type cspSource struct {
	text   string
	policy int
	keep   bool
}

// parseCSPLikeObservatory reads Content-Security-Policy values (the header,
// then each <meta> policy) as the Observatory does, into one policy:
//
//   - Directive names and sources are lower-cased; a -src directive without
//     sources is 'none'.
//   - A policy shorter than shortestPolicy, or that repeats a directive other
//     than report-uri and report-to, is an error; a repeated report-uri or
//     report-to is kept once, and dup says so.
//   - Within one policy a source that extends another of the same directive
//     ("https://a.example/x" after "https://a.example/") is dropped.
//   - With several policies, a directive of the first keeps its sources
//     unless a later policy names it too; then only the sources that a
//     later one repeats, or narrows by path, are kept (the one sorted
//     last of each such pair), and a directive that only a later policy
//     names is 'none'. Pairs are sorted by bytes where the Observatory uses
//     an English collation: the two orders differ only for sources that
//     differ in punctuation or case, which do not match anyway.
//
// It returns a nil map for values with no directive.
func parseCSPLikeObservatory(values []string) (csp map[string]sourceSet, dup bool, err error) {
	values = slices.Clone(values)
	combined := map[string][]*cspSource{}
	for i, v := range values {
		v = strings.TrimSpace(strings.NewReplacer("\r", "", "\n", "").Replace(v))
		if len(v) < shortestPolicy {
			return nil, false, errCSPSyntax
		}
		values[i] = v
	}
	for pi, v := range values {
		seen := map[string]bool{}
		for d := range strings.SplitSeq(v, ";") {
			f := strings.Fields(d)
			if len(f) == 0 {
				continue
			}
			name := strings.ToLower(f[0])
			if seen[name] {
				if name != "report-uri" && name != "report-to" {
					return nil, false, errCSPSyntax
				}
				dup = true
			}
			seen[name] = true
			var srcs []*cspSource
			for _, s := range f[1:] {
				srcs = append(srcs, &cspSource{text: strings.ToLower(s), policy: pi, keep: pi == 0})
			}
			if len(srcs) == 0 && strings.HasSuffix(name, "-src") {
				srcs = append(srcs, &cspSource{text: "'none'", policy: pi, keep: pi == 0})
			}
			if pi > 0 {
				srcs = append(slices.Clone(combined[name]), srcs...)
			}
			slices.SortStableFunc(srcs, func(a, b *cspSource) int { return strings.Compare(a.text, b.text) })
			for j := 1; j < len(srcs); j++ {
				cur, prev := srcs[j], srcs[j-1]
				if cur.policy == prev.policy && strings.HasPrefix(cur.text, prev.text) {
					cur.keep = false
				}
				if cur.policy != prev.policy {
					m, err := pathPartMatch(prev.text, cur.text)
					if err != nil {
						return nil, false, errCSPSyntax
					}
					if m {
						cur.keep = true
					}
				}
			}
			srcs = slices.DeleteFunc(srcs, func(s *cspSource) bool { return !s.keep })
			combined[name] = srcs
			if pi == 0 && len(values) > 1 {
				for _, s := range srcs {
					s.keep = false
				}
			}
		}
	}
	for name, srcs := range combined {
		if csp == nil {
			csp = map[string]sourceSet{}
		}
		set := sourceSet{}
		for _, s := range srcs {
			set[s.text] = true
		}
		if len(set) == 0 {
			set["'none'"] = true
		}
		csp[name] = set
	}
	return csp, dup, nil
}

// pathPartMatch reports whether source b matches source a path-wise: the
// same, or, when a ends in "/", within it (each "/"-separated part
// percent-decoded). A part that does not decode is an error, as the
// Observatory's decodeURIComponent throws.
func pathPartMatch(a, b string) (bool, error) {
	switch {
	case a == "":
		return true, nil
	case a == "/" && b == "":
		return true, nil
	}
	exact := !strings.HasSuffix(a, "/")
	pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
	if len(pa) > len(pb) || exact && len(pa) != len(pb) {
		return false, nil
	}
	if !exact {
		pa = pa[:len(pa)-1]
	}
	for i := range pa {
		x, err := url.PathUnescape(pa[i])
		if err != nil {
			return false, err
		}
		y, err := url.PathUnescape(pb[i])
		if err != nil {
			return false, err
		}
		if x != y {
			return false, nil
		}
	}
	return true, nil
}
