package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
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
// `update.HSTS.max-age: must be a whole number of seconds, got "a year"`);
// a value of the wrong JSON type reads "must be a boolean/number/string/
// list/object", never a Go type name; unknown keys are
// errors, never ignored. The resulting app policy and each route's policy
// are validated; on any error the returned *Config is nil.
func DecodeConfig(data []byte) (*Config, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal(data, &top); err != nil {
		e := jsonError("", err, "")
		if e.Path == "" && strings.HasPrefix(e.Reason, "must be") {
			e.Reason = "the configuration " + strings.Replace(e.Reason, "an object", "a JSON object", 1)
		}
		e.Fix = `write {"preset": "recommended", "update": {…}}`
		return nil, e
	}
	d := &decoder{}
	for _, k := range slices.Sorted(maps.Keys(top)) {
		if !slices.Contains(configKeys, k) {
			d.fail(sub("", k), "unknown key", didYouMean(k, configKeys, "keys are "+strings.Join(configKeys, ", ")))
		}
	}
	cfg := &Config{Preset: PresetRecommended}
	if raw, ok := top["preset"]; ok {
		var name string
		if err := json.Unmarshal(raw, &name); err != nil {
			d.fail("preset", "must be a string", `write "recommended", "strict", "flask-secure-headers" or "none"`)
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
		return nil, cfgerr.Join(d.errs)
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
		d.fail(path, "must be an object of header names to policies", `write {"CSP": {"script-src": ["self"]}}`)
		return nil
	}
	seen := map[*header]string{}
	var out []headerValue
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		h := lookup(k)
		if h == nil {
			d.errs = append(d.errs, unknownHeader(sub(path, k), "", k))
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
		d.errs = append(d.errs, cfgerr.Prefix(path, err))
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
		d.fail(path, "must be a list of header names", `write ["X-Download-Options", "HPKP"]`)
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
		d.fail("routes", "must be an object of patterns to {update, remove, redirect}", `write {"/embed/": {"update": {…}, "remove": ["X-Frame-Options"]}}`)
		return nil
	}
	var out []Route
	for _, pattern := range slices.Sorted(maps.Keys(obj)) {
		path := sub("routes", pattern)
		if pattern == "" || strings.ContainsAny(pattern, "\r\n\x00") {
			reason := "invalid route pattern"
			if pattern == "" {
				reason = "empty route pattern"
			}
			d.errs = append(d.errs, &Error{Path: "routes", Value: pattern, Reason: reason, Fix: `write a ServeMux pattern such as "/embed/" or "GET /api/{id}"`})
			continue
		}
		var rf routeFile
		if err := strictUnmarshal(obj[pattern], &rf); err != nil {
			e := jsonError(path, err, `write {"update": {…}, "remove": […], "redirect": false}`)
			if e.Reason == "unknown key" {
				e.Fix = didYouMean(lastKey(e.Path), routeKeys, "keys are "+strings.Join(routeKeys, ", "))
			}
			d.errs = append(d.errs, e)
			continue
		}
		var o Override
		if rf.Update != nil {
			o.Update, o.Remove = d.patch(path+".update", app, rf.Update, true)
		}
		if rf.Remove != nil {
			var names []string
			if err := strictUnmarshal(rf.Remove, &names); err != nil {
				d.fail(path+".remove", "must be a list of header names", `write ["X-Frame-Options"]`)
			}
			o.Remove = append(o.Remove, names...)
		}
		p, err := o.Apply(app)
		if err != nil {
			d.errs = append(d.errs, cfgerr.Prefix(path, err))
			continue
		}
		if err := Validate(p); err != nil {
			d.errs = append(d.errs, cfgerr.Prefix(path, err))
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

// sub appends a JSON key to an error path. The key is written as it is:
// Error() quotes a whole path that holds bytes that could forge a log line
// (controls, non-ASCII, spaces). An empty key is written "".
func sub(path, key string) string {
	if key == "" {
		key = `""`
	}
	return cfgerr.JoinPath(path, key)
}

// lastKey returns the last dot-separated part of path.
func lastKey(path string) string {
	return path[strings.LastIndexByte(path, '.')+1:]
}

var routeKeys = []string{"update", "remove", "redirect"}

// jsonError turns an error of encoding/json (or strictUnmarshal) for the
// value at path into our words: no Go type name, the JSON path of the
// offending value, "must be a boolean/number/string/list/object".
func jsonError(path string, err error, fix string) *Error {
	var (
		te *json.UnmarshalTypeError
		se *json.SyntaxError
	)
	switch {
	case errors.As(err, &te):
		p := path
		if te.Field != "" {
			p = sub(path, te.Field)
		}
		return &Error{Path: p, Reason: "must be " + jsonKind(te.Type) + ", got " + jsonValueName(te.Value), Fix: fix}
	case errors.As(err, &se):
		msg := strings.TrimPrefix(se.Error(), "json: ")
		return &Error{Path: path, Reason: fmt.Sprintf("invalid JSON at offset %d: %s", se.Offset, msg), Fix: fix}
	case errors.Is(err, io.EOF):
		return &Error{Path: path, Reason: "empty input, want a JSON object", Fix: fix}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Path: path, Reason: "invalid JSON: unexpected end of input", Fix: fix}
	}
	msg := err.Error()
	if k, ok := strings.CutPrefix(msg, `json: unknown field "`); ok {
		return &Error{Path: sub(path, strings.TrimSuffix(k, `"`)), Reason: "unknown key", Fix: fix}
	}
	return &Error{Path: path, Reason: "invalid JSON: " + strings.TrimPrefix(msg, "json: "), Fix: fix}
}

// jsonKind names the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		if t == reflect.TypeFor[json.Number]() {
			return "a number"
		}
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t == reflect.TypeFor[json.RawMessage]() {
			return "a value"
		}
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a value"
}

// jsonValueName names the JSON kind encoding/json reports in
// UnmarshalTypeError.Value ("array", "number 1.5", …) in our words.
func jsonValueName(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array":
		return "a list"
	case "object":
		return "an object"
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "a boolean"
	case "null":
		return "null"
	}
	return v
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}
