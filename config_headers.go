package secureheaders

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/internal/jsontree"
	"github.com/secureheaders/secureheaders/internal/suggest"
	"github.com/secureheaders/secureheaders/policy"
)

// The header names a configuration key can give, besides the canonical
// names of policy.Headers(): the seed's aliases and the short keys.
var headerAliases = []struct{ alias, name string }{
	{"CSP", "Content-Security-Policy"},
	{"CSP-Report-Only", "Content-Security-Policy-Report-Only"},
	{"HSTS", "Strict-Transport-Security"},
	{"HPKP", "Public-Key-Pins"},
	{"Public-Key-Pins-Report-Only", "Public-Key-Pins"},
}

var headerNames = policy.Headers()

// normalizeKey folds a header-like key: ASCII case-insensitive, '_' as '-'.
func normalizeKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-"))
}

// headerName returns the canonical header name for a configuration key, or
// "" when key names no header.
func headerName(key string) string {
	k := normalizeKey(key)
	for _, e := range headerKeyTable {
		if e.key == k {
			return e.name
		}
	}
	return ""
}

// headerKeyTable is every header name, then every alias, folded once by
// normalizeKey, in the order headerName tries them (folding the 24 keys
// again for every key read was 2,500 of the 17,900 allocations of
// ParseConfig + New with 50 routes: bench's BenchmarkCompile, from=config,
// -memprofile).
var headerKeyTable = func() []struct{ key, name string } {
	var t []struct{ key, name string }
	for _, name := range headerNames {
		t = append(t, struct{ key, name string }{normalizeKey(name), name})
	}
	for _, a := range headerAliases {
		t = append(t, struct{ key, name string }{normalizeKey(a.alias), a.name})
	}
	return t
}()

// sameHeader makes two spellings of one header the same key; unknown keys
// fold like header names.
func sameHeader(key string) string {
	if name := headerName(key); name != "" {
		return name
	}
	return normalizeKey(key)
}

func unknownHeader(path, value, name string) *cfgerr.Error {
	fix := "use one of the header names of policy.Headers(), or CSP, HSTS, HPKP"
	candidates := append([]string{}, headerNames...)
	for _, a := range headerAliases {
		candidates = append(candidates, a.alias)
	}
	if s := suggest.Closest(name, candidates); s != "" {
		fix = fmt.Sprintf("did you mean %q?", s)
	}
	return cfgerr.New(path, value, "unknown header", fix)
}

// nullFix is the fix of an empty header value.
const nullFix = "remove the header with null"

// headerList reads a non-empty list of header names, each checked.
func (d *decoder) headerList(n *jsontree.Node, fix string) []string {
	if n.Kind != jsontree.Array {
		d.wrongKind(n, "a list of header names", fix)
		return nil
	}
	if len(n.Elems) == 0 {
		d.add(n.Path, "", "empty list", "list the headers to drop, or leave the key out")
	}
	var out []string
	for _, e := range n.Elems {
		if e.Kind != jsontree.String {
			d.wrongKind(e, "a header name", fix)
			continue
		}
		name := headerName(e.Text)
		if name == "" {
			d.errs = append(d.errs, unknownHeader(e.Path, e.Text, e.Text))
			continue
		}
		out = append(out, name)
	}
	return out
}

// apply decodes a rewrite or update object and applies it to p.
func (d *decoder) apply(n *jsontree.Node, p policy.Policy, update bool) policy.Policy {
	patch, removed := d.patch(n, p, update)
	if update {
		p = policy.Update(p, patch)
	} else {
		p = policy.Rewrite(p, patch)
	}
	out, err := policy.Remove(p, removed...)
	d.prefixed(n.Path, err)
	return out
}

// patch decodes an update or rewrite object into a Policy holding the given
// headers and the names of the headers set to null. In update mode a
// partial object is read on top of the header's current value in base.
func (d *decoder) patch(n *jsontree.Node, base policy.Policy, update bool) (policy.Policy, []string) {
	var (
		patch   policy.Policy
		removed []string
	)
	members, ok := d.object(n, sameHeader, "an object of header names to policies", `write {"CSP": {"script-src": ["self"]}}`,
		`leave the key out, or write {"CSP": {"script-src": ["self"]}}`)
	if !ok {
		return patch, nil
	}
	reportOnlyBy := "" // the key that set the report-only CSP
	for _, m := range members {
		v := m.Value
		name := headerName(m.Key)
		if name == "" {
			d.errs = append(d.errs, unknownHeader(v.Path, "", m.Key))
			continue
		}
		if v.Kind == jsontree.Null {
			removed = append(removed, name)
			continue
		}
		start := policy.Policy{}
		if update {
			start = base
		}
		before, prev := len(d.errs), patch
		switch name {
		case "Content-Security-Policy", "Content-Security-Policy-Report-Only":
			c, ro := d.cspValue(v, update, name == "Content-Security-Policy-Report-Only")
			if len(d.errs) > before {
				continue
			}
			if name == "Content-Security-Policy" && !ro {
				patch.CSP = c
				continue
			}
			if reportOnlyBy != "" {
				d.add(v.Path, reportOnlyBy, "the report-only CSP is given twice, also by", "merge the two policies into one")
				continue
			}
			if name == "Content-Security-Policy" {
				// The seed's "report-only": true sends the (updated) CSP as
				// Content-Security-Policy-Report-Only instead.
				reportOnlyBy = m.Key + ".report-only"
				if update {
					c = policy.Update(policy.Policy{CSP: base.CSP}, policy.Policy{CSP: c}).CSP
				}
				removed = append(removed, "Content-Security-Policy")
			} else {
				reportOnlyBy = m.Key
			}
			patch.CSPReportOnly = c
		case "Strict-Transport-Security":
			patch.HSTS = d.hstsValue(v, start.HSTS)
		case "Public-Key-Pins":
			patch.HPKP = d.hpkpValue(v, start.HPKP, normalizeKey(m.Key) == "public-key-pins-report-only")
		case "X-XSS-Protection":
			patch.XSSProtection = policy.XSSProtection(d.xssValue(v, string(start.XSSProtection)))
		case "X-Frame-Options":
			s := d.simpleValue(v)
			if rest, ok := directive.CutPrefixFold(s, "allow-from "); ok {
				s = "ALLOW-FROM " + rest
			} else {
				s = strings.ToUpper(s)
			}
			patch.FrameOptions = policy.FrameOptions(s)
		case "Referrer-Policy":
			for _, t := range d.listValue(v) {
				patch.ReferrerPolicy = append(patch.ReferrerPolicy, policy.ReferrerToken(t))
			}
		case "Clear-Site-Data":
			l := d.listValue(v)
			for i, t := range l {
				l[i] = strings.Trim(t, `"`)
			}
			patch.ClearSiteData = policy.ClearSiteData(l)
		case "Permissions-Policy":
			patch.PermissionsPolicy = d.permissions(v)
		case "Reporting-Endpoints":
			patch.ReportingEndpoints = d.endpoints(v)
		case "Origin-Agent-Cluster":
			patch.OriginAgentCluster = policy.OriginAgentCluster(d.boolOrString(v, "?1", "?0"))
		case "X-DNS-Prefetch-Control":
			patch.DNSPrefetchControl = policy.DNSPrefetchControl(d.boolOrString(v, "on", "off"))
		default:
			if !patch.SetText(name, d.simpleValue(v)) {
				panic("secureheaders: no decoder for header " + name) // TestHeaderDecoders keeps this unreachable
			}
		}
		if len(d.errs) > before {
			patch = prev // a header that does not decode is left out
		}
	}
	return patch, removed
}

// simpleValue reads "v", a number, or the seed's {"value": v}; an empty
// value is an error.
func (d *decoder) simpleValue(n *jsontree.Node) string {
	if n.Kind == jsontree.Object {
		members, errs := n.Unique(nil)
		d.errs = append(d.errs, errs...)
		var value *jsontree.Node
		for _, m := range members {
			if m.Key == "value" {
				value = m.Value
			} else {
				d.add(m.Value.Path, "", "unknown key", `this header takes only {"value": …}`)
			}
		}
		if value == nil {
			d.add(n.Path, "", `missing "value"`, `write {"value": "…"}, or remove the header with null`)
			return ""
		}
		n = value
	}
	s, ok := scalarString(n)
	if !ok {
		d.wrongKind(n, "a string", `write "value" or {"value": "value"}`)
		return ""
	}
	if s == "" {
		d.add(n.Path, "", "empty value", nullFix)
	}
	return s
}

// scalarString reads a string, or a number as written.
func scalarString(n *jsontree.Node) (string, bool) {
	switch n.Kind {
	case jsontree.String, jsontree.Number:
		return n.Text, true
	}
	return "", false
}

// listValue reads a non-empty list of strings, or one string of
// comma-separated items, or {"value": either}.
func (d *decoder) listValue(n *jsontree.Node) []string {
	if n.Kind == jsontree.Array {
		if len(n.Elems) == 0 {
			d.add(n.Path, "", "empty list", nullFix)
		}
		var l []string
		for _, e := range n.Elems {
			if e.Kind != jsontree.String {
				d.wrongKind(e, "a string", `write ["no-referrer"]`)
				continue
			}
			l = append(l, e.Text)
		}
		return l
	}
	var l []string
	for item := range strings.SplitSeq(d.simpleValue(n), ",") {
		if item = strings.TrimSpace(item); item != "" {
			l = append(l, item)
		}
	}
	return l
}

func (d *decoder) boolOrString(n *jsontree.Node, on, off string) string {
	if n.Kind == jsontree.Bool {
		if n.Bool {
			return on
		}
		return off
	}
	return d.simpleValue(n)
}

// object returns the members of n, an object with at least one member, and
// true. A value of another kind is reported as not being what (with fix), an
// empty object with emptyFix, and a key given twice (same spellings, see
// jsontree.Node.Unique) each time after the first; ok is false for the
// first two.
func (d *decoder) object(n *jsontree.Node, same func(string) string, what, fix, emptyFix string) (members []jsontree.Member, ok bool) {
	if n.Kind != jsontree.Object {
		d.wrongKind(n, what, fix)
		return nil, false
	}
	if len(n.Members) == 0 {
		d.add(n.Path, "", "empty object", emptyFix)
		return nil, false
	}
	members, errs := n.Unique(same)
	d.errs = append(d.errs, errs...)
	return members, true
}

// permissions reads {"feature": ["origin", …]}; an empty allowlist is the
// feature disabled, camera=().
func (d *decoder) permissions(n *jsontree.Node) policy.PermissionsPolicy {
	const fix = `write {"camera": [], "geolocation": ["self", "https://maps.example"]}`
	members, ok := d.object(n, nil, "an object of features to allowlists", fix, nullFix)
	if !ok {
		return nil
	}
	out := policy.PermissionsPolicy{}
	for _, m := range members {
		if m.Value.Kind != jsontree.Array {
			d.wrongKind(m.Value, "a list of origins", `write [] to disable the feature, or ["self"]`)
			continue
		}
		l := []string{}
		for _, e := range m.Value.Elems {
			if e.Kind != jsontree.String {
				d.wrongKind(e, "a string", `write "self" or "https://maps.example"`)
				continue
			}
			l = append(l, e.Text)
		}
		out[m.Key] = l
	}
	return out
}

// endpoints reads {"name": "url"}.
func (d *decoder) endpoints(n *jsontree.Node) policy.ReportingEndpoints {
	const fix = `write {"csp-endpoint": "/csp-report"}`
	members, ok := d.object(n, nil, "an object of endpoint names to URLs", fix, nullFix)
	if !ok {
		return nil
	}
	out := policy.ReportingEndpoints{}
	for _, m := range members {
		out[m.Key] = d.str(m.Value, `write "/csp-report"`)
	}
	return out
}

// sameCSPKey makes the spellings of a CSP directive (case-insensitive) and of
// "report-only" / "read-only" the same key.
func sameCSPKey(key string) string {
	k := strings.ToLower(key)
	if nk := normalizeKey(key); nk == "report-only" || nk == "read-only" {
		return "report-only"
	}
	return k
}

// cspValue reads {"directive": ["source", …] | true, "report-only": bool} or
// a header string. reportOnly is the seed's "report-only": true; it is
// refused on Content-Security-Policy-Report-Only (roHeader), where it would
// change nothing, unless it is true.
func (d *decoder) cspValue(n *jsontree.Node, update, roHeader bool) (c csp.Policy, reportOnly bool) {
	if n.Kind == jsontree.String {
		if n.Text == "" {
			d.add(n.Path, "", "empty value", nullFix)
			return nil, false
		}
		p, err := csp.Parse(n.Text)
		d.prefixed(n.Path, err)
		return p, false
	}
	if n.Kind != jsontree.Object {
		d.wrongKind(n, "an object of directives to source lists", `write {"script-src": ["self", "nonce"], "upgrade-insecure-requests": true}`)
		return nil, false
	}
	before := len(d.errs)
	members, errs := n.Unique(sameCSPKey)
	d.errs = append(d.errs, errs...)
	out := make(csp.Policy, len(members))
	roGiven := false
	for _, m := range members {
		v := m.Value
		if sameCSPKey(m.Key) == "report-only" {
			roGiven = true
			reportOnly = d.boolean(v)
			continue
		}
		if err := headerval.CheckAtom(m.Key); err != nil {
			d.add(v.Path, "", "invalid directive name: "+directive.ByteProblem(err), `write a directive name such as "script-src"`)
			continue
		}
		dir := csp.Directive(strings.ToLower(m.Key))
		switch v.Kind {
		case jsontree.Bool:
			if !v.Bool {
				d.add(v.Path, "", "false sends nothing", "leave the directive out; to drop it from the preset, rewrite the header without it")
				continue
			}
			d.parseDirective(v.Path, out, m.Key, nil)
		case jsontree.Null:
			d.add(v.Path, "", "null sends nothing", "leave the directive out; to drop it from the preset, rewrite the header without it")
		case jsontree.Array:
			if len(v.Elems) == 0 {
				d.add(v.Path, "", "empty source list", emptyDirectiveFix(dir))
				continue
			}
			var sources []string
			for _, e := range v.Elems {
				if e.Kind != jsontree.String {
					d.wrongKind(e, "a source string", `write "self" or "https://cdn.example"`)
					continue
				}
				sources = append(sources, e.Text)
			}
			if len(sources) == len(v.Elems) {
				d.parseDirective(v.Path, out, m.Key, sources)
			}
		default:
			d.wrongKind(v, "a list of sources or true", `write ["self", "https://cdn.example"]`)
		}
	}
	moves := update && roGiven && reportOnly && !roHeader // the base's CSP becomes report-only
	if len(out) == 0 && len(d.errs) == before && !moves {
		d.add(n.Path, "", "empty policy: no directive is sent", nullFix)
	}
	return out, reportOnly && !roHeader
}

// emptyDirectiveFix says what to write instead of an empty source list.
func emptyDirectiveFix(dir csp.Directive) string {
	switch {
	case dir == csp.Sandbox:
		return "write true for a bare sandbox, or leave the directive out"
	case csp.IsFetch(dir) || dir == csp.BaseURI || dir == csp.FormAction || dir == csp.FrameAncestors:
		return `write ["none"] to allow nothing, or leave the directive out`
	case dir == csp.UpgradeInsecureRequests:
		return "write true, or leave the directive out"
	}
	return "leave the directive out"
}

// parseDirective parses one directive through csp.Parse so that the config
// and header text obey the same grammar, after checking that no source can
// split the directive.
func (d *decoder) parseDirective(path string, out csp.Policy, name string, sources []string) {
	for i, s := range sources {
		if err := headerval.CheckAtom(s); err != nil {
			d.add(path+cfgerr.Index(i), s, directive.ByteProblem(err)+" in the source", "write one source per list item, without spaces, ';' or ','")
			return
		}
	}
	// name + " " + strings.Join(sources, " "), in one allocation.
	n := len(name)
	for _, s := range sources {
		n += 1 + len(s)
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(name)
	for _, s := range sources {
		b.WriteByte(' ')
		b.WriteString(s)
	}
	p, err := csp.Parse(strings.TrimSpace(b.String()))
	if err != nil {
		d.prefixed(strings.TrimSuffix(path, "."+name), err)
		return
	}
	maps.Copy(out, p)
}

// sameHeaderKey makes the spellings of HSTS and HPKP keys the same key.
func sameHeaderKey(key string) string {
	switch k := normalizeKey(key); k {
	case "max-age", "maxage":
		return "max-age"
	case "includesubdomains", "include-subdomains":
		return "includesubdomains"
	case "report-only", "read-only":
		return "report-only"
	default:
		return k
	}
}

// hstsValue reads {"max-age": n, "includeSubDomains": b, "preload": b} on
// top of start (update mode), or a header string. "max-age": 0 expires the
// policy (hsts.Policy.Expire); without a start, max-age is required.
func (d *decoder) hstsValue(n *jsontree.Node, start *hsts.Policy) *hsts.Policy {
	if n.Kind == jsontree.String {
		p, err := hsts.Parse(n.Text)
		d.prefixed(n.Path, err)
		return &p
	}
	members, ok := d.object(n, sameHeaderKey, "an object", `write {"max-age": 31536000, "includeSubDomains": true}`, `give "max-age", or `+nullFix)
	if !ok {
		return nil
	}
	var out hsts.Policy
	if start != nil {
		out = *start
	}
	maxAge := false
	for _, m := range members {
		v := m.Value
		switch sameHeaderKey(m.Key) {
		case "max-age":
			maxAge = true
			out.MaxAge = d.seconds(v)
			out.Expire = out.MaxAge == 0
		case "includesubdomains":
			out.IncludeSubDomains = d.boolean(v)
		case "preload":
			out.Preload = d.boolean(v)
		default:
			d.add(v.Path, "", "unknown key", didYouMean(m.Key, []string{"max-age", "includeSubDomains", "preload"}))
		}
	}
	if !maxAge && start == nil {
		d.add(n.Path, "", `"max-age" is missing`, `add "max-age": 31536000 (one year), or "max-age": 0 to make browsers forget the host`)
	}
	return &out
}

// hpkpValue reads {"pins": [{"sha256": "…"}], "max-age": n,
// "includeSubDomains": b, "report-uri": "…", "report-only": b}; pins are
// unioned with start's by Update, scalars read on top of start.
func (d *decoder) hpkpValue(n *jsontree.Node, start *hpkp.Policy, reportOnly bool) *hpkp.Policy {
	const fix = `write {"pins": [{"sha256": "…"}, {"sha256": "…"}], "max-age": 5184000}`
	members, ok := d.object(n, sameHeaderKey, "an object", fix, nullFix)
	if !ok {
		return nil
	}
	// A new HPKP starts from 60 days (RFC 7469 §4.1's suggested ceiling,
	// and the seed's default) so that adding pins never sends max-age=0.
	out := hpkp.Policy{MaxAge: hpkpDefaultMaxAge}
	if start != nil {
		out = start.Clone()
		out.Pins = nil
	}
	if reportOnly {
		out.ReportOnly = true
	}
	keys := []string{"pins", "max-age", "includeSubDomains", "report-uri", "report-only"}
	for _, m := range members {
		v := m.Value
		switch sameHeaderKey(m.Key) {
		case "pins":
			if v.Kind != jsontree.Array {
				d.wrongKind(v, `a list of {"sha256": "base64"}`, `write [{"sha256": "base64"}, {"sha256": "base64"}]`)
				continue
			}
			for _, e := range v.Elems {
				if e.Kind != jsontree.Object || len(e.Members) != 1 {
					d.add(e.Path, "", "must hold exactly one algorithm: hash pair", `write {"sha256": "base64"}`)
					continue
				}
				alg := e.Members[0]
				out.Pins = append(out.Pins, hpkp.Pin{Alg: alg.Key, Hash: d.str(alg.Value, `write "base64"`)})
			}
		case "max-age":
			out.MaxAge = d.seconds(v)
		case "includesubdomains":
			out.IncludeSubDomains = d.boolean(v)
		case "report-uri":
			out.ReportURI = d.str(v, `write "https://example.com/hpkp-report"`)
		case "report-only":
			out.ReportOnly = d.boolean(v)
		default:
			d.add(v.Path, "", "unknown key", didYouMean(m.Key, keys))
		}
	}
	return &out
}

// hpkpDefaultMaxAge is the max-age of an HPKP policy started by a config.
const hpkpDefaultMaxAge = 5184000 * time.Second

// xssValue reads "1; mode=block", 0, or the seed's {"value": 1, "mode":
// "block" | false, "report": "uri"} on top of start.
func (d *decoder) xssValue(n *jsontree.Node, start string) string {
	if s, ok := scalarString(n); ok {
		if s == "" {
			d.add(n.Path, "", "empty value", nullFix)
		}
		return s
	}
	if n.Kind != jsontree.Object {
		d.wrongKind(n, "a string or an object", `write "0", or {"value": 1, "mode": "block"}`)
		return ""
	}
	if len(n.Members) == 0 {
		d.add(n.Path, "", "empty object", nullFix)
		return ""
	}
	value, rest, _ := strings.Cut(start, ";")
	mode, report := "", ""
	rest = strings.TrimSpace(rest)
	if m, ok := strings.CutPrefix(rest, "mode="); ok {
		mode = m
	} else if r, ok := strings.CutPrefix(rest, "report="); ok {
		report = r
	}
	members, errs := n.Unique(nil)
	d.errs = append(d.errs, errs...)
	for _, m := range members {
		v := m.Value
		switch m.Key {
		case "value":
			s, ok := scalarString(v)
			if !ok {
				d.add(v.Path, "", "must be 0 or 1, got "+v.Kind.String(), "write 0")
			}
			value = s
		case "mode", "report":
			var s string
			switch {
			case v.Kind == jsontree.Bool && !v.Bool:
			case v.Kind == jsontree.String && v.Text != "":
				s = v.Text
			default:
				d.add(v.Path, "", "must be a non-empty string or false, got "+v.Kind.String(), `write "block", or false`)
			}
			if m.Key == "mode" {
				mode = s
			} else {
				report = s
			}
		default:
			d.add(v.Path, "", "unknown key", "keys are value, mode, report")
		}
	}
	switch {
	case value == "0":
		return value // "0" takes no parameters: a mode or report left from the base is dropped
	case mode != "":
		return value + "; mode=" + mode
	case report != "":
		return value + "; report=" + report
	}
	return value
}

// seconds reads a whole number of seconds: digits, as a JSON number or a
// string.
func (d *decoder) seconds(n *jsontree.Node) time.Duration {
	const fix = "write e.g. 31536000 for a year"
	text, ok := scalarString(n)
	if !ok {
		d.add(n.Path, "", "must be a whole number of seconds, got "+n.Kind.String(), fix)
		return 0
	}
	if n.Kind == jsontree.String && (text == "" || strings.Trim(text, "0123456789") != "") {
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			d.errs = append(d.errs, directive.GotError(n.Path, "must be a whole number of seconds, got", text, fix))
			return 0
		}
	}
	u, ok := d.digits(n.Path, text, "a whole number of seconds", fix, "use 0 to expire the policy, or a positive number of seconds")
	if !ok {
		return 0
	}
	if u > uint64(1<<63-1)/uint64(time.Second) {
		d.add(n.Path, text, "too many seconds for a time.Duration, got", "use at most 63072000 (two years)")
		return 0
	}
	return time.Duration(u) * time.Second
}
