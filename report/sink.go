package report

import (
	"context"
	"log/slog"
)

// LogSink returns a [Sink] that logs each report at
// slog.LevelWarn on logger, message "csp violation" for CSP reports and
// "browser report" for the other types, with one attribute per non-zero
// field, keyed like the JSON encoding of [Report] ("type", "url",
// "blockedURL", …; Raw as the string "body"). A nil logger means
// slog.Default() at the time of each report.
//
// It is the sink NewHandler uses when given none.
func LogSink(logger *slog.Logger) Sink {
	return func(ctx context.Context, r Report) {
		l := logger
		if l == nil {
			l = slog.Default()
		}
		if !l.Enabled(ctx, slog.LevelWarn) {
			return
		}
		msg := "browser report"
		if r.Type == TypeCSP {
			msg = "csp violation"
		}
		l.LogAttrs(ctx, slog.LevelWarn, msg, reportAttrs(&r)...)
	}
}

// reportAttrs returns the non-zero fields of r as log attributes.
func reportAttrs(r *Report) []slog.Attr {
	a := make([]slog.Attr, 0, 18)
	a = append(a, slog.String("type", r.Type))
	if r.Age != 0 {
		a = append(a, slog.Duration("age", r.Age))
	}
	for _, f := range [...]struct{ key, v string }{
		{"url", r.URL},
		{"referrer", r.Referrer},
		{"blockedURL", r.BlockedURL},
		{"effectiveDirective", r.EffectiveDirective},
		{"violatedDirective", r.ViolatedDirective},
		{"originalPolicy", r.OriginalPolicy},
		{"disposition", r.Disposition},
		{"sourceFile", r.SourceFile},
	} {
		if f.v != "" {
			a = append(a, slog.String(f.key, f.v))
		}
	}
	for _, f := range [...]struct {
		key string
		v   int
	}{
		{"lineNumber", r.LineNumber},
		{"columnNumber", r.ColumnNumber},
	} {
		if f.v != 0 {
			a = append(a, slog.Int(f.key, f.v))
		}
	}
	if r.Sample != "" {
		a = append(a, slog.String("sample", r.Sample))
	}
	if r.StatusCode != 0 {
		a = append(a, slog.Int("statusCode", r.StatusCode))
	}
	if r.UserAgent != "" {
		a = append(a, slog.String("userAgent", r.UserAgent))
	}
	if len(r.Raw) != 0 {
		a = append(a, slog.String("body", string(r.Raw)))
	}
	if r.Truncated {
		a = append(a, slog.Bool("truncated", true))
	}
	return a
}
