package secureheaders

import (
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/secureheaders/secureheaders/policy"
)

// ParseConfig validates a configuration by compiling it as New does. So
// that ParseConfig followed by New does not compile the same policy and
// routes twice, ParseConfig keeps its compile, keyed weakly by the *Options
// it returns, and the first New or Reconfigure given those very Options
// uses it, if their Policy and Routes are still deeply equal to what was
// compiled (a caller may change them in between). Everything else in the
// Options (HTTPS, cookies, proxies, the report receiver) is compiled anew
// as always. An entry goes when it is used, or when its Options are
// garbage collected.
var parsedCompiles sync.Map // weak.Pointer[Options] → *parsedCompile

// parsedCompile is the policy part of the generation ParseConfig compiled:
// the app policy, its header set and the layered pattern routes. It is
// immutable (its engine was closed before anything was served) and used
// at most once.
type parsedCompile struct {
	st    *state
	taken atomic.Bool
}

// keepParsedCompile records st, compiled from opts, for the first New or
// Reconfigure given opts.
func keepParsedCompile(opts *Options, st *state) {
	key := weak.Make(opts)
	parsedCompiles.Store(key, &parsedCompile{st: st})
	runtime.AddCleanup(opts, func(k weak.Pointer[Options]) { parsedCompiles.Delete(k) }, key)
}

// fromParsedCompile returns the generation for serving and the app policy p
// built from ParseConfig's compile of opts, or nil when there is none to
// use: opts did not come from ParseConfig, it was used already, or its
// Policy or Routes changed since. It is for engines without Route
// wrappers, whose generation is the policy part alone.
func fromParsedCompile(opts *Options, serving *state, p policy.Policy) *state {
	key := weak.Make(opts)
	v, ok := parsedCompiles.Load(key)
	if !ok {
		return nil
	}
	pc := v.(*parsedCompile)
	if !reflect.DeepEqual(pc.st.policy, p) || !reflect.DeepEqual(pc.st.patterns, serving.patterns) ||
		!pc.taken.CompareAndSwap(false, true) {
		return nil
	}
	parsedCompiles.Delete(key)
	c := pc.st
	return &state{
		opts: serving.opts, policy: c.policy, base: c.base, baseLay: c.baseLay,
		https: serving.https, cookies: serving.cookies, reports: serving.reports, repPath: serving.repPath, refusals: serving.refusals,
		patterns: c.patterns, matcher: c.matcher, byIndex: c.byIndex, byPat: c.byPat,
	}
}
