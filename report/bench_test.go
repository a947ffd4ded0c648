package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// BenchmarkReportHandlerLegacy measures one legacy report-uri POST through
// ServeHTTP: rate limit, media type, body read, decode, de-duplication and
// queueing for a sink that discards. Reports per second = 1e9 / ns/op.
//
//   - reports=distinct: every body differs (line-number), so each report is
//     queued and delivered (or dropped if the worker falls behind).
//   - reports=duplicate: the same body each time, dropped by de-duplication
//     after the first, the path of a page that repeats one violation.
func BenchmarkReportHandlerLegacy(b *testing.B) {
	fixture := readReportFixture(b, "legacy.json")
	distinct := make([][]byte, 4096)
	for i := range distinct {
		distinct[i] = bytes.Replace(fixture, []byte(`"line-number": 42`), []byte(`"line-number": `+strconv.Itoa(i)), 1)
	}
	for _, bc := range []struct {
		name   string
		bodies [][]byte
		window time.Duration
	}{
		{"reports=distinct", distinct, time.Nanosecond}, // a body comes back only after 4096 others
		{"reports=duplicate", [][]byte{fixture}, time.Hour},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h, err := NewHandler(Options{RatePerSecond: 1e9, Burst: 1 << 20, QueueSize: 1 << 16, DedupWindow: bc.window},
				func(context.Context, Report) {}, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer h.Close()
			req := httptest.NewRequest(http.MethodPost, "/csp-report", nil)
			req.Header.Set("Content-Type", "application/csp-report")
			req.Header.Set("User-Agent", reportTestUA)
			var rd bytes.Reader
			body := reportBenchBody{&rd}
			b.ReportAllocs()
			b.SetBytes(int64(len(fixture)))
			i := 0
			for b.Loop() {
				p := bc.bodies[i%len(bc.bodies)]
				i++
				rd.Reset(p)
				req.Body = body
				req.ContentLength = int64(len(p))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusNoContent {
					b.Fatalf("status = %d, want 204", w.Code)
				}
			}
		})
	}
}

type reportBenchBody struct{ *bytes.Reader }

func (reportBenchBody) Close() error { return nil }
