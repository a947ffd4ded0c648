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
	for _, f := range r.fields() {
		switch {
		case f.isInt && f.n != 0:
			a = append(a, slog.Int(f.key, f.n))
		case !f.isInt && f.s != "":
			a = append(a, slog.String(f.key, f.s))
		}
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
	for _, f := range r.fields() {
		switch {
		case f.isInt && f.n != 0:
			n += int64(len(f.key)) + 4 + 10 // ,"key": and at most 10 digits
		case !f.isInt && f.s != "":
			n += int64(len(f.key)) + 6 + reportEscapedCost(f.s) // ,"key":"v"
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

// reportField is one field of a Report as LogSink writes it.
type reportField struct {
	key   string
	s     string
	n     int
	isInt bool
}

// fields lists r's fields after type and age, in the order LogSink writes
// them; reportCost charges the same list.
func (r *Report) fields() [14]reportField {
	return [...]reportField{
		{key: "url", s: r.URL},
		{key: "referrer", s: r.Referrer},
		{key: "blockedURL", s: r.BlockedURL},
		{key: "effectiveDirective", s: r.EffectiveDirective},
		{key: "violatedDirective", s: r.ViolatedDirective},
		{key: "originalPolicy", s: r.OriginalPolicy},
		{key: "disposition", s: r.Disposition},
		{key: "sourceFile", s: r.SourceFile},
		{key: "lineNumber", n: r.LineNumber, isInt: true},
		{key: "columnNumber", n: r.ColumnNumber, isInt: true},
		{key: "sample", s: r.Sample},
		{key: "statusCode", n: r.StatusCode, isInt: true},
		{key: "userAgent", s: r.UserAgent},
		{key: "body", s: string(r.Raw)},
	}
}
