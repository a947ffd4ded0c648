package report

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// reportTestLogger logs text lines without the time, so they can be golden.
func reportTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func TestReportLogSink(t *testing.T) {
	tests := []struct {
		name   string
		report Report
		want   string
	}{
		{"csp", Report{
			Type: TypeCSP, Age: 1500 * time.Millisecond, URL: "https://a.example/", Referrer: "https://r.example/",
			BlockedURL: "inline", EffectiveDirective: "script-src-elem", ViolatedDirective: "script-src-elem",
			OriginalPolicy: "script-src 'self'", Disposition: "enforce", SourceFile: "https://a.example/app.js",
			LineNumber: 3, ColumnNumber: 4, Sample: "alert(1)", StatusCode: 200, UserAgent: "UA/1", Truncated: true,
		}, `level=WARN msg="csp violation" type=csp-violation age=1.5s url=https://a.example/ referrer=https://r.example/ ` +
			`blockedURL=inline effectiveDirective=script-src-elem violatedDirective=script-src-elem originalPolicy="script-src 'self'" ` +
			`disposition=enforce sourceFile=https://a.example/app.js lineNumber=3 columnNumber=4 sample=alert(1) statusCode=200 userAgent=UA/1 truncated=true` + "\n"},
		{"other type", Report{Type: "deprecation", URL: "https://a.example/", Raw: json.RawMessage(`{"id":"X"}`)},
			`level=WARN msg="browser report" type=deprecation url=https://a.example/ body="{\"id\":\"X\"}"` + "\n"},
		{"log injection is quoted", Report{Type: TypeCSP, Sample: "x\nlevel=ERROR msg=forged"},
			`level=WARN msg="csp violation" type=csp-violation sample="x\nlevel=ERROR msg=forged"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			LogSink(reportTestLogger(&b))(context.Background(), tt.report)
			if b.String() != tt.want {
				t.Errorf("log line:\n got %s\nwant %s", b.String(), tt.want)
			}
		})
	}
}

func TestReportLogSinkLevel(t *testing.T) {
	var b strings.Builder
	logger := slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelError}))
	LogSink(logger)(context.Background(), Report{Type: TypeCSP})
	if b.Len() != 0 {
		t.Errorf("a Warn report was logged on an Error-level logger: %q", b.String())
	}
}

func TestReportLogSinkDefaultLogger(t *testing.T) {
	var b strings.Builder
	old := slog.Default()
	t.Cleanup(func() { slog.SetDefault(old) })
	sink := LogSink(nil) // built before SetDefault: looked up per report
	slog.SetDefault(reportTestLogger(&b))
	sink(context.Background(), Report{Type: "intervention"})
	if want := "level=WARN msg=\"browser report\" type=intervention\n"; b.String() != want {
		t.Errorf("log = %q, want %q", b.String(), want)
	}
}

func ExampleNewHandler() {
	// Log without the time so that the output is stable.
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	reports, err := NewHandler(Options{
		AllowedOrigins: []string{"https://app.example"},
	}, nil, logger)
	if err != nil {
		panic(err)
	}
	defer reports.Close()

	mux := http.NewServeMux()
	mux.Handle(reports.Path(), reports)

	// What a browser sends for Content-Security-Policy: …; report-uri /csp-report
	req := httptest.NewRequest("POST", "/csp-report", strings.NewReader(`{"csp-report": {
		"document-uri": "https://app.example/",
		"blocked-uri": "https://cdn.example/x.js",
		"effective-directive": "script-src-elem",
		"disposition": "enforce"}}`))
	req.Header.Set("Content-Type", "application/csp-report")
	req.Header.Set("User-Agent", "Example/1.0")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	fmt.Println(w.Code)

	reports.Close() // waits until the queued report is logged
	fmt.Print(logs.String())
	// Output:
	// 204
	// level=WARN msg="csp violation" type=csp-violation url=https://app.example/ blockedURL=https://cdn.example/x.js effectiveDirective=script-src-elem violatedDirective=script-src-elem disposition=enforce userAgent=Example/1.0
}

func ExampleNewHandler_invalid() {
	_, err := NewHandler(Options{
		MaxBytes:       -1,
		AllowedOrigins: []string{"https://app.example/", "https://*.example"},
	}, nil, nil)
	fmt.Println(err)
	// Output:
	// maxBytes: is negative (use 0 for the default of 65536)
	// allowedOrigins[0]: path, query, fragment or user in origin "https://app.example/" (did you mean "https://app.example"?)
	// allowedOrigins[1]: wildcard (only exact origins or "*" alone are supported) in "https://*.example" (list each origin)
}
