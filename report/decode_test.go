package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const reportTestUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"

// The reports the fixtures under testdata/reports hold, field by field.
var (
	reportWantLegacy = Report{
		Type:               TypeCSP,
		URL:                "https://shop.example/checkout?step=2",
		Referrer:           "https://shop.example/cart",
		BlockedURL:         "https://cdn.tracker.example/pixel.js",
		EffectiveDirective: "script-src-elem",
		ViolatedDirective:  "script-src-elem",
		OriginalPolicy:     "default-src 'self'; script-src 'self' 'nonce-r4nd0m' 'report-sample'; object-src 'none'; base-uri 'none'; report-uri /csp-report",
		Disposition:        "enforce",
		SourceFile:         "https://shop.example/static/checkout.js",
		LineNumber:         42,
		ColumnNumber:       17,
		StatusCode:         200,
	}
	reportWantCSP = Report{
		Type:               TypeCSP,
		Age:                1532 * time.Millisecond,
		URL:                "https://shop.example/account",
		Referrer:           "https://search.example/",
		BlockedURL:         "inline",
		EffectiveDirective: "script-src-elem",
		ViolatedDirective:  "script-src-elem",
		OriginalPolicy:     "default-src 'self'; script-src 'self' 'nonce-r4nd0m' 'report-sample'; report-to csp",
		Disposition:        "enforce",
		SourceFile:         "https://shop.example/account",
		LineNumber:         88,
		ColumnNumber:       9,
		Sample:             `document.write("<b>hi</b>")`,
		StatusCode:         200,
		UserAgent:          reportTestUA,
	}
	reportWantBatch = []Report{{
		Type:               TypeCSP,
		Age:                20 * time.Millisecond,
		URL:                "https://shop.example/search?q=shoes",
		BlockedURL:         "eval",
		EffectiveDirective: "script-src",
		ViolatedDirective:  "script-src",
		OriginalPolicy:     "script-src 'self' 'report-sample'; report-to csp",
		Disposition:        "report",
		SourceFile:         "https://shop.example/static/legacy.js",
		LineNumber:         3,
		ColumnNumber:       5,
		Sample:             "1+1",
		StatusCode:         200,
		UserAgent:          reportTestUA,
	}, {
		Type:      "deprecation",
		Age:       61 * time.Second,
		URL:       "https://shop.example/search?q=shoes",
		UserAgent: reportTestUA,
		Raw: json.RawMessage(`{"anticipatedRemoval":null,"columnNumber":12,"id":"UnloadHandler","lineNumber":7,` +
			`"message":"Unload event listeners are deprecated and will be removed.","sourceFile":"https://shop.example/static/legacy.js"}`),
	}}
)

func readReportFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeReportsFixtures(t *testing.T) {
	tests := []struct {
		file        string
		contentType string
		want        []Report
	}{
		{"legacy.json", "application/csp-report", []Report{reportWantLegacy}},
		{"legacy.json", "application/json", []Report{reportWantLegacy}},
		{"reporting-csp.json", "application/reports+json", []Report{reportWantCSP}},
		{"reporting-csp.json", "application/json; charset=utf-8", []Report{reportWantCSP}},
		{"reporting-batch.json", "application/reports+json", reportWantBatch},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.contentType, func(t *testing.T) {
			got, err := Decode(tt.contentType, readReportFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeReportsMediaType(t *testing.T) {
	legacy := `{"csp-report":{"document-uri":"https://a.example/"}}`
	batch := `[{"type":"csp-violation","url":"https://a.example/"}]`
	tests := []struct {
		contentType, body string
		wantErr           error
	}{
		{"application/csp-report", legacy, nil},
		{"Application/CSP-Report", legacy, nil},
		{"application/csp-report; charset=utf-8", legacy, nil},
		{"application/reports+json", batch, nil},
		{"application/reports+json;charset=UTF-8", batch, nil},
		{"application/json", legacy, nil},
		{"application/json", " \n" + batch, nil},
		{"application/json", `"text"`, ErrMalformed},
		{"application/json", ``, ErrMalformed},
		{"application/csp-report", batch, ErrMalformed},
		{"application/reports+json", legacy, ErrMalformed},
		{"text/plain", legacy, ErrMediaType},
		{"", legacy, ErrMediaType},
		{"application/", legacy, ErrMediaType},
		{"application/json-seq", batch, ErrMediaType},
		{"application/x-www-form-urlencoded", legacy, ErrMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.contentType+"/"+tt.body, func(t *testing.T) {
			got, err := Decode(tt.contentType, []byte(tt.body))
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Decode error = %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(got) != 1 {
				t.Errorf("Decode returned %d reports, want 1", len(got))
			}
			if err != nil && got != nil {
				t.Errorf("Decode returned %v with an error, want nil", got)
			}
		})
	}
}

func TestDecodeReportsMalformed(t *testing.T) {
	tests := []struct {
		name, contentType, body, wantMsg string
	}{
		{"syntax", "application/csp-report", `{"csp-report":`, "malformed report body: legacy report: unexpected end of JSON input"},
		{"null", "application/csp-report", `null`, `malformed report body: no "csp-report" object`},
		{"no member", "application/csp-report", `{"document-uri":"https://a.example/"}`, `malformed report body: no "csp-report" object`},
		{"member not object", "application/csp-report", `{"csp-report":[]}`, ""},
		{"string line", "application/csp-report", `{"csp-report":{"line-number":"12"}}`, ""},
		{"fraction line", "application/csp-report", `{"csp-report":{"line-number":1.5}}`, ""},
		{"trailing", "application/csp-report", `{"csp-report":{}} {}`, ""},
		{"object batch", "application/reports+json", `{"type":"csp-violation"}`, "malformed report body: report batch is not a JSON array"},
		{"unclosed batch", "application/reports+json", `[{"type":"x"}`, ""},
		{"number item", "application/reports+json", `[1]`, ""},
		{"null item", "application/reports+json", `[null]`, `malformed report body: report without a "type"`},
		{"no type", "application/reports+json", `[{"url":"https://a.example/"}]`, `malformed report body: report without a "type"`},
		{"body not object", "application/reports+json", `[{"type":"csp-violation","body":"x"}]`, ""},
		{"fraction age", "application/reports+json", `[{"type":"x","age":1.5}]`, ""},
		{"trailing batch", "application/reports+json", `[] []`, "malformed report body: data after the report batch"},
		{"bad comma", "application/reports+json", `[{"type":"x"},]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.contentType, []byte(tt.body))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("Decode(%q) = %v, %v; want an error matching ErrMalformed", tt.body, got, err)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("error = %q, want %q", err.Error(), tt.wantMsg)
			}
		})
	}
}

func TestDecodeReportsNormalise(t *testing.T) {
	long := strings.Repeat("a", reportMaxField-1) + "é" + "tail" // é straddles the cap
	tests := []struct {
		name, contentType, body string
		want                    []Report
	}{{
		name:        "empty batch",
		contentType: "application/reports+json",
		body:        `[]`,
		want:        []Report{},
	}, {
		name:        "CSP2 violated-directive only",
		contentType: "application/csp-report",
		body:        `{"csp-report":{"violated-directive":"img-src 'self' data:"}}`,
		want:        []Report{{Type: TypeCSP, EffectiveDirective: "img-src", ViolatedDirective: "img-src 'self' data:"}},
	}, {
		name:        "negative and huge numbers",
		contentType: "application/csp-report",
		body:        `{"csp-report":{"line-number":-4,"column-number":99999999999,"status-code":-1}}`,
		want:        []Report{{Type: TypeCSP, ColumnNumber: 1<<31 - 1}},
	}, {
		name:        "negative and huge age",
		contentType: "application/reports+json",
		body:        `[{"type":"a","age":-5},{"type":"b","age":9223372036854775807}]`,
		want:        []Report{{Type: "a"}, {Type: "b", Age: time.Duration(reportMaxAgeMillis) * time.Millisecond}},
	}, {
		name:        "url falls back to the report url",
		contentType: "application/reports+json",
		body:        `[{"type":"csp-violation","url":"https://a.example/","body":{"blockedURL":"data"}}]`,
		want:        []Report{{Type: TypeCSP, URL: "https://a.example/", BlockedURL: "data"}},
	}, {
		name:        "csp-violation without body",
		contentType: "application/reports+json",
		body:        `[{"type":"csp-violation","url":"https://a.example/","body":null}]`,
		want:        []Report{{Type: TypeCSP, URL: "https://a.example/"}},
	}, {
		name:        "null fields of the Reporting API",
		contentType: "application/reports+json",
		body:        `[{"type":"csp-violation","body":{"referrer":null,"sample":null,"lineNumber":null}}]`,
		want:        []Report{{Type: TypeCSP}},
	}, {
		name:        "long string cut on a rune boundary",
		contentType: "application/csp-report",
		body:        `{"csp-report":{"blocked-uri":"` + long + `"}}`,
		want:        []Report{{Type: TypeCSP, BlockedURL: strings.Repeat("a", reportMaxField-1), Truncated: true}},
	}, {
		name:        "invalid UTF-8 replaced",
		contentType: "application/csp-report",
		body:        "{\"csp-report\":{\"script-sample\":\"a\xffb\"}}",
		want:        []Report{{Type: TypeCSP, Sample: "a\uFFFDb"}},
	}, {
		name:        "raw body compacted under the cap",
		contentType: "application/reports+json",
		body:        `[{"type":"intervention","body":{"message":   ` + strings.Repeat(" ", reportMaxRaw) + `"x"}}]`,
		want:        []Report{{Type: "intervention", Raw: json.RawMessage(`{"message":"x"}`)}},
	}, {
		name:        "raw body over the cap dropped",
		contentType: "application/reports+json",
		body:        `[{"type":"intervention","body":{"message":"` + strings.Repeat("x", reportMaxRaw) + `"}}]`,
		want:        []Report{{Type: "intervention", Truncated: true}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.contentType, []byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeReportsBatchCap(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	for i := range reportMaxBatch + 50 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"type":"t` + strconv.Itoa(i) + `"}`)
	}
	b.WriteString(`, this part is never read`)
	got, err := Decode("application/reports+json", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != reportMaxBatch {
		t.Fatalf("got %d reports, want %d", len(got), reportMaxBatch)
	}
	if last := got[len(got)-1].Type; last != "t99" {
		t.Errorf("last report type = %q, want t99 (the first 100 in order)", last)
	}
}

func TestDecodeReportsNoAlias(t *testing.T) {
	body := readReportFixture(t, "reporting-batch.json")
	got, err := Decode("application/reports+json", body)
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'X'
	}
	if diff := cmp.Diff(reportWantBatch, got); diff != "" {
		t.Errorf("reports changed with the body they came from (-want +got):\n%s", diff)
	}
}

func ExampleDecode() {
	reports, err := Decode("application/csp-report; charset=utf-8", []byte(`{
		"csp-report": {
			"document-uri": "https://app.example/",
			"blocked-uri": "inline",
			"violated-directive": "script-src-elem",
			"disposition": "report"
		}
	}`))
	if err != nil {
		panic(err)
	}
	r := reports[0]
	fmt.Println(r.Type, r.EffectiveDirective, r.ViolatedDirective, r.BlockedURL, r.Disposition)
	// Output: csp-violation script-src-elem script-src-elem inline report
}
