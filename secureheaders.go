package secureheaders

import (
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/secureheaders/secureheaders/middleware"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/render"
)

// Options configures New. The zero Options means: the Recommended policy,
// no HTTPS redirect (HSTS is still sent on HTTPS responses only), no cookie
// flags, no report receiver.
type Options struct {
	// Policy is the app-wide policy; nil means policy.Recommended(). It is
	// copied: changing it after New has no effect.
	Policy *policy.Policy
	// Routes are overrides for ServeMux patterns ("/embed/", "GET /api/{id}"),
	// chosen by Handler for every request the pattern matches. Routes
	// wrapped in code use Route instead.
	Routes []policy.Route
	// HTTPS configures the redirect, host checks and proxy trust.
	HTTPS middleware.HTTPSOptions
	// Cookies configures Set-Cookie flags; the zero value changes no cookie.
	Cookies middleware.CookieOptions
	// Reports, when non-nil, mounts the CSP report receiver at Reports.Path
	// (default "/csp-report") inside Handler.
	Reports *middleware.ReportOptions
	// ReportSink receives reports; nil logs them with Logger.
	ReportSink middleware.ReportSink
	// Logger is used by the report receiver; nil means slog.Default().
	Logger *slog.Logger
}

// SecureHeaders is the engine: it holds the compiled app policy and route
// overrides and serves them through Handler and Route.
//
// Its zero value is a passthrough that sends no header and redirects
// nothing until a policy is set with Rewrite or Update. A *SecureHeaders is
// safe for concurrent use: run-time changes (Update, Rewrite, Remove,
// SetPolicy, Route) build a new compiled state and swap it atomically, so a
// request sees either the old policy or the new one, never a mix.
type SecureHeaders struct {
	mu        sync.Mutex // serialises changes; requests never take it
	state     atomic.Pointer[state]
	overrides []policy.Override // by route id, registered with Route
}

// state is one immutable compiled generation.
type state struct {
	policy   policy.Policy
	base     *render.Set
	https    *middleware.HTTPS
	cookies  *middleware.CookieFlags
	reports  *middleware.ReportHandler
	repPath  string
	routes   []compiledRoute // by route id
	patterns []policy.Route
	matcher  *patternMatcher // matches patterns, nil without them
	byPat    map[string]*render.Set
	httpOK   map[string]bool // patterns that skip the HTTPS redirect
	// slots is how many header values one request may need, and bufLen
	// how many bytes its nonce-bearing values may need (plain, secure):
	// the largest set Handler writes plus the largest Route delta on top
	// of the base.
	slots  int
	bufLen [2]int
}

// planSlots sets st.slots and st.bufLen from its sets and routes.
func (st *state) planSlots() {
	n := 0
	for i, secure := range []bool{false, true} {
		slots, buf := st.base.Len(secure), st.base.BufLen(secure)
		var dSlots, dBuf int
		for _, cr := range st.routes {
			dSlots = max(dSlots, cr.delta.Len(secure))
			dBuf = max(dBuf, cr.delta.BufLen(secure))
		}
		slots, buf = slots+dSlots, buf+dBuf
		for _, set := range st.byPat {
			slots, buf = max(slots, set.Len(secure)), max(buf, set.BufLen(secure))
		}
		n = max(n, slots)
		st.bufLen[i] = buf
	}
	st.slots = n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type compiledRoute struct {
	set   *render.Set
	base  *render.Set   // the app set the delta starts from
	delta *render.Delta // from base to set
}

// New validates opts and compiles everything once. On error, every problem
// is returned (errors.Join) and the *SecureHeaders is nil.
func New(opts *Options) (*SecureHeaders, error) {
	if opts == nil {
		opts = &Options{}
	}
	p := policy.Recommended()
	if opts.Policy != nil {
		p = opts.Policy.Clone()
	}
	var errs []error
	st := &state{}
	var err error
	if st.https, err = middleware.NewHTTPS(opts.HTTPS); err != nil {
		errs = append(errs, err)
	}
	if st.cookies, err = middleware.NewCookieFlags(opts.Cookies); err != nil {
		errs = append(errs, err)
	}
	if opts.Reports != nil {
		ro := *opts.Reports
		if ro.Path == "" {
			ro.Path = DefaultReportPath
		}
		st.repPath = ro.Path
		if st.reports, err = middleware.NewReportHandler(ro, opts.ReportSink, opts.Logger); err != nil {
			errs = append(errs, err)
		}
	}
	st.patterns = make([]policy.Route, len(opts.Routes))
	for i, r := range opts.Routes {
		st.patterns[i] = policy.Route{Pattern: r.Pattern, Override: r.Override.Clone(), SkipRedirect: r.SkipRedirect}
	}
	s := &SecureHeaders{}
	next, err := s.compile(st, p)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		if st.reports != nil {
			st.reports.Close()
		}
		return nil, errors.Join(errs...)
	}
	s.state.Store(next)
	return s, nil
}

// DefaultReportPath is where the report receiver is mounted when
// Options.Reports.Path is empty.
const DefaultReportPath = "/csp-report"

// Must is for package-level variables: it panics if err is not nil.
func Must(s *SecureHeaders, err error) *SecureHeaders {
	if err != nil {
		panic("secureheaders: " + err.Error())
	}
	return s
}

// compile builds a new generation from the non-policy parts of old and the
// policy p; it validates p, every Route override and every pattern route.
// s.mu must be held (or s unpublished).
func (s *SecureHeaders) compile(old *state, p policy.Policy) (*state, error) {
	base, err := render.Compile(p)
	if err != nil {
		return nil, err
	}
	st := &state{
		policy: p, base: base,
		https: old.https, cookies: old.cookies, reports: old.reports, repPath: old.repPath,
		patterns: old.patterns,
	}
	var errs []error
	for i, o := range s.overrides {
		cr, err := compileRoute(base, p, o)
		if err != nil {
			errs = append(errs, routeError(i, "", err))
		}
		st.routes = append(st.routes, cr)
	}
	if len(st.patterns) > 0 {
		mux := http.NewServeMux()
		st.byPat = make(map[string]*render.Set, len(st.patterns))
		for _, r := range st.patterns {
			cr, err := compileRoute(base, p, r.Override)
			if err != nil {
				errs = append(errs, routeError(-1, r.Pattern, err))
				continue
			}
			if err := registerPattern(mux, r.Pattern); err != nil {
				errs = append(errs, routeError(-1, r.Pattern, err))
				continue
			}
			st.byPat[r.Pattern] = cr.set
			if r.SkipRedirect {
				if st.httpOK == nil {
					st.httpOK = map[string]bool{}
				}
				st.httpOK[r.Pattern] = true
			}
		}
		// A catch-all (not in byPat) spares ServeMux.Handler working out a
		// 404 or 405 (three allocations) for every request no route
		// matches. It conflicts only with a catch-all route, which is kept.
		_ = registerPattern(mux, "/")
		st.matcher = newPatternMatcher(mux, slices.Collect(maps.Keys(st.byPat)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	st.planSlots()
	return st, nil
}

func compileRoute(base *render.Set, app policy.Policy, o policy.Override) (compiledRoute, error) {
	p, err := o.Apply(app)
	if err != nil {
		return compiledRoute{}, err
	}
	set, err := render.Compile(p)
	if err != nil {
		return compiledRoute{}, err
	}
	return compiledRoute{set: set, base: base, delta: render.NewDelta(base, set)}, nil
}

// registerPattern adds pattern to mux, turning ServeMux's panic on a bad or
// conflicting pattern into an error.
func registerPattern(mux *http.ServeMux, pattern string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &policy.Error{Path: "routes." + pattern, Reason: "invalid ServeMux pattern: " + panicText(r), Fix: `write "/path/", "GET /api/{id}" or "example.com/path"`}
		}
	}()
	mux.Handle(pattern, http.NotFoundHandler())
	return nil
}

func panicText(r any) string {
	if e, ok := r.(error); ok {
		return e.Error()
	}
	if s, ok := r.(string); ok {
		return s
	}
	return "bad pattern"
}

func routeError(id int, pattern string, err error) error {
	path := "routes." + pattern
	if pattern == "" {
		path = "route[" + itoa(id) + "]"
	}
	var out []error
	for e := range policy.AllErrors(err) {
		c := *e
		if c.Path == "" {
			c.Path = path
		} else {
			c.Path = path + "." + c.Path
		}
		out = append(out, &c)
	}
	return errors.Join(out...)
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
func (s *SecureHeaders) Policy() policy.Policy {
	if st := s.state.Load(); st != nil {
		return st.policy.Clone()
	}
	return policy.Policy{}
}

// Headers returns the compiled app-wide header set in effect (nil for the
// zero SecureHeaders). It is immutable.
func (s *SecureHeaders) Headers() *render.Set {
	if st := s.state.Load(); st != nil {
		return st.base
	}
	return nil
}

// Reports returns the report receiver, or nil when Options.Reports was nil.
// Handler already serves it at its path; use this to mount it elsewhere or
// read its Stats.
func (s *SecureHeaders) Reports() *middleware.ReportHandler {
	if st := s.state.Load(); st != nil {
		return st.reports
	}
	return nil
}

// Close stops the report receiver's worker. Handlers keep working; reports
// received afterwards are counted as dropped.
func (s *SecureHeaders) Close() {
	if r := s.Reports(); r != nil {
		r.Close()
	}
}
