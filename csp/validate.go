package csp

import (
	"errors"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Validate reports every problem of p, joined with errors.Join, each a
// *policy.Error whose Path names the directive or item; nil means p is safe to
// render. Directives are checked in canonical order, so the errors come in
// a stable order. Validate does not modify p and is safe for concurrent use
// as long as nobody writes p. The nil Policy is valid. Refused:
//
//   - directive names that are unknown (with a "did you mean"), not lower
//     case, or deprecated (block-all-mixed-content, plugin-types, referrer,
//     reflected-xss, navigate-to, require-sri-for, disown-opener: the
//     reason and the replacement are given);
//   - the zero Source, a Kind outside the constants, and any source that
//     ParseSource would not give back unchanged from its String (unknown
//     or upper-case keyword, bad nonce or hash, upper-case host, a Value
//     with ';', ',', space or control bytes, …);
//   - 'none' together with other sources in one directive (browsers
//     ignore it then: the policy is not what it reads as);
//   - a source-list directive with no source (write 'none');
//   - in frame-ancestors, anything but 'self', 'none', hosts and schemes;
//   - in directives that take no source list, anything but a Token, and a
//     Token that ParseValue would refuse: unknown sandbox flags, report-uri
//     values that are not URI-references, report-to with other than exactly
//     one group name, require-trusted-types-for without 'script', bad
//     trusted-types policy names;
//   - any value for upgrade-insecure-requests.
//
// Accepted although useless: keywords where browsers ignore them
// ('strict-dynamic' in img-src, a nonce in base-uri), duplicate sources,
// and prefetch-src, which browsers ignore (see the package comment).
func (p Policy) Validate() error {
	var errs []error
	for _, d := range p.sortedDirectives() {
		if e := nameError(d); e != nil {
			errs = append(errs, e)
			continue
		}
		srcs := p[d]
		for i, src := range srcs {
			if e := itemError(d, src); e != nil {
				e.Path = itemPath(d, i)
				errs = append(errs, e)
			}
		}
		errs = listErrors(errs, d, srcs, len(srcs))
	}
	return errors.Join(errs...)
}

// nameError reports an unknown or deprecated directive name.
func nameError(d Directive) *cfgerr.Error {
	if _, ok := rank[d]; ok {
		return nil
	}
	if dep, ok := deprecated[d]; ok {
		return &cfgerr.Error{Path: string(d), Reason: dep.reason, Fix: dep.fix}
	}
	if l := Directive(lower(string(d))); l != d {
		if _, ok := rank[l]; ok {
			return &cfgerr.Error{Path: string(d), Reason: "directive name not lower case", Fix: didYouMean(string(l))}
		}
	}
	e := &cfgerr.Error{Path: string(d), Reason: "unknown directive"}
	if c := closest(string(d), directiveNames); c != "" {
		e.Fix = didYouMean(c)
	}
	return e
}

// directiveNames are the known directives as strings, for suggestions.
var directiveNames = func() []string {
	s := make([]string, len(order))
	for i, d := range order {
		s[i] = string(d)
	}
	return s
}()

// itemError checks one item of known directive d, without its Path.
func itemError(d Directive, src Source) *cfgerr.Error {
	if !d.SourceList() {
		if valueless(d) {
			return nil // listErrors reports the values once
		}
		if src.Kind != Token {
			return &cfgerr.Error{Value: src.String(), Reason: src.Kind.String() + " source not allowed in " + string(d),
				Fix: string(d) + " takes tokens; build them with ParseValue"}
		}
		return tokenError(d, src.Value)
	}
	if e := sourceError(src); e != nil {
		return e
	}
	return fitError(d, src)
}

// sourceError checks that src is a well-formed source in canonical form.
func sourceError(src Source) *cfgerr.Error {
	switch src.Kind {
	case 0:
		return &cfgerr.Error{Reason: "zero Source", Fix: "build sources with ParseSource or the package's variables"}
	case Token:
		return &cfgerr.Error{Value: src.Value, Reason: "a Token is not a source",
			Fix: "build sources with ParseSource"}
	case Keyword:
		if slices.Contains(keywords, src.Value) {
			return nil
		}
		e := &cfgerr.Error{Value: src.Value, Reason: "unknown keyword"}
		if c := closest(src.Value, keywords); c != "" {
			e.Fix = didYouMean(c)
		}
		return e
	case NonceSlot, Nonce, Hash, Host, Scheme:
		got, err := ParseSource(src.String())
		if err != nil {
			return err.(*cfgerr.Error)
		}
		if got == src {
			return nil
		}
		if got.Kind == src.Kind {
			return &cfgerr.Error{Value: src.Value, Reason: src.Kind.String() + " source not in canonical form",
				Fix: didYouMean(got.Value)}
		}
		return &cfgerr.Error{Value: src.String(), Reason: src.Kind.String() + " source reads back as a " + got.Kind.String(),
			Fix: "build sources with ParseSource"}
	}
	return &cfgerr.Error{Value: src.Value, Reason: "unknown source " + src.Kind.String(),
		Fix: "build sources with ParseSource or the package's variables"}
}

// fitError reports a well-formed source that directive d cannot hold.
func fitError(d Directive, src Source) *cfgerr.Error {
	if d != FrameAncestors {
		return nil
	}
	switch {
	case src.Kind == Host, src.Kind == Scheme, src == Self, src == None:
		return nil
	}
	return &cfgerr.Error{Value: src.String(), Reason: "not allowed in frame-ancestors",
		Fix: "frame-ancestors takes only 'self', 'none', hosts and schemes"}
}

// listErrors appends the problems of directive d's list as a whole. n is
// how many items the directive was written with: Parse passes the count
// before dropping malformed items, so an item error is not followed by an
// "empty" one.
func listErrors(errs []error, d Directive, srcs []Source, n int) []error {
	path := string(d)
	switch {
	case valueless(d):
		if n > 0 {
			v := ""
			if len(srcs) > 0 {
				v = srcs[0].String()
			}
			errs = append(errs, &cfgerr.Error{Path: path, Value: v, Reason: "takes no value", Fix: "remove the values"})
		}
	case d.SourceList() && n == 0:
		errs = append(errs, &cfgerr.Error{Path: path, Reason: "empty source list", Fix: "write 'none' to allow nothing"})
	case d == ReportTo && n != 1:
		fix := "keep one: a policy reports to a single group"
		if n == 0 {
			fix = "name a group of the Reporting-Endpoints header"
		}
		errs = append(errs, &cfgerr.Error{Path: path, Reason: "takes exactly one group name", Fix: fix})
	case d == ReportURI && n == 0:
		errs = append(errs, &cfgerr.Error{Path: path, Reason: "needs a URL", Fix: "give the report endpoint's URL, or remove the directive"})
	case d == RequireTrustedTypesFor && n == 0:
		errs = append(errs, &cfgerr.Error{Path: path, Reason: "needs a sink group", Fix: "write 'script'"})
	}
	if len(srcs) > 1 {
		for i, src := range srcs {
			if isNone(d, src) {
				errs = append(errs, &cfgerr.Error{Path: itemPath(d, i),
					Reason: "'none' mixed with other sources", Fix: "remove 'none', or the other sources"})
				break
			}
		}
	}
	return errs
}

// isNone reports whether src is 'none' in directive d: the keyword in a
// source list, the quoted token in trusted-types.
func isNone(d Directive, src Source) bool {
	return src == None || d == TrustedTypes && src == Source{Token, ttNone}
}

// sortedDirectives returns p's directives in canonical order, unknown ones
// last by name.
func (p Policy) sortedDirectives() []Directive {
	ds := make([]Directive, 0, len(p))
	for d := range p {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b Directive) int {
		if ra, rb := Order(a), Order(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(string(a), string(b))
	})
	return ds
}
