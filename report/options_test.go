package report

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"

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
		{"sink budget", Options{SinkBytesPerSecond: -1}, []string{
			`sinkBytesPerSecond: is negative (use 0 for the default of 65536)`,
		}},
		{"sink budget too big", Options{SinkBytesPerSecond: 1 << 31}, []string{
			`sinkBytesPerSecond: the limit is 1073741824, got "2147483648"`,
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
