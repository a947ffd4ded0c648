package middleware

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReportOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts ReportOptions
		want []string // error messages, in order
	}{
		{"zero", ReportOptions{}, nil},
		{"full", ReportOptions{
			Path: "/reports/csp", MaxBytes: 1 << 20,
			AllowedOrigins: []string{"https://app.example", "http://localhost:8080", "*"},
			RatePerSecond:  0.5, Burst: 3, QueueSize: 10, DedupWindow: time.Second,
			TrustedProxies: []string{"10.0.0.0/8", "::1"},
		}, nil},
		{"origin with path", ReportOptions{AllowedOrigins: []string{"https://a.example/path"}}, []string{
			`reports.allowedOrigins[0]: "https://a.example/path" is not an origin: it has a path, query, fragment or user (did you mean "https://a.example"?)`,
		}},
		{"bad origins", ReportOptions{AllowedOrigins: []string{
			"https://a.example", "https://a.example/", "HTTPS://App.Example", "https://a.example:443",
			"http://a.example:80", "*.example.com", "null", "", "a.example", "https://a.example:99999",
			"https://a .example", "https://:443", "https://user@a.example", "https://a.example?",
		}}, []string{
			`reports.allowedOrigins[1]: "https://a.example/" is not an origin: it has a path, query, fragment or user (did you mean "https://a.example"?)`,
			`reports.allowedOrigins[2]: "HTTPS://App.Example" is not lower case; browsers send origins in lower case (did you mean "https://app.example"?)`,
			`reports.allowedOrigins[3]: "https://a.example:443" has the scheme's default port, which browsers leave out (did you mean "https://a.example"?)`,
			`reports.allowedOrigins[4]: "http://a.example:80" has the scheme's default port, which browsers leave out (did you mean "http://a.example"?)`,
			`reports.allowedOrigins[5]: "*.example.com" has a wildcard; only exact origins or "*" alone are supported (list each origin)`,
			`reports.allowedOrigins[6]: "null" is the origin of sandboxed and file: documents; anyone can send it (allow "*" if you mean anyone)`,
			`reports.allowedOrigins[7]: is empty (write an origin like "https://app.example", or "*")`,
			`reports.allowedOrigins[8]: "a.example" is not an origin (write scheme://host[:port], like "https://app.example")`,
			`reports.allowedOrigins[9]: "https://a.example:99999" has an invalid port (use a port from 1 to 65535)`,
			`reports.allowedOrigins[10]: "https://a .example" holds spaces, control or non-ASCII bytes (write the host in its ASCII (punycode) form)`,
			`reports.allowedOrigins[11]: "https://:443" is not an origin (write scheme://host[:port], like "https://app.example")`,
			`reports.allowedOrigins[12]: "https://user@a.example" is not an origin: it has a path, query, fragment or user (did you mean "https://a.example"?)`,
			`reports.allowedOrigins[13]: "https://a.example?" is not an origin: it has a path, query, fragment or user (did you mean "https://a.example"?)`,
		}},
		{"everything negative", ReportOptions{
			Path: "csp-report", MaxBytes: -1, RatePerSecond: -1, Burst: -1, QueueSize: -1,
			DedupWindow: -time.Second, TrustedProxies: []string{"10.0.0.0/8", "proxy.internal"},
		}, []string{
			`reports.path: "csp-report" does not start with / (did you mean "/csp-report"?)`,
			`reports.maxBytes: is negative (use 0 for the default of 65536)`,
			`reports.ratePerSecond: is negative (use 0 for the default of 5)`,
			`reports.burst: is negative (use 0 for the default of 50)`,
			`reports.queueSize: is negative (use 0 for the default of 1024)`,
			`reports.dedupWindow: is negative (use 0 for the default of "1m")`,
			`reports.trustedProxies[1]: "proxy.internal" is not a CIDR or an IP address (write it as "10.0.0.0/8" or "192.0.2.7")`,
		}},
		{"too big", ReportOptions{Path: "/r?x=1", MaxBytes: 1 << 30, QueueSize: 1 << 20, Burst: 1 << 30, RatePerSecond: math.Inf(1)}, []string{
			`reports.path: "/r?x=1" holds a query or fragment (give the path alone)`,
			`reports.maxBytes: 1073741824 is above the limit of 16777216 (browsers send a few KiB; 65536 is plenty)`,
			`reports.ratePerSecond: is not a finite number (use 0 for the default of 5)`,
			`reports.burst: 1073741824 is above the limit of 1048576`,
			`reports.queueSize: 1048576 is above the limit of 65536 (a longer queue only hides a slow sink)`,
		}},
		{"path with space", ReportOptions{Path: "/csp report"}, []string{
			`reports.path: "/csp report" holds spaces, control or non-ASCII bytes (percent-encode them)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := tt.opts.Validate()
			if err != nil {
				got = strings.Split(err.Error(), "\n")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				var oe *ReportOptionError
				if !errors.As(err, &oe) || !strings.HasPrefix(oe.Path, "reports.") {
					t.Errorf("Validate error %v does not hold a *ReportOptionError with a reports. path", err)
				}
				if h, herr := NewReportHandler(tt.opts, nil, nil); h != nil || herr == nil {
					t.Errorf("NewReportHandler accepted options that Validate refuses")
				}
			}
		})
	}
}

func TestReportOptionsJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     ReportOptions
		wantErr  string
	}{
		{name: "design example", in: `{ "path": "/csp-report", "maxBytes": 65536 }`,
			want: ReportOptions{Path: "/csp-report", MaxBytes: 65536}},
		{name: "every key", in: `{"path":"/r","maxBytes":1024,"allowedOrigins":["https://a.example"],"ratePerSecond":2.5,"burst":7,"queueSize":16,"dedupWindow":"90s","trustedProxies":["10.0.0.0/8"]}`,
			want: ReportOptions{Path: "/r", MaxBytes: 1024, AllowedOrigins: []string{"https://a.example"}, RatePerSecond: 2.5, Burst: 7, QueueSize: 16, DedupWindow: 90 * time.Second, TrustedProxies: []string{"10.0.0.0/8"}}},
		{name: "empty", in: `{}`, want: ReportOptions{}},
		{name: "unknown key", in: `{"max_bytes": 10}`, wantErr: `reports: unknown field "max_bytes" (the keys are path, maxBytes, allowedOrigins, ratePerSecond, burst, queueSize, dedupWindow and trustedProxies)`},
		{name: "bad duration", in: `{"dedupWindow": "1 minute"}`, wantErr: `reports.dedupWindow: "1 minute" is not a duration (write it like "1m" or "30s")`},
		{name: "duration as number", in: `{"dedupWindow": 60}`, wantErr: `reports.dedupWindow: is a JSON number, want a duration string (write it like "1m" or "30s")`},
		{name: "fractional size", in: `{"maxBytes": 1.5}`, wantErr: `reports.maxBytes: is a JSON number 1.5, want an integer`},
		{name: "origin not a list", in: `{"allowedOrigins": "https://a.example"}`, wantErr: `reports.allowedOrigins: is a JSON string, want a list of strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got ReportOptions
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Unmarshal error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unmarshal mismatch (-want +got):\n%s", diff)
			}
			out, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var back ReportOptions
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("Unmarshal(Marshal) = %v for %s", err, out)
			}
			if diff := cmp.Diff(got, back); diff != "" {
				t.Errorf("round trip through %s mismatch (-want +got):\n%s", out, diff)
			}
		})
	}
}

func TestReportOptionsUnmarshalJSONTrailing(t *testing.T) {
	// json.Unmarshal refuses trailing data before calling UnmarshalJSON; a
	// direct call must refuse it too.
	var o ReportOptions
	err := o.UnmarshalJSON([]byte(`{} {}`))
	if want := "reports: data after the object"; err == nil || err.Error() != want {
		t.Errorf("UnmarshalJSON error = %v, want %q", err, want)
	}
}

func TestReportOptionsMarshalJSON(t *testing.T) {
	got, err := json.Marshal(ReportOptions{Path: "/r", DedupWindow: 90 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"path":"/r","dedupWindow":"1m30s"}`; string(got) != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
}

func FuzzReportOptionsJSON(f *testing.F) {
	f.Add(`{"path":"/csp-report","maxBytes":65536}`)
	f.Add(`{"allowedOrigins":["https://a.example","*"],"dedupWindow":"1m30s","ratePerSecond":0.25}`)
	f.Add(`{"trustedProxies":["10.0.0.0/8","::1"],"queueSize":-1,"burst":1e3}`)
	f.Add(`{"dedupWindow":"-5h"}`)
	f.Fuzz(func(t *testing.T, in string) {
		var o ReportOptions
		if err := json.Unmarshal([]byte(in), &o); err != nil {
			return
		}
		_ = o.Validate() // must not panic
		out, err := json.Marshal(o)
		if err != nil {
			if math.IsNaN(o.RatePerSecond) || math.IsInf(o.RatePerSecond, 0) {
				return
			}
			t.Fatalf("Marshal(%+v): %v", o, err)
		}
		var back ReportOptions
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", out, err)
		}
		if diff := cmp.Diff(o, back, cmp.Comparer(func(a, b []string) bool {
			return strings.Join(a, "\x00") == strings.Join(b, "\x00") && len(a) == len(b)
		})); diff != "" {
			t.Errorf("round trip through %s mismatch (-want +got):\n%s", out, diff)
		}
	})
}
