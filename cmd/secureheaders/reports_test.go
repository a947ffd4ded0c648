package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/report"
)

// TestReportsFromEverywhere feeds reports through the real log sink (slog's
// JSON handler), a raw legacy body, a Reporting API body and a snapshot, and
// checks the merged table.
func TestReportsFromEverywhere(t *testing.T) {
	dir := t.TempDir()
	var logs bytes.Buffer
	sink := report.LogSink(slog.New(slog.NewJSONHandler(&logs, nil)))
	inline := report.Report{Type: report.TypeCSP, URL: "https://app.example/?x=1", BlockedURL: "inline", EffectiveDirective: "script-src-elem", Disposition: "enforce"}
	for range 3 {
		sink(t.Context(), inline)
	}
	sink(t.Context(), report.Report{Type: report.TypeCSP, URL: "https://app.example/", BlockedURL: "chrome-extension://abc/x.js", EffectiveDirective: "script-src-elem", Disposition: "enforce"})
	logs.WriteString("not json at all\n{\"msg\":\"request served\"}\n")
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	logFile := write("app.log", logs.String())
	legacy := write("legacy.json", `{"csp-report": {"document-uri": "https://app.example/cart", "blocked-uri": "https://cdn.example/a.js", "effective-directive": "script-src-elem", "disposition": "report"}}`)
	batch := write("batch.json", `[{"type": "csp-violation", "url": "https://app.example/cart", "body": {"documentURL": "https://app.example/cart", "blockedURL": "https://cdn.example/b.js", "effectiveDirective": "script-src-elem", "disposition": "report"}}]`)

	// A snapshot written by reports -json is read back and merged.
	var out, errOut bytes.Buffer
	if code := run([]string{"reports", "-json", legacy}, &out, &errOut); code != 0 {
		t.Fatalf("reports -json: exit %d: %s", code, errOut.String())
	}
	snap := write("snap.json", out.String())

	out.Reset()
	errOut.Reset()
	code := run([]string{"reports", logFile, legacy, batch, snap}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := []string{
		"COUNT  DISPOSITION  DIRECTIVE        BLOCKED                 PATH   NOISE",
		"3      report       script-src-elem  https://cdn.example     /cart  -",
		"3      enforce      script-src-elem  inline                  /      -",
		"1      enforce      script-src-elem  chrome-extension://abc  /      extension",
		"7 reports in 3 groups",
	}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut.String(), "app.log: 2 lines are not report log lines, skipped") {
		t.Errorf("stderr %q does not count the skipped lines", errOut.String())
	}
}

func TestReportsRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"newer.json":   `{"version": 9, "groups": []}`,
		"corrupt.json": "{\n  \"version\": 1,\n  \"groups\": \"x\"\n}",
		"hostile.json": `[{"type": "csp-violation", "url": "https://a.example/\u202e", "body": {"blockedURL": "https://evil.example/\u202egnp.js", "effectiveDirective": "img-src"}}]`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		code := run([]string{"reports", p}, &out, &errOut)
		switch name {
		case "hostile.json":
			if code != 0 || strings.ContainsRune(out.String(), '\u202e') || !strings.Contains(out.String(), `\u202e`) {
				t.Errorf("%s: exit %d, output %q: want the U+202E escaped", name, code, out.String())
			}
		default:
			if code != 1 || !strings.Contains(errOut.String(), "snapshot") {
				t.Errorf("%s: exit %d, stderr %q; want 1 and a snapshot error", name, code, errOut.String())
			}
		}
	}
	// A truncated body says where it ends.
	p := filepath.Join(dir, "truncated.json")
	if err := os.WriteFile(p, []byte("{\"csp-report\": {\n  \"document-uri\": \"https://a.example/\""), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"reports", p}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "at line 2, column 39: unexpected end of input") {
		t.Errorf("truncated body: exit %d, stderr %q; want 1 and the position of the end", code, errOut.String())
	}
	// The JSON output is a snapshot.
	out.Reset()
	errOut.Reset()
	if code := run([]string{"reports", "-json", filepath.Join(dir, "hostile.json")}, &out, &errOut); code != 0 {
		t.Fatal(errOut.String())
	}
	var s report.Snapshot
	if err := json.Unmarshal(out.Bytes(), &s); err != nil || s.Version != report.SnapshotVersion || len(s.Groups) != 1 {
		t.Errorf("reports -json gave %+v, %v", s, err)
	}
}
