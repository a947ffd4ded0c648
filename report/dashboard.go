package report

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/suggestcsp"
	"github.com/secureheaders/secureheaders/policy"
)

// PolicySource is the policy a dashboard's reports are about, as an engine
// serves it: the app policy, the pattern routes and each route's layered
// policy. *secureheaders.Engine implements it.
type PolicySource interface {
	Policy() policy.Policy
	RoutePatterns() []string
	RoutePolicy(pattern string) (policy.Policy, bool)
}

// DashboardOptions configures NewDashboard. The zero value (and nil) shows
// the groups without a suggestion.
type DashboardOptions struct {
	// Policy, when set, is the policy the reports are about: the page then
	// shows the change secureheaders suggest would print for them (the
	// configuration fragment and what to do about each group), and
	// ?format=fragment serves the fragment alone as JSON. It is read on
	// every request, so the page follows Reconfigure. Noise never feeds the
	// suggestion.
	Policy PolicySource
}

// Dashboard is NewDashboard(a, nil): the groups, without a suggestion.
func Dashboard(a *Aggregator) http.Handler { return NewDashboard(a, nil) }

// NewDashboard returns an http.Handler that shows a's groups: one HTML page
// (counts, an hourly sparkline drawn as inline SVG, samples and, with
// opts.Policy, the suggested change), or the Snapshot as JSON when the
// request asks for it (?format=json, or an Accept header that prefers
// application/json). opts is copied; nil means the zero DashboardOptions.
//
// The page lists URLs of your users' documents and what their browsers
// blocked: mount it behind your application's authentication, never in
// public. It sends its own strict policy (default-src 'none', one nonce for
// its one style element, no script, frame-ancestors 'none', no referrer) and
// Cache-Control: no-store, and answers only GET and HEAD.
func NewDashboard(a *Aggregator, opts *DashboardOptions) http.Handler {
	var o DashboardOptions
	if opts != nil {
		o = *opts
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		s := a.Snapshot()
		if wantsJSON(r) {
			h.Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(s)
			return
		}
		var sg *suggestcsp.Suggestion
		if o.Policy != nil {
			v := suggestFor(o.Policy, s)
			sg = &v
		}
		if r.URL.Query().Get("format") == "fragment" && sg != nil {
			h.Set("Content-Type", "application/json")
			w.Write(sg.Fragment())
			return
		}
		var raw [16]byte
		rand.Read(raw[:])
		nonce := base64.RawURLEncoding.EncodeToString(raw[:])
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'nonce-"+nonce+"'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("Content-Type", "text/html; charset=utf-8")
		dashboardPage.Execute(w, dashboardData{Nonce: nonce, S: s, Now: s.Taken, Hours: a.opts.Hours, Suggestion: sg})
	})
}

func wantsJSON(r *http.Request) bool {
	if r.URL.Query().Get("format") == "json" {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.HasPrefix(accept, "application/json")
}

type dashboardData struct {
	Nonce      string
	S          Snapshot
	Now        time.Time
	Hours      int
	Suggestion *suggestcsp.Suggestion // nil without DashboardOptions.Policy
}

// suggestFor builds the suggestion for s's real violations against the
// policy src serves now.
func suggestFor(src PolicySource, s Snapshot) suggestcsp.Suggestion {
	var routes []suggestcsp.Route
	for _, pat := range src.RoutePatterns() {
		if p, ok := src.RoutePolicy(pat); ok {
			routes = append(routes, suggestcsp.Route{Pattern: pat, Policy: p})
		}
	}
	var vs []suggestcsp.Violation
	for _, g := range s.Groups {
		if g.Noise != "" {
			continue
		}
		v := suggestcsp.Violation{Disposition: g.Disposition, Directive: g.Directive, Blocked: g.Blocked, Path: g.Path, Count: g.Count}
		for _, sm := range g.Samples {
			v.Samples = append(v.Samples, suggestcsp.Sample{SourceFile: sm.SourceFile, Line: sm.Line, Sample: sm.Sample})
		}
		vs = append(vs, v)
	}
	return suggestcsp.Suggest(src.Policy(), routes, vs)
}

// sparkline draws a group's hourly counts over the last hours as an inline
// SVG polyline, newest on the right.
func sparkline(hourly []HourCount, now time.Time, hours int) template.HTML {
	const w, h = 144, 24
	if hours <= 0 {
		hours = aggDefaultHours
	}
	counts := make([]uint64, hours)
	var top uint64 = 1
	end := now.Truncate(time.Hour)
	for _, c := range hourly {
		i := hours - 1 - int(end.Sub(c.Hour)/time.Hour)
		if i >= 0 && i < hours {
			counts[i] = c.Count
			top = max(top, c.Count)
		}
	}
	var b strings.Builder
	b.WriteString(`<svg width="144" height="24" viewBox="0 0 144 24" role="img" aria-label="reports per hour"><polyline fill="none" stroke="currentColor" points="`)
	for i, c := range counts {
		x := float64(i) * w / float64(max(1, hours-1))
		y := h - 1 - float64(c)*(h-2)/float64(top)
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
		b.WriteByte(',')
		b.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()) // numbers only
}

var dashboardPage = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	"spark":    sparkline,
	"fragment": func(s *suggestcsp.Suggestion) string { return string(s.Fragment()) },
	"when":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CSP reports</title>
<style nonce="{{.Nonce}}">
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
.noise{color:#888}code{word-break:break-all}small{color:#666}
pre{background:#f4f4f4;padding:.8em;overflow:auto}.risk{color:#a00}
</style></head><body>
<h1>CSP violation reports</h1>
<p>{{.S.Reports}} reports in {{len .S.Groups}} groups{{if .S.Ignored}}, {{.S.Ignored}} not CSP violations{{end}}{{if .S.Evicted}}, {{.S.Evicted}} groups evicted{{end}}; as of {{when .Now}}. <a href="?format=json">JSON</a></p>
<table><thead><tr><th>Count</th><th>Directive</th><th>Blocked</th><th>Page</th><th>Last {{.Hours}} hours</th><th>Samples</th></tr></thead><tbody>
{{range .S.Groups}}<tr{{if .Noise}} class="noise"{{end}}><td>{{.Count}}</td><td><code>{{.Directive}}</code> <small>{{.Disposition}}</small></td><td><code>{{.Blocked}}</code>{{if .Noise}} <small>noise: {{.Noise}}</small>{{end}}</td><td><code>{{.Path}}</code></td><td>{{spark .Hourly $.Now $.Hours}}</td><td>{{range .Samples}}<div><small>{{.Browser}}</small> <code>{{.SourceFile}}{{if .Line}}:{{.Line}}{{end}}</code>{{if .Sample}} <code>{{.Sample}}</code>{{end}}</div>{{end}}</td></tr>
{{else}}<tr><td colspan="6">No reports yet.</td></tr>
{{end}}</tbody></table>
{{with .Suggestion}}<h2>Suggested change</h2>
{{if .Targets}}<p>Merge this fragment into the configuration (<code>secureheaders suggest -config F -o F</code> does it; <a href="?format=fragment">as JSON</a>):</p>
<pre>{{fragment .}}</pre>{{else}}<p>No change to suggest from the real violations.</p>{{end}}
{{if .Notes}}<table><thead><tr><th>Directive</th><th>Blocked</th><th>Policy</th><th>What to do</th><th>Where</th></tr></thead><tbody>
{{range .Notes}}<tr><td><code>{{.Directive}}</code></td><td><code>{{.Blocked}}</code> <small>{{.Count}}</small></td><td>{{if .Route}}route <code>{{.Route}}</code>{{else}}app{{end}}<br><small>{{.Header}}</small></td><td>{{if .Added}}<div>added: <code>{{.Added}}</code></div>{{end}}{{.Action}}{{if .Risk}}<div class="risk">Risk: {{.Risk}}</div>{{end}}</td><td>{{range .Where}}<div><code>{{.}}</code></div>{{end}}{{if .More}}<small>and {{.More}} more</small>{{end}}</td></tr>
{{end}}</tbody></table>{{end}}{{end}}
</body></html>
`))
