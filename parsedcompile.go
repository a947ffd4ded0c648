package secureheaders

import (
	"maps"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/secureheaders/secureheaders/csp"
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

// parsedFor returns ParseConfig's compile of opts if it is there to use:
// opts came from ParseConfig, it was not used yet, and opts.Policy and
// opts.Routes are still deeply equal to what was compiled (compared to
// opts itself, before New copies it). Otherwise it returns nil.
func parsedFor(opts *Options) *parsedCompile {
	v, ok := parsedCompiles.Load(weak.Make(opts))
	if !ok {
		return nil
	}
	pc := v.(*parsedCompile)
	if pc.taken.Load() || opts.Policy == nil || !samePolicy(&pc.st.policy, opts.Policy) || !sameRoutes(pc.st.patterns, opts.Routes) {
		return nil
	}
	return pc
}

// take returns the generation for serving built from pc, the compile of
// opts, or nil when another New took it first. It is for engines without
// Route wrappers, whose generation is the policy part alone.
func (pc *parsedCompile) take(opts *Options, serving *state) *state {
	if !pc.taken.CompareAndSwap(false, true) {
		return nil
	}
	parsedCompiles.Delete(weak.Make(opts))
	c := pc.st
	return &state{
		opts: serving.opts, policy: c.policy, base: c.base, baseLay: c.baseLay,
		https: serving.https, cookies: serving.cookies, reports: serving.reports, repPath: serving.repPath, refusals: serving.refusals,
		patterns: c.patterns, matcher: c.matcher, byIndex: c.byIndex, byPat: c.byPat,
	}
}

// samePolicy is reflect.DeepEqual(*a, *b) without reflect: through it,
// comparing the policy and the 50 routes of the benchmark's configuration
// allocated 335 times (the map lookups) and took 5 % of the CPU profile of
// bench's BenchmarkCompile, from=config.
// Nil is not empty, as for reflect.DeepEqual. TestSameAsDeepEqual holds
// it, and sameRoutes, to reflect.DeepEqual for every field.
func samePolicy(a, b *policy.Policy) bool {
	return sameCSP(a.CSP, b.CSP) && sameCSP(a.CSPReportOnly, b.CSPReportOnly) &&
		sameMap(a.ReportingEndpoints, b.ReportingEndpoints) &&
		reflect.DeepEqual(a.HSTS, b.HSTS) && reflect.DeepEqual(a.HPKP, b.HPKP) && // pointers: nothing copied
		a.FrameOptions == b.FrameOptions && a.ContentTypeOptions == b.ContentTypeOptions &&
		sameList(a.ReferrerPolicy, b.ReferrerPolicy) && samePermissions(a.PermissionsPolicy, b.PermissionsPolicy) &&
		a.OpenerPolicy == b.OpenerPolicy && a.EmbedderPolicy == b.EmbedderPolicy && a.ResourcePolicy == b.ResourcePolicy &&
		a.OriginAgentCluster == b.OriginAgentCluster && a.XSSProtection == b.XSSProtection &&
		a.DNSPrefetchControl == b.DNSPrefetchControl && a.DownloadOptions == b.DownloadOptions &&
		a.CrossDomainPolicies == b.CrossDomainPolicies && sameList(a.ClearSiteData, b.ClearSiteData) &&
		a.CacheControl == b.CacheControl
}

// sameRoutes is reflect.DeepEqual(a, b) without reflect.
func sameRoutes(a, b []policy.Route) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		ra, rb := &a[i], &b[i]
		oa, ob := &ra.Override, &rb.Override
		if ra.Pattern != rb.Pattern || ra.SkipRedirect != rb.SkipRedirect || ra.SkipHostCheck != rb.SkipHostCheck ||
			!sameList(oa.Remove, ob.Remove) || !samePolicy(&oa.Rewrite, &ob.Rewrite) ||
			!samePolicy(&oa.ReplaceDirectives, &ob.ReplaceDirectives) || !samePolicy(&oa.Update, &ob.Update) {
			return false
		}
	}
	return true
}

func sameCSP(a, b csp.Policy) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for d, la := range a {
		if lb, ok := b[d]; !ok || !sameList(la, lb) {
			return false
		}
	}
	return true
}

func samePermissions(a, b policy.PermissionsPolicy) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for f, la := range a {
		if lb, ok := b[f]; !ok || !sameList(la, lb) {
			return false
		}
	}
	return true
}

func sameMap[M ~map[K]V, K, V comparable](a, b M) bool {
	return (a == nil) == (b == nil) && maps.Equal(a, b)
}

func sameList[S ~[]E, E comparable](a, b S) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}
