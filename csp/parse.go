package csp

import (
	"errors"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Parse parses one Content-Security-Policy header value, such as
// "default-src 'self'; script-src 'self' 'nonce-{nonce}'", and validates
// it. It is pure and safe for concurrent use.
//
// The value is split at ';' into directives and each directive at spaces
// into a name and items; empty directives and repeated spaces are skipped.
// Names are ASCII case-insensitive and stored lower case. Each item is read
// with ParseValue: ParseSource for source-list directives, a Token for the
// others. A directive without items is stored as a nil slice.
//
// Parse reports every problem, joined with errors.Join, each a *policy.Error: the
// problems Validate reports, and also a repeated directive (browsers obey
// only the first) and an invalid directive name. Tabs, CR, LF and other
// control bytes are not separators: they are errors, as are ','
// (which would start a second policy) and bytes above 0x7E. On error Parse
// returns a nil Policy; on success a non-nil one, empty for "".
//
// A rendered policy parses back to an equal Policy: for every p that Parse
// returns, Parse(p.String()) returns p again.
func Parse(header string) (Policy, error) {
	p := make(Policy, strings.Count(header, ";")+1)
	var errs []error
	items := make([]string, 0, 8) // one segment's, reused: only strings are kept
	for seg := range strings.SplitSeq(header, ";") {
		items = items[:0]
		for f := range strings.SplitSeq(seg, " ") {
			if f != "" {
				items = append(items, f)
			}
		}
		if len(items) == 0 {
			continue
		}
		if !isDirectiveName(items[0]) {
			errs = append(errs, &cfgerr.Error{Value: items[0], Reason: "invalid directive name",
				Fix: "a directive name is letters, digits and '-'"})
			continue
		}
		d := Directive(lower(items[0]))
		if _, dup := p[d]; dup {
			errs = append(errs, &cfgerr.Error{Path: string(d), Reason: "duplicate directive",
				Fix: "browsers obey only the first; merge the values into one directive"})
			continue
		}
		if e := nameError(d); e != nil {
			p[d] = nil // so that a repeat is reported as a duplicate too
			errs = append(errs, e)
			continue
		}
		if valueless(d) && len(items) > 1 {
			p[d] = nil
			errs = append(errs, &cfgerr.Error{Path: string(d), Value: items[1], Reason: "takes no value",
				Fix: "remove the values"})
			continue
		}
		var srcs []Source
		if len(items) > 1 {
			srcs = make([]Source, 0, len(items)-1)
		}
		for i, item := range items[1:] {
			src, err := ParseValue(d, item)
			if err != nil {
				errs = append(errs, at(err, itemPath(d, i)))
				continue
			}
			srcs = append(srcs, src)
		}
		errs = listErrors(errs, d, srcs, len(items)-1)
		p[d] = srcs
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return p, nil
}

// isDirectiveName reports whether s is 1*( ALPHA / DIGIT / "-" ).
func isDirectiveName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '-' {
			return false
		}
	}
	return s != ""
}

// MustParse is like Parse but panics on error. It is meant for package-level
// variables and examples, where the header is a constant.
func MustParse(header string) Policy {
	p, err := Parse(header)
	if err != nil {
		panic("csp: MustParse(" + strconv.Quote(header) + "): " + err.Error())
	}
	return p
}
