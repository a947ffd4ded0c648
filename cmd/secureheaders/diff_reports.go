package main

import (
	"slices"
	"strconv"

	"github.com/secureheaders/secureheaders"
)

// diffReports compares the report receivers of a and b. Mounting one is a
// widening (it answers POSTs over plain HTTP too, never redirected);
// "*" newly in allowedOrigins is risky: any site can then post the
// reports suggest learns from. The limits are listed as they change,
// neither widening nor narrowing: they bound cost, not access.
func diffReports(a, b *secureheaders.Options) []servingChange {
	ra, rb := a.Reports, b.Reports
	path := func(p string) string {
		if p == "" {
			p = secureheaders.DefaultReportPath
		}
		return strconv.Quote(p)
	}
	switch {
	case ra == nil && rb == nil:
		return nil
	case ra == nil:
		return []servingChange{{Setting: "reports", Before: "-", After: "receiver at " + path(rb.Path), Effect: widens}}
	case rb == nil:
		return []servingChange{{Setting: "reports", Before: "receiver at " + path(ra.Path), After: "-", Effect: narrows}}
	}
	var out []servingChange
	if path(ra.Path) != path(rb.Path) {
		out = append(out, servingChange{Setting: "reports.path", Before: path(ra.Path), After: path(rb.Path)})
	}
	in := func(list []string) func(string) bool {
		return func(e string) bool { return slices.Contains(list, e) || slices.Contains(list, "*") }
	}
	if c, ok := diffList("reports.allowedOrigins", ra.AllowedOrigins, rb.AllowedOrigins, in(ra.AllowedOrigins), in(rb.AllowedOrigins)); ok {
		if c.Effect == widens && slices.Contains(c.Added, "*") {
			c.Risk = `any site may POST reports cross-origin, and suggest proposes policy changes from what the reports say`
		}
		out = append(out, c)
	}
	for _, n := range []struct {
		setting string
		a, b    string
	}{
		{"reports.maxBytes", int64s(ra.MaxBytes), int64s(rb.MaxBytes)},
		{"reports.ratePerSecond", floats(ra.RatePerSecond), floats(rb.RatePerSecond)},
		{"reports.burst", number(ra.Burst), number(rb.Burst)},
		{"reports.queueSize", number(ra.QueueSize), number(rb.QueueSize)},
		{"reports.dedupWindow", durations(ra.DedupWindow.String()), durations(rb.DedupWindow.String())},
		{"reports.sinkBytesPerSecond", int64s(ra.SinkBytesPerSecond), int64s(rb.SinkBytesPerSecond)},
	} {
		if n.a != n.b {
			out = append(out, servingChange{Setting: n.setting, Before: n.a, After: n.b})
		}
	}
	return out
}

func int64s(n int64) string {
	if n == 0 {
		return "-"
	}
	return strconv.FormatInt(n, 10)
}

func floats(f float64) string {
	if f == 0 {
		return "-"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func durations(s string) string {
	if s == "0s" {
		return "-"
	}
	return strconv.Quote(s)
}
