package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	var changes []policy.Change
	if err := json.Unmarshal(out.Bytes(), &changes); err != nil || len(changes) != 4 || changes[0].Blocked[0] != "'unsafe-inline'" || changes[0].Risk != "" {
		t.Errorf("-json: %v %+v", err, changes)
	}

	out.Reset()
	if code := run([]string{"diff", "-fail-on", "widen", a, cfg}, &out, &errOut); code != 0 || out.String() != "0 changes, 0 risky\n" {
		t.Errorf("CSP file and config with the same CSP: exit %d, %q", code, out.String())
	}
	if code := run([]string{"diff", a}, &out, &errOut); code != 2 {
		t.Errorf("one argument: exit %d, want 2", code)
	}
}
