package report_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// The dashboard of an engine's reports, with the change the reports
// suggest: an *Engine is a PolicySource. Mount it behind your own
// authentication (it shows your users' URLs); ?format=fragment gives the
// configuration fragment alone.
func ExampleNewDashboard() {
	agg, err := report.NewAggregator(report.AggregatorOptions{})
	if err != nil {
		panic(err)
	}
	eng, err := secureheaders.New(&secureheaders.Options{
		Policy:     &policy.Policy{CSPReportOnly: csp.MustParse("default-src 'self'; script-src 'self' 'nonce-{nonce}'")},
		ReportSink: agg.Add,
	})
	if err != nil {
		panic(err)
	}
	defer eng.Close()
	agg.Add(context.Background(), report.Report{Type: report.TypeCSP, URL: "https://app.example/", BlockedURL: "https://cdn.example/lib.js", EffectiveDirective: "script-src-elem", Disposition: "report"})

	dash := report.NewDashboard(agg, &report.DashboardOptions{Policy: eng})
	rec := httptest.NewRecorder()
	dash.ServeHTTP(rec, httptest.NewRequest("GET", "/reports?format=fragment", nil))
	body, _ := io.ReadAll(rec.Body)
	fmt.Print(string(body))
	// Output:
	// {
	//   "update": {
	//     "Content-Security-Policy-Report-Only": {
	//       "script-src": ["https://cdn.example"]
	//     }
	//   }
	// }
}
