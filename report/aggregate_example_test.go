package report_test

import (
	"context"
	"fmt"

	"github.com/secureheaders/secureheaders/report"
)

// An Aggregator is a Sink: give its Add method to NewHandler (or to the
// engine's Options.ReportSink) and read Snapshot when you want to know what
// the policy would block. Noise (here a browser extension) is kept, counted
// and sorted last.
func ExampleAggregator() {
	agg, err := report.NewAggregator(report.AggregatorOptions{AllowedHosts: []string{"app.example"}})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	for _, r := range []report.Report{
		{Type: report.TypeCSP, URL: "https://app.example/cart?id=7", BlockedURL: "https://cdn.example/lib.js", EffectiveDirective: "script-src-elem", Disposition: "report"},
		{Type: report.TypeCSP, URL: "https://app.example/cart?id=9", BlockedURL: "https://cdn.example/other.js", EffectiveDirective: "script-src-elem", Disposition: "report"},
		{Type: report.TypeCSP, URL: "https://app.example/", BlockedURL: "inline", EffectiveDirective: "script-src-elem", Disposition: "report"},
		{Type: report.TypeCSP, URL: "https://app.example/", BlockedURL: "chrome-extension://abc/x.js", EffectiveDirective: "script-src-elem", Disposition: "report"},
	} {
		agg.Add(ctx, r)
	}
	for _, g := range agg.Snapshot().Groups {
		noise := "real"
		if g.Noise != "" {
			noise = "noise: " + string(g.Noise)
		}
		fmt.Printf("%d %s %s %s (%s)\n", g.Count, g.Directive, g.Blocked, g.Path, noise)
	}
	// Output:
	// 2 script-src-elem https://cdn.example /cart (real)
	// 1 script-src-elem inline / (real)
	// 1 script-src-elem chrome-extension://abc / (noise: extension)
}
