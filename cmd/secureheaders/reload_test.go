package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secureheaders/secureheaders"
)

// TestReload reloads a changed file, then an invalid one, and checks what
// is logged and what is served: the change is in effect, and the invalid
// file leaves it in effect.
func TestReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"update": {"X-Frame-Options": "DENY"}, "https": {"redirect": true}}`)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
	finish := func(o *secureheaders.Options) {
		if o.HTTPS.Port == 0 {
			o.HTTPS.Port = 8443
		}
		o.Logger = logger
	}
	opts, err := demoOptions(path)
	if err != nil {
		t.Fatal(err)
	}
	finish(opts)
	sh, err := secureheaders.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sh.Close()
	h := sh.Handler(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	serveHeader := func(name string) string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "https://localhost/", nil))
		return w.Header().Get(name)
	}
	rl := &reloader{sh: sh, path: path, finish: finish, logger: logger}

	steps := []struct {
		name, file string
		wantOK     bool
		wantXFO    string
		wantLogs   []string
	}{
		{"unchanged", `{"update": {"X-Frame-Options": "DENY"}, "https": {"redirect": true}}`, true, "DENY", []string{
			`level=INFO msg="config reloaded: nothing changed" path=` + path,
		}},
		{"changed", `{"update": {"X-Frame-Options": "SAMEORIGIN"}, "https": {"redirect": true, "allowedHosts": ["localhost"]},
			"cookies": {"httpOnly": true}}`, true, "SAMEORIGIN", []string{
			`level=INFO msg="config reloaded" path=` + path + ` changed="policy headers: X-Frame-Options; https; cookies"`,
		}},
		{"invalid", `{"update": {"X-Frame-Options": "DENY"}, "https": {"redirect": true, "allowedHosts": [".example.com"]}}`, false, "SAMEORIGIN", []string{
			`level=ERROR msg="config reload refused" path=` + path + ` error="https.allowedHosts[0]: leading dot in host pattern \".example.com\"`,
			`level=WARN msg="config reload refused: the configuration in effect is kept" path=` + path + ` errors=1`,
		}},
		{"invalid policy", `{"update": {"X-Frame-Options": "NEVER"}}`, false, "SAMEORIGIN", []string{
			`level=ERROR msg="config reload refused" path=` + path + ` error="x-frame-options: invalid value \"NEVER\"`,
			`level=WARN msg="config reload refused: the configuration in effect is kept" path=` + path + ` errors=1`,
		}},
		{"unreadable", "", false, "SAMEORIGIN", []string{
			`level=ERROR msg="config reload refused" path=` + path + ` error=`,
			`level=WARN msg="config reload refused: the configuration in effect is kept" path=` + path + ` errors=1`,
		}},
	}
	for _, st := range steps {
		logs.Reset()
		if st.file == "" {
			os.Remove(path)
		} else {
			write(st.file)
		}
		if ok := rl.reload(); ok != st.wantOK {
			t.Errorf("%s: reload() = %v, want %v", st.name, ok, st.wantOK)
		}
		lines := strings.Split(strings.TrimSuffix(logs.String(), "\n"), "\n")
		if len(lines) != len(st.wantLogs) {
			t.Errorf("%s: logged %d lines, want %d:\n%s", st.name, len(lines), len(st.wantLogs), logs.String())
		} else {
			for i, want := range st.wantLogs {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("%s: log line %d = %q, want it to start with %q", st.name, i, lines[i], want)
				}
			}
		}
		if got := serveHeader("X-Frame-Options"); got != st.wantXFO {
			t.Errorf("%s: X-Frame-Options = %q, want %q", st.name, got, st.wantXFO)
		}
	}
}
