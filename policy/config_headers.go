package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/directive"
	"github.com/secureheaders/secureheaders/internal/headerval"
)

// decodeHeader decodes one header's JSON value into a Policy holding just
// that header. start holds the header's current value, which a partial
// object (update mode) is read on top of. For CSP it also reports the seed's
// "report-only": true.
func (d *decoder) decodeHeader(path string, hv headerValue, start Policy, update bool) (out Policy, reportOnly bool) {
	switch hv.h.name {
	case "Content-Security-Policy", "Content-Security-Policy-Report-Only":
		c, ro := d.cspValue(path, hv.raw)
		if hv.h.name == "Content-Security-Policy" {
			out.CSP = c
			return out, ro
		}
		// Already the report-only header: "report-only" changes nothing.
		out.CSPReportOnly = c
		return out, false
	case "Strict-Transport-Security":
		out.HSTS = d.hstsValue(path, hv.raw, start.HSTS)
	case "Public-Key-Pins":
		out.HPKP = d.hpkpValue(path, hv.raw, start.HPKP, normalizeKey(hv.key) == "public-key-pins-report-only")
	case "X-XSS-Protection":
		out.XSSProtection = XSSProtection(d.xssValue(path, hv.raw, string(start.XSSProtection)))
	case "X-Frame-Options":
		v := d.simpleValue(path, hv.raw)
		if rest, ok := cutPrefixFold(v, "allow-from "); ok {
			v = "ALLOW-FROM " + rest
		} else {
			v = strings.ToUpper(v)
		}
		out.FrameOptions = FrameOptions(v)
	case "Referrer-Policy":
		out.ReferrerPolicy = referrerPolicy(d.listValue(path, hv.raw))
	case "Clear-Site-Data":
		l := d.listValue(path, hv.raw)
		for i, t := range l {
			l[i] = strings.Trim(t, `"`)
		}
		out.ClearSiteData = ClearSiteData(l)
	case "Permissions-Policy":
		var m map[string][]string
		if err := strictUnmarshal(hv.raw, &m); err != nil {
			d.fail(path, "must be an object of features to allowlists", `write {"camera": [], "geolocation": ["self", "https://maps.example"]}`)
		}
		out.PermissionsPolicy = m
	case "Reporting-Endpoints":
		var m map[string]string
		if err := strictUnmarshal(hv.raw, &m); err != nil {
			d.fail(path, "must be an object of endpoint names to URLs", `write {"csp-endpoint": "/csp-report"}`)
		}
		out.ReportingEndpoints = m
	case "Origin-Agent-Cluster":
		out.OriginAgentCluster = OriginAgentCluster(d.boolOrString(path, hv.raw, "?1", "?0"))
	case "X-DNS-Prefetch-Control":
		out.DNSPrefetchControl = DNSPrefetchControl(d.boolOrString(path, hv.raw, "on", "off"))
	default:
		// Every other header is a typed string: "value" or {"value": "value"}.
		hv.h.setString(&out, d.simpleValue(path, hv.raw))
	}
	return out, false
}

// simpleValue reads "v", a number, or the seed's {"value": v}.
func (d *decoder) simpleValue(path string, raw json.RawMessage) string {
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err == nil && obj != nil {
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if k != "value" {
				d.fail(sub(path, k), "unknown key", `this header takes only {"value": …}`)
			}
		}
		raw = obj["value"]
		path += ".value"
	}
	s, ok := scalarString(raw)
	if !ok {
		d.fail(path, "must be a string", `write "value" or {"value": "value"}`)
		return ""
	}
	if s == "" {
		d.fail(path, "empty value", "remove the header with null instead")
	}
	return s
}

// scalarString reads a JSON string or number as text.
func scalarString(raw json.RawMessage) (string, bool) {
	var v any
	if err := strictUnmarshal(raw, &v); err != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// listValue reads a list of strings, or one string of comma-separated items,
// or {"value": either}.
func (d *decoder) listValue(path string, raw json.RawMessage) []string {
	var l []string
	if err := strictUnmarshal(raw, &l); err == nil {
		return l
	}
	s := d.simpleValue(path, raw)
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			l = append(l, item)
		}
	}
	return l
}

func (d *decoder) boolOrString(path string, raw json.RawMessage, on, off string) string {
	var b bool
	if err := strictUnmarshal(raw, &b); err == nil {
		if b {
			return on
		}
		return off
	}
	return d.simpleValue(path, raw)
}

// cspValue reads {"directive": ["source", …] | true | [] | null, "report-only": bool}
// or a header string.
func (d *decoder) cspValue(path string, raw json.RawMessage) (csp.Policy, bool) {
	var text string
	if err := strictUnmarshal(raw, &text); err == nil {
		p, err := csp.Parse(text)
		if err != nil {
			d.errs = append(d.errs, cfgerr.Prefix(path, err))
		}
		return p, false
	}
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err != nil || obj == nil {
		d.fail(path, "must be an object of directives to source lists", `write {"script-src": ["self", "nonce"], "upgrade-insecure-requests": true}`)
		return nil, false
	}
	out := csp.Policy{}
	reportOnly := false
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		dpath := sub(path, k)
		v := obj[k]
		if normalizeKey(k) == "report-only" || normalizeKey(k) == "read-only" {
			if err := strictUnmarshal(v, &reportOnly); err != nil {
				d.fail(dpath, "must be a boolean", "write true or false")
			}
			continue
		}
		if err := headerval.CheckAtom(k); err != nil {
			d.fail(dpath, "invalid directive name: "+byteProblem(err), "write a directive name such as \"script-src\"")
			continue
		}
		var flag bool
		if err := strictUnmarshal(v, &flag); err == nil {
			if !flag {
				continue // false: the directive is not sent
			}
			d.parseDirective(dpath, out, k, nil)
			continue
		}
		if isNull(v) {
			continue
		}
		var sources []string
		if err := strictUnmarshal(v, &sources); err != nil {
			d.fail(dpath, "must be a list of sources or true", `write ["self", "https://cdn.example"]`)
			continue
		}
		if len(sources) == 0 {
			continue // the seed's empty list: directive not sent
		}
		d.parseDirective(dpath, out, k, sources)
	}
	return out, reportOnly
}

// parseDirective parses one directive through csp.Parse so that the config
// and header text obey the same grammar, after checking that no source can
// split the directive.
func (d *decoder) parseDirective(path string, out csp.Policy, name string, sources []string) {
	for i, s := range sources {
		if err := headerval.CheckAtom(s); err != nil {
			d.errs = append(d.errs, &Error{Path: fmt.Sprintf("%s[%d]", path, i), Value: s, Reason: byteProblem(err) + " in the source",
				Fix: "write one source per list item, without spaces, ';' or ','"})
			return
		}
	}
	p, err := csp.Parse(strings.TrimSpace(name + " " + strings.Join(sources, " ")))
	if err != nil {
		d.errs = append(d.errs, cfgerr.Prefix(strings.TrimSuffix(path, "."+name), err))
		return
	}
	maps.Copy(out, p)
}

// hstsValue reads {"max-age": n, "includeSubDomains": b, "preload": b} on top
// of start, or a header string.
func (d *decoder) hstsValue(path string, raw json.RawMessage, start *hsts.Policy) *hsts.Policy {
	var text string
	if err := strictUnmarshal(raw, &text); err == nil {
		p, err := hsts.Parse(text)
		if err != nil {
			d.errs = append(d.errs, cfgerr.Prefix(path, err))
		}
		return &p
	}
	var out hsts.Policy
	if start != nil {
		out = *start
	}
	obj := d.object(path, raw, `write {"max-age": 31536000, "includeSubDomains": true}`)
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v := obj[k]
		switch normalizeKey(k) {
		case "max-age", "maxage":
			out.MaxAge = d.seconds(sub(path, k), v)
		case "includesubdomains", "include-subdomains":
			out.IncludeSubDomains = d.flag(sub(path, k), v)
		case "preload":
			out.Preload = d.flag(sub(path, k), v)
		default:
			d.fail(sub(path, k), "unknown key", didYouMean(k, []string{"max-age", "includeSubDomains", "preload"}, "keys are max-age, includeSubDomains, preload"))
		}
	}
	return &out
}

// hpkpValue reads {"pins": [{"sha256": "…"}], "max-age": n,
// "includeSubDomains": b, "report-uri": "…", "report-only": b}; pins are
// unioned with start's by Update, scalars read on top of start.
func (d *decoder) hpkpValue(path string, raw json.RawMessage, start *hpkp.Policy, reportOnly bool) *hpkp.Policy {
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
	obj := d.object(path, raw, `write {"pins": [{"sha256": "…"}, {"sha256": "…"}], "max-age": 5184000}`)
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v, kpath := obj[k], sub(path, k)
		switch normalizeKey(k) {
		case "pins":
			var pins []map[string]string
			if err := strictUnmarshal(v, &pins); err != nil {
				d.fail(kpath, "must be a list of {\"sha256\": \"base64\"}", `write [{"sha256": "base64"}, {"sha256": "base64"}]`)
				continue
			}
			for i, pin := range pins {
				if len(pin) != 1 {
					d.fail(fmt.Sprintf("%s[%d]", kpath, i), "must hold exactly one algorithm: hash pair", `write {"sha256": "base64"}`)
					continue
				}
				for alg, h := range pin {
					out.Pins = append(out.Pins, hpkp.Pin{Alg: alg, Hash: h})
				}
			}
		case "max-age", "maxage":
			out.MaxAge = d.seconds(kpath, v)
		case "includesubdomains", "include-subdomains":
			out.IncludeSubDomains = d.flag(kpath, v)
		case "report-uri":
			if err := strictUnmarshal(v, &out.ReportURI); err != nil {
				d.fail(kpath, "must be a string", `write "https://example.com/hpkp-report"`)
			}
		case "report-only", "read-only":
			out.ReportOnly = d.flag(kpath, v)
		default:
			d.fail(kpath, "unknown key", didYouMean(k, []string{"pins", "max-age", "includeSubDomains", "report-uri", "report-only"}, "keys are pins, max-age, includeSubDomains, report-uri, report-only"))
		}
	}
	return &out
}

// xssValue reads "1; mode=block", 0, or the seed's {"value": 1, "mode":
// "block" | false, "report": "uri"} on top of start.
func (d *decoder) xssValue(path string, raw json.RawMessage, start string) string {
	if s, ok := scalarString(raw); ok {
		return s
	}
	value, rest, _ := strings.Cut(start, ";")
	mode, report := "", ""
	rest = strings.TrimSpace(rest)
	if m, ok := strings.CutPrefix(rest, "mode="); ok {
		mode = m
	} else if r, ok := strings.CutPrefix(rest, "report="); ok {
		report = r
	}
	obj := d.object(path, raw, `write "0", or {"value": 1, "mode": "block"}`)
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v, kpath := obj[k], sub(path, k)
		switch k {
		case "value":
			s, ok := scalarString(v)
			if !ok {
				d.fail(kpath, "must be 0 or 1", "")
			}
			value = s
		case "mode", "report":
			var off bool
			if err := strictUnmarshal(v, &off); err == nil && !off {
				if k == "mode" {
					mode = ""
				} else {
					report = ""
				}
				continue
			}
			s, ok := scalarString(v)
			if !ok {
				d.fail(kpath, "must be a string or false", "")
			}
			if k == "mode" {
				mode = s
			} else {
				report = s
			}
		default:
			d.fail(kpath, "unknown key", "keys are value, mode, report")
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

// hpkpDefaultMaxAge is the max-age of an HPKP policy started by a config.
const hpkpDefaultMaxAge = 5184000 * time.Second

func (d *decoder) object(path string, raw json.RawMessage, fix string) map[string]json.RawMessage {
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err != nil {
		d.fail(path, "must be an object", fix)
	}
	return obj
}

func (d *decoder) flag(path string, raw json.RawMessage) bool {
	var b bool
	if err := strictUnmarshal(raw, &b); err != nil {
		d.fail(path, "must be a boolean", "write true or false")
	}
	return b
}

// seconds reads a non-negative whole number of seconds (a JSON number or a
// string of digits).
func (d *decoder) seconds(path string, raw json.RawMessage) time.Duration {
	s, ok := scalarString(raw)
	if !ok {
		s = string(bytes.TrimSpace(raw))
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case !ok || err != nil:
		d.errs = append(d.errs, directive.GotError(path, "must be a whole number of seconds, got", s, "write e.g. 31536000 for a year"))
		return 0
	case n < 0:
		d.errs = append(d.errs, directive.GotError(path, "must not be negative, got", s, "use 0 to expire the policy, or a positive number of seconds"))
		return 0
	case n > int64(1<<63-1)/int64(time.Second):
		d.errs = append(d.errs, directive.GotError(path, "too many seconds for a time.Duration, got", s, "use at most 63072000 (two years)"))
		return 0
	}
	return time.Duration(n) * time.Second
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// byteProblem says which byte of a value headerval refused, and where.
func byteProblem(err error) string {
	var be *headerval.ByteError
	if errors.As(err, &be) {
		return fmt.Sprintf("byte %s at offset %d is not allowed", directive.QuoteByte(be.Byte), be.Offset)
	}
	return err.Error()
}
