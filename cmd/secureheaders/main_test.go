package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// runCmd runs the CLI with args and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// oneLineErrors fails unless every stderr line starts with the command's
// prefix: one line per problem, never a stack trace.
func oneLineErrors(t *testing.T, stderr, prefix string) {
	t.Helper()
	if stderr == "" {
		t.Fatal("stderr is empty, want an error")
	}
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		if !strings.HasPrefix(line, prefix) {
			t.Errorf("stderr line %q does not start with %q", line, prefix)
		}
	}
	if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
		t.Errorf("stderr holds a stack trace:\n%s", stderr)
	}
}

func TestRunUsage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no command", nil, 2, "usage: secureheaders <command>"},
		{"help", []string{"help"}, 0, "  check    fetch a URL"},
		{"unknown command", []string{"lnit"}, 2, `unknown command "lnit" (did you mean "lint"?)`},
		{"unknown command, nothing close", []string{"frobnicate"}, 2, `secureheaders: unknown command "frobnicate"` + "\n"},
		{"version takes no argument", []string{"version", "x"}, 2, `unexpected argument "x"`},
		{"lint flag help", []string{"lint", "-h"}, 0, "-header"},
		{"render bad flag", []string{"render", "-bogus"}, 2, "flag provided but not defined: -bogus"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit code = %d, want %d", code, tc.wantCode)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tc.wantErr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"-version"}, {"--version"}} {
		code, stdout, stderr := runCmd(t, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
		}
		if !strings.HasPrefix(stdout, "secureheaders ") || !strings.HasSuffix(stdout, " ("+runtime.Version()+")\n") {
			t.Errorf("%q: stdout = %q, want secureheaders VERSION (%s)", args, stdout, runtime.Version())
		}
	}
}
