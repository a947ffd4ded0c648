package report

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// batchOf returns a Reporting API body holding n copies of the one report
// of testdata/reports/reporting-csp.json.
func batchOf(t testing.TB, n int) []byte {
	t.Helper()
	one, err := os.ReadFile("testdata/reports/reporting-csp.json")
	if err != nil {
		t.Fatal(err)
	}
	elem := bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(one), []byte("[")), []byte("]"))
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(elem)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// TestBatchDecodedOnce is issue 12 item 3: a report in a batch costs no
// more allocations than a legacy report alone, because its body is decoded
// in the same pass as its envelope (v0.1 decoded each body twice). Other
// report types, whose body is kept raw, still read their element twice.
func TestBatchDecodedOnce(t *testing.T) {
	legacy, err := os.ReadFile("testdata/reports/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	batch := batchOf(t, 10)
	if rs, err := Decode("application/reports+json", batch); err != nil || len(rs) != 10 || rs[9].BlockedURL != "inline" || rs[9].LineNumber != 88 {
		t.Fatalf("Decode(batch) = %d reports, %v", len(rs), err)
	}
	perLegacy := testing.AllocsPerRun(50, func() { Decode("application/csp-report", legacy) })
	perBatch := testing.AllocsPerRun(50, func() { Decode("application/reports+json", batch) }) / 10
	t.Logf("allocations per report: legacy %.1f, in a batch of 10 %.1f", perLegacy, perBatch)
	if perBatch > perLegacy {
		t.Errorf("a report in a batch takes %.1f allocations, a legacy report %.1f", perBatch, perLegacy)
	}
}

// BenchmarkDecodePerReport alternates, inside one loop, ten legacy reports
// and one batch of ten, timing each, so a noisy machine slows both alike;
// it reports the time of one report of each format.
func BenchmarkDecodePerReport(b *testing.B) {
	legacy, err := os.ReadFile("testdata/reports/legacy.json")
	if err != nil {
		b.Fatal(err)
	}
	batch := batchOf(b, 10)
	var tLegacy, tBatch time.Duration
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		for range 10 {
			if _, err := Decode("application/csp-report", legacy); err != nil {
				b.Fatal(err)
			}
		}
		t1 := time.Now()
		if _, err := Decode("application/reports+json", batch); err != nil {
			b.Fatal(err)
		}
		tLegacy += t1.Sub(t0)
		tBatch += time.Since(t1)
	}
	reports := float64(b.N * 10)
	b.ReportMetric(float64(tLegacy.Nanoseconds())/reports, "legacy-ns/report")
	b.ReportMetric(float64(tBatch.Nanoseconds())/reports, "batch-ns/report")
}
