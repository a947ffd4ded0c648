package hsts

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// OneYear is the shortest max-age the HSTS preload list accepts
// (31536000 seconds).
const OneYear = 365 * 24 * time.Hour

// Validate reports every problem that makes p unfit to send, each a
// *policy.Error joined with [errors.Join], or nil:
//
//   - a zero MaxAge without Expire: max-age was not given, and sending
//     max-age=0 would make browsers forget the host's HSTS state (path
//     "max-age");
//   - Expire with a non-zero MaxAge (path "max-age");
//   - a negative MaxAge (path "max-age");
//   - a MaxAge between 0 and 1s, which truncates to max-age=0 and so
//     deletes the host's HSTS state; it is nearly always seconds written as
//     a bare number, a Duration of nanoseconds (path "max-age");
//   - Preload set while a rule of [Policy.PreloadReady] fails: the errors
//     of PreloadReady, one per rule.
//
// Policy{Expire: true} (max-age=0) is valid: it tells browsers to forget
// the host. The zero Policy is not. Validate is safe for concurrent use.
func (p Policy) Validate() error {
	var errs []error
	switch {
	case p.MaxAge == 0 && !p.Expire:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Reason: "is missing: a zero MaxAge would send max-age=0, which makes browsers forget the host's HSTS state",
			Fix:    "set MaxAge, e.g. to hsts.OneYear, or set Expire to send max-age=0 on purpose",
		})
	case p.Expire && p.MaxAge != 0:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  p.MaxAge.String(),
			Reason: "is set together with Expire, which sends max-age=0; got",
			Fix:    "set MaxAge to 0 to expire the policy, or Expire to false",
		})
	case p.MaxAge < 0:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  p.MaxAge.String(),
			Reason: "negative duration",
			Fix:    "use a positive duration, or 0 to make browsers forget the host's HSTS state",
		})
	case p.MaxAge > 0 && p.MaxAge < time.Second:
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  p.MaxAge.String(),
			Reason: "a MaxAge under one second truncates to max-age=0 and deletes the host's HSTS state; got",
			Fix:    fmt.Sprintf("did you mean %d * time.Second? MaxAge is a time.Duration, not seconds", int64(p.MaxAge)),
		})
	}
	if p.Preload {
		errs = append(errs, p.preloadRules()...)
	}
	return errors.Join(errs...)
}

// PreloadReady reports whether p meets the header rules of the HSTS preload
// list (https://hstspreload.org): max-age of at least 31536000 seconds
// ([OneYear]), includeSubDomains and preload. It returns nil when p is
// eligible; otherwise one *policy.Error per failed rule, in that order, joined
// with [errors.Join], with Path "max-age", "includeSubDomains" or "preload".
//
// The list has rules beyond the header (a valid certificate, a redirect
// from HTTP to HTTPS on the same host, HSTS on the redirect) that no header
// value can show; PreloadReady does not check them. It is safe for
// concurrent use.
func (p Policy) PreloadReady() error {
	errs := p.preloadRules()
	if !p.Preload {
		errs = append(errs, &cfgerr.Error{
			Path:   preloadName,
			Reason: "the preload list requires the preload directive",
			Fix:    "set Preload, then submit the domain at https://hstspreload.org",
		})
	}
	return errors.Join(errs...)
}

// preloadRules checks the preload list's rules other than preload itself.
func (p Policy) preloadRules() []error {
	var errs []error
	if s := int64(p.MaxAge / time.Second); s < int64(OneYear/time.Second) {
		errs = append(errs, &cfgerr.Error{
			Path:   maxAgeName,
			Value:  strconv.FormatInt(s, 10),
			Reason: "the preload list requires at least 31536000 seconds (one year), got",
			Fix:    "set MaxAge to hsts.OneYear or more",
		})
	}
	if !p.IncludeSubDomains {
		errs = append(errs, &cfgerr.Error{
			Path:   includeSubDomainsName,
			Reason: "the preload list requires includeSubDomains",
			Fix:    "set IncludeSubDomains once every subdomain serves HTTPS",
		})
	}
	return errs
}
