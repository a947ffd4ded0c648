package e2e

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/secureheaders/secureheaders/report"
)

// TestBrowserRolloutServe is the rollout against the real command: the
// built secureheaders serve -config F, on free ports, with Chromium.
//
// serve cannot serve custom pages (it serves its demo application only), so
// the CDN script, eval and frame of TestBrowserRollout, which wires an
// engine, an aggregator and the dashboard by hand under httptest, cannot be
// put in front of it. What this test adds is confidence in serve's own
// wiring, the part that test rebuilt by hand: the demo page's inline script
// without the nonce, sent under a report-only policy, reaches serve's
// report endpoint and aggregator as Chromium really sends it; the
// dashboard at /reports shows the group, in Chromium, and its JSON twin is
// the snapshot; secureheaders suggest, given that snapshot, proposes the
// nonce for the inline script and never 'unsafe-inline'; and the dashboard
// is served to a peer off loopback only with the bearer token of
// SECUREHEADERS_DASHBOARD_TOKEN (when the machine has a non-loopback
// address to connect from).
func TestBrowserRolloutServe(t *testing.T) {
	chromiumPath(t)
	dir := t.TempDir()
	cli := buildCLIBinary(t, dir)
	cfg := filepath.Join(dir, "serve.json")
	if err := os.WriteFile(cfg, []byte(rolloutConfig), 0o644); err != nil {
		t.Fatal(err)
	}

	// HTTPS listens on every address, so a non-loopback address of this
	// machine reaches it as a peer off loopback.
	port := freePort(t)
	other := nonLoopbackAddr()
	token := rand.Text()
	args := []string{"serve", "-config", cfg, "-http", freeAddr(t), "-https", net.JoinHostPort("", port)}
	if other != "" {
		args = append(args, "-host", other)
	}
	env := append(os.Environ(), "SECUREHEADERS_DASHBOARD_TOKEN="+token)
	base := "https://" + net.JoinHostPort("127.0.0.1", port)
	runServer(t, net.JoinHostPort("127.0.0.1", port), env, cli, args...)

	// Report-only: the inline script without the nonce runs, and is reported.
	dom := dumpDOM(t, base+"/")
	if got := textOf(dom, "without-nonce"); !strings.Contains(got, "WITHOUT a nonce ran") {
		t.Errorf("the inline script without the nonce did not run under report-only: %q", got)
	}
	if got := textOf(dom, "with-nonce"); got != "The inline script with the nonce ran." {
		t.Errorf("the inline script with the nonce: %q", got)
	}
	snapJSON, snap := waitServeGroups(t, base+"/reports?format=json", "inline")
	want := []groupRow{{"report", "script-src-elem", "inline", "/"}}
	if diff := gocmp.Diff(want, rows(snap)); diff != "" {
		t.Errorf("serve's groups (-want +got):\n%s", diff)
	}
	for _, g := range snap.Groups {
		if g.Noise != "" || g.Count < 1 || len(g.Samples) == 0 {
			t.Errorf("group %s %s: noise %q, count %d, %d samples", g.Directive, g.Blocked, g.Noise, g.Count, len(g.Samples))
		}
	}

	// The dashboard, in Chromium (a loopback peer: no token needed).
	dash := dumpDOM(t, base+"/reports")
	for _, s := range []string{"script-src-elem", "inline", "Suggested change"} {
		if !strings.Contains(dash, s) {
			t.Errorf("the dashboard lacks %q", s)
		}
	}
	// The dashboard is not under the app's report-only policy: loading
	// it added no group.
	if _, s := waitServeGroups(t, base+"/reports?format=json", "inline"); len(s.Groups) != 1 {
		t.Errorf("loading the dashboard added groups: %v", rows(s))
	}
	_, fragment := getDashboard(t, base+"/reports?format=fragment", "")
	if bytes.Contains(fragment, []byte("unsafe-inline")) {
		t.Errorf("the dashboard's fragment proposes 'unsafe-inline': %s", fragment)
	}

	// suggest reads the snapshot serve's JSON twin gave.
	snapPath := filepath.Join(dir, "serve-snapshot.json")
	if err := os.WriteFile(snapPath, snapJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg2 := filepath.Join(dir, "serve2.json")
	out, err := exec.Command(cli, "suggest", "-config", cfg, "-o", cfg2, snapPath).CombinedOutput()
	if err != nil {
		t.Fatalf("suggest: %v\n%s", err, out)
	}
	if s := "give each inline <script> at the places listed the nonce attribute"; !strings.Contains(string(out), s) {
		t.Errorf("suggest output lacks %q:\n%s", s, out)
	}
	written, err := os.ReadFile(cfg2)
	if err != nil {
		t.Fatal(err)
	}
	for _, never := range []string{"unsafe-inline", "unsafe-eval", "*"} {
		proposed := append(bytes.ReplaceAll(out, []byte("'unsafe-inline' is never proposed"), nil), written...)
		if bytes.Contains(proposed, []byte(never)) {
			t.Errorf("suggest proposes %q:\n%s\n%s", never, out, written)
		}
	}
	// serve accepts the config suggest wrote.
	if out, err := exec.Command(cli, "render", "-config", cfg2).CombinedOutput(); err != nil {
		t.Errorf("render -config %s: %v\n%s", cfg2, err, out)
	}

	// Off loopback, the dashboard needs the token.
	if other == "" {
		t.Log("no non-loopback address on this machine: the bearer token is checked by cmd/secureheaders' TestDashboardGuard only")
		return
	}
	otherURL := "https://" + net.JoinHostPort(other, port) + "/reports?format=json"
	for _, tt := range []struct {
		auth       string
		wantStatus int
	}{
		{"", http.StatusUnauthorized},
		{"Bearer " + token + "x", http.StatusUnauthorized},
		{"Bearer " + token, http.StatusOK},
	} {
		resp, body := getDashboard(t, otherURL, tt.auth)
		if resp.StatusCode != tt.wantStatus {
			t.Errorf("from %s with %q: %d, want %d", other, tt.auth, resp.StatusCode, tt.wantStatus)
		}
		if tt.wantStatus == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
			t.Errorf("401 without a Bearer challenge: %q", resp.Header.Get("WWW-Authenticate"))
		}
		if tt.wantStatus == http.StatusOK {
			var s report.Snapshot
			if err := json.Unmarshal(body, &s); err != nil {
				t.Fatalf("the twin off loopback: %v\n%s", err, body)
			}
			if diff := gocmp.Diff(want, rows(s)); diff != "" {
				t.Errorf("groups off loopback (-want +got):\n%s", diff)
			}
		}
	}
}

// waitServeGroups polls serve's JSON twin until its groups hold every
// blocked value of want, then a little longer for stragglers, and returns
// the last body and its snapshot.
func waitServeGroups(t *testing.T, url string, want ...string) ([]byte, report.Snapshot) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	settled := false
	for {
		resp, body := getDashboard(t, url, "")
		var s report.Snapshot
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", url, resp.StatusCode, body)
		}
		if err := json.Unmarshal(body, &s); err != nil {
			t.Fatalf("%s: %v\n%s", url, err, body)
		}
		var got []string
		for _, g := range s.Groups {
			got = append(got, g.Blocked)
		}
		missing := 0
		for _, w := range want {
			if !strings.Contains(strings.Join(got, "\n")+"\n", w+"\n") {
				missing++
			}
		}
		switch {
		case missing == 0 && settled:
			return body, s
		case missing == 0:
			settled = true
			time.Sleep(2 * time.Second) // reports of one load arrive within milliseconds of each other
			continue
		case time.Now().After(deadline):
			t.Fatalf("reports still missing for %v; groups: %v", want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// getDashboard GETs url from serve (its self-signed certificate accepted),
// with auth as the Authorization header when not empty.
func getDashboard(t *testing.T, url, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	c := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // serve's self-signed certificate
		Timeout:   10 * time.Second,
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// freePort returns a TCP port that nothing listened on, on any address, a
// moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// nonLoopbackAddr returns an IPv4 address of this machine that is not on
// loopback, or "" when it has none.
func nonLoopbackAddr() string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return ""
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			return ipn.IP.String()
		}
	}
	return ""
}
