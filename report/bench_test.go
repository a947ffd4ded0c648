package report

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
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
			benchReportHandler(b, "application/csp-report", bc.bodies, 1, bc.window)
		})
	}
}

// BenchmarkReportHandlerBatch measures a Reporting API POST of 10
// csp-violation reports (the fixture's, each with its own lineNumber) through
// ServeHTTP, to compare with BenchmarkReportHandlerLegacy per report:
// ns/report and B/report are ns/op and B/op divided by the batch size
// (TestBatchDecodedOnce, item 3 of issue 12: a report in a batch costs no
// more than a legacy one).
func BenchmarkReportHandlerBatch(b *testing.B) {
	const perBatch = 10
	fixture := readReportFixture(b, "reporting-csp.json")
	one := bytes.TrimSpace(fixture)
	one = bytes.TrimSuffix(bytes.TrimPrefix(one, []byte("[")), []byte("]"))
	bodies := make([][]byte, 4096)
	for i := range bodies {
		var buf bytes.Buffer
		buf.WriteByte('[')
		for j := range perBatch {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.Write(bytes.Replace(one, []byte(`"lineNumber": 88`), []byte(`"lineNumber": `+strconv.Itoa(i*perBatch+j)), 1))
		}
		buf.WriteByte(']')
		bodies[i] = buf.Bytes()
	}
	b.Run("reports="+strconv.Itoa(perBatch), func(b *testing.B) {
		benchReportHandler(b, "application/reports+json", bodies, perBatch, time.Nanosecond)
	})
}

// benchReportHandler POSTs bodies in turn, each holding perBody reports, and
// reports ns/report and B/report besides the usual figures.
func benchReportHandler(b *testing.B, contentType string, bodies [][]byte, perBody int, window time.Duration) {
	h, err := NewHandler(benchReportOptions(window), func(context.Context, Report) {}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	req := httptest.NewRequest(http.MethodPost, "/csp-report", nil)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", reportTestUA)
	var rd bytes.Reader
	body := reportBenchBody{&rd}
	b.ReportAllocs()
	b.SetBytes(int64(len(bodies[0])))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	i := 0
	for b.Loop() {
		p := bodies[i%len(bodies)]
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
	runtime.ReadMemStats(&after)
	reports := float64(i * perBody)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/reports, "ns/report")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/reports, "B/report")
}

type reportBenchBody struct{ *bytes.Reader }

func (reportBenchBody) Close() error { return nil }

// benchReportOptions lifts the limits that would drop reports in a
// benchmark from one client.
func benchReportOptions(window time.Duration) Options {
	return Options{RatePerSecond: 1e9, Burst: 1 << 20, QueueSize: 1 << 16, DedupWindow: window}
}
