// Package policy aggregates every security header's typed policy into one
// Policy value and owns the rules that change it: Update, Rewrite, Remove and
// per-route Overrides, presets, validation and lint. (The JSON configuration
// file is decoded by the root package: secureheaders.ParseConfig.)
//
// # Presence
//
// A header is sent when its field is set: a non-empty csp.Policy, a non-nil
// *hsts.Policy or *hpkp.Policy, a non-empty string, list or map. The zero
// Policy sends nothing.
//
// # Copies
//
// A Policy is plain data holding maps and slices. Every function of this
// package that returns a Policy returns a fresh deep copy that shares no
// memory with its arguments; use Clone before changing a Policy someone else
// holds.
//
// # Order
//
// Headers are listed in the order of Headers (which is also the order the
// render package writes them); CSP directives in csp's canonical order;
// Permissions-Policy features and Reporting-Endpoints names sorted by name.
package policy

import (
	"maps"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
)

// Policy is every security header's policy. See the package doc for presence,
// copy and order rules.
type Policy struct {
	CSP                 csp.Policy          // Content-Security-Policy
	CSPReportOnly       csp.Policy          // Content-Security-Policy-Report-Only
	ReportingEndpoints  ReportingEndpoints  // Reporting-Endpoints
	HSTS                *hsts.Policy        // Strict-Transport-Security (sent on HTTPS only)
	HPKP                *hpkp.Policy        // Public-Key-Pins[-Report-Only] (deprecated; sent on HTTPS only)
	FrameOptions        FrameOptions        // X-Frame-Options
	ContentTypeOptions  ContentTypeOptions  // X-Content-Type-Options
	ReferrerPolicy      ReferrerPolicy      // Referrer-Policy
	PermissionsPolicy   PermissionsPolicy   // Permissions-Policy
	OpenerPolicy        OpenerPolicy        // Cross-Origin-Opener-Policy
	EmbedderPolicy      EmbedderPolicy      // Cross-Origin-Embedder-Policy
	ResourcePolicy      ResourcePolicy      // Cross-Origin-Resource-Policy
	OriginAgentCluster  OriginAgentCluster  // Origin-Agent-Cluster
	XSSProtection       XSSProtection       // X-XSS-Protection
	DNSPrefetchControl  DNSPrefetchControl  // X-DNS-Prefetch-Control
	DownloadOptions     DownloadOptions     // X-Download-Options
	CrossDomainPolicies CrossDomainPolicies // X-Permitted-Cross-Domain-Policies
	ClearSiteData       ClearSiteData       // Clear-Site-Data
	CacheControl        CacheControl        // Cache-Control
}

// Clone returns a deep copy of p.
func (p Policy) Clone() Policy {
	return p.cloneExcept(&Policy{})
}

// cloneExcept returns a deep copy of p but for the headers present in
// skip, which it leaves as they are in p, shared: for Update, which
// replaces them with new values.
func (p Policy) cloneExcept(skip *Policy) Policy {
	c := p
	if len(skip.CSP) == 0 {
		c.CSP = p.CSP.Clone()
	}
	if len(skip.CSPReportOnly) == 0 {
		c.CSPReportOnly = p.CSPReportOnly.Clone()
	}
	if len(skip.ReportingEndpoints) == 0 {
		c.ReportingEndpoints = maps.Clone(p.ReportingEndpoints)
	}
	if skip.HSTS == nil && p.HSTS != nil {
		h := *p.HSTS
		c.HSTS = &h
	}
	if skip.HPKP == nil && p.HPKP != nil {
		h := p.HPKP.Clone()
		c.HPKP = &h
	}
	if len(skip.ReferrerPolicy) == 0 {
		c.ReferrerPolicy = slices.Clone(p.ReferrerPolicy)
	}
	if len(skip.ClearSiteData) == 0 {
		c.ClearSiteData = slices.Clone(p.ClearSiteData)
	}
	if len(skip.PermissionsPolicy) == 0 && p.PermissionsPolicy != nil {
		c.PermissionsPolicy = make(PermissionsPolicy, len(p.PermissionsPolicy))
		for k, v := range p.PermissionsPolicy {
			c.PermissionsPolicy[k] = slices.Clone(v)
		}
	}
	return c
}

// Field is one rendered header.
type Field struct {
	// Name is the canonical header name.
	Name string
	// Value is the header value; for a CSP with a nonce slot, the nonce is
	// shown as csp.NoncePlaceholder.
	Value string
	// Parts is Value split at each nonce slot (see csp.Policy.Template); it
	// has one element when the header carries no nonce.
	Parts []string
	// SecureOnly marks headers that must be sent only on HTTPS responses
	// (Strict-Transport-Security per RFC 6797 §7.2, Public-Key-Pins).
	SecureOnly bool
}

// Fields renders the headers p sends, in canonical order. It does not
// validate; call Validate first (render.Compile does).
func (p Policy) Fields() []Field {
	n := 0
	for i := range headers {
		if headers[i].present(&p) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Field, 0, n)
	single := make([]string, n) // the one part of each value without a nonce slot
	for i := range headers {
		h := &headers[i]
		if !h.present(&p) {
			continue
		}
		f := Field{Name: h.name, SecureOnly: h.secureOnly}
		if h.template != nil {
			// The value is the parts joined by the slot's text, as
			// csp.Policy.String renders it: the CSP is rendered once.
			f.Parts = h.template(&p)
			f.Value = strings.Join(f.Parts, nonceInner)
		} else {
			f.Value = h.value(&p)
			k := len(out)
			single[k] = f.Value
			f.Parts = single[k : k+1 : k+1]
		}
		if h.nameOf != nil {
			f.Name = h.nameOf(&p)
		}
		out = append(out, f)
	}
	return out
}

// nonceInner is what csp.Policy.String writes where Template cuts a nonce
// slot: "{nonce}".
var nonceInner = csp.NoncePlaceholder[len("'nonce-") : len(csp.NoncePlaceholder)-1]

// Headers returns the canonical names of every header a Policy can send, in
// the order Fields and the render package use. Public-Key-Pins also covers
// Public-Key-Pins-Report-Only.
func Headers() []string {
	names := make([]string, len(headers))
	for i, h := range headers {
		names[i] = h.name
	}
	return names
}
