package policy_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/policy"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/name, or rewrites the file with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestPresetsGolden renders each preset as an HTTPS response gets it, one
// "Name: value" line per header, in canonical order.
func TestPresetsGolden(t *testing.T) {
	for _, name := range []string{policy.PresetRecommended, policy.PresetStrict, policy.PresetFlask, policy.PresetNone} {
		t.Run(name, func(t *testing.T) {
			p, err := policy.ByName(name)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, name+".txt", lines(t, p))
		})
	}
}

// TestPresetsFresh checks that each call returns a new value: changing one
// preset never shows in the next call.
func TestPresetsFresh(t *testing.T) {
	for name, f := range map[string]func() policy.Policy{
		"Recommended": policy.Recommended, "Strict": policy.Strict, "FlaskSecureHeaders": policy.FlaskSecureHeaders,
	} {
		t.Run(name, func(t *testing.T) {
			p := f()
			mutate(&p)
			p.FrameOptions = "ALLOW-FROM x"
			if diff := cmp.Diff(f(), f()); diff != "" {
				t.Errorf("two calls differ (-want +got):\n%s", diff)
			}
			if cmp.Equal(p, f()) {
				t.Error("mutate changed nothing; the test is void")
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	want := []string{
		"Content-Security-Policy", "Content-Security-Policy-Report-Only", "Reporting-Endpoints",
		"Strict-Transport-Security", "Public-Key-Pins", "X-Frame-Options", "X-Content-Type-Options",
		"Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy",
		"Cross-Origin-Resource-Policy", "Origin-Agent-Cluster", "X-XSS-Protection", "X-DNS-Prefetch-Control",
		"X-Download-Options", "X-Permitted-Cross-Domain-Policies", "Clear-Site-Data", "Cache-Control",
	}
	if diff := cmp.Diff(want, policy.Headers()); diff != "" {
		t.Errorf("Headers (-want +got):\n%s", diff)
	}
}

// TestFieldsFull renders a policy with every header, checking names (HPKP
// report-only), SecureOnly and the nonce parts.
func TestFieldsFull(t *testing.T) {
	p := samples()["full"]
	p.HPKP.ReportOnly = true
	golden(t, "full.txt", lines(t, p))
	for _, f := range p.Fields() {
		secure := f.Name == "Strict-Transport-Security" || f.Name == "Public-Key-Pins-Report-Only"
		if f.SecureOnly != secure {
			t.Errorf("%s: SecureOnly = %v, want %v", f.Name, f.SecureOnly, secure)
		}
		wantParts := 1
		if f.Name == "Content-Security-Policy" {
			wantParts = 3 // script-src and style-src hold the nonce slot
		}
		if len(f.Parts) != wantParts {
			t.Errorf("%s: %d parts %q, want %d", f.Name, len(f.Parts), f.Parts, wantParts)
		}
	}
}
