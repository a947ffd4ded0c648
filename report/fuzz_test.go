package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// reportLegacyJSON encodes a CSP report back into the legacy format.
func reportLegacyJSON(t *testing.T, r Report) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]reportLegacyBody{"csp-report": {
		DocumentURI:        r.URL,
		Referrer:           r.Referrer,
		BlockedURI:         r.BlockedURL,
		EffectiveDirective: r.EffectiveDirective,
		ViolatedDirective:  r.ViolatedDirective,
		OriginalPolicy:     r.OriginalPolicy,
		Disposition:        r.Disposition,
		SourceFile:         r.SourceFile,
		LineNumber:         int64(r.LineNumber),
		ColumnNumber:       int64(r.ColumnNumber),
		ScriptSample:       r.Sample,
		StatusCode:         int64(r.StatusCode),
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reportEnvelopeJSON encodes a non-CSP report back into a Reporting API batch.
func reportEnvelopeJSON(t *testing.T, r Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep Raw byte for byte
	if err := enc.Encode([]reportEnvelope{{
		Age: int64(r.Age / time.Millisecond), Body: r.Raw, Type: r.Type, URL: r.URL, UserAgent: r.UserAgent,
	}}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func FuzzDecodeReports(f *testing.F) {
	for _, seed := range []struct{ ct, file string }{
		{"application/csp-report", "legacy.json"},
		{"application/reports+json", "reporting-csp.json"},
		{"application/reports+json", "reporting-batch.json"},
		{"application/json", "reporting-batch.json"},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "reports", seed.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seed.ct, b)
	}
	f.Add("application/csp-report", []byte(`{"csp-report":{"violated-directive":"img-src 'self'","line-number":-1}}`))
	f.Add("application/json; charset=utf-8", []byte(`[{"type":"x","age":-1,"body":null},{"type":"csp-violation","body":{"lineNumber":4294967296}}]`))
	f.Add("application/reports+json", []byte(`[{"type":"intervention","body":{"a":[1,2,{"b":"\u00e9\ud800"}]}}]`))
	f.Add("Application/Reports+JSON", []byte("[{\"type\":\"t\",\"url\":\"\xff\xfe\"}]"))
	f.Add("text/plain", []byte(`{}`))
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		reports, err := Decode(contentType, body)
		if err != nil {
			if reports != nil {
				t.Fatalf("reports %v returned with error %v", reports, err)
			}
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrMediaType) {
				t.Fatalf("error %v matches neither ErrMalformed nor ErrMediaType", err)
			}
			return
		}
		if len(reports) > reportMaxBatch {
			t.Fatalf("%d reports, want at most %d", len(reports), reportMaxBatch)
		}
		for i, r := range reports {
			checkReportBounded(t, i, r)
			// Round trip: what we decoded, sent again, decodes the same.
			var again []Report
			if r.Type == TypeCSP && r.Age == 0 && r.UserAgent == "" {
				again, err = Decode("application/csp-report", reportLegacyJSON(t, r))
			} else if r.Type != TypeCSP {
				again, err = Decode("application/reports+json", reportEnvelopeJSON(t, r))
			} else {
				continue
			}
			if err != nil {
				t.Fatalf("report %d: re-encoded report does not decode: %v", i, err)
			}
			want := r
			want.Truncated = false // already cut: nothing to cut again
			if r.Raw == nil && r.Truncated {
				continue // the dropped body cannot come back
			}
			if diff := cmp.Diff([]Report{want}, again); diff != "" {
				t.Errorf("report %d: round trip mismatch (-want +got):\n%s", i, diff)
			}
		}
	})
}

// checkReportBounded checks the size and validity promises of Report.
func checkReportBounded(t *testing.T, i int, r Report) {
	t.Helper()
	if r.Type == "" {
		t.Errorf("report %d has no type", i)
	}
	for _, s := range []string{
		r.Type, r.URL, r.Referrer, r.BlockedURL, r.EffectiveDirective, r.ViolatedDirective,
		r.OriginalPolicy, r.Disposition, r.SourceFile, r.Sample, r.UserAgent,
	} {
		if len(s) > reportMaxField {
			t.Errorf("report %d: field of %d bytes, want at most %d", i, len(s), reportMaxField)
		}
		if !utf8.ValidString(s) {
			t.Errorf("report %d: field %q is not valid UTF-8", i, s)
		}
	}
	for _, n := range []int{r.LineNumber, r.ColumnNumber, r.StatusCode} {
		if n < 0 || n > math.MaxInt32 {
			t.Errorf("report %d: number %d out of [0, 2^31-1]", i, n)
		}
	}
	if r.Age < 0 {
		t.Errorf("report %d: negative age %v", i, r.Age)
	}
	if r.Raw != nil && (len(r.Raw) > reportMaxRaw || !json.Valid(r.Raw)) {
		t.Errorf("report %d: Raw of %d bytes, valid JSON %v; want at most %d bytes of valid JSON", i, len(r.Raw), json.Valid(r.Raw), reportMaxRaw)
	}
	if r.Type == TypeCSP && r.Raw != nil {
		t.Errorf("report %d: CSP report with a Raw body", i)
	}
	if r.Type != TypeCSP {
		rest := r
		rest.Type, rest.Age, rest.URL, rest.UserAgent, rest.Raw, rest.Truncated = "", 0, "", "", nil, false
		if !cmp.Equal(Report{}, rest) {
			t.Errorf("report %d of type %q has CSP fields: %+v", i, r.Type, rest)
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("report %d does not encode to JSON: %v", i, err)
	}
}
