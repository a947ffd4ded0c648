package secureheaders

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/secureheaders/secureheaders/middleware"
	"github.com/secureheaders/secureheaders/policy"
)

// LoadConfig reads a JSON configuration file (see docs/config.md) and builds
// the engine it describes. sink and logger may be nil (reports are then
// logged with slog.Default()).
func LoadConfig(path string, sink middleware.ReportSink, logger *slog.Logger) (*SecureHeaders, error) {
	cfg, err := policy.LoadConfig(path)
	if err != nil {
		return nil, err
	}
	return FromConfig(cfg, sink, logger)
}

// FromConfig builds the engine a decoded configuration describes: its
// policy, pattern routes, and the "https", "reports" and "cookies" objects,
// decoded here strictly (unknown keys are errors naming their path).
func FromConfig(cfg *policy.Config, sink middleware.ReportSink, logger *slog.Logger) (*SecureHeaders, error) {
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
	if err := decodeSection("https", cfg.HTTPS, &opts.HTTPS); err != nil {
		errs = append(errs, err)
	}
	if err := decodeSection("cookies", cfg.Cookies, &opts.Cookies); err != nil {
		errs = append(errs, err)
	}
	if cfg.Reports != nil {
		opts.Reports = &middleware.ReportOptions{}
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
		return &policy.Error{Path: path, Reason: err.Error(), Fix: "see docs/config.md for the keys of \"" + path + "\""}
	}
	return nil
}
