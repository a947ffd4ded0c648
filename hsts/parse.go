package hsts

import (
	"errors"
	"fmt"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
)

// headerName is the header's name in messages.
const headerName = "Strict-Transport-Security"

// Directive names as String writes them.
const (
	maxAgeName            = "max-age"
	includeSubDomainsName = "includeSubDomains"
	preloadName           = "preload"
)

var knownNames = []string{maxAgeName, includeSubDomainsName, preloadName}

// Parse reads a Strict-Transport-Security header value (RFC 6797 §6.1):
//
//	value     = [ directive ] *( OWS ";" OWS [ directive ] )
//	directive = name [ OWS "=" OWS ( token / quoted-string ) ]
//
// Directive names are case-insensitive. Three are known: max-age, which is
// required and takes delta-seconds (digits only, no sign, optionally
// quoted: max-age="60"), and the valueless includeSubDomains and preload.
// Each may appear once. Spaces and tabs around ';' and '=' and empty
// directives (";;") are allowed.
//
// Parse is a linter, stricter than a browser. RFC 6797 §6.1 tells user
// agents to ignore directives they do not know; Parse refuses them, with a
// "did you mean" for near misses, because a misspelt includeSubDomains
// would otherwise leave every subdomain unprotected without a word. It also
// refuses a value on includeSubDomains or preload, a max-age beyond what a
// time.Duration holds (about 292 years), a comma (two headers folded into
// one) and any byte other than visible ASCII, space and tab.
//
// "max-age=0" (or any max-age under one second, which String writes as 0)
// parses as a Policy with Expire set.
//
// Parse checks the syntax only: "max-age=0; preload" parses, and
// [Policy.Validate] refuses it. On failure Parse returns the zero Policy and
// every problem found, each a *policy.Error (the module's one configuration
// error type) with a Path relative to the header ("max-age", "preload", an
// unknown directive as written, or "" for the header as a whole), joined
// with [errors.Join]. It is safe for concurrent use.
func Parse(header string) (Policy, error) {
	if p := directive.CheckBytes(header); p != nil {
		return Policy{}, problemError(*p)
	}
	items, probs := directive.Scan(header, headerName)
	errs := make([]error, 0, len(probs))
	for _, p := range probs {
		errs = append(errs, problemError(p))
	}
	var (
		p                             Policy
		seenMax, seenSub, seenPreload bool
	)
	for _, it := range items {
		switch it.Name {
		case "max-age":
			if dup(&seenMax, maxAgeName, &errs) || it.Broken {
				continue
			}
			d, err := parseMaxAge(it)
			if err != nil {
				errs = append(errs, err)
			}
			p.MaxAge = d
		case "includesubdomains":
			if !dup(&seenSub, includeSubDomainsName, &errs) {
				errs = appendValueless(errs, it, includeSubDomainsName)
				p.IncludeSubDomains = true
			}
		case "preload":
			if !dup(&seenPreload, preloadName, &errs) {
				errs = appendValueless(errs, it, preloadName)
				p.Preload = true
			}
		default:
			errs = append(errs, unknownError(it.Raw))
		}
	}
	if !seenMax {
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Reason: "the required directive is missing (RFC 6797 §6.1.1); browsers ignore the header",
			Fix:    "add max-age=31536000, one year",
		})
	}
	if len(errs) > 0 {
		return Policy{}, errors.Join(errs...)
	}
	p.Expire = p.MaxAge == 0 // max-age=0 written out is deliberate
	return p, nil
}

// problemError is the error of a syntax problem of the header as a whole.
func problemError(p directive.Problem) error {
	return cfgerr.New("", "", p.Reason, p.Fix)
}

// dup marks a directive as seen and reports whether it was seen before,
// appending the error if so.
func dup(seen *bool, name string, errs *[]error) bool {
	if !*seen {
		*seen = true
		return false
	}
	*errs = append(*errs, &cfgerr.Error{
		Path:   name,
		Reason: "the directive appears more than once; RFC 6797 §6.1 makes browsers ignore the whole header",
		Fix:    "keep one",
	})
	return true
}

func appendValueless(errs []error, it directive.Item, name string) []error {
	if !it.HasValue || it.Broken {
		return errs
	}
	return append(errs, directive.GotError(name, "the directive takes no value, got", it.Value, "write "+name+" alone"))
}

func parseMaxAge(it directive.Item) (time.Duration, error) {
	if !it.HasValue {
		return 0, &cfgerr.Error{Path: maxAgeName, Reason: "the directive needs a value", Fix: "write max-age=31536000, one year"}
	}
	d, err := directive.ParseSeconds(it.Value)
	switch err {
	case nil:
		return d, nil
	case directive.ErrNotSeconds:
		return 0, directive.GotError(maxAgeName, "want a number of seconds, got", it.Value,
			"write digits only, such as max-age=31536000 for one year")
	}
	return 0, directive.GotError(maxAgeName,
		fmt.Sprintf("larger than %d seconds (about 292 years), the most a time.Duration holds; got", directive.MaxSeconds), it.Value,
		"use max-age=31536000 for one year or 63072000 for two")
}

func unknownError(name string) error {
	fix := "remove it; Strict-Transport-Security knows only max-age, includeSubDomains and preload"
	if s := directive.Suggest(name, knownNames); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return &cfgerr.Error{Path: name, Reason: "unknown directive", Fix: fix}
}
