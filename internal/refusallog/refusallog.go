// Package refusallog logs the requests the engine refuses (a bad Host, a
// method refused over plain HTTP…) through the engine's slog logger, at a
// bounded rate, so that a flood of hostile requests cannot flood the log.
package refusallog

import (
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// The limits: Burst records at once, then one every Every. With these a
// flood of refusals costs at most Burst records, then 60 a minute, plus
// one summary record before each allowed record that follows suppressed
// ones.
const (
	Burst = 10
	Every = time.Second
)

// Maximum lengths of the request fields copied into a record.
const (
	maxHost   = 100
	maxPath   = 200
	maxMethod = 20
)

// Log logs refusals. Build one with New. A Log is safe for concurrent use;
// a nil *Log logs nothing.
type Log struct {
	logger *slog.Logger // nil: slog.Default() at each record
	b      *bucket      // shared with the Logs made by WithLogger
}

// bucket is the rate limit of a Log and of the Logs made from it.
type bucket struct {
	now func() time.Time

	mu         sync.Mutex
	tokens     float64
	last       time.Time
	suppressed int
}

// New returns a Log writing to logger (nil: slog.Default(), looked up at
// each record) with a full bucket.
func New(logger *slog.Logger) *Log {
	return newLog(logger, time.Now)
}

func newLog(logger *slog.Logger, now func() time.Time) *Log {
	return &Log{logger: logger, b: &bucket{now: now, tokens: Burst, last: now()}}
}

// WithLogger returns a Log writing to logger that shares l's rate limit:
// its tokens and its count of suppressed refusals. The engine's Reconfigure
// uses it, so that reloading the configuration never refills the bucket
// (a reload a second would otherwise let a flood write Burst records a
// second). A nil l gives New(logger).
func (l *Log) WithLogger(logger *slog.Logger) *Log {
	if l == nil {
		return New(logger)
	}
	return &Log{logger: logger, b: l.b}
}

// Refused logs that r was answered status for reason, with what an
// operator can change (fix), unless the logger does not log level or the
// rate limit is reached; then the refusal is counted, and the count is
// logged ("N refusals suppressed") before the next record that is let
// through.
func (l *Log) Refused(r *http.Request, status int, level slog.Level, reason, fix string) {
	if l == nil {
		return
	}
	logger := l.logger
	if logger == nil {
		logger = slog.Default()
	}
	ctx := r.Context()
	if !logger.Enabled(ctx, level) {
		return
	}
	suppressed, ok := l.b.take()
	if !ok {
		return
	}
	if suppressed > 0 {
		logger.LogAttrs(ctx, level, "secureheaders: "+strconv.Itoa(suppressed)+" refusals suppressed by the log rate limit",
			slog.Int("suppressed", suppressed))
	}
	attrs := [...]slog.Attr{
		slog.Int("status", status),
		slog.String("reason", reason),
		slog.String("fix", fix),
		slog.String("host", clip(r.Host, maxHost)),
		slog.String("method", clip(r.Method, maxMethod)),
		slog.String("path", clip(path(r), maxPath)),
		slog.String("remote", clip(r.RemoteAddr, maxHost)),
		{},
	}
	n := len(attrs) - 1
	// Behind a proxy trusted for it, the Host the check read (and may have
	// refused) is X-Forwarded-Host's, not r.Host, which is the proxy's: the
	// record carries it too, its first line clipped like the Host.
	if vs := r.Header["X-Forwarded-Host"]; len(vs) > 0 {
		attrs[n] = slog.String("forwardedHost", clip(vs[0], maxHost))
		n++
	}
	logger.LogAttrs(ctx, level, "secureheaders: request refused", attrs[:n]...)
}

// take takes a token. It returns false when there is none (the refusal is
// counted), or true and the number of refusals suppressed since the last
// record let through.
func (l *bucket) take() (suppressed int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if d := now.Sub(l.last); d > 0 {
		l.tokens = min(Burst, l.tokens+float64(d)/float64(Every))
	}
	l.last = now
	if l.tokens < 1 {
		l.suppressed++
		return 0, false
	}
	l.tokens--
	suppressed, l.suppressed = l.suppressed, 0
	return suppressed, true
}

func path(r *http.Request) string {
	if r.URL == nil {
		return r.RequestURI
	}
	return r.URL.Path
}

// clip returns s cut to at most n bytes, Go-quoted (ASCII only) when it has
// a byte outside printable ASCII, so a record never carries raw control
// bytes whatever the handler does with them.
func clip(s string, n int) string {
	cut := false
	if len(s) > n {
		s, cut = s[:n], true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= 0x7F {
			s = strconv.QuoteToASCII(s)
			break
		}
	}
	if cut {
		s += "…"
	}
	return s
}
