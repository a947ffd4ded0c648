// Command reports receives CSP violation reports. The policy asks browsers
// to report with both mechanisms: report-to (Reporting API, through the
// Reporting-Endpoints header) and report-uri (older browsers). A browser that
// knows report-to uses only it, and delivers Reporting-API reports only when
// the page and the endpoint are HTTPS (see docs/reports.md).
//
//	go run ./reports -addr 127.0.0.1:8080
//	curl -si -X POST -H 'Content-Type: application/csp-report' \
//	  --data '{"csp-report":{"document-uri":"https://example.com/","violated-directive":"script-src-elem","blocked-uri":"inline"}}' \
//	  http://127.0.0.1:8080/csp-report
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"net/http"
	"os"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// newEngine returns the engine with the report receiver at /csp-report;
// every report goes to sink.
func newEngine(sink report.Sink) (*secureheaders.Engine, error) {
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP:                csp.MustParse("report-uri /csp-report; report-to csp-endpoint"),
		ReportingEndpoints: policy.ReportingEndpoints{"csp-endpoint": "/csp-report"},
	})
	return secureheaders.New(&secureheaders.Options{
		Policy:     &p,
		Reports:    &report.Options{Path: "/csp-report", MaxBytes: 32 << 10},
		ReportSink: sink,
	})
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	sh, err := newEngine(func(ctx context.Context, r report.Report) {
		logger.LogAttrs(ctx, slog.LevelWarn, "csp violation",
			slog.String("url", r.URL), slog.String("directive", r.EffectiveDirective),
			slog.String("blocked", r.BlockedURL), slog.String("disposition", r.Disposition))
	})
	if err != nil {
		log.Fatal(err)
	}
	defer sh.Close()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		// Blocked by the policy, so the browser reports it.
		w.Write([]byte(`<!doctype html><title>reports</title><script>alert("blocked")</script>`))
	})
	log.Printf("listening on http://%s/", *addr)
	log.Fatal(http.ListenAndServe(*addr, sh.Handler(mux)))
}
