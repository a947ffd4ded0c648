//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHashFIFO: a FIFO named like a page or an asset is skipped with a
// message, not opened (opening one waits for a writer forever), whether it
// is found in a directory or named on the command line.
func TestHashFIFO(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"pipe.html", "pipe.js"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Skip(err)
		}
	}
	for _, args := range [][]string{
		{"hash", dir},
		{"hash", filepath.Join(dir, "pipe.html")},
		{"hash", "-sri", filepath.Join(dir, "pipe.html")},
		{"sri", filepath.Join(dir, "pipe.js")},
		{"render", "-format", "nginx", "-nginx-part", "http", "-hashes", dir},
	} {
		done := make(chan string, 1)
		go func() {
			code, stdout, stderr := runCmd(t, args...)
			if code != 1 || strings.Contains(stdout, "sha") {
				t.Errorf("%v: exit %d, stdout %q: want 1 and nothing hashed", args, code, stdout)
			}
			done <- stderr
		}()
		select {
		case stderr := <-done:
			if !strings.Contains(stderr, "pipe.") || !strings.Contains(stderr, "not a regular file") {
				t.Errorf("%v: stderr %q: want the FIFO named, not a regular file", args, stderr)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: still running after 10s: it opened the FIFO", args)
		}
	}
}
