package bench

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders/report"
)

// distinctBodies is how many different bodies each format cycles through,
// so the de-duplication does not turn the run into a duplicate counter.
const distinctBodies = 1024

// reportsPerBatch is how many reports one batched body carries.
const reportsPerBatch = 3

const reportedPolicy = cspPrefix + "abc" + cspSuffix

func legacyBody(i int) []byte {
	return []byte(`{"csp-report":{"document-uri":"https://example.com/page","referrer":"https://example.com/",` +
		`"violated-directive":"script-src-elem","effective-directive":"script-src-elem",` +
		`"original-policy":"` + reportedPolicy + `","disposition":"enforce",` +
		`"blocked-uri":"https://evil.example/x.js","line-number":` + strconv.Itoa(i+1) + `,"column-number":7,` +
		`"source-file":"https://example.com/app.js","status-code":200,"script-sample":""}}`)
}

func batchBody(i int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for j := range reportsPerBatch {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"csp-violation","age":120,"url":"https://example.com/page",` +
			`"user_agent":"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0","body":{` +
			`"documentURL":"https://example.com/page","referrer":"","blockedURL":"https://evil.example/x.js",` +
			`"effectiveDirective":"script-src-elem","originalPolicy":"` + reportedPolicy + `",` +
			`"sourceFile":"https://example.com/app.js","sample":"","disposition":"enforce","statusCode":200,` +
			`"lineNumber":` + strconv.Itoa(i*reportsPerBatch+j+1) + `,"columnNumber":7}}`)
	}
	b.WriteByte(']')
	return b.Bytes()
}

var reportFormats = []struct {
	name, contentType string
	perBody           int
	body              func(i int) []byte
}{
	{"legacy", "application/csp-report", 1, legacyBody},
	{"batch", "application/reports+json", reportsPerBatch, batchBody},
}

// newReceiver builds the receiver with a no-op sink, limits opened up so a
// benchmark measures the accepting path (no 429), and a de-duplication
// window short enough that distinct bodies are never counted as duplicates.
func newReceiver(tb testing.TB) *report.Handler {
	h, err := report.NewHandler(report.Options{
		RatePerSecond: 1e12,
		Burst:         1 << 20,
		QueueSize:     1 << 16,
		DedupWindow:   time.Nanosecond,
	}, func(context.Context, report.Report) {}, slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(h.Close)
	return h
}

// reportRequest is a reusable POST whose body is reset before each use.
type reportRequest struct {
	r    *http.Request
	body bytes.Reader
}

func newReportRequest(contentType string) *reportRequest {
	rr := &reportRequest{r: httptest.NewRequest(http.MethodPost, reportPath, nil)}
	rr.r.Host = requestHost
	rr.r.RemoteAddr = clientAddr
	rr.r.Header.Set("Content-Type", contentType)
	rr.r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/140.0")
	rr.r.Body = io.NopCloser(&rr.body)
	return rr
}

func (rr *reportRequest) reset(body []byte) {
	rr.body.Reset(body)
	rr.r.ContentLength = int64(len(body))
}

// BenchmarkReportReceiver posts one report body per op to
// report.Handler: a legacy report-uri body (one report) or a
// Reporting API batch (three). reports/s is reports accepted per second of
// one goroutine; dropped/op counts queue overflows (the sink's worker runs
// on another goroutine).
func BenchmarkReportReceiver(b *testing.B) {
	for _, f := range reportFormats {
		b.Run("format="+f.name, func(b *testing.B) {
			bodies := make([][]byte, distinctBodies)
			for i := range bodies {
				bodies[i] = f.body(i)
			}
			h := newReceiver(b)
			rr := newReportRequest(f.contentType)
			w := newMinimalWriter()
			b.ReportAllocs()
			cpu := startCPU()
			i := 0
			for b.Loop() {
				w.reset()
				rr.reset(bodies[i%distinctBodies])
				h.ServeHTTP(w, rr.r)
				i++
			}
			cpu.report(b)
			if w.status != http.StatusNoContent {
				b.Fatalf("status %d, want 204", w.status)
			}
			st := h.Stats()
			b.ReportMetric(float64(st.Accepted)/b.Elapsed().Seconds(), "reports/s")
			b.ReportMetric(float64(st.Dropped)/float64(i), "dropped/op")
		})
	}
}

// TestReportBodies checks that the benchmark's bodies are accepted whole:
// 204, every report queued and none malformed or a duplicate.
func TestReportBodies(t *testing.T) {
	for _, f := range reportFormats {
		t.Run("format="+f.name, func(t *testing.T) {
			h := newReceiver(t)
			rr := newReportRequest(f.contentType)
			const n = 20
			for i := range n {
				rec := httptest.NewRecorder()
				rr.reset(f.body(i))
				h.ServeHTTP(rec, rr.r)
				if rec.Code != http.StatusNoContent {
					t.Fatalf("body %d: status %d, want 204", i, rec.Code)
				}
			}
			st := h.Stats()
			if st.Accepted != n*uint64(f.perBody) || st.Malformed != 0 || st.Duplicates != 0 || st.Dropped != 0 {
				t.Errorf("stats %+v, want %d accepted and nothing else", st, n*f.perBody)
			}
		})
	}
}
