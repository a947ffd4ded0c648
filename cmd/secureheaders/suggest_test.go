package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders"
)

// suggestConfig has an enforced CSP, a report-only one with the nonce, and
// a route that the reports of /embed/… go to.
const suggestConfig = `{
  "update": {
    "CSP": {"script-src": ["self", "nonce"], "object-src": ["none"]},
    "csp_report_only": {"default-src": ["self"], "script-src": ["self", "nonce"], "report-uri": ["/csp-report"]}
  },
  "routes": {"/embed/": {"update": {"CSP": {"frame-ancestors": ["https://partner.example"]}}}},
  "reports": {"path": "/csp-report"}
}
`

// suggestReports holds a CDN script, an inline script (with its whole
// sample), an eval, a frame on the route, an extension (noise), a line that
// is no report, and a report with a field of the wrong type.
const suggestReports = `{"csp-report":{"document-uri":"https://app.example/checkout?x=1","effective-directive":"script-src-elem","blocked-uri":"https://cdn.example/lib.js","disposition":"report"}}
{"csp-report":{"document-uri":"https://app.example/","effective-directive":"script-src-elem","blocked-uri":"inline","disposition":"report","source-file":"https://app.example/","line-number":12,"script-sample":"alert(1)"}}
{"csp-report":{"document-uri":"https://app.example/","effective-directive":"script-src","blocked-uri":"eval","disposition":"report","source-file":"https://app.example/app.js","line-number":3}}
{"csp-report":{"document-uri":"https://app.example/embed/x","effective-directive":"frame-src","blocked-uri":"https://video.example/v/1","disposition":"report"}}
{"csp-report":{"document-uri":"https://app.example/","effective-directive":"script-src-elem","blocked-uri":"chrome-extension://abc/x.js","disposition":"report"}}
not a report
{"csp-report":{"document-uri":7,"blocked-uri":["x"]}}
`

func writeTemp(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSuggest(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTemp(t, dir, "app.json", suggestConfig)
	reps := writeTemp(t, dir, "r.log", suggestReports)
	var out, errOut bytes.Buffer
	if code := run([]string{"suggest", "-config", cfg, reps}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := out.String()
	wantFragment := `{
  "update": {
    "Content-Security-Policy-Report-Only": {
      "script-src": ["https://cdn.example"]
    }
  },
  "routes": {
    "/embed/": {"update": {
      "Content-Security-Policy-Report-Only": {
        "frame-src": ["https://video.example"]
      }
    }}
  }
}
`
	if !strings.Contains(got, wantFragment) {
		t.Errorf("output lacks the fragment:\n%s", got)
	}
	for _, want := range []string{
		"RISK: an allow-listed script host",
		"add 'strict-dynamic' to script-src",
		"give each inline <script> at the places listed the nonce attribute",
		"at /: https://app.example/:12",
		"'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
		"remove the eval",
		"at /: https://app.example/app.js:3",
		"Diff of route /embed/ (its part of the fragment; the app policy's part applies under it too):\nContent-Security-Policy-Report-Only fenced-frame-src (default-src → frame-src)\n  + https://video.example\n",
		"Diff of the app policy:\nContent-Security-Policy-Report-Only script-src\n  + https://cdn.example\n",
		"5 reports in 5 groups: 4 suggested on, 1 noise left out\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, never := range []string{"unsafe-inline\"", "'unsafe-inline' https", "\"unsafe-eval\"", "chrome-extension"} {
		if strings.Contains(got, never) {
			t.Errorf("output proposes %q:\n%s", never, got)
		}
	}
	if !strings.Contains(errOut.String(), "2 lines are not report log lines, skipped") {
		t.Errorf("stderr %q", errOut.String())
	}
}

// TestSuggestWrite: -o writes a complete configuration that the decoder and
// the engine accept, whose policies allow what the fragment adds, with the
// file's own keys kept.
func TestSuggestWrite(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTemp(t, dir, "app.json", suggestConfig)
	reps := writeTemp(t, dir, "r.log", suggestReports)
	outPath := filepath.Join(dir, "new.json")
	var out, errOut bytes.Buffer
	if code := run([]string{"suggest", "-config", cfg, "-o", outPath, reps}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	opts, err := secureheaders.LoadConfig(outPath)
	if err != nil {
		t.Fatalf("the written config does not decode: %v", err)
	}
	eng, err := secureheaders.New(opts)
	if err != nil {
		t.Fatalf("New refuses the written config: %v", err)
	}
	defer eng.Close()
	if diff := cmp.Diff("default-src 'self'; script-src 'self' 'nonce-{nonce}' https://cdn.example; report-uri /csp-report", eng.Policy().CSPReportOnly.String()); diff != "" {
		t.Errorf("app report-only CSP (-want +got):\n%s", diff)
	}
	embed, _ := eng.RoutePolicy("/embed/")
	if diff := cmp.Diff("default-src 'self'; frame-src 'self' https://video.example; script-src 'self' 'nonce-{nonce}' https://cdn.example; report-uri /csp-report", embed.CSPReportOnly.String()); diff != "" {
		t.Errorf("/embed/ report-only CSP (-want +got):\n%s", diff)
	}
	data, _ := os.ReadFile(outPath)
	if !strings.Contains(string(data), `"csp_report_only": {`) || strings.Count(string(data), "Report-Only") != 1 {
		t.Errorf("the app's own key was not reused, or the route's entry is missing:\n%s", data)
	}
	// Run again on the written file: nothing left to add for the host and
	// the frame; the inline script and the eval remain until the page is fixed.
	out.Reset()
	if code := run([]string{"suggest", "-config", outPath, reps}, &out, &errOut); code != 0 {
		t.Fatalf("second run: exit %d", code)
	}
	if !strings.Contains(out.String(), "No change to suggest") || !strings.Contains(out.String(), "already allowed") || !strings.Contains(out.String(), "remove the eval") {
		t.Errorf("second run:\n%s", out.String())
	}
}

func TestSuggestBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg := writeTemp(t, dir, "app.json", suggestConfig)
	reps := writeTemp(t, dir, "r.log", suggestReports)
	tests := []struct {
		name     string
		args     []string
		code     int
		wantErr  string
		noOutput string // a file that must not exist afterwards
	}{
		{"no -config", []string{"suggest", reps}, 2, "-config is required", ""},
		{"invalid config", []string{"suggest", "-config", "testdata/invalid.json", reps}, 1, "secureheaders suggest: testdata/invalid.json: ", ""},
		{"missing config", []string{"suggest", "-config", filepath.Join(dir, "nope.json"), reps}, 1, "no such file", ""},
		{"newer snapshot", []string{"suggest", "-config", cfg, writeTemp(t, dir, "new.json", `{"version": 99, "groups": []}`)}, 1, "snapshot version 99 is not one this version reads", ""},
		{"corrupted snapshot", []string{"suggest", "-config", cfg, writeTemp(t, dir, "bad.json", `{"version": 1, "groups": "many"}`)}, 1, "corrupted snapshot", ""},
		{"garbage", []string{"suggest", "-config", cfg, writeTemp(t, dir, "garbage", "\x00\x01{{{")}, 1, "neither JSON lines nor", ""},
		{"-o in a missing directory", []string{"suggest", "-config", cfg, "-o", filepath.Join(dir, "no", "out.json"), reps}, 1, "not written", filepath.Join(dir, "no", "out.json")},
		{"bad -hosts", []string{"suggest", "-config", cfg, "-hosts", "a b", reps}, 1, "allowedHosts[0]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, &out, &errOut)
			if code != tt.code || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tt.code, tt.wantErr)
			}
			if tt.noOutput != "" {
				if _, err := os.Stat(tt.noOutput); err == nil {
					t.Errorf("%s was written", tt.noOutput)
				}
			}
		})
	}
	// The -config file is untouched by every failed run.
	if data, _ := os.ReadFile(cfg); string(data) != suggestConfig {
		t.Errorf("the config changed:\n%s", data)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".secureheaders-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestSuggestWriteSeedsNewDirectives: a directive that the file's CSP entry
// lacks is written with its whole list, since a list started in the same
// entry as default-src is not seeded from it (found by TestBrowserRollout:
// "frame-src": [cdn] alone would have blocked 'self' frames). The string
// form of an entry gets the same.
func TestSuggestWriteSeedsNewDirectives(t *testing.T) {
	reps := `{"csp-report":{"document-uri":"https://app.example/","effective-directive":"frame-src","blocked-uri":"https://video.example/v","disposition":"report"}}` + "\n"
	for name, tt := range map[string]struct{ config, want string }{
		"object": {`{"preset": "none", "update": {"CSP-Report-Only": {"default-src": ["self"]}}}`, `"frame-src": ["self", "https://video.example"]`},
		"string": {`{"preset": "none", "update": {"CSP": {"report-only": true, "default-src": ["self"]}}}`, `"frame-src": ["self", "https://video.example"]`},
		"header": {`{"preset": "none", "update": {"Content-Security-Policy-Report-Only": "default-src 'self'"}}`, `"default-src 'self'; frame-src 'self' https://video.example"`},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeTemp(t, dir, "app.json", tt.config)
			out := filepath.Join(dir, "out.json")
			var stdout, stderr bytes.Buffer
			if code := run([]string{"suggest", "-config", cfg, "-o", out, writeTemp(t, dir, "r.log", reps)}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			data, _ := os.ReadFile(out)
			if !strings.Contains(string(data), tt.want) {
				t.Errorf("written config lacks %s:\n%s", tt.want, data)
			}
			opts, err := secureheaders.LoadConfig(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := opts.Policy.CSPReportOnly.String(); got != "default-src 'self'; frame-src 'self' https://video.example" {
				t.Errorf("report-only CSP %q", got)
			}
		})
	}
}

// TestSuggestFloodBounded: distinct blocked origins past reportsMaxGroups
// are evicted and counted, and the fragment adds a bounded number of hosts.
func TestSuggestFloodBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 15,000 reports")
	}
	dir := t.TempDir()
	var b strings.Builder
	for i := range reportsMaxGroups + 5000 {
		fmt.Fprintf(&b, `{"csp-report":{"document-uri":"https://app.example/p%d","effective-directive":"img-src","blocked-uri":"https://h%d.example/x.png","disposition":"report"}}`+"\n", i, i)
	}
	cfg := writeTemp(t, dir, "app.json", suggestConfig)
	var out, errOut bytes.Buffer
	if code := run([]string{"suggest", "-config", cfg, writeTemp(t, dir, "flood.log", b.String())}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	last := out.String()[strings.LastIndex(strings.TrimSpace(out.String()), "\n")+1:]
	if !strings.HasPrefix(last, "15000 reports in 10000 groups: 10000 suggested on, 0 noise left out, ") || !strings.Contains(last, "groups evicted") {
		t.Errorf("summary %q", last)
	}
	if n := strings.Count(out.String(), "    added: img-src "); n != 32 {
		t.Errorf("%d hosts added, want the bound of 32", n)
	}
}

// TestSuggestHostsFromConfig: the configuration's allowedHosts class
// reports from other hosts as noise; with addresses or ranges among them,
// hosts are not checked and stderr says to give -hosts.
func TestSuggestHostsFromConfig(t *testing.T) {
	reps := `{"csp-report":{"document-uri":"https://app.example/","effective-directive":"img-src","blocked-uri":"https://img.example/a.png","disposition":"report"}}
{"csp-report":{"document-uri":"https://mirror.example/","effective-directive":"img-src","blocked-uri":"https://evil.example/a.png","disposition":"report"}}
`
	tests := []struct {
		hosts, wantSummary, wantErr string
	}{
		{`["app.example"]`, "2 reports in 2 groups: 1 suggested on, 1 noise left out", ""},
		{`["app.example", "10.0.0.0/8"]`, "2 reports in 2 groups: 2 suggested on, 0 noise left out", "documents' hosts are not checked"},
	}
	for _, tt := range tests {
		t.Run(tt.hosts, func(t *testing.T) {
			dir := t.TempDir()
			cfg := writeTemp(t, dir, "app.json", `{"update": {"CSP-Report-Only": {"default-src": ["self"]}}, "https": {"allowedHosts": `+tt.hosts+`}}`)
			var out, errOut bytes.Buffer
			if code := run([]string{"suggest", "-config", cfg, writeTemp(t, dir, "r.log", reps)}, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if !strings.Contains(out.String(), tt.wantSummary) || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("stdout:\n%s\nstderr: %s", out.String(), errOut.String())
			}
		})
	}
}

// TestSuggestJSONGolden compares suggest -json with the golden file
// testdata/golden/suggest.json (go test -run TestSuggestJSONGolden -update
// rewrites it), with -o too: the same object plus "wrote". Its fragment is
// a configuration ParseConfig accepts, and its notes are the text's.
func TestSuggestJSONGolden(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "golden", "suggest.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	writeTemp(t, dir, "app.json", suggestConfig)
	writeTemp(t, dir, "r.log", suggestReports)
	tests := []struct {
		name  string
		args  []string
		wrote string
	}{
		{"stdout only", []string{"suggest", "-json", "-config", "app.json", "r.log"}, ""},
		{"with -o", []string{"suggest", "-json", "-config", "app.json", "-o", "app.next.json", "r.log"}, "app.next.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tt.args, &out, &errOut); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			var doc suggestDoc
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, out.String())
			}
			if doc.Wrote != tt.wrote {
				t.Errorf("wrote %q, want %q", doc.Wrote, tt.wrote)
			}
			if _, err := secureheaders.ParseConfig(doc.Fragment); err != nil {
				t.Errorf("the fragment is not a configuration: %v", err)
			}
			if tt.wrote != "" {
				if _, err := os.Stat(tt.wrote); err != nil {
					t.Errorf("-o: %v", err)
				}
				return
			}
			if *update {
				if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), out.String()); diff != "" {
				t.Errorf("suggest -json (-want +got):\n%s", diff)
			}
		})
	}
}
