package report

import (
	"encoding/json"
	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReportOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want []string // error messages, in order
	}{
		{"zero", Options{}, nil},
		{"full", Options{
			Path: "/reports/csp", MaxBytes: 1 << 20,
			AllowedOrigins: []string{"https://app.example", "http://localhost:8080", "*"},
			RatePerSecond:  0.5, Burst: 3, QueueSize: 10, DedupWindow: time.Second,
			TrustedProxies: []string{"10.0.0.0/8", "::1"},
		}, nil},
		{"origin with path", Options{AllowedOrigins: []string{"https://a.example/path"}}, []string{
			`allowedOrigins[0]: path, query, fragment or user in origin "https://a.example/path" (did you mean "https://a.example"?)`,
		}},
		{"bad origins", Options{AllowedOrigins: []string{
			"https://a.example", "https://a.example/", "HTTPS://App.Example", "https://a.example:443",
			"http://a.example:80", "*.example.com", "null", "", "a.example", "https://a.example:99999",
			"https://a .example", "https://:443", "https://user@a.example", "https://a.example?",
		}}, []string{
			`allowedOrigins[1]: path, query, fragment or user in origin "https://a.example/" (did you mean "https://a.example"?)`,
			`allowedOrigins[2]: upper case (browsers send origins in lower case) in "HTTPS://App.Example" (did you mean "https://app.example"?)`,
			`allowedOrigins[3]: the scheme's default port (which browsers leave out) in "https://a.example:443" (did you mean "https://a.example"?)`,
			`allowedOrigins[4]: the scheme's default port (which browsers leave out) in "http://a.example:80" (did you mean "http://a.example"?)`,
			`allowedOrigins[5]: wildcard (only exact origins or "*" alone are supported) in "*.example.com" (list each origin)`,
			`allowedOrigins[6]: the origin anyone can send (sandboxed and file: documents) "null" (allow "*" if you mean anyone)`,
			`allowedOrigins[7]: empty origin (write an origin like "https://app.example", or "*")`,
			`allowedOrigins[8]: not an origin "a.example" (write scheme://host[:port], like "https://app.example")`,
			`allowedOrigins[9]: invalid port in "https://a.example:99999" (use a port from 1 to 65535)`,
			`allowedOrigins[10]: spaces, control or non-ASCII bytes in "https://a .example" (write the host in its ASCII (punycode) form)`,
			`allowedOrigins[11]: not an origin "https://:443" (write scheme://host[:port], like "https://app.example")`,
			`allowedOrigins[12]: path, query, fragment or user in origin "https://user@a.example" (did you mean "https://a.example"?)`,
			`allowedOrigins[13]: path, query, fragment or user in origin "https://a.example?" (did you mean "https://a.example"?)`,
		}},
		{"everything negative", Options{
			Path: "csp-report", MaxBytes: -1, RatePerSecond: -1, Burst: -1, QueueSize: -1,
			DedupWindow: -time.Second, TrustedProxies: []string{"10.0.0.0/8", "proxy.internal"},
		}, []string{
			`path: no leading slash in "csp-report" (did you mean "/csp-report"?)`,
			`maxBytes: is negative (use 0 for the default of 65536)`,
			`ratePerSecond: is negative (use 0 for the default of 5)`,
			`burst: is negative (use 0 for the default of 50)`,
			`queueSize: is negative (use 0 for the default of 1024)`,
			`dedupWindow: is negative (use 0 for the default of "1m")`,
			`trustedProxies[1]: neither a CIDR nor an IP address "proxy.internal" (write a CIDR such as "10.0.0.0/8" or an address such as "192.0.2.7")`,
		}},
		{"too big", Options{Path: "/r?x=1", MaxBytes: 1 << 30, QueueSize: 1 << 20, Burst: 1 << 30, RatePerSecond: math.Inf(1)}, []string{
			`path: query or fragment in "/r?x=1" (give the path alone)`,
			`maxBytes: the limit is 16777216, got "1073741824" (browsers send a few KiB; 65536 is plenty)`,
			`ratePerSecond: is not a finite number (use 0 for the default of 5)`,
			`burst: the limit is 1048576, got "1073741824"`,
			`queueSize: the limit is 65536, got "1048576" (a longer queue only hides a slow sink)`,
		}},
		{"path with space", Options{Path: "/csp report"}, []string{
			`path: spaces, control or non-ASCII bytes in "/csp report" (percent-encode them)`,
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
				for e := range cfgerr.All(err) {
					if e.Path == "" || strings.HasPrefix(e.Path, "reports") {
						t.Errorf("Validate error %v: want a path relative to the options", e)
					}
				}
				if h, herr := NewHandler(tt.opts, nil, nil); h != nil || herr == nil {
					t.Errorf("NewHandler accepted options that Validate refuses")
				}
			}
		})
	}
}

func TestReportOptionsJSON(t *testing.T) {
	tests := []struct {
		name, in string
		want     Options
		wantErr  string
	}{
		{name: "design example", in: `{ "path": "/csp-report", "maxBytes": 65536 }`,
			want: Options{Path: "/csp-report", MaxBytes: 65536}},
		{name: "every key", in: `{"path":"/r","maxBytes":1024,"allowedOrigins":["https://a.example"],"ratePerSecond":2.5,"burst":7,"queueSize":16,"dedupWindow":"90s","trustedProxies":["10.0.0.0/8"]}`,
			want: Options{Path: "/r", MaxBytes: 1024, AllowedOrigins: []string{"https://a.example"}, RatePerSecond: 2.5, Burst: 7, QueueSize: 16, DedupWindow: 90 * time.Second, TrustedProxies: []string{"10.0.0.0/8"}}},
		{name: "empty", in: `{}`, want: Options{}},
		{name: "unknown key", in: `{"max_bytes": 10}`, wantErr: `unknown field "max_bytes" (the keys are path, maxBytes, allowedOrigins, ratePerSecond, burst, queueSize, dedupWindow and trustedProxies)`},
		{name: "bad duration", in: `{"dedupWindow": "1 minute"}`, wantErr: `dedupWindow: not a duration "1 minute" (write it like "1m" or "30s")`},
		{name: "duration as number", in: `{"dedupWindow": 60}`, wantErr: `dedupWindow: is a JSON number, want a duration string (write it like "1m" or "30s")`},
		{name: "fractional size", in: `{"maxBytes": 1.5}`, wantErr: `maxBytes: is a JSON number 1.5, want an integer`},
		{name: "origin not a list", in: `{"allowedOrigins": "https://a.example"}`, wantErr: `allowedOrigins: is a JSON string, want a list of strings`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got Options
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
			var back Options
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
	var o Options
	err := o.UnmarshalJSON([]byte(`{} {}`))
	if want := "data after the object"; err == nil || err.Error() != want {
		t.Errorf("UnmarshalJSON error = %v, want %q", err, want)
	}
}

func TestReportOptionsMarshalJSON(t *testing.T) {
	got, err := json.Marshal(Options{Path: "/r", DedupWindow: 90 * time.Second})
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
		var o Options
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
		var back Options
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
