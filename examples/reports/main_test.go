package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders/report"
)

func TestReportReachesSink(t *testing.T) {
	got := make(chan report.Report, 1)
	sh, err := newEngine(func(ctx context.Context, r report.Report) { got <- r })
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	h := sh.Handler(http.NotFoundHandler())

	body := `{"csp-report":{"document-uri":"https://example.com/","violated-directive":"script-src-elem","blocked-uri":"inline"}}`
	req := httptest.NewRequest("POST", "https://example.com/csp-report", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/csp-report")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("POST report: status %d, want 204", rec.Code)
	}
	select {
	case r := <-got:
		if r.EffectiveDirective != "script-src-elem" || r.BlockedURL != "inline" {
			t.Errorf("report = %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the sink got no report")
	}

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "https://example.com/", nil))
	if c := rec.Header().Get("Content-Security-Policy"); !strings.Contains(c, "report-uri /csp-report; report-to csp-endpoint") {
		t.Errorf("CSP = %q, want both report directives", c)
	}
	if e := rec.Header().Get("Reporting-Endpoints"); e != `csp-endpoint="/csp-report"` {
		t.Errorf("Reporting-Endpoints = %q", e)
	}
}
