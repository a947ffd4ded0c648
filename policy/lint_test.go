package policy_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/hpkp"
	"github.com/secureheaders/secureheaders/hsts"
	"github.com/secureheaders/secureheaders/policy"
)

// clean is a policy Lint has nothing to say about.
func clean() policy.Policy {
	p := policy.Recommended()
	p.HSTS = &hsts.Policy{MaxAge: 2 * hsts.OneYear, IncludeSubDomains: true, Preload: true}
	return p
}

type finding struct {
	Severity policy.Severity
	Path     string
}

// TestLint has one case per rule of lint.go, each a change of clean().
func TestLint(t *testing.T) {
	const (
		I = policy.Info
		W = policy.Warning
		C = policy.Critical
	)
	tests := []struct {
		name   string
		change func(p *policy.Policy)
		want   []finding
	}{
		{"clean", func(p *policy.Policy) {}, nil},
		{"validate errors are critical, first", func(p *policy.Policy) {
			p.FrameOptions = "deny"
			p.XSSProtection = "1"
		}, []finding{{C, "x-frame-options"}, {W, "x-xss-protection"}}},
		{"no CSP", func(p *policy.Policy) { p.CSP = nil }, []finding{{W, "csp"}}},
		{"only a report-only CSP", func(p *policy.Policy) {
			p.CSPReportOnly, p.CSP = p.CSP, nil
		}, []finding{{W, "csp"}}},
		{"report-only CSP is linted under its own key", func(p *policy.Policy) {
			p.CSP = nil
			p.CSPReportOnly = cspOf("default-src 'self'")
		}, []finding{{W, "csp"}, {W, "csp-report-only.base-uri"}, {W, "csp-report-only.object-src"}}},
		{"no frame protection", func(p *policy.Policy) {
			p.FrameOptions = ""
			delete(p.CSP, "frame-ancestors")
		}, []finding{{W, "x-frame-options"}}},
		{"frame-ancestors alone is enough", func(p *policy.Policy) { p.FrameOptions = "" }, nil},
		{"X-Frame-Options alone is enough", func(p *policy.Policy) { delete(p.CSP, "frame-ancestors") }, nil},
		{"ALLOW-FROM", func(p *policy.Policy) { p.FrameOptions = "ALLOW-FROM https://a.example" }, []finding{{W, "x-frame-options"}}},
		{"no HSTS", func(p *policy.Policy) { p.HSTS = nil }, []finding{{W, "hsts"}}},
		{"short HSTS", func(p *policy.Policy) { p.HSTS = &hsts.Policy{MaxAge: time.Hour, IncludeSubDomains: true} }, []finding{{W, "hsts.max-age"}}},
		{"HSTS not preload-ready", func(p *policy.Policy) { p.HSTS = &hsts.Policy{MaxAge: hsts.OneYear, IncludeSubDomains: true} }, []finding{{I, "hsts.preload"}}},
		{"frame-ancestors that allows any site is no frame protection", func(p *policy.Policy) {
			p.FrameOptions = ""
			p.CSP["frame-ancestors"] = cspOf("frame-ancestors https:")["frame-ancestors"]
		}, []finding{{W, "csp.frame-ancestors"}}},
		{"frame-ancestors * overrides X-Frame-Options", func(p *policy.Policy) {
			p.CSP["frame-ancestors"] = cspOf("frame-ancestors *")["frame-ancestors"]
		}, []finding{{W, "csp.frame-ancestors"}}},
		{"HPKP at all", func(p *policy.Policy) {
			p.HPKP = &hpkp.Policy{Pins: []hpkp.Pin{sha256Pin(pinA), sha256Pin(pinB)}, MaxAge: time.Hour}
		}, []finding{{W, "hpkp"}}},
		{"X-XSS-Protection 1; mode=block", func(p *policy.Policy) { p.XSSProtection = policy.XSSBlock }, []finding{{W, "x-xss-protection"}}},
		{"X-XSS-Protection absent is fine", func(p *policy.Policy) { p.XSSProtection = "" }, nil},
		{"no X-Content-Type-Options", func(p *policy.Policy) { p.ContentTypeOptions = "" }, []finding{{W, "x-content-type-options"}}},
		{"unsafe-url", func(p *policy.Policy) { p.ReferrerPolicy = policy.ReferrerPolicy{"no-referrer", "unsafe-url"} }, []finding{{W, "referrer-policy"}}},
		{"no object-src", func(p *policy.Policy) {
			delete(p.CSP, "object-src")
			p.CSP["default-src"] = cspOf("default-src 'self'")["default-src"]
		}, []finding{{W, "csp.object-src"}}},
		{"default-src none covers object-src", func(p *policy.Policy) {
			p.CSP = cspOf("default-src 'none'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'")
		}, nil},
		{"no base-uri", func(p *policy.Policy) { delete(p.CSP, "base-uri") }, []finding{{W, "csp.base-uri"}}},
		{"neither script-src nor default-src", func(p *policy.Policy) {
			p.CSP = cspOf("object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
		}, []finding{{C, "csp.script-src"}}},
		{"unsafe-inline in default-src", func(p *policy.Policy) {
			p.CSP = cspOf("default-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'")
		}, []finding{{C, "csp.default-src"}}},
		{"unsafe-inline with a nonce", func(p *policy.Policy) {
			p.CSP["script-src"] = cspOf("script-src 'unsafe-inline' 'nonce-{nonce}'")["script-src"]
		}, []finding{{W, "csp.script-src"}}},
		{"unsafe-eval", func(p *policy.Policy) { p.CSP["script-src"] = cspOf("script-src 'self' 'unsafe-eval'")["script-src"] }, []finding{{W, "csp.script-src"}}},
		{"wildcard host", func(p *policy.Policy) { p.CSP["script-src"] = cspOf("script-src *")["script-src"] }, []finding{{C, "csp.script-src"}}},
		{"any https host", func(p *policy.Policy) { p.CSP["script-src"] = cspOf("script-src https:")["script-src"] }, []finding{{C, "csp.script-src"}}},
		{"data: scripts", func(p *policy.Policy) { p.CSP["script-src"] = cspOf("script-src 'self' data:")["script-src"] }, []finding{{C, "csp.script-src"}}},
		{"fixed nonce", func(p *policy.Policy) {
			p.CSP["script-src"] = cspOf("script-src 'nonce-" + pinA + "'")["script-src"]
		}, []finding{{W, "csp.script-src"}}},
		{"short fixed nonce", func(p *policy.Policy) {
			p.CSP["script-src"] = cspOf("script-src 'nonce-abc123'")["script-src"]
		}, []finding{{W, "csp.script-src"}, {W, "csp.script-src"}}},
		{"strict-dynamic without a nonce", func(p *policy.Policy) {
			p.CSP["script-src"] = cspOf("script-src 'strict-dynamic' 'self'")["script-src"]
		}, []finding{{W, "csp.script-src"}}},
		{"strict-dynamic with the nonce slot", func(p *policy.Policy) {
			p.CSP["script-src"] = cspOf("script-src 'strict-dynamic' 'nonce-{nonce}'")["script-src"]
		}, nil},
		{"report-uri without report-to", func(p *policy.Policy) { p.CSP["report-uri"] = cspOf("report-uri /csp")["report-uri"] }, []finding{{I, "csp.report-uri"}}},
		{"report-uri with report-to", func(p *policy.Policy) {
			p.CSP["report-uri"] = cspOf("report-uri /csp")["report-uri"]
			p.CSP["report-to"] = cspOf("report-to csp")["report-to"]
			p.ReportingEndpoints = policy.ReportingEndpoints{"csp": "/csp"}
		}, nil},
		{"sorted by severity then path", func(p *policy.Policy) {
			*p = policy.FlaskSecureHeaders()
		}, []finding{
			{W, "csp.base-uri"}, {W, "csp.object-src"}, {W, "x-xss-protection"},
			{I, "csp.report-uri"}, {I, "hsts.preload"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := clean()
			tt.change(&p)
			before := p.Clone()
			var got []finding
			for _, f := range policy.Lint(p) {
				got = append(got, finding{f.Severity, f.Path})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lint (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, p); diff != "" {
				t.Errorf("Lint changed its argument (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindingText(t *testing.T) {
	p := clean()
	p.XSSProtection = policy.XSSBlock
	got := policy.Lint(p)
	if len(got) != 1 {
		t.Fatalf("Lint = %v, want one finding", got)
	}
	const want = `warning: x-xss-protection: "1; mode=block" enables a removed XSS filter that could be abused to leak data (fix: send "0" and rely on CSP)`
	if s := got[0].String(); s != want {
		t.Errorf("String() = %s\nwant       %s", s, want)
	}
	b, err := json.Marshal(got[0])
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"severity":"critical","path":"x","message":"m"}`
	b2, _ := json.Marshal(policy.Finding{Severity: policy.Critical, Path: "x", Message: "m"})
	if string(b2) != wantJSON {
		t.Errorf("JSON = %s, want %s", b2, wantJSON)
	}
	if want := `{"severity":"warning","path":"x-xss-protection","message":"\"1; mode=block\" enables a removed XSS filter that could be abused to leak data","fix":"send \"0\" and rely on CSP"}`; string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
}

func TestSeverityString(t *testing.T) {
	for sev, want := range map[policy.Severity]string{policy.Info: "info", policy.Warning: "warning", policy.Critical: "critical", 7: "Severity(7)", -1: "Severity(-1)"} {
		if got := sev.String(); got != want {
			t.Errorf("Severity(%d).String() = %q, want %q", int(sev), got, want)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, sev := range []policy.Severity{policy.Info, policy.Warning, policy.Critical} {
		b, err := sev.MarshalText()
		if err != nil || string(b) != sev.String() {
			t.Errorf("%v.MarshalText() = %q, %v, want %q", sev, b, err, sev.String())
		}
		var got policy.Severity
		if err := got.UnmarshalText(b); err != nil || got != sev {
			t.Errorf("UnmarshalText(%q) = %v, %v, want %v", b, got, err, sev)
		}
		var f policy.Finding
		in, _ := json.Marshal(policy.Finding{Severity: sev, Path: "p"})
		if err := json.Unmarshal(in, &f); err != nil || f.Severity != sev {
			t.Errorf("json round trip of %s = %v, %v", in, f.Severity, err)
		}
	}
	var s policy.Severity
	if err := s.UnmarshalText([]byte("CRITICAL")); err != nil || s != policy.Critical {
		t.Errorf(`UnmarshalText("CRITICAL") = %v, %v`, s, err)
	}
	for _, bad := range []string{"", "error", "fatal"} {
		if err := s.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) = nil error", bad)
		}
	}
	if _, err := policy.Severity(3).MarshalText(); err == nil {
		t.Error("Severity(3).MarshalText() = nil error")
	}
}
