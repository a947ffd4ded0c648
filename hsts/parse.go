package hsts

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// Directive names as String writes them.
const (
	maxAgeName            = "max-age"
	includeSubDomainsName = "includeSubDomains"
	preloadName           = "preload"
)

var knownNames = []string{maxAgeName, includeSubDomainsName, preloadName}

// maxSeconds is the largest max-age a time.Duration can hold.
const maxSeconds = int64(1<<63-1) / int64(time.Second)

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
// Parse checks the syntax only: "max-age=0; preload" parses, and
// [Policy.Validate] refuses it. On failure Parse returns the zero Policy and
// every problem found, each an *[Error], joined with [errors.Join]. It is
// safe for concurrent use.
func Parse(header string) (Policy, error) {
	if err := checkBytes(header); err != nil {
		return Policy{}, err
	}
	items, errs := scan(header)
	var (
		p                             Policy
		seenMax, seenSub, seenPreload bool
	)
	for _, it := range items {
		switch it.name {
		case "max-age":
			if dup(&seenMax, maxAgeName, &errs) || it.broken {
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
			errs = append(errs, unknownError(it.raw))
		}
	}
	if !seenMax {
		errs = append(errs, &Error{
			Path:   maxAgeName,
			Reason: "the required directive is missing (RFC 6797 §6.1.1); browsers ignore the header",
			Fix:    "add max-age=31536000, one year",
		})
	}
	if len(errs) > 0 {
		return Policy{}, errors.Join(errs...)
	}
	return p, nil
}

// dup marks a directive as seen and reports whether it was seen before,
// appending the error if so.
func dup(seen *bool, name string, errs *[]error) bool {
	if !*seen {
		*seen = true
		return false
	}
	*errs = append(*errs, &Error{
		Path:   name,
		Reason: "the directive appears more than once; RFC 6797 §6.1 makes browsers ignore the whole header",
		Fix:    "keep one",
	})
	return true
}

func appendValueless(errs []error, it item, name string) []error {
	if !it.hasValue || it.broken {
		return errs
	}
	return append(errs, &Error{
		Path:   name,
		Reason: fmt.Sprintf("the directive takes no value, got %q", it.value),
		Fix:    "write " + name + " alone",
	})
}

func parseMaxAge(it item) (time.Duration, error) {
	if !it.hasValue {
		return 0, &Error{Path: maxAgeName, Reason: "the directive needs a value", Fix: "write max-age=31536000, one year"}
	}
	if !headerval.IsDigits(it.value) {
		return 0, &Error{
			Path:   maxAgeName,
			Reason: fmt.Sprintf("value %q is not a number of seconds", it.value),
			Fix:    "write digits only, such as max-age=31536000 for one year",
		}
	}
	s, err := strconv.ParseInt(it.value, 10, 64)
	if err != nil || s > maxSeconds {
		return 0, &Error{
			Path:   maxAgeName,
			Reason: fmt.Sprintf("value %s is larger than %d seconds (about 292 years), the most a time.Duration holds", it.value, maxSeconds),
			Fix:    "use max-age=31536000 for one year or 63072000 for two",
		}
	}
	return time.Duration(s) * time.Second, nil
}

func unknownError(name string) error {
	fix := "remove it; Strict-Transport-Security knows only max-age, includeSubDomains and preload"
	if s := suggest(name, knownNames); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return &Error{Path: name, Reason: "unknown directive", Fix: fix}
}
