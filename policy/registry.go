package policy

import (
	"maps"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
)

// header describes how one header field of Policy is read, rendered,
// validated and merged. The table below is the one place that knows the
// fields; everything else (Fields, Remove, Update, Validate, config keys)
// walks it.
type header struct {
	name       string   // canonical header name
	key        string   // short path used in errors and lint: "csp", "hsts", "x-frame-options"
	aliases    []string // extra config keys, e.g. "CSP"
	secureOnly bool

	present  func(*Policy) bool
	clear    func(*Policy)
	value    func(*Policy) string
	template func(*Policy) []string // nil: the value has no nonce slot
	nameOf   func(*Policy) string   // nil: always name
	validate func(*Policy) error
	// update merges src's header into dst's (src's header is present);
	// copyFrom replaces dst's header with a deep copy of src's.
	update   func(dst, src *Policy)
	copyFrom func(dst, src *Policy)
	// setString stores a value given as text; only typed-string headers
	// have it.
	setString func(p *Policy, s string)
}

// validator is what every simple header type implements.
type validator interface {
	~string
	validate() error
}

// scalar builds the entry for a typed-string header: present when non-empty,
// replaced wholesale by Update.
func scalar[T validator](name string, field func(*Policy) *T) header {
	h := header{
		name:      name,
		key:       strings.ToLower(name),
		present:   func(p *Policy) bool { return *field(p) != "" },
		clear:     func(p *Policy) { *field(p) = "" },
		value:     func(p *Policy) string { return string(*field(p)) },
		validate:  func(p *Policy) error { return (*field(p)).validate() },
		copyFrom:  func(dst, src *Policy) { *field(dst) = *field(src) },
		setString: func(p *Policy, s string) { *field(p) = T(s) },
	}
	h.update = h.copyFrom
	return h
}

// list builds the entry for a list or map header, whose copy is done by the
// given clone.
func list[T interface {
	~[]string | ~[]ReferrerToken | ~map[string]string | ~map[string][]string
	validate() error
	String() string
}](name string, field func(*Policy) *T, clone func(T) T, merge func(dst, src T) T) header {
	h := header{
		name:     name,
		key:      strings.ToLower(name),
		present:  func(p *Policy) bool { return len(*field(p)) > 0 },
		clear:    func(p *Policy) { var zero T; *field(p) = zero },
		value:    func(p *Policy) string { return (*field(p)).String() },
		validate: func(p *Policy) error { return (*field(p)).validate() },
		copyFrom: func(dst, src *Policy) { *field(dst) = clone(*field(src)) },
	}
	h.update = func(dst, src *Policy) { *field(dst) = merge(*field(dst), *field(src)) }
	return h
}

func cspHeader(name, key string, field func(*Policy) *csp.Policy) header {
	return header{
		name:     name,
		key:      key,
		aliases:  []string{strings.ToUpper(key)},
		present:  func(p *Policy) bool { return len(*field(p)) > 0 },
		clear:    func(p *Policy) { *field(p) = nil },
		value:    func(p *Policy) string { return (*field(p)).String() },
		template: func(p *Policy) []string { return (*field(p)).Template() },
		validate: func(p *Policy) error { return (*field(p)).Validate() },
		update:   func(dst, src *Policy) { *field(dst) = csp.Update(*field(dst), *field(src)) },
		copyFrom: func(dst, src *Policy) { *field(dst) = (*field(src)).Clone() },
	}
}

func cloneStrings[T ~[]E, E ~string](v T) T                  { return slices.Clone(v) }
func replaceStrings[T ~[]E, E ~string](_, src T) T           { return slices.Clone(src) }
func cloneEndpoints(v ReportingEndpoints) ReportingEndpoints { return maps.Clone(v) }

func mergeEndpoints(dst, src ReportingEndpoints) ReportingEndpoints {
	out := maps.Clone(dst)
	if out == nil {
		out = ReportingEndpoints{}
	}
	maps.Copy(out, src)
	return out
}

func clonePermissions(v PermissionsPolicy) PermissionsPolicy {
	if v == nil {
		return nil
	}
	out := make(PermissionsPolicy, len(v))
	for k, l := range v {
		out[k] = slices.Clone(l)
	}
	return out
}

// mergePermissions unions each feature's allowlist in order; a feature only
// in src is added; an allowlist holding "*" collapses to just "*".
func mergePermissions(dst, src PermissionsPolicy) PermissionsPolicy {
	out := clonePermissions(dst)
	if out == nil {
		out = PermissionsPolicy{}
	}
	for f, add := range src {
		l := slices.Clone(out[f])
		if l == nil {
			l = []string{}
		}
		for _, o := range add {
			if !slices.Contains(l, o) {
				l = append(l, o)
			}
		}
		if slices.Contains(l, "*") {
			l = []string{"*"}
		}
		out[f] = l
	}
	return out
}

// headers is the canonical order of headers.
var headers = []header{
	cspHeader("Content-Security-Policy", "csp", func(p *Policy) *csp.Policy { return &p.CSP }),
	cspHeader("Content-Security-Policy-Report-Only", "csp-report-only", func(p *Policy) *csp.Policy { return &p.CSPReportOnly }),
	list("Reporting-Endpoints", func(p *Policy) *ReportingEndpoints { return &p.ReportingEndpoints }, cloneEndpoints, mergeEndpoints),
	{
		name:       "Strict-Transport-Security",
		key:        "hsts",
		aliases:    []string{"HSTS"},
		secureOnly: true,
		present:    func(p *Policy) bool { return p.HSTS != nil },
		clear:      func(p *Policy) { p.HSTS = nil },
		value:      func(p *Policy) string { return p.HSTS.String() },
		validate:   func(p *Policy) error { return p.HSTS.Validate() },
		copyFrom:   func(dst, src *Policy) { h := *src.HSTS; dst.HSTS = &h },
		update: func(dst, src *Policy) {
			h := *src.HSTS
			if h.MaxAge == 0 && !h.Expire {
				h.MaxAge, h.Expire = dst.HSTS.MaxAge, dst.HSTS.Expire // not given: keep the base's
			}
			dst.HSTS = &h
		},
	},
	{
		name:       "Public-Key-Pins",
		key:        "hpkp",
		aliases:    []string{"HPKP", "Public-Key-Pins-Report-Only"},
		secureOnly: true,
		present:    func(p *Policy) bool { return p.HPKP != nil },
		clear:      func(p *Policy) { p.HPKP = nil },
		value:      func(p *Policy) string { return p.HPKP.String() },
		nameOf:     func(p *Policy) string { return p.HPKP.HeaderName() },
		validate:   func(p *Policy) error { return p.HPKP.Validate() },
		copyFrom:   func(dst, src *Policy) { h := src.HPKP.Clone(); dst.HPKP = &h },
		update: func(dst, src *Policy) {
			var h hpkp.Policy
			if dst.HPKP == nil {
				h = src.HPKP.Clone()
			} else {
				h = hpkp.Update(*dst.HPKP, *src.HPKP)
			}
			dst.HPKP = &h
		},
	},
	scalar("X-Frame-Options", func(p *Policy) *FrameOptions { return &p.FrameOptions }),
	scalar("X-Content-Type-Options", func(p *Policy) *ContentTypeOptions { return &p.ContentTypeOptions }),
	list("Referrer-Policy", func(p *Policy) *ReferrerPolicy { return &p.ReferrerPolicy }, cloneStrings, replaceStrings),
	list("Permissions-Policy", func(p *Policy) *PermissionsPolicy { return &p.PermissionsPolicy }, clonePermissions, mergePermissions),
	scalar("Cross-Origin-Opener-Policy", func(p *Policy) *OpenerPolicy { return &p.OpenerPolicy }),
	scalar("Cross-Origin-Embedder-Policy", func(p *Policy) *EmbedderPolicy { return &p.EmbedderPolicy }),
	scalar("Cross-Origin-Resource-Policy", func(p *Policy) *ResourcePolicy { return &p.ResourcePolicy }),
	scalar("Origin-Agent-Cluster", func(p *Policy) *OriginAgentCluster { return &p.OriginAgentCluster }),
	scalar("X-XSS-Protection", func(p *Policy) *XSSProtection { return &p.XSSProtection }),
	scalar("X-DNS-Prefetch-Control", func(p *Policy) *DNSPrefetchControl { return &p.DNSPrefetchControl }),
	scalar("X-Download-Options", func(p *Policy) *DownloadOptions { return &p.DownloadOptions }),
	scalar("X-Permitted-Cross-Domain-Policies", func(p *Policy) *CrossDomainPolicies { return &p.CrossDomainPolicies }),
	list("Clear-Site-Data", func(p *Policy) *ClearSiteData { return &p.ClearSiteData }, cloneStrings, replaceStrings),
	scalar("Cache-Control", func(p *Policy) *CacheControl { return &p.CacheControl }),
}

// lookup finds a header by config key: its name, its short key or an alias,
// case-insensitive, '_' and '-' alike.
func lookup(key string) *header {
	k := normalizeKey(key)
	for _, e := range lookupTable {
		if e.key == k {
			return e.h
		}
	}
	return nil
}

// lookupTable holds each header's name, short key and aliases folded once
// by normalizeKey, in the order lookup tries them (header by header: name,
// key, aliases), so that a lookup folds only the key it is given.
var lookupTable = func() []struct {
	key string
	h   *header
} {
	var t []struct {
		key string
		h   *header
	}
	for i := range headers {
		h := &headers[i]
		for _, k := range append([]string{h.name, h.key}, h.aliases...) {
			t = append(t, struct {
				key string
				h   *header
			}{normalizeKey(k), h})
		}
	}
	return t
}()

func normalizeKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
}

// SetText sets the header named name (its name, short key or alias, as
// Remove takes it) to value when that header is a typed string
// (X-Content-Type-Options, Cross-Origin-Opener-Policy, Cache-Control, …),
// and reports whether it is one. It does not validate: Validate does.
func (p *Policy) SetText(name, value string) bool {
	h := lookup(name)
	if h == nil || h.setString == nil {
		return false
	}
	h.setString(p, value)
	return true
}
