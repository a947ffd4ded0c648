package policy

import (
	"fmt"
	"slices"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/suggest"
)

// Update returns base with patch added to it. It never modifies or aliases
// either argument. The rules, in order:
//
//  1. A header absent from patch is kept as it is in base.
//  2. A header absent from base is taken from patch (a copy).
//  3. Content-Security-Policy (and -Report-Only): csp.Update — each
//     directive's sources are unioned in order, base's first, exact
//     duplicates dropped; 'none' disappears once another source is added; a
//     fetch directive absent from base starts from a copy of the directive
//     it falls back to in base (CSP3 §6.8.3: script-src-elem from
//     script-src, worker-src from child-src or script-src, …, finally
//     default-src), so adding never narrows.
//  4. Public-Key-Pins: hpkp.Update — pins unioned in order; max-age,
//     includeSubDomains, report-uri and report-only taken from patch.
//  5. Permissions-Policy: features unioned; a feature in both gets the union
//     of both allowlists in order; an allowlist holding "*" becomes "*".
//  6. Reporting-Endpoints: names unioned; patch's URL wins for a shared name.
//  7. Strict-Transport-Security: patch's value replaces base's, except that
//     a zero MaxAge (without Expire) in patch means "not given" and keeps
//     base's max-age (and its Expire), as a configuration file leaving
//     "max-age" out does; hsts.Policy{Expire: true} sends max-age=0. Its
//     flags are taken from patch, so a flag set to false is removed
//     (hsts.Policy{Preload: false} drops "preload").
//  8. Every other header (X-Frame-Options, Referrer-Policy,
//     Clear-Site-Data, …) is a scalar: patch's value replaces base's.
//
// Update does not validate; the result is validated when it is compiled.
func Update(base, patch Policy) Policy {
	out := base.Clone()
	for i := range headers {
		h := &headers[i]
		if !h.present(&patch) {
			continue
		}
		if h.present(&out) {
			h.update(&out, &patch)
		} else {
			h.copyFrom(&out, &patch)
		}
	}
	return out
}

// Rewrite returns base with every header present in patch replaced whole by
// patch's (a copy); headers absent from patch are kept. To drop a header use
// Remove.
func Rewrite(base, patch Policy) Policy {
	out := base.Clone()
	for i := range headers {
		h := &headers[i]
		if h.present(&patch) {
			h.copyFrom(&out, &patch)
		}
	}
	return out
}

// Remove returns a copy of p without the named headers. Names are header
// names or aliases ("CSP", "HSTS", "HPKP", "x_frame_options"), matched
// case-insensitively with '_' and '-' alike. An unknown name is an error that
// lists the valid names, and p is returned unchanged (as a copy).
func Remove(p Policy, names ...string) (Policy, error) {
	out := p.Clone()
	var errs []error
	for i, n := range names {
		h := lookup(n)
		if h == nil {
			errs = append(errs, unknownHeader(fmt.Sprintf("remove[%d]", i), n, n))
			continue
		}
		h.clear(&out)
	}
	if len(errs) > 0 {
		return p.Clone(), cfgerr.Join(errs)
	}
	return out, nil
}

// unknownHeader is the error for a header name that is not one; value is
// the name when path does not already end with it, or "".
func unknownHeader(path, value, name string) *Error {
	fix := "use one of the header names of policy.Headers(), or CSP, HSTS, HPKP"
	if s := suggest.Closest(name, headerKeys()); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return &Error{Path: path, Value: value, Reason: "unknown header", Fix: fix}
}

func headerKeys() []string {
	var keys []string
	for _, h := range headers {
		keys = append(keys, h.name)
		keys = append(keys, h.aliases...)
	}
	return keys
}

// Override is a per-route change of the app policy: Update then Remove,
// applied to a copy. The zero Override changes nothing.
type Override struct {
	// Update is merged into the app policy with Update's rules.
	Update Policy
	// Remove names headers this route does not send.
	Remove []string
}

// Apply returns base with o applied; base is not modified. An unknown header
// name in o.Remove is an error.
func (o Override) Apply(base Policy) (Policy, error) {
	return Remove(Update(base, o.Update), o.Remove...)
}

// Clone returns a deep copy of o.
func (o Override) Clone() Override {
	return Override{Update: o.Update.Clone(), Remove: slices.Clone(o.Remove)}
}
