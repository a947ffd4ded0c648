// What check gathers about a site beyond its two fetches (a CORS
// preflight, the page and its <meta> policies), -resolve, and the scoring.

package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// resolveFlag maps "host:port" to the address to connect to instead.
type resolveFlag map[string]string

func (r resolveFlag) String() string { return "" }

// Set reads HOST:PORT:ADDR; ADDR is an IP address, in brackets for IPv6.
func (r resolveFlag) Set(v string) error {
	host, rest, ok1 := strings.Cut(v, ":")
	port, addr, ok2 := strings.Cut(rest, ":")
	addr = strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]")
	if _, err := strconv.ParseUint(port, 10, 16); !ok1 || !ok2 || host == "" || err != nil {
		return fmt.Errorf("%q is not HOST:PORT:ADDR (e.g. example.com:443:127.0.0.1)", v)
	}
	if _, err := netip.ParseAddr(addr); err != nil {
		return fmt.Errorf("%q: %q is not an IP address", v, addr)
	}
	r[net.JoinHostPort(strings.ToLower(host), port)] = net.JoinHostPort(addr, port)
	return nil
}

// resolve makes c connect to the addresses of r for their host and port.
func (c *checker) resolve(r resolveFlag) {
	if len(r) == 0 {
		return
	}
	var d net.Dialer
	c.transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := r[strings.ToLower(addr)]; ok {
			addr = to
		}
		return d.DialContext(ctx, network, addr)
	}
}

// preflight sends u the CORS preflight of a script on foreignOrigin that
// wants to GET it, and returns the answer's header, or nil when there was
// no answer.
func (c *checker) preflight(ctx context.Context, u *url.URL) http.Header {
	req, err := http.NewRequestWithContext(ctx, http.MethodOptions, u.String(), nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", "secureheaders-check/1")
	req.Header.Set("Origin", foreignOrigin)
	req.Header.Set("Access-Control-Request-Method", http.MethodGet)
	client := &http.Client{Transport: c.transport, Timeout: c.timeout, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errRedirectLoop
		}
		return nil
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.Header
}

// score completes s with the page graded (its header, body, cookies,
// <meta> policies and a CORS preflight), runs the Observatory's tests and
// sets rep's grade. ignored says browsers ignore HSTS for hstsHost.
func (c *checker) score(ctx context.Context, rep *checkReport, s *site, graded *fetch, ignored bool, hstsHost string) {
	s.page, s.body, s.cookies = graded.header, graded.body, graded.cookies
	if ct, _ := field(s.page, "Content-Type"); contains(htmlTypes, strings.Split(ct, ";")[0]) && len(s.body) > 0 {
		s.metaCSP, s.metaReferrer = pageMeta(s.body)
	}
	if u := graded.reached(); u != nil && graded.header != nil {
		s.preflight = c.preflight(ctx, u)
	}
	if n := len(graded.Hops); n > 0 {
		if st := graded.Hops[n-1].Status; st >= 400 && st != 401 && st != 403 {
			rep.Notes = append(rep.Notes, fmt.Sprintf("the page answers %d: the Observatory refuses to grade a status of 400 or more (but 401 and 403); graded anyway", st))
		}
	}
	rep.Tests = observatory(s)
	if len(s.metaCSP) == 0 {
		// Lint reads the header only; a <meta> policy can only restrict
		// what it allows, so the Observatory's result stands then.
		cspVerdict(rep.Tests, rep.Findings)
	}
	if s.https != nil && ignored {
		// Browsers ignore HSTS there (a note says so): not counted.
		for i, t := range rep.Tests {
			if t.Name == "strict-transport-security" && t.Modifier < 0 {
				rep.Tests[i] = scoreTest{Name: t.Name, Result: t.Result, Message: t.Message + " (not counted: browsers ignore HSTS for " + hstsHost + ")"}
			}
		}
	}
	rep.Grade, rep.Score = grade(rep.Tests)
}
