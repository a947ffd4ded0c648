package hpkp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// headerName is the header's name in messages.
const headerName = "Public-Key-Pins"

// Directive names as String writes them.
const (
	pinPrefix             = "pin-"
	maxAgeName            = "max-age"
	includeSubDomainsName = "includeSubDomains"
	reportURIName         = "report-uri"
)

var knownNames = []string{"pin-sha256", maxAgeName, includeSubDomainsName, reportURIName}

// maxSeconds is the largest max-age a time.Duration can hold.
const maxSeconds = directive.MaxSeconds

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
// problem found, each a *policy.Error (the module's one configuration error
// type) with a Path relative to the header (see [Policy.Validate]), joined
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
		p                        Policy
		seenMax, seenSub, seenRU bool
		pins                     int
	)
	for _, it := range items {
		switch {
		case strings.HasPrefix(it.Name, pinPrefix):
			path := pinPath(pins, it.Name[len(pinPrefix):])
			pins++
			if pin, err := parsePin(it, path); err != nil {
				errs = append(errs, err)
			} else if !it.Broken {
				p.Pins = append(p.Pins, pin)
			}
		case it.Name == "max-age":
			if dup(&seenMax, maxAgeName, &errs) || it.Broken {
				continue
			}
			d, err := parseMaxAge(it)
			if err != nil {
				errs = append(errs, err)
			}
			p.MaxAge = d
		case it.Name == "includesubdomains":
			if !dup(&seenSub, includeSubDomainsName, &errs) {
				if it.HasValue && !it.Broken {
					errs = append(errs, directive.GotError(includeSubDomainsName,
						"the directive takes no value, got", it.Value, "write includeSubDomains alone"))
				}
				p.IncludeSubDomains = true
			}
		case it.Name == "report-uri":
			if dup(&seenRU, reportURIName, &errs) || it.Broken {
				continue
			}
			const fix = `write report-uri="https://example.com/hpkp-report"`
			if err := quotedValue(it, reportURIName, fix); err != nil {
				errs = append(errs, err)
			} else if it.Value == "" {
				errs = append(errs, &cfgerr.Error{Path: reportURIName, Reason: "the URI is empty", Fix: "remove report-uri or " + fix})
			}
			p.ReportURI = it.Value
		default:
			errs = append(errs, unknownError(it.Raw))
		}
	}
	if !seenMax {
		errs = append(errs, &cfgerr.Error{
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

// problemError is the error of a syntax problem of the header as a whole.
func problemError(p directive.Problem) error {
	return cfgerr.New("", "", p.Reason, p.Fix)
}

// pinPath is the error Path of the pin at index i.
func pinPath(i int, alg string) string {
	path := "pins[" + strconv.Itoa(i) + "]"
	if headerval.IsToken(alg) {
		path += "." + alg
	}
	return path
}

func parsePin(it directive.Item, path string) (Pin, error) {
	alg := it.Name[len(pinPrefix):]
	if alg == "" {
		return Pin{}, &cfgerr.Error{
			Path:   path,
			Reason: `directive "pin-" names no hash algorithm`,
			Fix:    `write pin-sha256="<base64 digest>"`,
		}
	}
	if it.Broken {
		return Pin{}, nil
	}
	if err := quotedValue(it, path, `write pin-`+alg+`="<base64 digest>"`); err != nil {
		return Pin{}, err
	}
	return Pin{Alg: alg, Hash: it.Value}, nil
}

// quotedValue checks that it has a quoted-string value.
func quotedValue(it directive.Item, path, fix string) error {
	switch {
	case !it.HasValue:
		return &cfgerr.Error{Path: path, Reason: "the directive needs a quoted-string value", Fix: fix}
	case !it.Quoted:
		return directive.GotError(path, "want a quoted-string (RFC 7469 §2.1), got", it.Value, fix)
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
	*errs = append(*errs, &cfgerr.Error{
		Path:   name,
		Reason: "the directive appears more than once; RFC 7469 §2.1 makes browsers ignore the whole header",
		Fix:    "keep one",
	})
	return true
}

func parseMaxAge(it directive.Item) (time.Duration, error) {
	if !it.HasValue {
		return 0, &cfgerr.Error{Path: maxAgeName, Reason: "the directive needs a value", Fix: "write max-age=5184000, 60 days"}
	}
	d, err := directive.ParseSeconds(it.Value)
	switch err {
	case nil:
		return d, nil
	case directive.ErrNotSeconds:
		return 0, directive.GotError(maxAgeName, "want a number of seconds, got", it.Value,
			"write digits only, such as max-age=5184000 for 60 days")
	}
	return 0, directive.GotError(maxAgeName,
		fmt.Sprintf("larger than %d seconds (about 292 years), the most a time.Duration holds; got", maxSeconds), it.Value,
		"use max-age=5184000 for 60 days")
}

func unknownError(name string) error {
	fix := "remove it; Public-Key-Pins knows only pin-sha256, max-age, includeSubDomains and report-uri"
	if s := directive.Suggest(name, knownNames); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return &cfgerr.Error{Path: name, Reason: "unknown directive", Fix: fix}
}
