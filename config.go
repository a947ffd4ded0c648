package secureheaders

import (
	"bytes"
	"net/http"

	"encoding/json"
	"errors"
	"log/slog"

	"github.com/secureheaders/secureheaders/internal/cfgerr"

	"github.com/secureheaders/secureheaders/policy"
	"github.com/secureheaders/secureheaders/report"
)

// LoadConfig reads a JSON configuration file (see docs/config.md) and builds
// the engine it describes. sink and logger may be nil (reports are then
// logged with slog.Default()).
func LoadConfig(path string, sink report.Sink, logger *slog.Logger) (*Engine, error) {
	cfg, err := policy.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	return FromConfig(cfg, sink, logger)
}

// FromConfig builds the engine a decoded configuration describes: its
// policy, pattern routes, and the "https", "reports" and "cookies" objects,
// decoded here strictly (unknown keys are errors naming their path).
func FromConfig(cfg *policy.Config, sink report.Sink, logger *slog.Logger) (*Engine, error) {
	opts, err := OptionsFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	opts.ReportSink, opts.Logger = sink, logger
	return New(opts)
}

// OptionsFromConfig turns a decoded configuration into Options, without
// compiling anything.
func OptionsFromConfig(cfg *policy.Config) (*Options, error) {
	p := cfg.Policy.Clone()
	opts := &Options{Policy: &p, Routes: cfg.Routes}
	var errs []error
	var h httpsJSON
	if err := decodeSection("https", cfg.HTTPS, &h); err != nil {
		errs = append(errs, err)
	}
	opts.HTTPS = HTTPSOptions{
		Redirect: h.Redirect, Permanent: h.Permanent, Host: h.Host, Port: h.Port,
		Skips: h.Skips, Development: h.Development, ProxyHeader: h.ProxyHeader,
		AllowedHosts: h.AllowedHosts, TrustForwardedHost: h.TrustForwardedHost,
	}
	opts.TrustedProxies = h.TrustedProxies
	if len(h.Exempt) > 0 { // removed in v0.2; the decoder rewrite drops the key
		errs = append(errs, cfgerr.New("https.exempt", "", "was removed in v0.2",
			`write ServeMux patterns in https.insecureBypassPatterns instead: "^api/" becomes "/api/"`))
	}
	switch h.NonIdempotent {
	case "", "redirect":
	case "pass":
		opts.HTTPS.NonIdempotent = PassNonIdempotent
	case "refuse":
		opts.HTTPS.NonIdempotent = RefuseNonIdempotent
	default:
		errs = append(errs, cfgerr.New("https.nonIdempotent", h.NonIdempotent, "unknown mode", `use "redirect" (307/308), "pass" or "refuse" (403)`))
	}
	var c cookiesJSON
	if err := decodeSection("cookies", cfg.Cookies, &c); err != nil {
		errs = append(errs, err)
	}
	opts.Cookies = CookieOptions{Secure: c.Secure, HTTPOnly: c.HTTPOnly, Only: c.Only, Except: c.Except}
	switch c.SameSite {
	case "":
	case "Lax":
		opts.Cookies.SameSite = http.SameSiteLaxMode
	case "Strict":
		opts.Cookies.SameSite = http.SameSiteStrictMode
	case "None":
		opts.Cookies.SameSite = http.SameSiteNoneMode
	default:
		errs = append(errs, cfgerr.New("cookies.sameSite", c.SameSite, "unknown value", `use "Lax", "Strict" or "None"`))
	}
	if cfg.Reports != nil {
		opts.Reports = &report.Options{}
		if err := decodeSection("reports", cfg.Reports, opts.Reports); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return opts, nil
}

func decodeSection(path string, raw json.RawMessage, v any) error {
	if raw == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cfgerr.Prefix(path, err)
	}
	return nil
}

// httpsJSON is the "https" object on the wire.
type httpsJSON struct {
	Redirect           bool     `json:"redirect"`
	Permanent          bool     `json:"permanent"`
	Host               string   `json:"host"`
	Port               int      `json:"port"`
	Skips              []string `json:"skips"`
	Exempt             []string `json:"exempt"`
	Development        bool     `json:"development"`
	ProxyHeader        string   `json:"proxyHeader"`
	TrustedProxies     []string `json:"trustedProxies"`
	AllowedHosts       []string `json:"allowedHosts"`
	NonIdempotent      string   `json:"nonIdempotent"`
	TrustForwardedHost bool     `json:"trustForwardedHost"`
}

// cookiesJSON is the "cookies" object on the wire.
type cookiesJSON struct {
	Secure   bool     `json:"secure"`
	HTTPOnly bool     `json:"httpOnly"`
	SameSite string   `json:"sameSite"`
	Only     []string `json:"only"`
	Except   []string `json:"except"`
}
