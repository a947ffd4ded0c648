package suggestcsp

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

// sampleCut is how many characters of an inline script or style browsers
// put in a report's sample (Chromium and Firefox: 40); a sample shorter
// than that is the whole text.
const sampleCut = 40

// maxWhere bounds the places a note lists.
const maxWhere = 10

// maxAdds bounds the sources added to one directive of one policy: the
// groups come largest first, and a longer allow-list protects nothing (and
// would make the fragment as large as a flood of forged reports wants).
const maxAdds = 32

// Violation is one group of reports (report.Group without the noise).
type Violation struct {
	Disposition, Directive, Blocked, Path string
	Count                                 uint64
	Samples                               []Sample
}

// Sample is where one report of a group happened.
type Sample struct {
	SourceFile string
	Line       int
	Sample     string
}

// Route is a pattern route and the policy the engine serves for it (layered
// on the routes that cover it: Engine.RoutePolicy).
type Route struct {
	Pattern string
	Policy  policy.Policy
}

// Target is the change proposed for one policy: the app policy (Pattern "")
// or one pattern route's.
type Target struct {
	Pattern string
	// Add is what to add with Update: the fragment's "update" for this
	// target. Only CSP and CSPReportOnly are set.
	Add policy.Policy
	// Before is the policy served now, After the one served with Add.
	Before, After policy.Policy
}

// Note tells what to do about one kind of violation, whether or not the
// fragment changes anything for it.
type Note struct {
	Route     string // the pattern route, "" for the app policy
	Header    string // Content-Security-Policy[-Report-Only]
	Directive string // the reported (effective) directive
	Blocked   string // as grouped: an origin, "inline", "eval", "data:"…
	Count     uint64
	// Added is the source the fragment adds for it ("" when none).
	Added string
	// Action says what to do; Risk, when set, what allowing it risks.
	Action, Risk string
	// Where lists up to 10 places: "/path" or "/path: file:line".
	Where []string
	// More counts the places left out of Where.
	More int
}

// Suggestion is the whole proposal: Targets with a change (app first, then
// routes by pattern) and every Note.
type Suggestion struct {
	Targets []Target
	Notes   []Note
}

// Suggest builds the suggestion for violations against the app policy and
// its pattern routes. It does not modify its inputs. A route pattern that
// ServeMux refuses is ignored (the engine refuses the configuration).
func Suggest(app policy.Policy, routes []Route, violations []Violation) Suggestion {
	m := newRouter(routes)
	type addKey struct {
		pattern string
		report  bool
		dir     csp.Directive
	}
	adds := map[addKey][]csp.Source{}
	added := map[addKey]map[csp.Source]bool{}
	notes := map[noteKey]*Note{}
	var order []noteKey
	policies := map[string]policy.Policy{"": app}
	for _, r := range routes {
		policies[r.Pattern] = r.Policy
	}
	for _, v := range violations {
		pattern := m.match(v.Path)
		p := policies[pattern]
		report := v.Disposition == "report"
		header, c := "Content-Security-Policy", p.CSP
		if report {
			header, c = "Content-Security-Policy-Report-Only", p.CSPReportOnly
		}
		key := noteKey{pattern, header, v.Directive, v.Blocked}
		n := notes[key]
		if n == nil {
			a := advise(c, csp.Directive(v.Directive), v.Blocked)
			if a.add.Kind != 0 {
				k := addKey{pattern, report, a.dir}
				switch {
				case added[k][a.add]:
				case len(adds[k]) == maxAdds:
					a = advice{action: "not added: " + strconv.Itoa(maxAdds) + " sources are already proposed for " + string(a.dir) + ", and a longer allow-list protects nothing; load these from fewer hosts, or use the nonce with 'strict-dynamic'"}
				default:
					if added[k] == nil {
						added[k] = map[csp.Source]bool{}
					}
					added[k][a.add] = true
					adds[k] = append(adds[k], a.add)
				}
			}
			n = &Note{Route: pattern, Header: header, Directive: v.Directive, Blocked: v.Blocked,
				Added: a.added(), Action: a.action, Risk: a.risk}
			notes[key] = n
			order = append(order, key)
		}
		n.Count += v.Count
		n.addWhere(v, inCode(v.Blocked))
	}
	// Hashes of whole inline texts, known only once every sample is seen.
	for _, k := range order {
		if n := notes[k]; n.Blocked == "inline" && !strings.HasSuffix(n.Directive, "-attr") {
			n.Action += hashAdvice(n, violations, m)
		}
	}
	var s Suggestion
	for _, k := range order {
		s.Notes = append(s.Notes, *notes[k])
	}
	byPattern := map[string]*Target{}
	for k, srcs := range adds {
		t := byPattern[k.pattern]
		if t == nil {
			t = &Target{Pattern: k.pattern, Before: policies[k.pattern]}
			byPattern[k.pattern] = t
		}
		c := &t.Add.CSP
		if k.report {
			c = &t.Add.CSPReportOnly
		}
		if *c == nil {
			*c = csp.Policy{}
		}
		(*c)[k.dir] = slices.Clone(srcs)
	}
	for _, t := range byPattern {
		t.After = policy.Update(t.Before, t.Add)
		s.Targets = append(s.Targets, *t)
	}
	slices.SortFunc(s.Targets, func(a, b Target) int { return cmp.Compare(a.Pattern, b.Pattern) })
	return s
}

type noteKey struct{ pattern, header, directive, blocked string }

// inCode reports whether a violation's samples say where it happened in a
// script (inline and eval: the file and line of the code).
func inCode(blocked string) bool {
	return blocked == "inline" || blocked == "eval" || blocked == "wasm-eval"
}

// addWhere lists where v happened: its document path, and for inline code
// and eval the source file and line of each sample.
func (n *Note) addWhere(v Violation, lines bool) {
	add := func(s string) {
		if slices.Contains(n.Where, s) {
			return
		}
		if len(n.Where) == maxWhere {
			n.More++
			return
		}
		n.Where = append(n.Where, s)
	}
	listed := false
	if lines {
		for _, sm := range v.Samples {
			if sm.SourceFile == "" {
				continue
			}
			at := sm.SourceFile
			if sm.Line > 0 {
				at += ":" + strconv.Itoa(sm.Line)
			}
			add(v.Path + ": " + at)
			listed = true
		}
	}
	if !listed {
		add(v.Path)
	}
}

// hashAdvice returns the hash alternative for an inline note when every
// sample of its groups is shorter than browsers cut samples: each distinct
// text's sha256 source.
func hashAdvice(n *Note, violations []Violation, m *router) string {
	var hashes []string
	for _, v := range violations {
		if v.Blocked != "inline" || v.Directive != n.Directive || m.match(v.Path) != n.Route || (v.Disposition == "report") != (n.Header == "Content-Security-Policy-Report-Only") {
			continue
		}
		for _, sm := range v.Samples {
			if sm.Sample == "" || len([]rune(sm.Sample)) >= sampleCut {
				continue
			}
			sum := sha256.Sum256([]byte(sm.Sample))
			h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
			if !slices.Contains(hashes, h) {
				hashes = append(hashes, h)
			}
		}
	}
	if len(hashes) == 0 {
		return ""
	}
	return "; or, for a static page, allow exactly the text the report sampled (shorter than the 40 characters browsers keep, so it is the whole text) with " + strings.Join(hashes, " ") + " (check it with secureheaders hash)"
}
