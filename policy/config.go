package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/internal/headerval"
	"github.com/secureheaders/secureheaders/internal/suggest"
)

// Config is a decoded configuration file (see docs/config.md and DESIGN.md):
// the app policy with its preset, rewrite, update and remove applied in that
// order, one Override per route, and the raw "https", "reports" and "cookies"
// objects, which the middleware layer decodes with its own types.
//
// A Config is plain data; DecodeConfig returns a fresh one each time.
type Config struct {
	// Preset is the preset named in the file ("recommended" when absent).
	Preset string
	// Policy is the app policy: preset, then rewrite, update and remove.
	Policy Policy
	// Routes holds the "routes" entries sorted by pattern. Each Override is
	// an Update + Remove to apply to a copy of Policy.
	Routes []Route
	// HTTPS, Reports and Cookies are the raw objects of those keys, nil when
	// absent.
	HTTPS, Reports, Cookies json.RawMessage
}

// Route is one "routes" entry: a net/http ServeMux pattern ("/embed/",
// "GET /api/{id}") and its override.
type Route struct {
	Pattern  string
	Override Override
	// SkipRedirect serves the route's plain-HTTP requests instead of
	// redirecting them to HTTPS ("redirect": false in the file), for paths
	// such as ACME HTTP-01 challenges that must answer over HTTP. HSTS is
	// still sent on HTTPS only.
	SkipRedirect bool
}

var configKeys = []string{"preset", "rewrite", "update", "remove", "routes", "https", "reports", "cookies"}

// LoadConfig reads and decodes the configuration file at path.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return DecodeConfig(data)
}

// DecodeConfig decodes a configuration file. Every problem is reported at
// once (errors.Join of *Error with the JSON path, e.g.
// "update.hsts.max-age: want a whole number of seconds"); unknown keys are
// errors, never ignored. The resulting app policy and each route's policy
// are validated; on any error the returned *Config is nil.
func DecodeConfig(data []byte) (*Config, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal(data, &top); err != nil {
		return nil, &Error{Reason: "not a JSON object: " + err.Error(), Fix: `write {"preset": "recommended", "update": {…}}`}
	}
	d := &decoder{}
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if !slices.Contains(configKeys, k) {
			d.fail(k, fmt.Sprintf("unknown key %q", k), didYouMean(k, configKeys, "keys are "+strings.Join(configKeys, ", ")))
		}
	}
	cfg := &Config{Preset: PresetRecommended}
	if raw, ok := top["preset"]; ok {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			d.fail("preset", "want a string", "")
		} else {
			cfg.Preset = name
		}
	}
	p, err := ByName(cfg.Preset)
	if err != nil {
		d.errs = append(d.errs, err)
	}
	if raw, ok := top["rewrite"]; ok {
		p = d.apply("rewrite", p, raw, false)
	}
	if raw, ok := top["update"]; ok {
		p = d.apply("update", p, raw, true)
	}
	if raw, ok := top["remove"]; ok {
		p = d.remove("remove", p, raw)
	}
	cfg.Policy = p
	if err := Validate(p); err != nil {
		d.errs = append(d.errs, err)
	}
	if raw, ok := top["routes"]; ok {
		cfg.Routes = d.routes(p, raw)
	}
	cfg.HTTPS, cfg.Reports, cfg.Cookies = top["https"], top["reports"], top["cookies"]
	if len(d.errs) > 0 {
		return nil, joinErrs(d.errs)
	}
	return cfg, nil
}

// decoder collects errors while a configuration is applied.
type decoder struct {
	errs []error
}

func (d *decoder) fail(path, reason, fix string) {
	d.errs = append(d.errs, &Error{Path: path, Reason: reason, Fix: fix})
}

func didYouMean(word string, candidates []string, otherwise string) string {
	if s := suggest.Closest(word, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return otherwise
}

// headerObject decodes a {"Header-Name": value, …} object, resolving names
// and aliases, in canonical header order. A header named twice (by name and
// alias) is an error.
func (d *decoder) headerObject(path string, raw json.RawMessage) []headerValue {
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err != nil || obj == nil {
		d.fail(path, "want an object of header names to policies", `write {"CSP": {"script-src": ["self"]}}`)
		return nil
	}
	seen := map[*header]string{}
	var out []headerValue
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		h := lookup(k)
		if h == nil {
			d.errs = append(d.errs, unknownHeader(sub(path, k), k))
			continue
		}
		if prev, dup := seen[h]; dup {
			d.fail(sub(path, k), fmt.Sprintf("header given twice (also as %q)", prev), "keep one of them")
			continue
		}
		seen[h] = k
		out = append(out, headerValue{h: h, key: k, raw: obj[k]})
	}
	slices.SortFunc(out, func(a, b headerValue) int { return headerIndex(a.h) - headerIndex(b.h) })
	return out
}

type headerValue struct {
	h   *header
	key string
	raw json.RawMessage
}

func headerIndex(h *header) int {
	for i := range headers {
		if &headers[i] == h {
			return i
		}
	}
	return len(headers)
}

// apply decodes an update or rewrite object and applies it to p.
func (d *decoder) apply(path string, p Policy, raw json.RawMessage, update bool) Policy {
	patch, removed := d.patch(path, p, raw, update)
	if update {
		p = Update(p, patch)
	} else {
		p = Rewrite(p, patch)
	}
	out, err := Remove(p, removed...)
	if err != nil {
		d.errs = append(d.errs, prefix(path, err))
	}
	return out
}

// patch decodes an update or rewrite object into a Policy holding the given
// headers and the list of headers set to null. In update mode a partial
// object is read on top of the header's current value in base.
func (d *decoder) patch(path string, base Policy, raw json.RawMessage, update bool) (Policy, []string) {
	var patch Policy
	var removed []string
	for _, hv := range d.headerObject(path, raw) {
		hpath := sub(path, hv.key)
		if isNull(hv.raw) {
			removed = append(removed, hv.h.name)
			continue
		}
		before := len(d.errs)
		start := Policy{}
		if update {
			start = base
		}
		val, movedToReportOnly := d.decodeHeader(hpath, hv, start, update)
		if len(d.errs) > before {
			continue
		}
		if movedToReportOnly {
			// The seed's "report-only": true sends the (updated) CSP as
			// Content-Security-Policy-Report-Only instead.
			if update {
				val.CSPReportOnly = Update(Policy{CSP: base.CSP}, Policy{CSP: val.CSP}).CSP
			} else {
				val.CSPReportOnly = val.CSP
			}
			val.CSP = nil
			removed = append(removed, "Content-Security-Policy")
			patch.CSPReportOnly = val.CSPReportOnly
			continue
		}
		if hv.h.present(&patch) {
			// Only Content-Security-Policy-Report-Only can be set twice: by
			// its own key and by the CSP's "report-only": true.
			d.fail(hpath, "the report-only CSP is given twice (also by \"report-only\": true)", "merge the two policies into one")
			continue
		}
		hv.h.copyFrom(&patch, &val)
	}
	return patch, removed
}

func (d *decoder) remove(path string, p Policy, raw json.RawMessage) Policy {
	var names []string
	if err := strictUnmarshal(raw, &names); err != nil {
		d.fail(path, "want a list of header names", `write ["X-Download-Options", "HPKP"]`)
		return p
	}
	out, err := Remove(p, names...)
	if err != nil {
		d.errs = append(d.errs, err)
	}
	return out
}

type routeFile struct {
	Update   json.RawMessage `json:"update"`
	Remove   json.RawMessage `json:"remove"`
	Redirect *bool           `json:"redirect"`
}

func (d *decoder) routes(app Policy, raw json.RawMessage) []Route {
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err != nil {
		d.fail("routes", "want an object of patterns to {update, remove}", `write {"/embed/": {"update": {…}, "remove": ["X-Frame-Options"]}}`)
		return nil
	}
	var out []Route
	for _, pattern := range slices.Sorted(maps.Keys(obj)) {
		path := sub("routes", pattern)
		if pattern == "" || strings.ContainsAny(pattern, "\r\n\x00") {
			d.fail(path, "invalid route pattern", `write a ServeMux pattern such as "/embed/" or "GET /api/{id}"`)
			continue
		}
		var rf routeFile
		if err := strictUnmarshal(obj[pattern], &rf); err != nil {
			d.fail(path, "want {\"update\": {…}, \"remove\": […], \"redirect\": false}: "+err.Error(), "")
			continue
		}
		var o Override
		if rf.Update != nil {
			o.Update, o.Remove = d.patch(path+".update", app, rf.Update, true)
		}
		if rf.Remove != nil {
			var names []string
			if err := strictUnmarshal(rf.Remove, &names); err != nil {
				d.fail(path+".remove", "want a list of header names", "")
			}
			o.Remove = append(o.Remove, names...)
		}
		p, err := o.Apply(app)
		if err != nil {
			d.errs = append(d.errs, prefix(path, err))
			continue
		}
		if err := Validate(p); err != nil {
			d.errs = append(d.errs, prefix(path, err))
			continue
		}
		out = append(out, Route{Pattern: pattern, Override: o, SkipRedirect: rf.Redirect != nil && !*rf.Redirect})
	}
	return out
}

// strictUnmarshal decodes JSON refusing unknown struct fields and trailing
// data.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// sub appends a JSON key to an error path; a key with bytes that could
// forge a log line (controls, non-ASCII, spaces) is quoted.
func sub(path, key string) string {
	if headerval.CheckAtom(key) != nil {
		key = strconv.QuoteToASCII(key)
	}
	return path + "." + key
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}
