//go:build unix

package main

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeReloadsOnSIGHUP runs serve with a config file, changes the file,
// sends the process SIGHUP and checks the new headers are served.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(`{"update": {"X-Frame-Options": "DENY"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, serveConfig{
			configPath: path, httpAddr: "127.0.0.1:0", httpsAddr: "127.0.0.1:0",
			stdout: io.Discard, logger: slog.New(slog.NewTextHandler(&logs, nil)),
			ready: func(_, s net.Addr) { ready <- s },
		})
	}()
	var addr net.Addr
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	defer client.CloseIdleConnections()
	xfo := func() string {
		t.Helper()
		resp, err := client.Get("https://" + addr.String() + "/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.Header.Get("X-Frame-Options")
	}
	if got := xfo(); got != "DENY" {
		t.Fatalf("X-Frame-Options = %q before the reload, want DENY", got)
	}
	if err := os.WriteFile(path, []byte(`{"update": {"X-Frame-Options": "SAMEORIGIN"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), `msg="config reloaded"`) {
		if time.Now().After(deadline) {
			t.Fatalf("no reload logged:\n%s", logs.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), `changed="policy headers: X-Frame-Options"`) {
		t.Errorf("the reload does not name the change:\n%s", logs.String())
	}
	if got := xfo(); got != "SAMEORIGIN" {
		t.Errorf("X-Frame-Options = %q after the reload, want SAMEORIGIN", got)
	}
}
