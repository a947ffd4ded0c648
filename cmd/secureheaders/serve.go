package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"syscall"
	"time"

	"github.com/secureheaders/secureheaders"
	"github.com/secureheaders/secureheaders/csp"
	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	configPath := fs.String("config", "", "JSON configuration file (default: a demo policy with a nonce and report endpoints)")
	httpAddr := fs.String("http", "127.0.0.1:8080", "plain-HTTP listen address (redirects to HTTPS)")
	httpsAddr := fs.String("https", "127.0.0.1:8443", "HTTPS listen address")
	certFile := fs.String("cert", "", "TLS certificate file (default: a self-signed certificate made in memory)")
	keyFile := fs.String("key", "", "TLS key file, with -cert")
	var hosts hostList
	fs.Var(&hosts, "host", "a host name the demo answers for besides the loopback names (repeatable), when the demo runs behind a real name")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	token, err := dashboardToken(os.Getenv(dashboardTokenEnv))
	if err != nil {
		printErrors(stderr, "secureheaders serve", err)
		return 1
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, serveConfig{
		configPath: *configPath, httpAddr: *httpAddr, httpsAddr: *httpsAddr,
		certFile: *certFile, keyFile: *keyFile, stdout: stdout, logger: logger, hosts: hosts,
		dashboardToken: token,
	}); err != nil {
		printErrors(stderr, "secureheaders serve", err)
		return 1
	}
	return 0
}

type serveConfig struct {
	configPath, httpAddr, httpsAddr, certFile, keyFile string
	stdout                                             io.Writer
	logger                                             *slog.Logger
	// hosts are added to the allowed hosts of a configuration that has
	// some (the demo's loopback names, or a file's).
	hosts []string
	// dashboardToken, when not empty, lets peers that are not on loopback
	// see the dashboard with Authorization: Bearer dashboardToken.
	dashboardToken string
	// ready, if set, receives the bound addresses once both listen.
	ready func(httpAddr, httpsAddr net.Addr)
}

// serve runs the demo until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, c serveConfig) error {
	opts, err := demoOptions(c.configPath)
	if err != nil {
		return err
	}
	cert, err := loadOrMakeCert(c.certFile, c.keyFile)
	if err != nil {
		return err
	}
	httpLn, err := net.Listen("tcp", c.httpAddr)
	if err != nil {
		return err
	}
	httpsLn, err := net.Listen("tcp", c.httpsAddr)
	if err != nil {
		httpLn.Close()
		return err
	}
	httpsPort := httpsLn.Addr().(*net.TCPAddr).Port
	// Every report is aggregated for the dashboard and logged.
	agg, err := report.NewAggregator(report.AggregatorOptions{})
	if err != nil {
		httpLn.Close()
		httpsLn.Close()
		return err
	}
	logSink := report.LogSink(c.logger)
	finish := func(o *secureheaders.Options) {
		if o.ReportSink == nil {
			o.ReportSink = func(ctx context.Context, r report.Report) {
				agg.Add(ctx, r)
				logSink(ctx, r)
			}
		}
		if o.HTTPS.Port == 0 {
			// Redirect to the port HTTPS really listens on.
			o.HTTPS.Port = httpsPort
		}
		o.Logger = c.logger
		if len(o.HTTPS.AllowedHosts) > 0 {
			o.HTTPS.AllowedHosts = append(o.HTTPS.AllowedHosts, c.hosts...)
		}
	}
	finish(opts)
	sh, err := secureheaders.New(opts)
	if err != nil {
		httpLn.Close()
		httpsLn.Close()
		return err
	}
	defer sh.Close()

	mux := demoMux(sh)
	// The dashboard shows users' URLs: loopback peers only, or peers with
	// the bearer token. It suggests changes to the policy sh serves (after
	// a reload too).
	// The dashboard sends its own strict CSP; the app's policies are
	// removed on it, or a report-only one would report the dashboard's
	// nonce'd style into the aggregator it shows.
	dashboard := sh.MustWrap(report.NewDashboard(agg, &report.DashboardOptions{Policy: sh}), policy.Override{
		Remove: []string{"Content-Security-Policy", "Content-Security-Policy-Report-Only"},
	})
	mux.Handle("GET /reports", dashboardGuard(c.dashboardToken, dashboard))
	handler := sh.Handler(mux)
	httpSrv, httpsSrv := newServer(handler, c.logger), newServer(handler, c.logger)
	httpsSrv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}

	fmt.Fprintf(c.stdout, "secureheaders demo\n  HTTP  (redirects): http://%s/\n  HTTPS:             https://%s/\n  headers sent:      https://%s/headers\n  reports:           POST https://%s%s\n  reports dashboard: https://%s/reports (%s)\nPress Ctrl-C to stop.\n",
		httpLn.Addr(), httpsLn.Addr(), httpsLn.Addr(), httpsLn.Addr(), reportPath(opts), httpsLn.Addr(), dashboardAccess(c.dashboardToken))
	var hup chan os.Signal
	if c.configPath != "" {
		hup = make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
	}
	rl := &reloader{sh: sh, path: c.configPath, finish: finish, logger: c.logger}
	if c.ready != nil {
		c.ready(httpLn.Addr(), httpsLn.Addr())
	}
	errc := make(chan error, 2)
	go func() { errc <- httpSrv.Serve(httpLn) }()
	go func() { errc <- httpsSrv.ServeTLS(httpsLn, "", "") }()

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case runErr = <-errc:
			break loop
		case <-hup:
			rl.reload()
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = errors.Join(httpSrv.Shutdown(shutdownCtx), httpsSrv.Shutdown(shutdownCtx))
	if errors.Is(runErr, http.ErrServerClosed) {
		runErr = nil
	}
	fmt.Fprintln(c.stdout, "stopped")
	return errors.Join(runErr, err)
}

// newServer returns an http.Server with timeouts that keep slow or idle
// clients from holding connections and memory.
func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

func reportPath(opts *secureheaders.Options) string {
	if opts.Reports != nil && opts.Reports.Path != "" {
		return opts.Reports.Path
	}
	return secureheaders.DefaultReportPath
}

// demoOptions reads the config, or builds the demo policy: the recommended
// preset with a per-request nonce for scripts and both report mechanisms.
// A config always gets the report receiver, and the redirect with the
// loopback allowed hosts when it sets no https option at all.
func demoOptions(path string) (*secureheaders.Options, error) {
	if path != "" {
		opts, err := loadOptions(path)
		if err != nil {
			return nil, err
		}
		if opts.Reports == nil {
			opts.Reports = &report.Options{}
		}
		if reflect.DeepEqual(opts.HTTPS, secureheaders.HTTPSOptions{}) {
			opts.HTTPS.Redirect = true
			opts.HTTPS.AllowedHosts = demoHosts()
		}
		return opts, nil
	}
	p := policy.Update(policy.Recommended(), policy.Policy{
		CSP:                csp.MustParse("script-src 'self' 'nonce-{nonce}'; report-uri /csp-report; report-to csp-endpoint"),
		ReportingEndpoints: policy.ReportingEndpoints{"csp-endpoint": "/csp-report"},
	})
	return &secureheaders.Options{
		Policy:  &p,
		HTTPS:   secureheaders.HTTPSOptions{Redirect: true, InsecureBypassPatterns: []string{"GET /healthz"}, AllowedHosts: demoHosts()},
		Reports: &report.Options{Path: "/csp-report"},
		Cookies: secureheaders.CookieOptions{Secure: true, HTTPOnly: true, SameSite: http.SameSiteLaxMode},
	}, nil
}

// demoHosts are the hosts the demo answers for when its configuration
// names none: the loopback names it binds by default (and its certificate
// covers). Any other Host gets 400 instead of a redirect to itself.
func demoHosts() []string { return []string{"localhost", "127.0.0.1", "::1"} }

// loadOrMakeCert loads -cert/-key, or makes a self-signed ECDSA certificate
// for localhost, 127.0.0.1 and ::1, valid for a day.
func loadOrMakeCert(certFile, keyFile string) (tls.Certificate, error) {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return tls.Certificate{}, errors.New("-cert and -key go together")
		}
		return tls.LoadX509KeyPair(certFile, keyFile)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "secureheaders demo"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// hostList is the repeatable -host flag.
type hostList []string

func (h *hostList) String() string { return strings.Join(*h, ",") }

func (h *hostList) Set(s string) error {
	*h = append(*h, s)
	return nil
}

// dashboardAccess says who may see the dashboard, without the token.
func dashboardAccess(token string) string {
	if token == "" {
		return "loopback only; set " + dashboardTokenEnv + " to allow others with a bearer token"
	}
	return "loopback, or Authorization: Bearer $" + dashboardTokenEnv
}
