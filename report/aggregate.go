package report

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
)

// Defaults and bounds of AggregatorOptions.
const (
	aggDefaultMaxGroups = 1000
	aggMaxMaxGroups     = 1 << 20
	aggDefaultHours     = 72
	aggMaxHours         = 24 * 90
	aggDefaultSamples   = 3
	aggMaxSamples       = 32
	// aggFieldMax caps every string an aggregator keeps (bytes).
	aggFieldMax = 256
)

// SnapshotVersion is the version of the Snapshot JSON format this package
// writes; DecodeSnapshot refuses a newer one.
const SnapshotVersion = 1

// AggregatorOptions configures NewAggregator. Every zero field means its
// default.
type AggregatorOptions struct {
	// MaxGroups bounds how many groups are kept (default 1000, at most
	// 1048576). When a report would start a group past the bound, the tenth
	// of the groups with the lowest counts (the least recently seen first
	// among equal counts) is evicted at once and counted in
	// Snapshot.Evicted, so a flood of distinct reports costs amortised
	// O(log MaxGroups) per report.
	MaxGroups int
	// Hours is how many hourly counts each group keeps (default 72, three
	// days; at most 2160).
	Hours int
	// Samples is how many samples each group keeps (default 3, at most 32):
	// the first ones seen.
	Samples int
	// AllowedHosts, when not empty, are the hosts of the application's own
	// documents ("example.com", "*.example.com" for the subdomains): a
	// report about a document on another host (forged, or from a mirror or
	// a cached copy) is classed NoiseForeignHost.
	AllowedHosts []string
}

// GroupKey is what reports are grouped by.
type GroupKey struct {
	// Disposition is "enforce" or "report".
	Disposition string `json:"disposition"`
	// Directive is the effective directive ("script-src-elem"), or the
	// violated one when a browser sends no effective directive.
	Directive string `json:"directive"`
	// Blocked is what was blocked: the origin of a URL
	// ("https://cdn.example"), a scheme for data:, blob: and the like
	// ("data:"), or the browser's keyword ("inline", "eval", "wasm-eval",
	// "trusted-types-policy", "trusted-types-sink").
	Blocked string `json:"blocked"`
	// Path is the document's path, without its query and fragment.
	Path string `json:"path"`
}

// Group is one group of a Snapshot.
type Group struct {
	GroupKey
	// Noise is the group's noise class ("" for a real violation); see
	// Classify.
	Noise Noise `json:"noise,omitempty"`
	// Count is how many reports the group received.
	Count uint64 `json:"count"`
	// FirstSeen and LastSeen are when the first and the last arrived.
	FirstSeen time.Time `json:"firstSeen"`
	LastSeen  time.Time `json:"lastSeen"`
	// Hourly are the counts per hour, oldest first, for the hours that had
	// reports among the last AggregatorOptions.Hours.
	Hourly []HourCount `json:"hourly,omitempty"`
	// Samples are the first few reports' details.
	Samples []Sample `json:"samples,omitempty"`
}

// HourCount is the number of reports a group received in one hour.
type HourCount struct {
	Hour  time.Time `json:"hour"` // the start of the hour, UTC
	Count uint64    `json:"count"`
}

// Sample is what a group keeps of one report.
type Sample struct {
	SourceFile string `json:"sourceFile,omitempty"`
	Line       int    `json:"line,omitempty"`
	Column     int    `json:"column,omitempty"`
	Sample     string `json:"sample,omitempty"`
	// Browser is the user agent's family: "Chrome", "Edge", "Firefox",
	// "Safari", or "other".
	Browser string `json:"browser,omitempty"`
}

// Snapshot is an aggregator's state at one moment, as plain data: it
// marshals to versioned JSON (DecodeSnapshot reads it back) and Merge
// combines the snapshots of several instances.
type Snapshot struct {
	Version int       `json:"version"`
	Taken   time.Time `json:"taken"`
	// Reports is how many reports were added in all, Evicted how many
	// groups were dropped to stay within MaxGroups, and Ignored how many
	// reports were not CSP violations.
	Reports uint64 `json:"reports"`
	Evicted uint64 `json:"evicted"`
	Ignored uint64 `json:"ignored"`
	// Groups are sorted real violations first, then by count, largest first.
	Groups []Group `json:"groups"`
}

// Aggregator groups CSP violation reports for the rollout from report-only
// to enforced: its Add method is a Sink (NewHandler(opts, agg.Add, nil)),
// and Snapshot shows what it has seen.
//
// Memory is bounded: at most MaxGroups groups, each with at most Hours
// hourly counts and Samples samples, every string clipped to 256 bytes —
// with the defaults, about 5 KiB per group when every string is at its cap
// (TestAggregatorMemoryBound measures it and allows 8 KiB). An
// Aggregator is safe for concurrent use; the zero value is not usable, call
// NewAggregator.
type Aggregator struct {
	opts  AggregatorOptions
	hosts hostMatcher
	now   func() time.Time

	mu      sync.Mutex
	groups  map[GroupKey]*aggGroup
	reports uint64
	evicted uint64
	ignored uint64
}

type aggGroup struct {
	noise       Noise
	count       uint64
	first, last time.Time
	hourly      []HourCount // oldest first
	samples     []Sample
}

// NewAggregator validates opts and returns an empty aggregator. Every
// invalid field is reported (errors joined, each a *policy.Error).
func NewAggregator(opts AggregatorOptions) (*Aggregator, error) {
	var errs cfgerr.List
	bad := errs.Add
	check := func(path string, v, limit, def int) int {
		switch {
		case v < 0:
			bad(path, strconv.Itoa(v), "must not be negative, got", "use 0 for the default of "+strconv.Itoa(def))
		case v > limit:
			bad(path, strconv.Itoa(v), "is above the limit of "+strconv.Itoa(limit)+", got", "")
		case v == 0:
			return def
		}
		return v
	}
	opts.MaxGroups = check("maxGroups", opts.MaxGroups, aggMaxMaxGroups, aggDefaultMaxGroups)
	opts.Hours = check("hours", opts.Hours, aggMaxHours, aggDefaultHours)
	opts.Samples = check("samples", opts.Samples, aggMaxSamples, aggDefaultSamples)
	hosts, herrs := newHostMatcher(opts.AllowedHosts)
	for _, e := range herrs {
		bad("allowedHosts["+strconv.Itoa(e.index)+"]", e.value, e.reason, `write "example.com" or "*.example.com"`)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	opts.AllowedHosts = slices.Clone(opts.AllowedHosts)
	return &Aggregator{opts: opts, hosts: hosts, now: time.Now, groups: map[GroupKey]*aggGroup{}}, nil
}

// Add records r. Reports that are not CSP violations are only counted
// (Snapshot.Ignored). It never blocks for long: one map lookup and a few
// bounded appends under a mutex (BenchmarkAggregatorAdd).
func (a *Aggregator) Add(_ context.Context, r Report) {
	now := a.now().UTC()
	key, ok := keyOf(r)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reports++
	if !ok {
		a.ignored++
		return
	}
	g := a.groups[key]
	if g == nil {
		if len(a.groups) >= a.opts.MaxGroups {
			a.evict()
		}
		g = &aggGroup{noise: a.classify(r, key), first: now}
		a.groups[key] = g
	}
	g.count++
	g.last = now
	hour := now.Truncate(time.Hour)
	if n := len(g.hourly); n > 0 && g.hourly[n-1].Hour.Equal(hour) {
		g.hourly[n-1].Count++
	} else {
		g.hourly = append(g.hourly, HourCount{Hour: hour, Count: 1})
	}
	g.hourly = dropOldHours(g.hourly, hour, a.opts.Hours)
	if len(g.samples) < a.opts.Samples {
		g.samples = append(g.samples, Sample{
			SourceFile: clip(r.SourceFile), Line: r.LineNumber, Column: r.ColumnNumber,
			Sample: clip(r.Sample), Browser: browserFamily(r.UserAgent),
		})
	}
}

// evict drops the tenth of the groups with the lowest counts, least
// recently seen first among equals. a.mu must be held.
func (a *Aggregator) evict() {
	type entry struct {
		key GroupKey
		g   *aggGroup
	}
	all := make([]entry, 0, len(a.groups))
	for k, g := range a.groups {
		all = append(all, entry{k, g})
	}
	slices.SortFunc(all, func(x, y entry) int {
		if c := cmp.Compare(x.g.count, y.g.count); c != 0 {
			return c
		}
		return x.g.last.Compare(y.g.last)
	})
	n := max(1, len(all)/10)
	for _, e := range all[:n] {
		delete(a.groups, e.key)
	}
	a.evicted += uint64(n)
}

// dropOldHours keeps the counts of the last hours hours before now.
func dropOldHours(h []HourCount, now time.Time, hours int) []HourCount {
	oldest := now.Add(-time.Duration(hours-1) * time.Hour)
	i := 0
	for i < len(h) && h[i].Hour.Before(oldest) {
		i++
	}
	if i == 0 {
		return h
	}
	return append(h[:0], h[i:]...)
}

// Snapshot returns a deep copy of the groups, sorted real violations first,
// then by count (largest first), then by key.
func (a *Aggregator) Snapshot() Snapshot {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := Snapshot{Version: SnapshotVersion, Taken: a.now().UTC(), Reports: a.reports, Evicted: a.evicted, Ignored: a.ignored}
	s.Groups = make([]Group, 0, len(a.groups))
	for k, g := range a.groups {
		s.Groups = append(s.Groups, Group{
			GroupKey: k, Noise: g.noise, Count: g.count, FirstSeen: g.first, LastSeen: g.last,
			Hourly: slices.Clone(g.hourly), Samples: slices.Clone(g.samples),
		})
	}
	sortGroups(s.Groups)
	return s
}

func sortGroups(gs []Group) {
	slices.SortFunc(gs, func(x, y Group) int {
		if (x.Noise == "") != (y.Noise == "") {
			if x.Noise == "" {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return cmp.Or(
			cmp.Compare(x.Directive, y.Directive), cmp.Compare(x.Blocked, y.Blocked),
			cmp.Compare(x.Path, y.Path), cmp.Compare(x.Disposition, y.Disposition))
	})
}

// Merge combines snapshots of several aggregators (a fleet behind a load
// balancer) into one: counts, hourly counts and the Reports, Evicted and
// Ignored totals add up, first and last seen widen, samples are kept up to
// samples per group (0 means the default of 3) in the order given. A
// snapshot of a newer version than SnapshotVersion is an error. The inputs
// are not modified.
func Merge(samples int, snaps ...Snapshot) (Snapshot, error) {
	if samples <= 0 {
		samples = aggDefaultSamples
	}
	out := Snapshot{Version: SnapshotVersion}
	byKey := map[GroupKey]*Group{}
	var order []GroupKey
	for i, s := range snaps {
		if s.Version > SnapshotVersion || s.Version < 1 {
			return Snapshot{}, errors.New("report: snapshot " + strconv.Itoa(i) + " has version " + strconv.Itoa(s.Version) + "; this version reads 1 to " + strconv.Itoa(SnapshotVersion))
		}
		out.Reports += s.Reports
		out.Evicted += s.Evicted
		out.Ignored += s.Ignored
		if s.Taken.After(out.Taken) {
			out.Taken = s.Taken
		}
		for _, g := range s.Groups {
			m := byKey[g.GroupKey]
			if m == nil {
				c := g
				c.Hourly = slices.Clone(g.Hourly)
				c.Samples = slices.Clone(g.Samples[:min(len(g.Samples), samples)])
				byKey[g.GroupKey] = &c
				order = append(order, g.GroupKey)
				continue
			}
			m.Count += g.Count
			if g.FirstSeen.Before(m.FirstSeen) {
				m.FirstSeen = g.FirstSeen
			}
			if g.LastSeen.After(m.LastSeen) {
				m.LastSeen = g.LastSeen
			}
			if m.Noise == "" {
				m.Noise = g.Noise
			}
			m.Hourly = mergeHours(m.Hourly, g.Hourly)
			for _, sm := range g.Samples {
				if len(m.Samples) < samples {
					m.Samples = append(m.Samples, sm)
				}
			}
		}
	}
	out.Groups = make([]Group, 0, len(order))
	for _, k := range order {
		out.Groups = append(out.Groups, *byKey[k])
	}
	sortGroups(out.Groups)
	return out, nil
}

// mergeHours adds two hour lists sorted oldest first.
func mergeHours(a, b []HourCount) []HourCount {
	out := make([]HourCount, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i].Hour.Before(b[j].Hour):
			out = append(out, a[i])
			i++
		case i == len(a) || b[j].Hour.Before(a[i].Hour):
			out = append(out, b[j])
			j++
		default:
			out = append(out, HourCount{Hour: a[i].Hour, Count: a[i].Count + b[j].Count})
			i++
			j++
		}
	}
	return out
}

// DecodeSnapshot reads a snapshot written by json.Marshal(Snapshot). A
// snapshot of a newer version, or one that is not valid JSON of this shape,
// is an error that says which.
func DecodeSnapshot(data []byte) (Snapshot, error) {
	var probe struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return Snapshot{}, errors.New("report: not a snapshot: invalid JSON")
	}
	switch {
	case probe.Version == nil:
		return Snapshot{}, errors.New("report: not a snapshot: no version")
	case *probe.Version > SnapshotVersion || *probe.Version < 1:
		return Snapshot{}, errors.New("report: snapshot version " + strconv.Itoa(*probe.Version) + " is not one this version reads (1 to " + strconv.Itoa(SnapshotVersion) + "); upgrade secureheaders")
	}
	var s Snapshot
	if err := json.Unmarshal(data, &s); err != nil {
		return Snapshot{}, errors.New("report: corrupted snapshot: a field has the wrong type")
	}
	return s, nil
}

// clip cuts s to aggFieldMax bytes, on a UTF-8 boundary.
func clip(s string) string {
	if len(s) <= aggFieldMax {
		return s
	}
	n := aggFieldMax
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
