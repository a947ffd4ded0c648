package policy

import (
	"fmt"
	"slices"

	"github.com/secureheaders/secureheaders/csp"
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
	// Each header is copied once: a header present in patch is built new
	// from base's and patch's (no update function writes or keeps its
	// inputs), so it is not cloned from base first.
	out := base.cloneExcept(&patch)
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
	if err := remove(&out, names); err != nil {
		return p.Clone(), err
	}
	return out, nil
}

// remove drops the named headers from p, which the caller owns; on error
// (every unknown name) p is partly changed.
func remove(p *Policy, names []string) error {
	var errs []error
	for i, n := range names {
		h := lookup(n)
		if h == nil {
			errs = append(errs, unknownHeader(fmt.Sprintf("remove[%d]", i), n, n))
			continue
		}
		h.clear(p)
	}
	return cfgerr.Join(errs)
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

// Override is a per-route change of the app policy (or of the policy of
// the routes it is layered on, see the engine's Handler). The zero Override
// changes nothing. Apply applies its fields to a copy, in this order:
//
//  1. Rewrite: every header present in Rewrite replaces the current one
//     whole (the Rewrite function); the other headers are kept. A route
//     that must not inherit a header's sources (a JSON API sending only
//     "default-src 'none'; frame-ancestors 'none'") rewrites it.
//  2. ReplaceDirectives: every directive of ReplaceDirectives.CSP (and
//     .CSPReportOnly) replaces the directive of the same name in the
//     current CSP (report-only CSP), or is added as given, without the
//     fallback seeding of Update; the other directives are kept. A CSP
//     absent from the current policy is taken as given. It may hold
//     nothing but those two CSPs: any other header set there is an error.
//     This is the way to narrow one directive (a script-src of hashes
//     instead of the app's nonce) without restating the others.
//  3. Update: merged with Update's rules (sources unioned, scalars
//     replaced).
//  4. Remove: the named headers are dropped, whatever 1-3 did; an
//     unknown name is an error.
//
// Each step starts from the result of the one before, so a header both
// rewritten and updated is the rewrite with the update merged in.
type Override struct {
	// Rewrite holds headers that replace the current ones whole.
	Rewrite Policy
	// ReplaceDirectives holds CSP directives that replace the current
	// directives of the same name (CSP and CSPReportOnly only).
	ReplaceDirectives Policy
	// Update is merged into the current policy with Update's rules.
	Update Policy
	// Remove names headers this route does not send.
	Remove []string
}

// Apply returns base with o applied (Rewrite, ReplaceDirectives, Update,
// then Remove); base is not modified. An unknown header name in o.Remove,
// or a header other than the two CSPs in o.ReplaceDirectives, is an error,
// and base is returned unchanged (as a copy). Apply does not validate.
func (o Override) Apply(base Policy) (Policy, error) {
	// Presence is checked with empty, not through the registry, whose
	// function values would move o (840 bytes) to the heap on every call.
	rest := o.ReplaceDirectives
	rest.CSP, rest.CSPReportOnly = nil, nil
	if !rest.empty() {
		return base.Clone(), cfgerr.Join(notCSPErrors(rest))
	}
	// Update copies p: copy it before only when a step writes it.
	p, fresh := base, false
	if !o.Rewrite.empty() {
		p, fresh = Rewrite(base, o.Rewrite), true
	}
	if len(o.ReplaceDirectives.CSP) > 0 || len(o.ReplaceDirectives.CSPReportOnly) > 0 {
		if !fresh {
			p, fresh = base.Clone(), true
		}
		p.CSP = replaceDirectives(p.CSP, o.ReplaceDirectives.CSP)
		p.CSPReportOnly = replaceDirectives(p.CSPReportOnly, o.ReplaceDirectives.CSPReportOnly)
	}
	// Update returns a copy that Apply owns: Remove works on it in place.
	// (Update, then Remove on a copy, cloned every policy of a route
	// three times.)
	out := p
	if !fresh || !o.Update.empty() {
		out = Update(p, o.Update)
	}
	if err := remove(&out, o.Remove); err != nil {
		return base.Clone(), err
	}
	return out, nil
}

// notCSPErrors reports each header of rd, a ReplaceDirectives without its
// CSPs.
func notCSPErrors(rd Policy) []error {
	var errs []error
	for i := range headers {
		if h := &headers[i]; h.present(&rd) {
			errs = append(errs, &Error{Path: "replaceDirectives." + h.name, Reason: "holds CSP directives only",
				Fix: "move the header to Rewrite (replace it whole) or Update (add to it)"})
		}
	}
	return errs
}

// empty reports whether p holds no header (no header's present is true;
// TestEmpty holds the two together).
func (p *Policy) empty() bool {
	return len(p.CSP) == 0 && len(p.CSPReportOnly) == 0 && len(p.ReportingEndpoints) == 0 && p.HSTS == nil && p.HPKP == nil &&
		p.FrameOptions == "" && p.ContentTypeOptions == "" && len(p.ReferrerPolicy) == 0 && len(p.PermissionsPolicy) == 0 &&
		p.OpenerPolicy == "" && p.EmbedderPolicy == "" && p.ResourcePolicy == "" && p.OriginAgentCluster == "" &&
		p.XSSProtection == "" && p.DNSPrefetchControl == "" && p.DownloadOptions == "" && p.CrossDomainPolicies == "" &&
		len(p.ClearSiteData) == 0 && p.CacheControl == ""
}

// replaceDirectives returns p (owned by the caller) with each directive of
// patch replacing p's of the same name, as a copy.
func replaceDirectives(p, patch csp.Policy) csp.Policy {
	if len(patch) == 0 {
		return p
	}
	if p == nil {
		p = make(csp.Policy, len(patch))
	}
	for d, srcs := range patch {
		p[d] = slices.Clone(srcs)
	}
	return p
}

// Clone returns a deep copy of o.
func (o Override) Clone() Override {
	return Override{
		Rewrite:           o.Rewrite.Clone(),
		ReplaceDirectives: o.ReplaceDirectives.Clone(),
		Update:            o.Update.Clone(),
		Remove:            slices.Clone(o.Remove),
	}
}
