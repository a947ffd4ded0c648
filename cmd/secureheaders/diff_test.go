package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/policy"
)

func TestDiffCommand(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.csp", "default-src 'self'; script-src 'self'; object-src 'none'")
	b := write("b.txt", "HTTP/2 200\ncontent-security-policy: default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'\n")
	cfg := write("c.json", `{"preset": "none", "update": {"CSP": {"default-src": ["self"], "script-src": ["self"], "object-src": ["none"]}}}`)

	var out, errOut bytes.Buffer
	if code := run([]string{"diff", "-fail-on", "widen", a, b}, &out, &errOut); code != 1 {
		t.Fatalf("widening: exit %d, want 1; stderr %s", code, errOut.String())
	}
	for _, want := range []string{
		"Content-Security-Policy script-src\n  + 'unsafe-inline'\n  RISK: 'unsafe-inline' lets injected inline scripts run\n",
		"Content-Security-Policy script-src-elem (from script-src)\n  + 'unsafe-inline'\n",
		"4 changes, 4 risky\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if code := run([]string{"diff", "-json", b, a}, &out, &errOut); code != 0 {
		t.Fatalf("narrowing: exit %d", code)
	}
	var doc struct{ Changes []policy.Change }
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil || len(doc.Changes) != 4 || doc.Changes[0].Blocked[0] != "'unsafe-inline'" || doc.Changes[0].Risk != "" {
		t.Errorf("-json: %v %+v", err, doc.Changes)
	}

	out.Reset()
	if code := run([]string{"diff", "-fail-on", "widen", a, cfg}, &out, &errOut); code != 0 || out.String() != "0 changes, 0 risky\n" {
		t.Errorf("CSP file and config with the same CSP: exit %d, %q", code, out.String())
	}
	if code := run([]string{"diff", a}, &out, &errOut); code != 2 {
		t.Errorf("one argument: exit %d, want 2", code)
	}
}

// TestDiffRoutesGolden compares diff's output on two configs with routes
// with the golden files (go test -run TestDiffRoutesGolden -update rewrites
// them). a.json → b.json: a route widened (a new script host), a route only
// in A (its paths fall back to the app policy in B), one only in B (its
// paths got the covering route /embed/ in A), one only in B that changes
// no header (one line), and routes that do not change, which print nothing.
func TestDiffRoutesGolden(t *testing.T) {
	a := filepath.Join("testdata", "diff", "a.json")
	b := filepath.Join("testdata", "diff", "b.json")
	tests := []struct {
		golden string
		args   []string
		code   int
	}{
		{"diff-routes.txt", []string{"-fail-on", "widen", a, b}, 1},
		{"diff-routes-reverse.txt", []string{"-fail-on", "widen", b, a}, 0},
		{"diff-routes-same.txt", []string{"-fail-on", "widen", a, a}, 0},
		{"diff-routes.json", []string{"-json", a, b}, 0},
		// c.json is b.json with style-src widened in the app policy: every
		// route gets that change, so the routes list only their own.
		{"diff-routes-app.txt", []string{"-fail-on", "widen", a, filepath.Join("testdata", "diff", "c.json")}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(append([]string{"diff"}, tt.args...), &out, &errOut); code != tt.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.code, errOut.String())
			}
			path := filepath.Join("testdata", "golden", tt.golden)
			if *update {
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), out.String()); diff != "" {
				t.Errorf("diff %v (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

// TestDiffRoutesNotConfig: a configuration against a bare CSP compares the
// app policies and says on stderr that its routes are not compared.
func TestDiffRoutesNotConfig(t *testing.T) {
	dir := t.TempDir()
	c := filepath.Join(dir, "a.csp")
	if err := os.WriteFile(c, []byte("default-src 'self'; script-src 'self' 'nonce-AAAAAAAAAAAAAAAAAAAAAA'; object-src 'none'; frame-ancestors 'self'"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := filepath.Join("testdata", "diff", "a.json")
	var out, errOut bytes.Buffer
	if code := run([]string{"diff", "-fail-on", "widen", a, c}, &out, &errOut); code != 0 {
		t.Errorf("exit %d, want 0; stdout %s; stderr %s", code, out.String(), errOut.String())
	}
	want := "secureheaders diff: " + a + ": its 4 routes are not compared: the other file is not a configuration\n"
	if diff := cmp.Diff(want, errOut.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
}
