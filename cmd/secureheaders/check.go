package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
)

const (
	// maxRedirects caps the redirects one fetch follows.
	maxRedirects = 10
	// maxHeaderBytes caps the response header a fetch reads.
	maxHeaderBytes = 256 << 10
	// maxBodyBytes caps the body a fetch reads, for the page's scripts.
	maxBodyBytes = 1 << 20
)

var errRedirectLoop = fmt.Errorf("stopped after %d redirects (a redirect loop?)", maxRedirects)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	insecure := fs.Bool("insecure", false, "grade a site whose HTTPS certificate does not verify (self-signed test servers), as the Observatory does: HSTS and the redirect then score as with an invalid certificate")
	caFile := fs.String("ca", "", "PEM file of CA certificates to trust besides the system's")
	timeout := fs.Duration("timeout", 10*time.Second, "time limit of each request")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	resolve := resolveFlag{}
	fs.Var(resolve, "resolve", "connect to ADDR for HOST:PORT, like curl's --resolve `HOST:PORT:ADDR` (a staging server, before DNS); repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: secureheaders check [-insecure] [-ca FILE] [-resolve HOST:PORT:ADDR] [-timeout D] [-json] URL")
		fs.PrintDefaults()
	}
	urls, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if len(urls) != 1 {
		fs.Usage()
		return 2
	}
	target, err := parseTarget(urls[0])
	if err != nil {
		fmt.Fprintf(stderr, "secureheaders check: %v\n", err)
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "secureheaders check: -timeout must be positive")
		return 2
	}
	c, err := newChecker(*insecure, *caFile, *timeout)
	if err != nil {
		fmt.Fprintf(stderr, "secureheaders check: %v\n", err)
		return 1
	}
	c.resolve(resolve)
	rep, err := c.check(context.Background(), target)
	if err != nil {
		fmt.Fprintf(stderr, "secureheaders check: %s\n", printable(err.Error()))
		return 1
	}
	rep.escape()
	if *asJSON {
		writeJSON(stdout, rep)
	} else {
		rep.print(stdout)
	}
	if hasErrors(rep.Findings) {
		return 1
	}
	return 0
}

// parseInterspersed parses args with fs, flags before or after the
// arguments ("check URL -insecure"), and returns the arguments; after "--"
// everything is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		// fs.Parse stops at the first argument, or after "--".
		i := len(args) - fs.NArg()
		if i > 0 && args[i-1] == "--" {
			return append(rest, fs.Args()...), nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// parseTarget reads the URL to check: http:// or https://, or a bare host
// ("example.com/path"), which means https.
func parseTarget(s string) (*url.URL, error) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a URL: %v", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q: only http:// and https:// URLs can be checked", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", s)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = ""
	return u, nil
}

// checker fetches with one transport: verified TLS, capped headers and
// redirects, a time limit per request. With insecure, a certificate that
// does not verify is accepted, and the fetch records that it did not.
type checker struct {
	transport *http.Transport
	timeout   time.Duration
	insecure  bool
	roots     *x509.CertPool // nil: the system's
}

func newChecker(insecure bool, caFile string, timeout time.Duration) (*checker, error) {
	tlsConf := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: insecure}
	c := &checker{timeout: timeout, insecure: insecure}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("-ca: %v", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-ca %s: no PEM certificate in the file", caFile)
		}
		tlsConf.RootCAs, c.roots = pool, pool
	}
	c.transport = &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		TLSClientConfig:        tlsConf,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: maxHeaderBytes,
		TLSHandshakeTimeout:    timeout,
		ResponseHeaderTimeout:  timeout,
		DisableCompression:     true,
	}
	return c, nil
}

// verified reports whether the certificate chain of a response to a
// request for host verifies (true for plain HTTP, and always without
// insecure: the handshake then refused a chain that does not).
func (c *checker) verified(cs *tls.ConnectionState, host string) bool {
	if cs == nil || !c.insecure {
		return true
	}
	if len(cs.PeerCertificates) == 0 {
		return false
	}
	inter := x509.NewCertPool()
	for _, cert := range cs.PeerCertificates[1:] {
		inter.AddCert(cert)
	}
	_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: c.roots, Intermediates: inter, DNSName: host})
	return err == nil
}

// hop is one response of a fetch: a redirect or the final answer.
type hop struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
}

// fetch is the outcome of GET of one URL with its redirects followed.
type fetch struct {
	Hops []hop `json:"hops"`
	// StaysOnHost says whether every redirect stayed on the first URL's host
	// name (ports aside).
	StaysOnHost bool   `json:"staysOnHost"`
	Error       string `json:"error,omitempty"`

	// route is every URL fetched, the first included; verified says whether
	// every certificate on it verified.
	route    []*url.URL
	verified bool
	final    *url.URL
	header   http.Header
	// body is the start of the final response's body (maxBodyBytes).
	body []byte
	// cookies are the Set-Cookie fields of every response.
	cookies []setCookie
	// next is the URL of the last redirect followed; when the fetch failed
	// after a redirect, the one it could not reach.
	next *url.URL
}

// failedAfterRedirect reports whether f got a redirect and then failed:
// what it reached is graded instead of stopping at the error.
func (f *fetch) failedAfterRedirect() bool { return f.Error != "" && f.next != nil }

// reached returns the URL f ended at, or the one it failed to reach after
// a redirect, or nil.
func (f *fetch) reached() *url.URL {
	if f.final != nil {
		return f.final
	}
	return f.next
}

// get fetches u, following at most maxRedirects redirects.
func (c *checker) get(ctx context.Context, u *url.URL) (*fetch, error) {
	f := &fetch{StaysOnHost: true, verified: true, route: []*url.URL{u}}
	keep := func(resp *http.Response) {
		for _, v := range resp.Header.Values("Set-Cookie") {
			f.cookies = append(f.cookies, setCookie{field: v, from: resp.Request.URL})
		}
		f.verified = f.verified && c.verified(resp.TLS, resp.Request.URL.Hostname())
	}
	client := &http.Client{
		Transport: c.transport,
		Timeout:   c.timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				f.next = nil // a loop is an error, not graded
				return errRedirectLoop
			}
			f.Hops = append(f.Hops, hop{URL: via[len(via)-1].URL.String(), Status: req.Response.StatusCode})
			keep(req.Response)
			f.route = append(f.route, req.URL)
			if req.URL.Hostname() != u.Hostname() {
				f.StaysOnHost = false
			}
			f.next, f.header = req.URL, req.Response.Header
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "secureheaders-check/1")
	resp, err := client.Do(req)
	if err != nil {
		at := u
		if f.next != nil {
			at = f.next
		}
		return f, fetchError(at, err, c.timeout)
	}
	// A body cut short is graded as far as it came.
	f.body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes))
	resp.Body.Close()
	keep(resp)
	f.Hops = append(f.Hops, hop{URL: resp.Request.URL.String(), Status: resp.StatusCode})
	f.final, f.header = resp.Request.URL, resp.Header
	return f, nil
}

// fetchError turns a client error into one line that says what happened.
func fetchError(u *url.URL, err error, timeout time.Duration) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var (
		certErr  *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		netErr   net.Error
		hint     string
		explicit = err.Error()
	)
	switch {
	case errors.Is(err, errRedirectLoop):
	case strings.Contains(explicit, "response headers exceeded"):
		explicit = fmt.Sprintf("response headers larger than %d KiB; not read", maxHeaderBytes>>10)
	case errors.As(err, &unknown), errors.As(err, &hostErr), errors.As(err, &certErr):
		hint = " (pass -ca FILE with the server's CA certificate, or -insecure for a test server)"
	case errors.As(err, &netErr) && netErr.Timeout():
		explicit = fmt.Sprintf("no answer within %v (raise -timeout)", timeout)
	}
	return fmt.Errorf("%s: %s%s", u.Redacted(), explicit, hint)
}

// checkReport is what check prints.
type checkReport struct {
	URL   string `json:"url"`
	HTTP  *fetch `json:"http,omitempty"`
	HTTPS *fetch `json:"https,omitempty"`
	// Notes are facts about the fetches that are not findings.
	Notes []string `json:"notes,omitempty"`
	// Grade and Score are the Observatory's, from Tests (grade.go).
	Grade string      `json:"grade"`
	Score int         `json:"score"`
	Tests []scoreTest `json:"tests"`
	// Findings are Lint's on the headers of the HTTPS response, and what
	// the fetches showed; a critical one makes check exit 1.
	Findings []policy.Finding `json:"findings"`
}

// check fetches target and the other scheme's URL, and grades the headers of
// the HTTPS response. Failing to fetch target itself is an error; failing to
// fetch the other URL is a finding (no HTTPS) or a note (no plain HTTP).
func (c *checker) check(ctx context.Context, target *url.URL) (*checkReport, error) {
	rep := &checkReport{URL: target.String(), Findings: []policy.Finding{}}
	add := func(sev policy.Severity, path, msg, fix string) {
		rep.Findings = append(rep.Findings, policy.Finding{Severity: sev, Path: path, Message: msg, Fix: fix})
	}
	first, err := c.get(ctx, target)
	if err != nil {
		if first == nil || first.next == nil {
			return nil, err
		}
		// A redirect answered, then the next hop failed: grade that.
		first.Error = err.Error()
		first.Hops = append(first.Hops, hop{URL: first.next.String()})
	}
	if target.Scheme == "http" {
		rep.HTTP = first
		switch {
		case first.final != nil && first.final.Scheme == "https":
			rep.HTTPS = first
		case first.failedAfterRedirect() && first.next.Scheme == "https":
			rep.HTTPS = &fetch{Hops: []hop{{URL: first.next.String()}}, StaysOnHost: true, Error: first.Error}
		default:
			rep.HTTPS = c.probe(ctx, withScheme(target, "https"))
		}
	} else {
		rep.HTTPS = first
		if p := target.Port(); p != "" && p != "443" {
			rep.Notes = append(rep.Notes, fmt.Sprintf("plain HTTP not probed: the URL names port %s, whose HTTP counterpart is unknown (check the http:// URL to grade the redirect)", p))
		} else {
			rep.HTTP = c.probe(ctx, withScheme(target, "http"))
		}
	}

	// The redirect from plain HTTP.
	s := &site{host: target.Hostname()}
	if h := rep.HTTP; h != nil {
		switch {
		case h.Error != "" && !h.failedAfterRedirect():
			rep.Notes = append(rep.Notes, "no plain-HTTP answer: "+h.Error)
		case h.Error == "":
			// Graded by the redirection test.
			s.httpRoute, s.httpVerified = h.route, h.verified
		}
	}

	var p policy.Policy
	graded := rep.HTTPS
	if rep.HTTPS.Error != "" || rep.HTTPS.final == nil || rep.HTTPS.final.Scheme != "https" {
		why := rep.HTTPS.Error
		if why == "" {
			why = "the HTTPS URL redirects to plain HTTP"
		}
		add(policy.Critical, "https", "no HTTPS response: "+why, "serve the site over HTTPS")
		p, _ = policy.FromHeader(first.header)
		p.HSTS = nil // ignored over plain HTTP
		graded = first
	} else {
		s.https, s.verified, s.pageHTTPS = rep.HTTPS.header, rep.HTTPS.verified, true
		if !s.verified {
			rep.Notes = append(rep.Notes, "the HTTPS certificate does not verify (-insecure): graded as the Observatory grades an invalid certificate")
		}
		var errs []error
		p, errs = policy.FromHeader(rep.HTTPS.header)
		for e := range policy.AllErrors(errors.Join(errs...)) {
			add(policy.Warning, e.Path, errorMessage(e)+"; browsers ignore it", e.Fix)
		}
		p = c.nonces(ctx, rep, p, add)
	}
	// HSTS is the HTTPS host's; browsers ignore it for some hosts.
	hstsHost := target.Hostname()
	if s.https != nil {
		hstsHost = rep.HTTPS.final.Hostname()
	}
	ignored := hstsIgnoredFor(hstsHost)
	for _, f := range policy.Lint(p) {
		if f.Path == "hsts" && p.HSTS == nil && (ignored || s.https == nil) {
			if s.https != nil {
				rep.Notes = append(rep.Notes, "no Strict-Transport-Security, which browsers ignore for "+hstsHost+" anyway (IP addresses and localhost): not graded")
			}
			continue // without HTTPS, the "https" finding says it all
		}
		rep.Findings = append(rep.Findings, f)
	}
	sortFindings(rep.Findings)

	c.score(ctx, rep, s, graded, ignored, hstsHost)
	return rep, nil
}

// probe fetches u; a failure is kept in the fetch, not returned.
func (c *checker) probe(ctx context.Context, u *url.URL) *fetch {
	f, err := c.get(ctx, u)
	if err != nil {
		if f == nil {
			f = &fetch{}
		}
		at := u
		if f.next != nil {
			at = f.next
		}
		f.Hops = append(f.Hops, hop{URL: at.String()})
		f.Error = err.Error()
	}
	return f
}

// withScheme returns u with the other scheme and no port: the default port
// of that scheme.
func withScheme(u *url.URL, scheme string) *url.URL {
	c := *u
	c.Scheme, c.Host = scheme, u.Hostname()
	if strings.Contains(c.Host, ":") {
		c.Host = "[" + c.Host + "]"
	}
	return &c
}

// nonces tells a per-response nonce from a fixed one: when the CSP holds a
// nonce, the HTTPS URL is fetched again. Nonces that changed are graded as
// the per-request slot, with a warning when shorter than 128 bits; nonces
// that repeat stay fixed, which Lint reports.
func (c *checker) nonces(ctx context.Context, rep *checkReport, p policy.Policy, add func(policy.Severity, string, string, string)) policy.Policy {
	before := nonceValues(p.CSP, p.CSPReportOnly)
	if len(before) == 0 {
		return p
	}
	again, err := c.get(ctx, rep.HTTPS.final)
	if err != nil {
		rep.Notes = append(rep.Notes, "nonce reuse not tested, second fetch failed: "+err.Error())
		return p
	}
	q, _ := policy.FromHeader(again.header)
	after := nonceValues(q.CSP, q.CSPReportOnly)
	for n := range before {
		if after[n] {
			rep.Notes = append(rep.Notes, "the CSP nonce was the same on two responses")
			return p
		}
	}
	short := false
	for _, c := range []csp.Policy{p.CSP, p.CSPReportOnly} {
		for d, sources := range c {
			for i, s := range sources {
				if s.Kind == csp.Nonce {
					short = short || len(s.Value) < 22
					sources[i] = csp.RequestNonce
				}
			}
			c[d] = sources
		}
	}
	rep.Notes = append(rep.Notes, "the CSP nonce changed between two responses")
	if short {
		add(policy.Warning, "csp.nonce", "nonce shorter than 128 bits: it can be guessed", "use at least 16 random bytes (22 base64 characters)")
	}
	return p
}

func nonceValues(policies ...csp.Policy) map[string]bool {
	out := map[string]bool{}
	for _, c := range policies {
		for _, sources := range c {
			for _, s := range sources {
				if s.Kind == csp.Nonce {
					out[s.Value] = true
				}
			}
		}
	}
	return out
}

// escape makes every text of the report that can come from the server
// printable (see printable), for the text and the JSON output alike.
func (r *checkReport) escape() {
	r.URL = printable(r.URL)
	for i := range r.Notes {
		r.Notes[i] = printable(r.Notes[i])
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Path, f.Message, f.Fix = printable(f.Path), printable(f.Message), printable(f.Fix)
	}
	for i := range r.Tests {
		t := &r.Tests[i]
		t.Message, t.Fix = printable(t.Message), printable(t.Fix)
	}
	for _, f := range []*fetch{r.HTTP, r.HTTPS} {
		if f == nil {
			continue
		}
		f.Error = printable(f.Error)
		for i := range f.Hops {
			f.Hops[i].URL = printable(f.Hops[i].URL)
		}
	}
}

// printable escapes what a terminal would not show as itself: control
// characters (C0, DEL, C1), format characters such as U+202E (RIGHT-TO-LEFT
// OVERRIDE) and U+200B, other non-printable runes as \uXXXX, and bytes that
// are not UTF-8 as \xXX. A hostile server must not be able to rewrite what
// check prints. Printable text (including "→" and "…") is unchanged.
func printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unicode.IsPrint(r) && r <= 0xFFFF:
			fmt.Fprintf(&b, `\u%04x`, r)
		case !unicode.IsPrint(r):
			fmt.Fprintf(&b, `\U%08x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// print writes the report as text.
func (r *checkReport) print(w io.Writer) {
	for _, f := range []struct {
		name string
		f    *fetch
	}{{"HTTP ", r.HTTP}, {"HTTPS", r.HTTPS}} {
		if f.f == nil || (f.name == "HTTPS" && f.f == r.HTTP) {
			continue
		}
		var b strings.Builder
		for i, h := range f.f.Hops {
			if i > 0 {
				b.WriteString(" → ")
			}
			b.WriteString(h.URL)
			if h.Status != 0 {
				fmt.Fprintf(&b, " %d", h.Status)
			}
		}
		switch {
		case f.f.Error != "":
			b.WriteString(" (failed)")
		case len(f.f.Hops) > 1 && f.f.StaysOnHost:
			b.WriteString(" (stays on the host)")
		case len(f.f.Hops) > 1:
			b.WriteString(" (leaves the host)")
		}
		fmt.Fprintf(w, "%s  %s\n", f.name, b.String())
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note   %s\n", n)
	}
	how := "as the MDN HTTP Observatory scores it"
	if s := stricter(r.Tests); len(s) > 0 {
		how = "as the MDN HTTP Observatory scores it, but stricter on " + strings.Join(s, ", ")
	}
	fmt.Fprintf(w, "grade  %s (score %d, %s)\n", r.Grade, r.Score, how)
	for _, t := range r.Tests {
		line := fmt.Sprintf("%+4d %s: %s", t.Modifier, t.Name, t.Message)
		if t.Modifier == 0 {
			line = "   0 " + t.Name + ": " + t.Message
		}
		if t.Fix != "" {
			line += "; fix: " + t.Fix
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "lint   %s\n", summary(r.Findings))
	for _, f := range r.Findings {
		fmt.Fprintln(w, f.String())
	}
}

// hstsIgnoredFor reports whether browsers ignore HSTS for host (RFC 6797
// §8.1.1 for IP literals; localhost and *.localhost are loopback, which
// browsers treat as secure without it), so a missing header is no weakness.
func hstsIgnoredFor(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	_, err := netip.ParseAddr(h)
	return err == nil
}
