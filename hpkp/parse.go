package hpkp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/headerval"
)

// Directive names as String writes them.
const (
	pinPrefix             = "pin-"
	maxAgeName            = "max-age"
	includeSubDomainsName = "includeSubDomains"
	reportURIName         = "report-uri"
)

var knownNames = []string{"pin-sha256", maxAgeName, includeSubDomainsName, reportURIName}

// maxSeconds is the largest max-age a time.Duration can hold.
const maxSeconds = int64(1<<63-1) / int64(time.Second)

// Parse reads a Public-Key-Pins or Public-Key-Pins-Report-Only header value
// (RFC 7469 §2.1):
//
//	value     = [ directive ] *( OWS ";" OWS [ directive ] )
//	directive = name [ OWS "=" OWS ( token / quoted-string ) ]
//
// Directive names are case-insensitive. The known ones are:
//
//   - pin-<alg>="<base64>", any number of times, kept in order; the value
//     must be a quoted-string. Alg is stored lower-cased and may be any
//     token: Validate, not Parse, refuses algorithms other than sha256.
//   - max-age, required: delta-seconds, digits only, optionally quoted.
//   - includeSubDomains, valueless.
//   - report-uri="<URI-reference>": a non-empty quoted-string.
//
// Each directive but pin-<alg> may appear once. Spaces and tabs around ';'
// and '=' and empty directives (";;") are allowed.
//
// Parse is a linter, stricter than a browser: it refuses unknown
// directives, which RFC 7469 §2.1 tells user agents to ignore, with a "did
// you mean" for near misses. It also refuses a max-age beyond what a
// time.Duration holds (about 292 years), a comma (two headers folded into
// one) and any byte other than visible ASCII, space and tab.
//
// Parse checks the syntax only: a header with one pin, or with a hash that
// is not a SHA-256 digest, parses and [Policy.Validate] refuses it. The
// header value does not say whether it was sent as report-only, so
// ReportOnly is false. On failure Parse returns the zero Policy and every
// problem found, each an *[Error], joined with [errors.Join]. It is safe for
// concurrent use.
func Parse(header string) (Policy, error) {
	if err := checkBytes(header); err != nil {
		return Policy{}, err
	}
	items, errs := scan(header)
	var (
		p                        Policy
		seenMax, seenSub, seenRU bool
		pins                     int
	)
	for _, it := range items {
		switch {
		case strings.HasPrefix(it.name, pinPrefix):
			path := pinPath(pins, it.name[len(pinPrefix):])
			pins++
			if pin, err := parsePin(it, path); err != nil {
				errs = append(errs, err)
			} else if !it.broken {
				p.Pins = append(p.Pins, pin)
			}
		case it.name == "max-age":
			if dup(&seenMax, maxAgeName, &errs) || it.broken {
				continue
			}
			d, err := parseMaxAge(it)
			if err != nil {
				errs = append(errs, err)
			}
			p.MaxAge = d
		case it.name == "includesubdomains":
			if !dup(&seenSub, includeSubDomainsName, &errs) {
				if it.hasValue && !it.broken {
					errs = append(errs, &Error{
						Path:   includeSubDomainsName,
						Reason: fmt.Sprintf("the directive takes no value, got %q", it.value),
						Fix:    "write includeSubDomains alone",
					})
				}
				p.IncludeSubDomains = true
			}
		case it.name == "report-uri":
			if dup(&seenRU, reportURIName, &errs) || it.broken {
				continue
			}
			const fix = `write report-uri="https://example.com/hpkp-report"`
			if err := quotedValue(it, reportURIName, fix); err != nil {
				errs = append(errs, err)
			} else if it.value == "" {
				errs = append(errs, &Error{Path: reportURIName, Reason: "the URI is empty", Fix: "remove report-uri or " + fix})
			}
			p.ReportURI = it.value
		default:
			errs = append(errs, unknownError(it.raw))
		}
	}
	if !seenMax {
		errs = append(errs, &Error{
			Path:   maxAgeName,
			Reason: "the required directive is missing (RFC 7469 §2.1.2); browsers ignore the header",
			Fix:    "add max-age=5184000, 60 days",
		})
	}
	if len(errs) > 0 {
		return Policy{}, errors.Join(errs...)
	}
	return p, nil
}

// pinPath is the Error.Path of the pin at index i.
func pinPath(i int, alg string) string {
	path := "pins[" + strconv.Itoa(i) + "]"
	if headerval.IsToken(alg) {
		path += "." + alg
	}
	return path
}

func parsePin(it item, path string) (Pin, error) {
	alg := it.name[len(pinPrefix):]
	if alg == "" {
		return Pin{}, &Error{
			Path:   path,
			Reason: `directive "pin-" names no hash algorithm`,
			Fix:    `write pin-sha256="<base64 digest>"`,
		}
	}
	if it.broken {
		return Pin{}, nil
	}
	if err := quotedValue(it, path, `write pin-`+alg+`="<base64 digest>"`); err != nil {
		return Pin{}, err
	}
	return Pin{Alg: alg, Hash: it.value}, nil
}

// quotedValue checks that it has a quoted-string value.
func quotedValue(it item, path, fix string) error {
	switch {
	case !it.hasValue:
		return &Error{Path: path, Reason: "the directive needs a quoted-string value", Fix: fix}
	case !it.quoted:
		return &Error{Path: path, Reason: fmt.Sprintf("value %q must be a quoted-string (RFC 7469 §2.1)", it.value), Fix: fix}
	}
	return nil
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
		Reason: "the directive appears more than once; RFC 7469 §2.1 makes browsers ignore the whole header",
		Fix:    "keep one",
	})
	return true
}

func parseMaxAge(it item) (time.Duration, error) {
	if !it.hasValue {
		return 0, &Error{Path: maxAgeName, Reason: "the directive needs a value", Fix: "write max-age=5184000, 60 days"}
	}
	if !headerval.IsDigits(it.value) {
		return 0, &Error{
			Path:   maxAgeName,
			Reason: fmt.Sprintf("value %q is not a number of seconds", it.value),
			Fix:    "write digits only, such as max-age=5184000 for 60 days",
		}
	}
	s, err := strconv.ParseInt(it.value, 10, 64)
	if err != nil || s > maxSeconds {
		return 0, &Error{
			Path:   maxAgeName,
			Reason: fmt.Sprintf("value %s is larger than %d seconds (about 292 years), the most a time.Duration holds", it.value, maxSeconds),
			Fix:    "use max-age=5184000 for 60 days",
		}
	}
	return time.Duration(s) * time.Second, nil
}

func unknownError(name string) error {
	fix := "remove it; Public-Key-Pins knows only pin-sha256, max-age, includeSubDomains and report-uri"
	if s := suggest(name, knownNames); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return &Error{Path: name, Reason: "unknown directive", Fix: fix}
}
