package secureheaders

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/cookies"
	"github.com/secureheaders/secureheaders/internal/hdrset"
	"github.com/secureheaders/secureheaders/internal/https"
	"github.com/secureheaders/secureheaders/internal/patmux"
	"github.com/secureheaders/secureheaders/internal/refusallog"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// Engine holds the compiled app policy, route overrides, HTTPS, cookie and
// report settings, and serves them through Handler and Route.
//
// Its zero value is a passthrough that sends no header and redirects
// nothing until it is configured with Reconfigure or a policy is set with
// SetPolicy, Rewrite or Update. An *Engine is safe for concurrent use:
// run-time changes (Reconfigure, Update, Rewrite, Remove, SetPolicy, Route)
// build a new compiled state and swap it atomically, so a request sees
// either the old configuration or the new one, never a mix.
type Engine struct {
	mu        sync.Mutex // serialises changes; requests never take it
	state     atomic.Pointer[state]
	routeDefs []*routeDef // by route id, registered with Route
}

// routeDef is one Route registration. Its address is the key of the
// layered sets cached for it (layer.kids).
type routeDef struct {
	o policy.Override
}

// state is one immutable compiled generation.
type state struct {
	opts     Options // as given, policy replaced by the one in effect
	policy   policy.Policy
	base     *hdrset.Set
	https    *https.Gate
	cookies  *cookies.Flags
	reports  *report.Handler
	repPath  string
	refusals *refusallog.Log // the Handler's refusals, rate-limited
	routes   []compiledRoute // by route id
	patterns []policy.Route
	matcher  *patmux.Matcher   // matches patterns, nil without them
	byIndex  []*layer          // by the matcher's pattern index
	byPat    map[string]*layer // each pattern's routes layered on the app policy
	baseLay  *layer            // the app policy
}

type compiledRoute struct {
	def   *routeDef
	set   *hdrset.Set
	base  *hdrset.Set   // the app set the delta starts from
	delta *hdrset.Delta // from base to set
	layer *layer        // the route on the app policy (set, and delta from base)
}

// layer is a compiled policy that a request may be served with: the app
// policy, a pattern route's layered policy, or one of those with Route
// wrappers applied on top, outer to inner. A layer is immutable but for
// kids, its cache of the layers one more Route makes of it, which belongs
// to the generation it was compiled in: a new generation starts with new
// layers, so nothing cached outlives the policy it was made from.
type layer struct {
	policy policy.Policy
	set    *hdrset.Set
	delta  *hdrset.Delta // from the parent layer's set; nil for a root
	kids   sync.Map      // *routeDef → *layer
}

// child returns the layer that Route def makes of l, compiling it on first
// use. If def's override does not make a valid policy on top of l (it was
// validated on the app policy only), the route's own policy on the app
// policy (fallback) is served under l, and the problem is logged once.
func (l *layer) child(def *routeDef, fallback *layer, logger *slog.Logger) *layer {
	if k, ok := l.kids.Load(def); ok {
		return k.(*layer)
	}
	next := &layer{}
	p, err := def.o.Apply(l.policy)
	var set *hdrset.Set
	if err == nil {
		set, err = hdrset.Compile(p)
	}
	if err != nil {
		p, set = fallback.policy, fallback.set
	}
	next.policy, next.set, next.delta = p, set, hdrset.NewDelta(l.set, set)
	k, loaded := l.kids.LoadOrStore(def, next)
	if err != nil && !loaded {
		if logger == nil {
			logger = slog.Default()
		}
		logger.Warn("secureheaders: a Route's override is invalid on top of the policy of the routes it is nested in; serving the route's own policy",
			"error", err.Error())
	}
	return k.(*layer)
}

// New validates opts and compiles everything once. On error, every problem
// is returned (errors.Join of *policy.Error values, see policy.AllErrors)
// and the *Engine is nil. A nil opts means the zero Options.
func New(opts *Options) (*Engine, error) {
	e := &Engine{}
	if err := e.Reconfigure(opts); err != nil {
		return nil, err
	}
	return e, nil
}

// Reconfigure validates opts and compiles a new generation from it (the
// policy, pattern routes, HTTPS, cookies, proxies and report receiver), with
// every Route registered so far re-derived from the new policy, and swaps it
// in atomically. On error nothing changes: the old configuration stays in
// effect and every problem is returned. A nil opts means the zero Options.
//
// Reconfigure(e.Options()) changes nothing. A replaced report receiver is
// closed once the new one is in effect; reports it had queued are still
// delivered to its sink.
func (e *Engine) Reconfigure(opts *Options) error {
	return e.reconfigure(opts, nil)
}

// reconfigure is Reconfigure; decoded, when not nil, is what ParseConfig
// decoded opts.Routes to (see compileDecoded).
func (e *Engine) reconfigure(opts *Options, decoded []policy.Policy) error {
	if opts == nil {
		opts = &Options{}
	}
	var pc *parsedCompile
	if decoded == nil {
		pc = parsedFor(opts)
	}
	var o Options
	if pc != nil {
		// ParseConfig's copy of the routes is equal to opts.Routes and
		// private (Options copies st.opts): it is not copied again.
		noRoutes := *opts
		noRoutes.Routes = nil
		o = noRoutes.clone()
		o.Routes = pc.st.patterns
	} else {
		o = opts.clone()
	}
	p := policy.Recommended()
	if o.Policy != nil {
		p = o.Policy.Clone()
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs cfgerr.List
	serving, err := compileServing(&o)
	errs.Append("", err)
	if serving == nil {
		serving = &state{}
	}
	if cur := e.state.Load(); cur != nil && serving.refusals != nil {
		// The refusal log's rate limit outlives the configuration: a
		// reload must not give a flood a fresh burst.
		serving.refusals = cur.refusals.WithLogger(o.Logger)
	}
	serving.opts = o
	serving.patterns = o.Routes
	var next *state
	if errs.Err() == nil && len(e.routeDefs) == 0 && pc != nil {
		next = pc.take(opts, serving)
	}
	if next == nil {
		next, err = e.compileDecoded(serving, p, decoded)
		errs.Append("", err)
	}
	if err := errs.Err(); err != nil {
		if serving.reports != nil {
			serving.reports.Close()
		}
		return err
	}
	old := e.state.Swap(next)
	if old != nil && old.reports != nil && old.reports != next.reports {
		old.reports.Close()
	}
	return nil
}

// Options returns a deep copy of the configuration in effect: the Options
// last given to New or Reconfigure, with Policy set to the app policy in
// effect (which Update, Rewrite, Remove and SetPolicy change). The zero
// Engine returns the zero Options.
func (e *Engine) Options() Options {
	st := e.state.Load()
	if st == nil {
		return Options{}
	}
	o := st.opts.clone()
	p := st.policy.Clone()
	o.Policy = &p
	return o
}

// DefaultReportPath is where the report receiver is mounted when
// Options.Reports.Path is empty.
const DefaultReportPath = "/csp-report"

// Must is for package-level variables: it panics if err is not nil.
func Must(s *Engine, err error) *Engine {
	if err != nil {
		panic("secureheaders: " + err.Error())
	}
	return s
}

// compile builds a new generation from the non-policy parts of old and the
// policy p; it validates p, every Route override and every pattern route.
// s.mu must be held (or s unpublished).
func (s *Engine) compile(old *state, p policy.Policy) (*state, error) {
	return s.compileDecoded(old, p, nil)
}

// compileDecoded is compile; decoded, when not nil, holds the policy of
// each of old.patterns, in their order, as ParseConfig's decoder built
// them on p (the covering routes' overrides applied, least specific
// first, then the route's own: what layerPatterns builds) and validated,
// with p: they are compiled as they are. (Applying and validating every
// route again cost ParseConfig + New of 50 routes 1,008 of its 6,001
// allocations, and its median CPU time went 2.38 → 2.06 ms without it:
// cd bench && go test -run '^$' -bench 'Compile/routes=50/from=config'
// -benchtime 20x -count 5 ., two rounds of each, alternated.)
func (s *Engine) compileDecoded(old *state, p policy.Policy, decoded []policy.Policy) (*state, error) {
	var base *hdrset.Set
	if decoded != nil && len(decoded) == len(old.patterns) {
		base = hdrset.CompileValid(p)
	} else {
		decoded = nil
		var err error
		if base, err = hdrset.Compile(p); err != nil {
			return nil, err
		}
	}
	st := &state{
		opts: old.opts, policy: p, base: base,
		https: old.https, cookies: old.cookies, reports: old.reports, repPath: old.repPath, refusals: old.refusals,
		patterns: old.patterns, baseLay: &layer{policy: p, set: base},
	}
	var errs []error
	for i, def := range s.routeDefs {
		cr, err := compileRoute(st.baseLay, def)
		if err != nil {
			errs = append(errs, routeError(i, "", err))
		}
		st.routes = append(st.routes, cr)
	}
	if len(st.patterns) > 0 {
		mux := http.NewServeMux()
		st.byPat = make(map[string]*layer, len(st.patterns))
		layered, lerrs := layerPatterns(p, st.patterns, decoded)
		errs = append(errs, lerrs...)
		for i, r := range st.patterns {
			if err := registerPattern(mux, r.Pattern); err != nil {
				errs = append(errs, routeError(-1, r.Pattern, err))
				continue
			}
			if layered[i] != nil {
				st.byPat[r.Pattern] = layered[i]
			}
		}
		// The catch-all patmux.New asks for; it conflicts only with a
		// catch-all route, which is kept.
		_ = registerPattern(mux, "/")
		pats := slices.Sorted(maps.Keys(st.byPat))
		for _, p := range pats {
			st.byIndex = append(st.byIndex, st.byPat[p])
		}
		st.matcher = patmux.New(mux, pats)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return st, nil
}

// compileRoute compiles the Route def on the app layer app.
func compileRoute(app *layer, def *routeDef) (compiledRoute, error) {
	p, err := def.o.Apply(app.policy)
	if err != nil {
		return compiledRoute{def: def}, err
	}
	set, err := hdrset.Compile(p)
	if err != nil {
		return compiledRoute{def: def}, err
	}
	l := &layer{policy: p, set: set, delta: hdrset.NewDelta(app.set, set)}
	app.kids.Store(def, l)
	return compiledRoute{def: def, set: set, base: app.set, delta: l.delta, layer: l}, nil
}

// layerPatterns compiles each pattern route with every route that covers
// it (patmux.Covers: every request it matches, they match) applied first,
// least specific first (patmux.Layers), then its own override. A route
// whose layered policy fails gets the error and a nil layer; a route
// layered on a failed one gets a nil layer and no error of its own (the
// failed one has it). decoded, when not nil, holds those layered policies,
// validated (compileDecoded).
func layerPatterns(app policy.Policy, routes []policy.Route, decoded []policy.Policy) ([]*layer, []error) {
	if decoded != nil {
		out := make([]*layer, len(routes))
		for i, p := range decoded {
			out[i] = &layer{policy: p, set: hdrset.CompileValid(p)}
		}
		return out, nil
	}
	pats := make([]string, len(routes))
	for i, r := range routes {
		pats[i] = r.Pattern
	}
	layers := patmux.Layers(pats)
	// A route covering another has fewer layers: compile it first.
	order := make([]int, len(routes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(layers[a]) - len(layers[b]) })
	out := make([]*layer, len(routes))
	errs := make([]error, len(routes))
	for _, i := range order {
		if slices.ContainsFunc(layers[i], func(j int) bool { return out[j] == nil }) {
			continue
		}
		p := app
		for _, j := range layers[i] {
			p, _ = routes[j].Override.Apply(p) // succeeded when j was compiled
		}
		p, err := routes[i].Override.Apply(p)
		var set *hdrset.Set
		if err == nil {
			set, err = hdrset.Compile(p)
		}
		if err != nil {
			errs[i] = routeError(-1, routes[i].Pattern, err)
			continue
		}
		out[i] = &layer{policy: p, set: set}
	}
	return out, slices.DeleteFunc(errs, func(err error) bool { return err == nil })
}

// registerPattern adds pattern to mux, turning ServeMux's panic on a bad or
// conflicting pattern into an error.
func registerPattern(mux *http.ServeMux, pattern string) error {
	err := patmux.Register(mux, pattern, http.NotFoundHandler())
	if err == nil {
		return nil
	}
	fix := `write "/path/", "GET /api/{id}" or "example.com/path"`
	var pe *patmux.PatternError
	if errors.As(err, &pe) {
		if pe.Fix != "" {
			fix = pe.Fix
		}
		err = errors.New(pe.Reason)
	}
	if reason, fix, ok := overlapReason(err.Error()); ok {
		return cfgerr.New("", "", reason, fix)
	}
	return cfgerr.New("", "", "invalid ServeMux pattern: "+err.Error(), fix)
}

// overlapReason turns ServeMux's several-line message about two patterns
// that match the same requests, or neither of which is more specific, into
// one line naming the other route (and a path both match) and a fix.
func overlapReason(msg string) (reason, fix string, ok bool) {
	_, rest, ok := strings.Cut(msg, "conflicts with pattern ")
	if !ok {
		return "", "", false
	}
	other, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", false
	}
	if strings.Contains(rest, "matches the same requests as") {
		return "matches the same requests as the route " + other, "keep one of the two routes", true
	}
	reason = "overlaps the route " + other + ", neither being more specific"
	if _, like, ok := strings.Cut(rest, ", like "); ok {
		if ex, err := strconv.QuotedPrefix(like); err == nil {
			reason += " (both match " + ex + ")"
		}
	}
	return reason, "remove one, or make one more specific than the other (a method, a host, or a literal segment where the other has a wildcard)", true
}

func routeError(id int, pattern string, err error) error {
	path := "routes." + pattern
	if pattern == "" {
		path = "route[" + itoa(id) + "]"
	}
	return cfgerr.Prefix(path, err)
}

func itoa(i int) string {
	if i < 0 {
		return "-"
	}
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(b[n:])
		}
	}
}

// Policy returns a deep copy of the app policy in effect.
func (s *Engine) Policy() policy.Policy {
	if st := s.state.Load(); st != nil {
		return st.policy.Clone()
	}
	return policy.Policy{}
}

// RoutePolicy returns a deep copy of the policy the engine serves for the
// pattern route pattern (one of Options.Routes, spelled as given there):
// the app policy with every covering route's override applied, least
// specific first, then the route's own (see Options.Routes). It returns
// false when there is no such route.
func (s *Engine) RoutePolicy(pattern string) (policy.Policy, bool) {
	if st := s.state.Load(); st != nil {
		if l, ok := st.byPat[pattern]; ok {
			return l.policy.Clone(), true
		}
	}
	return policy.Policy{}, false
}

// Reports returns the report receiver, or nil when Options.Reports was nil.
// Handler already serves it at its path; use this to mount it elsewhere or
// read its Stats.
func (s *Engine) Reports() *report.Handler {
	if st := s.state.Load(); st != nil {
		return st.reports
	}
	return nil
}

// Close stops the report receiver's worker. Handlers keep working; reports
// received afterwards are counted as dropped.
func (s *Engine) Close() {
	if r := s.Reports(); r != nil {
		r.Close()
	}
}
