package policy

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
)

// FromHeader reads the security headers of an HTTP response into a Policy:
// the inverse of Fields, for grading a site someone else runs (secureheaders
// check) or linting a header someone pasted. It is safe for concurrent use and
// never panics, whatever h holds.
//
// It reads as browsers do, leniently: header names in any case; values in any
// ASCII case where the header's grammar says so ("sameorigin",
// "1;mode=block"); a CSP source or directive that does not parse is left out
// and the rest kept; an unknown Referrer-Policy token is skipped. Whatever is
// left out is reported as an *Error whose Path names the header (and
// directive or item): "csp.script-src[2]", "x-frame-options". FromHeader
// returns those errors instead of failing, so a Policy always comes back.
//
// Where one header is sent several times, it keeps what browsers use and
// reports the rest: the first Strict-Transport-Security and Public-Key-Pins
// (RFC 6797 §8.1, RFC 7469 §2.3.1), the first Content-Security-Policy (a
// browser enforces every one, a Policy holds one), and X-Frame-Options only
// when every value agrees. List headers (Referrer-Policy, Permissions-Policy,
// Clear-Site-Data, Reporting-Endpoints, Cache-Control) join their values.
//
// The Policy is not validated: a header can parse yet break a rule of
// Validate (a report-to group without a Reporting-Endpoints entry); Lint
// reports both. A nonce in the CSP is read as a fixed nonce (csp.Nonce): one
// response cannot tell whether it changes per request. Headers this package
// does not model are ignored.
func FromHeader(h http.Header) (Policy, []error) {
	r := headerReader{vals: map[string][]string{}}
	for k, vs := range h {
		lk := strings.ToLower(k)
		r.vals[lk] = append(r.vals[lk], vs...)
	}
	var p Policy
	p.CSP = r.csp("csp", "content-security-policy")
	p.CSPReportOnly = r.csp("csp-report-only", "content-security-policy-report-only")
	p.ReportingEndpoints = r.endpoints()
	p.HSTS = r.hsts()
	p.HPKP = r.hpkp()
	p.FrameOptions = r.frameOptions()
	p.ContentTypeOptions = lowerToken[ContentTypeOptions](&r, "x-content-type-options")
	p.ReferrerPolicy = r.referrer()
	p.PermissionsPolicy = r.permissions()
	p.OpenerPolicy = lowerToken[OpenerPolicy](&r, "cross-origin-opener-policy")
	p.EmbedderPolicy = lowerToken[EmbedderPolicy](&r, "cross-origin-embedder-policy")
	p.ResourcePolicy = lowerToken[ResourcePolicy](&r, "cross-origin-resource-policy")
	p.OriginAgentCluster = lowerToken[OriginAgentCluster](&r, "origin-agent-cluster")
	p.XSSProtection = r.xss()
	p.DNSPrefetchControl = lowerToken[DNSPrefetchControl](&r, "x-dns-prefetch-control")
	p.DownloadOptions = lowerToken[DownloadOptions](&r, "x-download-options")
	p.CrossDomainPolicies = lowerToken[CrossDomainPolicies](&r, "x-permitted-cross-domain-policies")
	p.ClearSiteData = r.clearSiteData()
	p.CacheControl = r.cacheControl()
	return p, r.errs
}

// headerReader holds the response's values by lower-case name and the
// problems found while reading them.
type headerReader struct {
	vals map[string][]string
	errs []error
}

func (r *headerReader) fail(path, reason, fix string) {
	r.errs = append(r.errs, &Error{Path: path, Reason: reason, Fix: fix})
}

// add records every problem of err under path.
func (r *headerReader) add(path string, err error) {
	for e := range AllErrors(cfgerr.Prefix(path, err)) {
		r.errs = append(r.errs, e)
	}
}

// first returns the first value of the header, reporting that the others
// are ignored.
func (r *headerReader) first(key, name, why string) (string, bool) {
	vs := r.vals[name]
	if len(vs) == 0 {
		return "", false
	}
	if len(vs) > 1 {
		r.fail(key, fmt.Sprintf("sent %d times; %s", len(vs), why), "send the header once")
	}
	return strings.TrimSpace(vs[0]), true
}

// joined returns every value of a list header joined with ", ".
func (r *headerReader) joined(name string) (string, bool) {
	vs := r.vals[name]
	if len(vs) == 0 {
		return "", false
	}
	return strings.Join(vs, ", "), true
}

// csp reads one of the two CSP headers. A second policy (another field, or
// a ',' inside one) is reported and ignored.
func (r *headerReader) csp(key, name string) csp.Policy {
	var policies []string
	for _, v := range r.vals[name] {
		policies = append(policies, strings.Split(v, ",")...)
	}
	if len(policies) == 0 {
		return nil
	}
	if len(policies) > 1 {
		r.fail(key, fmt.Sprintf("%d policies sent; browsers enforce each of them, only the first is read here", len(policies)),
			"merge them into one policy")
	}
	out := csp.Policy{}
	for d := range strings.SplitSeq(strings.ReplaceAll(policies[0], "\t", " "), ";") {
		fields := strings.Fields(d)
		if len(fields) == 0 {
			continue
		}
		name := csp.Directive(strings.ToLower(fields[0]))
		if _, dup := out[name]; dup {
			r.fail(key+"."+string(name), "directive repeated; browsers obey only the first", "remove the repeat")
			continue
		}
		r.cspDirective(key, out, name, fields[1:])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cspDirective parses one directive; when the whole does not parse, each
// item is parsed on its own and the good ones kept, as a browser does.
func (r *headerReader) cspDirective(key string, out csp.Policy, name csp.Directive, items []string) {
	whole, err := csp.Parse(string(name) + " " + strings.Join(items, " "))
	if err == nil {
		out[name] = whole[name]
		return
	}
	if len(items) == 0 || !slices.Contains(csp.Directives(), name) {
		r.cspErrors(key, "", -1, err)
		return
	}
	if name == csp.ReportTo {
		// One group only: browsers use the first.
		items = items[:1]
	}
	var kept []csp.Source
	for i, item := range items {
		p, err := csp.Parse(string(name) + " " + item)
		if err != nil {
			r.cspErrors(key, string(name), i, err)
			continue
		}
		kept = append(kept, p[name]...)
	}
	if len(kept) == 0 {
		if !name.SourceList() {
			return
		}
		// An empty source list matches nothing.
		kept = []csp.Source{csp.None}
	}
	out[name] = kept
}

// cspErrors reports the csp errors of err; when index is not negative the
// error concerns item index of directive and its path says so.
func (r *headerReader) cspErrors(key, directive string, index int, err error) {
	for e := range AllErrors(err) {
		path := cfgerr.JoinPath(key, e.Path)
		if index >= 0 {
			path = fmt.Sprintf("%s.%s[%d]", key, directive, index)
		}
		r.errs = append(r.errs, &Error{Path: path, Value: e.Value, Reason: e.Reason, Fix: e.Fix})
	}
}

func (r *headerReader) hsts() *hsts.Policy {
	v, ok := r.first("hsts", "strict-transport-security", "browsers obey only the first")
	if !ok {
		return nil
	}
	p, err := hsts.Parse(v)
	if err != nil {
		r.add("hsts", err)
		return nil
	}
	return &p
}

func (r *headerReader) hpkp() *hpkp.Policy {
	name, reportOnly := "public-key-pins", false
	if len(r.vals[name]) == 0 {
		name, reportOnly = "public-key-pins-report-only", true
	}
	v, ok := r.first("hpkp", name, "browsers obeyed only the first")
	if !ok {
		return nil
	}
	p, err := hpkp.Parse(v)
	if err != nil {
		r.add("hpkp", err)
		return nil
	}
	p.ReportOnly = reportOnly
	return &p
}

func (r *headerReader) frameOptions() FrameOptions {
	var seen []string
	for _, v := range r.vals["x-frame-options"] {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if rest, ok := directive.CutPrefixFold(item, "allow-from "); ok {
				item = "ALLOW-FROM " + strings.TrimSpace(rest)
			} else {
				item = strings.ToUpper(item)
			}
			if !slices.Contains(seen, item) {
				seen = append(seen, item)
			}
		}
	}
	switch {
	case len(seen) == 0:
		return ""
	case len(seen) > 1:
		r.fail("x-frame-options", fmt.Sprintf("conflicting values %s: browsers then ignore the header", quoteList(seen)), `send one value, "DENY" or "SAMEORIGIN"`)
		return ""
	}
	v := FrameOptions(seen[0])
	if err := v.validate(); err != nil {
		r.add("x-frame-options", err)
		return ""
	}
	return v
}

// lowerToken reads a one-token header, lower-cased (the values "?1"/"?0" of
// Origin-Agent-Cluster are unaffected), without parameters (";report-to=…"),
// and keeps it when valid.
func lowerToken[T validator](r *headerReader, name string) T {
	v, ok := r.first(name, name, "only the first is read")
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, ";")
	v = strings.ToLower(strings.TrimSpace(v))
	if name == "x-content-type-options" {
		// Browsers read the first item of a list.
		v, _, _ = strings.Cut(v, ",")
		v = strings.TrimSpace(v)
	}
	if err := T(v).validate(); err != nil {
		r.add(name, err)
		return ""
	}
	return T(v)
}

func (r *headerReader) xss() XSSProtection {
	v, ok := r.first("x-xss-protection", "x-xss-protection", "only the first is read")
	if !ok {
		return ""
	}
	parts := strings.Split(v, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	out := parts[0]
	for _, param := range parts[1:] {
		k, val, _ := strings.Cut(param, "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "mode":
			out += "; mode=" + strings.ToLower(strings.TrimSpace(val))
		case "report":
			out += "; report=" + strings.TrimSpace(val)
		case "":
		default:
			out += "; " + param
		}
	}
	x := XSSProtection(out)
	if err := x.validate(); err != nil {
		r.add("x-xss-protection", err)
		return ""
	}
	return x
}

func (r *headerReader) referrer() ReferrerPolicy {
	v, ok := r.joined("referrer-policy")
	if !ok {
		return nil
	}
	var out ReferrerPolicy
	for i, t := range strings.Split(v, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if err := oneOf(t, referrerValues); err != nil {
			r.errs = append(r.errs, cfgerr.Prefix(fmt.Sprintf("referrer-policy[%d]", i), err))
			continue
		}
		out = append(out, ReferrerToken(t))
	}
	return out
}

// permissions reads the structured-field dictionary of Permissions-Policy:
// feature=*, feature=(), feature=(self "https://a.example"), feature=self.
// Parameters (";report-to=…") are dropped.
func (r *headerReader) permissions() PermissionsPolicy {
	v, ok := r.joined("permissions-policy")
	if !ok {
		return nil
	}
	out := PermissionsPolicy{}
	for member := range strings.SplitSeq(v, ",") {
		member = strings.TrimSpace(member)
		if member == "" {
			continue
		}
		feature, value, _ := strings.Cut(member, "=")
		feature = strings.TrimSpace(feature)
		path := "permissions-policy." + feature
		list, err := allowlist(strings.TrimSpace(value))
		if err != nil || !isSFKey(feature) {
			r.fail(path, fmt.Sprintf("%q is not a feature=allowlist member", member), `write feature=() or feature=(self "https://a.example")`)
			continue
		}
		if _, dup := out[feature]; dup {
			r.fail(path, "feature listed twice; the last one wins", "list it once")
		}
		out[feature] = list
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var errAllowlist = errors.New("bad allowlist")

// allowlist parses one Permissions-Policy member value.
func allowlist(v string) ([]string, error) {
	v, _, _ = strings.Cut(v, ";")
	v = strings.TrimSpace(v)
	inner, isList := strings.CutPrefix(v, "(")
	if isList {
		var ok bool
		if inner, ok = strings.CutSuffix(inner, ")"); !ok {
			return nil, errAllowlist
		}
	} else if v == "" {
		return nil, errAllowlist
	}
	out := []string{}
	for item := range strings.FieldsSeq(inner) {
		if s, ok := strings.CutPrefix(item, `"`); ok {
			if item, ok = strings.CutSuffix(s, `"`); !ok {
				return nil, errAllowlist
			}
		}
		if err := checkAllowlistEntry(item); err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	if isList && strings.Contains(inner, `""`) {
		return nil, errAllowlist
	}
	return out, nil
}

// endpoints reads the Reporting-Endpoints dictionary: name="url", ….
func (r *headerReader) endpoints() ReportingEndpoints {
	v, ok := r.joined("reporting-endpoints")
	if !ok {
		return nil
	}
	out := ReportingEndpoints{}
	for member := range strings.SplitSeq(v, ",") {
		member = strings.TrimSpace(member)
		if member == "" {
			continue
		}
		name, u, _ := strings.Cut(member, "=")
		name = strings.TrimSpace(name)
		u, _, _ = strings.Cut(strings.TrimSpace(u), ";")
		unquoted, ok := strings.CutPrefix(strings.TrimSpace(u), `"`)
		if ok {
			unquoted, ok = strings.CutSuffix(unquoted, `"`)
		}
		if !ok || !isSFKey(name) {
			r.fail("reporting-endpoints."+name, fmt.Sprintf("%q is not a name=\"url\" member", member), `write csp-endpoint="https://example.com/reports"`)
			continue
		}
		out[name] = unquoted
	}
	if err := out.validate(); err != nil {
		r.add("reporting-endpoints", err)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (r *headerReader) clearSiteData() ClearSiteData {
	v, ok := r.joined("clear-site-data")
	if !ok {
		return nil
	}
	var out ClearSiteData
	for i, t := range strings.Split(v, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		bare := strings.Trim(t, `"`)
		if err := oneOf(bare, clearSiteDataValues); err != nil || bare == t {
			r.fail(fmt.Sprintf("clear-site-data[%d]", i), fmt.Sprintf("%s is not a quoted data type", t), `write "cache", "cookies", "storage"`)
			continue
		}
		out = append(out, bare)
	}
	return out
}

func (r *headerReader) cacheControl() CacheControl {
	v, ok := r.joined("cache-control")
	if !ok {
		return ""
	}
	c := CacheControl(strings.TrimSpace(v))
	if err := c.validate(); err != nil {
		r.add("cache-control", err)
		return ""
	}
	return c
}
