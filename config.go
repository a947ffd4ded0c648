package secureheaders

import (
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/jsontree"
	"github.com/secureheaders/secureheaders/internal/patmux"
	"github.com/secureheaders/secureheaders/internal/suggest"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// LoadConfig reads the JSON configuration file at path and decodes it with
// ParseConfig.
func LoadConfig(path string) (*Options, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(data)
}

// ParseConfig decodes a JSON configuration file (see docs/config.md) into
// the Options it describes; build the engine with New, after setting
// ReportSink and Logger in Go. ParseConfig validates by compiling the
// configuration, and the first New given the returned Options uses that
// compile instead of doing it again, unless Policy or Routes were changed
// in between.
//
// The decoder is strict, and reports every problem at once (errors.Join of
// *policy.Error values, each with the JSON path of the problem):
//
//   - Unknown keys are errors, with a "did you mean" for near misses. The keys
//     of the top level, of "https", "cookies", "reports" and of a route
//     match exactly, case included; header names match case-insensitively
//     with '_' and '-' alike, as do the aliases CSP, HSTS and HPKP, and the
//     spellings of a header's own keys ("max-age"/"maxage",
//     "includeSubDomains"/"include_subdomains", "report-only"/"read-only").
//   - A key given twice in one object is an error, counting the spellings
//     that mean the same key as the same key.
//   - Integers are digits only: -0, 1e3, 3.0 and negative numbers are
//     refused (the JSON grammar already refuses +1 and 01).
//   - In the policy sections, an empty value (an empty string, list or
//     object, a CSP without directives, a directive without sources) is an
//     error: null removes a header. In "https", "cookies" and "reports" an
//     empty string or list is the field's zero value.
//   - A value of the wrong JSON type reads "must be a boolean/number/
//     string/list/object", never a Go type name.
//
// The options are then checked as New checks them (the policy, every route,
// HTTPS, cookies, proxies, the report receiver), without starting anything
// that outlives the call. On any error the returned *Options is nil.
func ParseConfig(data []byte) (*Options, error) {
	root, err := jsontree.Parse(data)
	if err != nil {
		return nil, err
	}
	d := &decoder{}
	opts := d.file(root)
	if len(d.errs) > 0 {
		// Report the HTTPS, cookie, proxy and receiver problems too, all at
		// once; a field that failed to decode is zero, so it adds none.
		if opts == nil {
			return nil, cfgerr.Join(d.errs)
		}
		if st, err := compileServing(opts); err != nil {
			d.errs = append(d.errs, err)
		} else if st.reports != nil {
			st.reports.Close()
		}
		return nil, cfgerr.Join(d.errs)
	}
	// The decoder has applied and validated every route's layered policy
	// and the app policy: the compile uses them instead of doing it again.
	e := &Engine{}
	if err := e.reconfigure(opts, d.decoded); err != nil {
		return nil, err
	}
	keepParsedCompile(opts, e.state.Load())
	e.Close()
	return opts, nil
}

// decoder collects the problems of one file.
type decoder struct {
	errs []error
	// decoded is the policy of each route of the Options (in their
	// order), the app policy and the covering routes' overrides applied,
	// validated; nil when a route's policy did not validate (there is
	// then an error, or the app policy is invalid).
	decoded []policy.Policy
}

func (d *decoder) add(path, value, reason, fix string) {
	d.errs = append(d.errs, cfgerr.New(path, value, reason, fix))
}

// prefixed appends err's problems with path in front of their paths.
func (d *decoder) prefixed(path string, err error) {
	if err != nil {
		d.errs = append(d.errs, cfgerr.Prefix(path, err))
	}
}

// wrongKind reports that n is not of the kind want names.
func (d *decoder) wrongKind(n *jsontree.Node, want, fix string) {
	d.add(n.Path, "", "must be "+want+", got "+n.Kind.String(), fix)
}

// The keys of the exact-match sections, in the order docs/config.md lists
// them (and "did you mean" prefers).
var (
	topKeys        = []string{"preset", "rewrite", "update", "remove", "routes", "trustedProxies", "https", "reports", "cookies"}
	httpsKeys      = []string{"redirect", "permanent", "host", "port", "skips", "exempt", "insecureBypassPatterns", "development", "proxyHeader", "allowedHosts", "canonicalHost", "upgradeLocation", "nonIdempotent", "trustForwardedHost", "proxyElement"}
	cookiesKeys    = []string{"secure", "httpOnly", "sameSite", "rules", "only", "except"}
	cookieRuleKeys = []string{"names", "secure", "httpOnly", "sameSite", "skip"}
	reportsKeys    = []string{"path", "maxBytes", "allowedOrigins", "ratePerSecond", "burst", "queueSize", "dedupWindow", "sinkBytesPerSecond"}
	routeKeys      = []string{"rewrite", "replaceDirectives", "update", "remove", "redirect", "hostCheck"}
)

// fields are the known members of an object, in file order.
type fields []jsontree.Member

// get returns the value of key, or nil.
func (f fields) get(key string) *jsontree.Node {
	for _, m := range f {
		if m.Key == key {
			return m.Value
		}
	}
	return nil
}

// section reads an object whose keys match keys exactly. Unknown keys and
// keys given twice are reported; trustedProxies, which moved to the top
// level, gets its own error. It returns the known members, or nil when n is
// not an object.
func (d *decoder) section(n *jsontree.Node, keys []string, fix string) fields {
	if n.Kind != jsontree.Object {
		d.wrongKind(n, "an object", fix)
		return nil
	}
	members, errs := n.Unique(nil)
	d.errs = append(d.errs, errs...)
	out := make(fields, 0, len(members))
	for _, m := range members {
		switch {
		case slices.Contains(keys, m.Key):
			out = append(out, m)
		case m.Key == "trustedProxies" && n.Path == "https":
			// The v0.1 place, kept as an alias of the top-level key: file
			// reads it.
		case m.Key == "trustedProxies" && n.Path != "":
			d.add(m.Value.Path, "", "moved to the top level of the file in v0.2",
				`write "trustedProxies": […] next to "`+n.Path+`", where the engine, the HTTPS check and the report receiver share it`)
		case n.Path == "" && (sameHeaderKey(m.Key) == sameHeaderKey("report-only")):
			// flask-secure-headers users write it at the top of a policy.
			d.add(m.Value.Path, "", "unknown key: report-only belongs to one header",
				`write it inside the header: {"update": {"CSP": {"report-only": true}}}`)
		default:
			d.add(m.Value.Path, "", "unknown key", didYouMean(m.Key, keys))
		}
	}
	return out
}

// didYouMean suggests the key nearest to key, or lists the keys.
func didYouMean(key string, keys []string) string {
	s := suggest.Closest(key, keys)
	switch {
	case s == "":
		return "keys are " + strings.Join(keys, ", ")
	case asciiEqualFold(s, key):
		return "did you mean " + strconv.Quote(s) + "? keys are case-sensitive"
	}
	return "did you mean " + strconv.Quote(s) + "?"
}

// asciiEqualFold is strings.EqualFold for ASCII only: "ſ" (U+017F) is not
// "s" here.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		ca, cb := a[i], b[i]
		if 'A' <= ca && ca <= 'Z' {
			ca += 'a' - 'A'
		}
		if 'A' <= cb && cb <= 'Z' {
			cb += 'a' - 'A'
		}
		if ca != cb {
			return false
		}
	}
	return true
}

// file decodes the whole document.
func (d *decoder) file(root *jsontree.Node) *Options {
	if root.Kind != jsontree.Object {
		d.add("", "", "the configuration must be a JSON object, got "+root.Kind.String(), `write {"preset": "recommended", "update": {…}}`)
		return nil
	}
	top := d.section(root, topKeys, "")
	opts := &Options{}

	preset := policy.PresetRecommended
	if n := top.get("preset"); n != nil {
		if n.Kind != jsontree.String {
			d.wrongKind(n, "a string", `write "recommended", "strict", "flask-secure-headers" or "none"`)
		} else {
			preset = n.Text
		}
	}
	p, err := policy.ByName(preset)
	if err != nil {
		d.errs = append(d.errs, err)
	}
	if n := top.get("rewrite"); n != nil {
		p = d.apply(n, p, false)
	}
	if n := top.get("update"); n != nil {
		p = d.apply(n, p, true)
	}
	if n := top.get("remove"); n != nil {
		names := d.headerList(n, `write ["X-Download-Options", "HPKP"]`)
		out, err := policy.Remove(p, names...)
		d.prefixed("", err)
		p = out
	}
	opts.Policy = &p
	appErr := policy.Validate(p)
	d.prefixed("", appErr)
	if n := top.get("routes"); n != nil {
		opts.Routes = d.routes(n, p, appErr == nil)
	}
	if n := top.get("trustedProxies"); n != nil {
		opts.TrustedProxies = d.strings(n, `write ["10.0.0.0/8", "192.0.2.7"]`)
	}
	if h := top.get("https"); h != nil && h.Kind == jsontree.Object {
		if alias := fields(h.Members).get("trustedProxies"); alias != nil {
			if top.get("trustedProxies") != nil {
				d.add(alias.Path, "", "given twice, here and at the top level (one list serves the HTTPS check and the report receiver)",
					`keep the top-level "trustedProxies" and delete this one`)
			} else {
				opts.TrustedProxies = d.strings(alias, `write ["10.0.0.0/8", "192.0.2.7"]`)
			}
		}
	}
	if n := top.get("https"); n != nil {
		opts.HTTPS = d.https(n)
	}
	if n := top.get("cookies"); n != nil {
		opts.Cookies = d.cookies(n)
	}
	if n := top.get("reports"); n != nil {
		opts.Reports = d.reports(n)
	}
	return opts
}

// routes decodes {"pattern": {"rewrite": {…}, "replaceDirectives": {…},
// "update": {…}, "remove": […], "redirect": b, "hostCheck": b}}. Routes layer as the engine
// layers them (layerPatterns): each route's objects are read on top of the
// policy of the routes that cover it, applied to the app policy, so the
// routes are decoded least specific first; their problems are reported in
// the order of the file. Each route's policy is validated when the app
// policy and the routes under it are valid (else their problems would be
// repeated for every route).
func (d *decoder) routes(n *jsontree.Node, app policy.Policy, validate bool) []policy.Route {
	const fix = `write {"/embed/": {"update": {…}, "remove": ["X-Frame-Options"]}}`
	members, ok := d.object(n, nil, "an object of ServeMux patterns to {rewrite, replaceDirectives, update, remove, redirect, hostCheck}", fix, "leave the key out")
	if !ok {
		return nil
	}
	type entry struct {
		key, path string
		f         fields
		route     policy.Route  // when ok
		ok        bool          // it decoded
		policy    policy.Policy // its layered policy, when route is set
		valid     bool          // its layered policy validates
		errs      []error
	}
	entries := make([]entry, 0, len(members)) // one allocation, not one per route
	for _, m := range members {
		path := m.Value.Path
		if m.Key == "" || strings.ContainsAny(m.Key, "\r\n\x00") {
			reason := "invalid route pattern"
			if m.Key == "" {
				reason = "empty route pattern"
			}
			d.add(n.Path, m.Key, reason, `write a ServeMux pattern such as "/embed/" or "GET /api/{id}"`)
			continue
		}
		f := d.section(m.Value, routeKeys, `write {"update": {…}, "remove": […], "redirect": false}`)
		if f == nil {
			continue
		}
		if len(m.Value.Members) == 0 {
			d.add(path, "", "empty route", "give it a rewrite, an update, a remove, \"redirect\": false or \"hostCheck\": false, or leave the route out")
			continue
		}
		entries = append(entries, entry{key: m.Key, path: path, f: f})
	}
	pats := make([]string, len(entries))
	for i := range entries {
		pats[i] = entries[i].key
	}
	layers := patmux.Layers(pats)
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(layers[a]) - len(layers[b]) })
	saved := d.errs
	for _, i := range order {
		e := &entries[i]
		d.errs = nil
		// The policy this route layers on: its covering routes, least
		// specific first, on the app policy.
		base, under := app, true
		for _, j := range layers[i] {
			if c := &entries[j]; c.ok && len(c.errs) == 0 {
				base, _ = c.route.Override.Apply(base) // succeeded when j was decoded
				under = under && entries[j].valid
			} else {
				under = false
			}
		}
		r, rp, ok := d.route(e.path, e.f, base)
		if ok {
			e.route, e.ok = r, true
			e.route.Pattern = e.key
			err := policy.Validate(rp)
			e.policy, e.valid = rp, err == nil
			if validate && under && err != nil {
				d.prefixed(e.path, err)
				e.ok = false
			}
		}
		e.errs, d.errs = d.errs, nil
	}
	d.errs = saved
	out := make([]policy.Route, 0, len(entries))
	decoded, valid := make([]policy.Policy, 0, len(entries)), validate
	for i := range entries {
		e := &entries[i]
		d.errs = append(d.errs, e.errs...)
		if e.ok && len(e.errs) == 0 {
			out = append(out, e.route)
			decoded = append(decoded, e.policy)
			valid = valid && e.valid
		}
	}
	if valid {
		d.decoded = decoded
	}
	return out
}

// route decodes one route's members on top of base, the policy it layers
// on, and returns it with its policy; ok is false when Apply fails (the
// problems are reported with the route's path).
func (d *decoder) route(path string, f fields, base policy.Policy) (r policy.Route, p policy.Policy, ok bool) {
	var removed []string
	if rw := f.get("rewrite"); rw != nil {
		r.Override.Rewrite, removed = d.patch(rw, base, false)
	}
	// Update and ReplaceDirectives read on top of what the rewrite left.
	cur := base
	if f.get("rewrite") != nil {
		cur = policy.Rewrite(base, r.Override.Rewrite)
	}
	if rd := f.get("replaceDirectives"); rd != nil {
		before := len(d.errs)
		patch, nulls := d.patch(rd, policy.Policy{}, false)
		if len(nulls) > 0 && len(d.errs) == before {
			d.add(rd.Path, "", "holds CSP directives only: null and \"report-only\" are not accepted here",
				`write {"CSP": {"script-src": ["self", "sha256-…"]}}; remove a header with "remove"`)
		}
		r.Override.ReplaceDirectives = patch
		cur, _ = policy.Override{ReplaceDirectives: patch}.Apply(cur)
	}
	if u := f.get("update"); u != nil {
		var nulls []string
		r.Override.Update, nulls = d.patch(u, cur, true)
		removed = append(removed, nulls...)
	}
	r.Override.Remove = removed
	if rm := f.get("remove"); rm != nil {
		r.Override.Remove = append(r.Override.Remove, d.headerList(rm, `write ["X-Frame-Options"]`)...)
	}
	if rd := f.get("redirect"); rd != nil {
		r.SkipRedirect = !d.boolean(rd)
	}
	if hc := f.get("hostCheck"); hc != nil {
		r.SkipHostCheck = !d.boolean(hc)
	}
	// Applied even when a header failed to decode (it is left out), so
	// that every problem is reported at once.
	p, err := r.Override.Apply(base)
	if err != nil {
		d.prefixed(path, err)
		return r, p, false
	}
	return r, p, true
}

// https decodes the "https" object.
func (d *decoder) https(n *jsontree.Node) HTTPSOptions {
	var h HTTPSOptions
	f := d.section(n, httpsKeys, `write {"redirect": true, "allowedHosts": ["example.com"]}`)
	for _, m := range f {
		v := m.Value
		switch m.Key {
		case "redirect":
			h.Redirect = d.boolean(v)
		case "permanent":
			h.Permanent = d.boolean(v)
		case "host":
			h.Host = d.str(v, `write "example.com" or "example.com:8443"`)
		case "port":
			if u, ok := d.uint(v, "a TCP port number", `use 1-65535, or 0 for the default port 443`); ok {
				if u > 65535 {
					d.add(v.Path, v.Text, "is not a TCP port, got", "use 1-65535, or 0 for the default port 443")
				} else {
					h.Port = int(u)
				}
			}
		case "skips":
			h.Skips = d.strings(v, `write ["/healthz"]`)
		case "exempt":
			d.add(v.Path, "", "was removed in v0.2 (regular expressions)",
				`write ServeMux patterns in https.insecureBypassPatterns instead: "^api/" becomes "/api/"`)
		case "insecureBypassPatterns":
			h.InsecureBypassPatterns = d.strings(v, `write ["/healthz", "GET /.well-known/acme-challenge/"]`)
		case "development":
			h.Development = d.boolean(v)
		case "proxyHeader":
			h.ProxyHeader = d.str(v, `write "X-Forwarded-Proto"`)
		case "allowedHosts":
			h.AllowedHosts = d.strings(v, `write ["example.com", "*.example.com", "10.0.0.0/8"]`)
		case "canonicalHost":
			h.CanonicalHost = d.str(v, `write "www.example.com"`)
		case "upgradeLocation":
			h.UpgradeLocation = d.boolean(v)
		case "nonIdempotent":
			const fix = `use "redirect" (307/308), "pass" or "refuse" (403)`
			switch s := d.str(v, fix); s {
			case "", "redirect":
			case "pass":
				h.NonIdempotent = PassNonIdempotent
			case "refuse":
				h.NonIdempotent = RefuseNonIdempotent
			default:
				if v.Kind == jsontree.String {
					d.add(v.Path, s, "unknown mode", fix)
				}
			}
		case "trustForwardedHost":
			h.TrustForwardedHost = d.boolean(v)
		case "proxyElement":
			const fix = `use "first" (the proxy replaces the header) or "last" (it appends)`
			switch s := d.str(v, fix); s {
			case "", "first":
			case "last":
				h.ProxyElement = LastProxyElement
			default:
				if v.Kind == jsontree.String {
					d.add(v.Path, s, "unknown element", fix)
				}
			}
		}
	}
	return h
}

// reports decodes the "reports" object; {} mounts the receiver with its
// defaults.
func (d *decoder) reports(n *jsontree.Node) *report.Options {
	r := &report.Options{}
	f := d.section(n, reportsKeys, `write {"path": "/csp-report"}`)
	if f == nil {
		return nil
	}
	for _, m := range f {
		v := m.Value
		switch m.Key {
		case "path":
			r.Path = d.str(v, `write "/csp-report"`)
		case "maxBytes":
			if u, ok := d.uint(v, "a number of bytes", "write 65536"); ok {
				r.MaxBytes = int64(min(u, math.MaxInt64))
			}
		case "allowedOrigins":
			r.AllowedOrigins = d.strings(v, `write ["https://app.example"]`)
		case "ratePerSecond":
			if v.Kind != jsontree.Number {
				d.wrongKind(v, "a number", "write 5")
				continue
			}
			f, err := strconv.ParseFloat(v.Text, 64)
			if err != nil {
				d.add(v.Path, v.Text, "is out of range, got", "write 5")
				continue
			}
			r.RatePerSecond = f
		case "burst":
			if u, ok := d.uint(v, "a number of requests", "write 50"); ok {
				r.Burst = int(min(u, math.MaxInt32))
			}
		case "queueSize":
			if u, ok := d.uint(v, "a number of reports", "write 1024"); ok {
				r.QueueSize = int(min(u, math.MaxInt32))
			}
		case "sinkBytesPerSecond":
			if u, ok := d.uint(v, "a number of bytes", "write 65536"); ok {
				r.SinkBytesPerSecond = int64(min(u, math.MaxInt64))
			}
		case "dedupWindow":
			const fix = `write a duration such as "1m" or "30s"`
			if v.Kind != jsontree.String {
				d.wrongKind(v, "a duration string", fix)
				continue
			}
			if v.Text == "" {
				continue
			}
			w, err := time.ParseDuration(v.Text)
			if err != nil {
				d.add(v.Path, v.Text, "must be a duration, got", fix)
				continue
			}
			if w < 0 {
				d.add(v.Path, v.Text, "must not be negative, got", `use "0s" for the default of one minute`)
				continue
			}
			r.DedupWindow = w
		}
	}
	return r
}

// boolean reads true or false.
func (d *decoder) boolean(n *jsontree.Node) bool {
	if n.Kind != jsontree.Bool {
		d.wrongKind(n, "a boolean", "write true or false")
	}
	return n.Bool
}

// str reads a string.
func (d *decoder) str(n *jsontree.Node, fix string) string {
	if n.Kind != jsontree.String {
		d.wrongKind(n, "a string", fix)
		return ""
	}
	return n.Text
}

// strings reads a list of strings.
func (d *decoder) strings(n *jsontree.Node, fix string) []string {
	if n.Kind != jsontree.Array {
		d.wrongKind(n, "a list of strings", fix)
		return nil
	}
	var out []string
	for _, e := range n.Elems {
		if e.Kind != jsontree.String {
			d.wrongKind(e, "a string", fix)
			continue
		}
		out = append(out, e.Text)
	}
	return out
}

// uint reads a non-negative integer written in digits only. what names the
// quantity in messages ("a TCP port").
func (d *decoder) uint(n *jsontree.Node, what, fix string) (uint64, bool) {
	if n.Kind != jsontree.Number {
		d.wrongKind(n, what, fix)
		return 0, false
	}
	return d.digits(n.Path, n.Text, what, fix, fix)
}

// digits checks that text, the literal of a number, is digits only and
// returns its value. what names the quantity ("a whole number of seconds");
// negFix is the fix of a negative number.
func (d *decoder) digits(path, text, what, fix, negFix string) (uint64, bool) {
	if text == "" || strings.Trim(text, "0123456789") != "" {
		switch f, err := strconv.ParseFloat(text, 64); {
		case err == nil && text[0] == '-' && f != 0 && !strings.ContainsAny(text, ".eE"):
			d.add(path, text, "must not be negative, got", negFix)
		case err == nil && f == math.Trunc(f) && f >= 0 && f < 1e15:
			d.add(path, text, "must be written in digits only, got", "write "+strconv.FormatFloat(math.Abs(f), 'f', -1, 64))
		case err == nil && f == math.Trunc(f) && f < 0 && f > -1e15:
			d.add(path, text, "must not be negative, got", negFix)
		default:
			d.add(path, text, "must be "+what+", got", fix)
		}
		return 0, false
	}
	u, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		d.add(path, text, "is out of range, got", fix)
		return 0, false
	}
	return u, true
}
