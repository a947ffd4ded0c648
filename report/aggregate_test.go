package report

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestClassifyCorpus checks every report of the noise fixture corpus gets
// its documented class, with the application's hosts set.
func TestClassifyCorpus(t *testing.T) {
	data, err := os.ReadFile("testdata/noise/corpus.json")
	if err != nil {
		t.Fatal(err)
	}
	var corpus []struct {
		Want   Noise  `json:"want"`
		Note   string `json:"note"`
		Report Report `json:"report"`
	}
	if err := json.Unmarshal(data, &corpus); err != nil {
		t.Fatal(err)
	}
	if len(corpus) < 15 {
		t.Fatalf("corpus has %d reports", len(corpus))
	}
	for _, c := range corpus {
		if got := Classify(c.Report, "app.example", "*.app.example"); got != c.Want {
			t.Errorf("%s: Classify = %q, want %q", c.Note, got, c.Want)
		}
	}
}

func TestGroupKey(t *testing.T) {
	tests := []struct {
		r    Report
		want GroupKey
	}{
		{Report{Type: TypeCSP, URL: "https://a.example/p/q?x=1#f", BlockedURL: "https://CDN.example:8443/lib.js?v=2", EffectiveDirective: "script-src-elem", Disposition: "report"},
			GroupKey{Disposition: "report", Directive: "script-src-elem", Blocked: "https://cdn.example:8443", Path: "/p/q"}},
		{Report{Type: TypeCSP, URL: "https://a.example", BlockedURL: "INLINE", ViolatedDirective: "style-src-attr 'none'"},
			GroupKey{Disposition: "enforce", Directive: "style-src-attr", Blocked: "inline", Path: "/"}},
		{Report{Type: TypeCSP, URL: "https://a.example/", BlockedURL: "data:image/png;base64,AAAA", EffectiveDirective: "img-src"},
			GroupKey{Disposition: "enforce", Directive: "img-src", Blocked: "data:", Path: "/"}},
		{Report{Type: TypeCSP, URL: "https://a.example/", BlockedURL: "blob", EffectiveDirective: "worker-src"},
			GroupKey{Disposition: "enforce", Directive: "worker-src", Blocked: "blob:", Path: "/"}},
	}
	for _, tt := range tests {
		got, ok := keyOf(tt.r)
		if !ok {
			t.Fatalf("keyOf(%+v) not ok", tt.r)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("keyOf(%+v) (-want +got):\n%s", tt.r, diff)
		}
	}
	if _, ok := keyOf(Report{Type: "deprecation"}); ok {
		t.Error("a deprecation report was grouped")
	}
}

// clock is a settable time source for aggregator tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestAggregator(t *testing.T, opts AggregatorOptions) (*Aggregator, *clock) {
	t.Helper()
	a, err := NewAggregator(opts)
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)}
	a.now = c.now
	return a, c
}

func TestAggregatorGroupsAndHours(t *testing.T) {
	a, c := newTestAggregator(t, AggregatorOptions{Hours: 2, Samples: 2, AllowedHosts: []string{"app.example"}})
	inline := Report{Type: TypeCSP, URL: "https://app.example/?a=1", BlockedURL: "inline", EffectiveDirective: "script-src-elem", Disposition: "enforce", SourceFile: "https://app.example/", LineNumber: 3, UserAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0"}
	ext := Report{Type: TypeCSP, URL: "https://app.example/", BlockedURL: "chrome-extension://x/y.js", EffectiveDirective: "script-src-elem", Disposition: "enforce"}
	ctx := context.Background()
	for range 3 {
		a.Add(ctx, inline)
	}
	a.Add(ctx, ext)
	c.t = c.t.Add(time.Hour)
	a.Add(ctx, inline)
	c.t = c.t.Add(2 * time.Hour) // the first hour falls out of the two kept
	a.Add(ctx, inline)
	a.Add(ctx, Report{Type: "deprecation"})

	s := a.Snapshot()
	h := func(hour int) time.Time { return time.Date(2026, 12, 1, hour, 0, 0, 0, time.UTC) }
	want := Snapshot{
		Version: 1, Taken: c.t, Reports: 7, Ignored: 1,
		Groups: []Group{
			{
				GroupKey: GroupKey{Disposition: "enforce", Directive: "script-src-elem", Blocked: "inline", Path: "/"},
				Count:    5, FirstSeen: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC), LastSeen: c.t,
				Hourly:  []HourCount{{h(13), 1}},
				Samples: []Sample{{SourceFile: "https://app.example/", Line: 3, Browser: "Firefox"}, {SourceFile: "https://app.example/", Line: 3, Browser: "Firefox"}},
			},
			{
				GroupKey: GroupKey{Disposition: "enforce", Directive: "script-src-elem", Blocked: "chrome-extension://x", Path: "/"},
				Noise:    NoiseExtension, Count: 1, FirstSeen: h(10).Add(30 * time.Minute), LastSeen: h(10).Add(30 * time.Minute),
				Hourly: []HourCount{{h(10), 1}}, Samples: []Sample{{}},
			},
		},
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Snapshot (-want +got):\n%s", diff)
	}

	// The snapshot round-trips through its JSON, and merging it with
	// itself doubles the counts.
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	m, err := Merge(0, s, back)
	if err != nil {
		t.Fatal(err)
	}
	if m.Reports != 14 || m.Groups[0].Count != 10 || m.Groups[0].Hourly[0].Count != 2 || len(m.Groups[0].Samples) != 3 {
		t.Errorf("Merge: reports %d, first group %+v", m.Reports, m.Groups[0])
	}
}

func TestDecodeSnapshotRefuses(t *testing.T) {
	for in, want := range map[string]string{
		`{"version": 2, "groups": []}`:     "report: snapshot version 2 is not one this version reads (1 to 1); upgrade secureheaders",
		`{"groups": []}`:                   "report: not a snapshot: no version",
		`{"version": 1, "groups": [`:       "report: not a snapshot: invalid JSON",
		`{"version": 1, "groups": "many"}`: "report: corrupted snapshot: a field has the wrong type",
	} {
		if _, err := DecodeSnapshot([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("DecodeSnapshot(%s) = %v, want %q", in, err, want)
		}
	}
	if _, err := Merge(0, Snapshot{Version: 3}); err == nil {
		t.Error("Merge took a snapshot of a newer version")
	}
}

func TestNewAggregatorErrors(t *testing.T) {
	_, err := NewAggregator(AggregatorOptions{MaxGroups: -1, Hours: 1 << 20, AllowedHosts: []string{"ok.example", "https://x.example/"}})
	want := "maxGroups: must not be negative, got \"-1\" (use 0 for the default of 1000)\n" +
		"hours: is above the limit of 2160, got \"1048576\"\n" +
		"allowedHosts[1]: not a host name or *.suffix pattern \"https://x.example/\" (write \"example.com\" or \"*.example.com\")"
	if err == nil || err.Error() != want {
		t.Errorf("NewAggregator error:\n%v\nwant:\n%s", err, want)
	}
}

// TestAggregatorMemoryBound adds 100k reports with distinct blocked URLs
// and paths: the groups stay at MaxGroups, the evictions are counted, and
// the heap stays under the documented bound (8 KiB per group allowed,
// about 5 KiB measured).
func TestAggregatorMemoryBound(t *testing.T) {
	a, _ := newTestAggregator(t, AggregatorOptions{})
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ctx := context.Background()
	long := string(make([]byte, 2000))
	for i := range 100_000 {
		n := strconv.Itoa(i)
		a.Add(ctx, Report{
			Type: TypeCSP, URL: "https://app.example/p" + n + "?" + long, BlockedURL: "https://h" + n + ".example/x.js",
			EffectiveDirective: "script-src-elem", Sample: long, SourceFile: "https://app.example/" + long,
		})
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	s := a.Snapshot()
	if len(s.Groups) > aggDefaultMaxGroups || s.Evicted < 99_000 || s.Reports != 100_000 {
		t.Errorf("groups %d, evicted %d, reports %d", len(s.Groups), s.Evicted, s.Reports)
	}
	const bound = aggDefaultMaxGroups * 8 << 10
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > bound {
		t.Errorf("heap grew by %d bytes for %d groups, bound %d", grew, len(s.Groups), bound)
	}
	runtime.KeepAlive(a)
}

func BenchmarkAggregatorAdd(b *testing.B) {
	a, err := NewAggregator(AggregatorOptions{})
	if err != nil {
		b.Fatal(err)
	}
	reports := make([]Report, 64)
	for i := range reports {
		reports[i] = Report{Type: TypeCSP, URL: fmt.Sprintf("https://app.example/page%d?q=1", i%8),
			BlockedURL: fmt.Sprintf("https://cdn%d.example/lib.js", i%8), EffectiveDirective: "script-src-elem",
			Disposition: "enforce", UserAgent: "Mozilla/5.0 Chrome/150.0 Safari/537.36"}
	}
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		a.Add(ctx, reports[i%len(reports)])
		i++
	}
}

// TestAggregatorConcurrent adds from several goroutines while taking
// snapshots (run with -race): no report is lost.
func TestAggregatorConcurrent(t *testing.T) {
	a, _ := newTestAggregator(t, AggregatorOptions{})
	ctx := context.Background()
	done := make(chan struct{})
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 500 {
				a.Add(ctx, Report{Type: TypeCSP, URL: "https://a.example/", BlockedURL: "https://h" + strconv.Itoa(g*1000+i%7) + ".example/", EffectiveDirective: "img-src"})
			}
		}()
	}
	for range 20 {
		_ = a.Snapshot()
	}
	for range 4 {
		<-done
	}
	var total uint64
	for _, g := range a.Snapshot().Groups {
		total += g.Count
	}
	if total != 2000 {
		t.Errorf("counted %d reports, want 2000", total)
	}
}
