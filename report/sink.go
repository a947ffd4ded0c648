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

// reportCostOverhead bounds the bytes of a LogSink line besides the type's
// value and the other fields: time (RFC 3339 with nanoseconds and offset),
// level, message, the type's key, "truncated", separators and newline, in
// slog's JSON format (its text format is shorter).
const reportCostOverhead = 112

// reportCost is an upper bound of the bytes LogSink writes for r with
// slog's text or JSON handler and no attributes of the logger's own: the
// overhead, and for every non-zero field its key, quotes, separators and
// value as escaped at worst. It is what a report costs the byte budgets of
// Options.SinkBytesPerSecond, whatever the sink.
func reportCost(r *Report) int64 {
	n := int64(reportCostOverhead) + reportEscapedCost(r.Type)
	if r.Age != 0 {
		n += 32 // `,"age":` and up to 19 digits of nanoseconds
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
		{"sample", r.Sample},
		{"userAgent", r.UserAgent},
		{"body", string(r.Raw)},
	} {
		if f.v != "" {
			n += int64(len(f.key)) + 6 + reportEscapedCost(f.v) // ,"key":"v"
		}
	}
	for _, f := range [...]struct {
		key string
		v   int
	}{
		{"lineNumber", r.LineNumber},
		{"columnNumber", r.ColumnNumber},
		{"statusCode", r.StatusCode},
	} {
		if f.v != 0 {
			n += int64(len(f.key)) + 4 + 10 // ,"key": and at most 10 digits
		}
	}
	return n
}

// reportEscapedCost bounds the length of s once quoted by slog: 6 bytes for
// an ASCII control byte or one of <>& (\u0000), 2 for a quote or backslash,
// 3 for each byte of a multi-byte rune (a non-printable one may become
// \u2028 or \U0001xxxx), 1 otherwise.
func reportEscapedCost(s string) int64 {
	n := int64(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&':
			n += 5
		case c == '"' || c == '\\':
			n++
		case c >= 0x80:
			n += 2
		}
	}
	return n
}
