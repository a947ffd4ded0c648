package report

import (
	"errors"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/secureheaders/secureheaders/internal/cfgerr"
	"github.com/secureheaders/secureheaders/internal/proxy"
)

// Defaults and bounds of Options.
const (
	reportDefaultPath        = "/csp-report"
	reportDefaultMaxBytes    = 64 << 10
	reportDefaultRate        = 5
	reportDefaultBurst       = 50
	reportDefaultQueueSize   = 1024
	reportDefaultDedupWindow = time.Minute
	reportDefaultSinkBytes   = 64 << 10
	reportSinkBytesPerToken  = 1 << 10 // default SinkBytesPerSecond per token of Burst

	reportMaxMaxBytes  = 16 << 20
	reportMaxQueueSize = 1 << 16
	reportMaxBurst     = 1 << 20
	reportMaxSinkBytes = 1 << 30
)

// Options configures a [Handler]. It is plain data; every zero field means
// its default, so the zero Options is a working receiver that allows no
// cross-origin preflight.
//
// It is also the "reports" object of the JSON configuration, which the
// engine's decoder (secureheaders.ParseConfig) reads: the keys are the field
// names in lower camel case ("maxBytes", "dedupWindow" as a duration string
// such as "1m"), and the engine's top-level trustedProxies replaces
// TrustedProxies.
type Options struct {
	// Path is where the application mounts the handler; it must start with
	// "/" and hold no query. Default "/csp-report". The handler itself does
	// not look at the request path.
	Path string
	// MaxBytes caps the request body; a longer body is answered 413.
	// Default 64 KiB, at most 16 MiB.
	MaxBytes int64
	// AllowedOrigins are the origins ("https://app.example", scheme://host
	// with an optional non-default port, lower case, no path) that may
	// preflight and POST cross-origin, or "*" for any. Empty: every
	// preflight is refused with 403 and no response carries CORS headers.
	AllowedOrigins []string
	// RatePerSecond and Burst size the token bucket of each client (its IP
	// address from proxy.Trust.ClientAddr; an IPv6 client is keyed by its
	// /64). Each request takes one token; a request that finds none is
	// answered 429. A request of n reports takes n tokens: the one it took
	// when it arrived and n-1 more once decoded; its reports beyond the
	// tokens left are dropped and counted (Stats.OverRate), and it is
	// answered 204. Defaults 5 per second and a burst of 50 (never below
	// RatePerSecond).
	RatePerSecond float64
	Burst         int
	// QueueSize is how many reports may wait for the sink; past it, reports
	// are dropped and counted. Default 1024, at most 65536.
	QueueSize int
	// DedupWindow is how long an identical report (every field equal but Age
	// and UserAgent) is dropped as a duplicate after the first one.
	// Default one minute.
	DedupWindow time.Duration
	// SinkBytesPerSecond is the byte budget of each client (keyed as for
	// RatePerSecond) for what its reports may cost downstream: a report
	// costs an upper bound of the bytes of its LogSink line (every string
	// counted as slog may escape it, plus 112 bytes per report), whatever the
	// sink. A client's bucket holds one second's worth, so in any t seconds
	// a client's delivered reports cost at most SinkBytesPerSecond×(1+t)
	// bytes. Besides, the reports of one request may cost at most twice the
	// bytes of that request (body, request line and headers), so a request
	// never writes more than twice its size of log. A report over either
	// budget is dropped and counted (Stats.OverBudget). Default: 1 KiB per
	// token of Burst, at least 65536 — 64 KiB per client per second with
	// the default Burst of 50, so that raising the rate limit raises the
	// budget with it. At most 2^30.
	SinkBytesPerSecond int64
	// TrustedProxies are the CIDRs or addresses of reverse proxies whose
	// X-Forwarded-For is believed when keying the rate limit, for a handler
	// used alone. Leave it empty under the engine: it uses the engine's
	// Options.TrustedProxies. Empty: the direct peer is the client.
	TrustedProxies []string
}

// Validate reports every invalid field of o, each a *policy.Error whose
// Path is the field's JSON key ("maxBytes", "allowedOrigins[1]"), joined
// with errors.Join; nil when o is valid. Zero fields are valid (they mean
// the defaults).
func (o Options) Validate() error {
	var errs []error
	add := func(path, value, reason, fix string) {
		errs = append(errs, cfgerr.New(path, value, reason, fix))
	}
	if o.Path != "" {
		switch {
		case o.Path[0] != '/':
			add("path", o.Path, "no leading slash in", "did you mean "+strconv.Quote("/"+o.Path)+"?")
		case strings.ContainsAny(o.Path, "?#"):
			add("path", o.Path, "query or fragment in", "give the path alone")
		case !reportVisibleASCII(o.Path):
			add("path", o.Path, "spaces, control or non-ASCII bytes in", "percent-encode them")
		}
	}
	switch {
	case o.MaxBytes < 0:
		add("maxBytes", "", "is negative", "use 0 for the default of 65536")
	case o.MaxBytes > reportMaxMaxBytes:
		add("maxBytes", strconv.FormatInt(o.MaxBytes, 10), "the limit is "+strconv.Itoa(reportMaxMaxBytes)+", got", "browsers send a few KiB; 65536 is plenty")
	}
	switch {
	case math.IsNaN(o.RatePerSecond) || math.IsInf(o.RatePerSecond, 0):
		add("ratePerSecond", "", "is not a finite number", "use 0 for the default of 5")
	case o.RatePerSecond < 0:
		add("ratePerSecond", "", "is negative", "use 0 for the default of 5")
	}
	switch {
	case o.Burst < 0:
		add("burst", "", "is negative", "use 0 for the default of 50")
	case o.Burst > reportMaxBurst:
		add("burst", strconv.Itoa(o.Burst), "the limit is "+strconv.Itoa(reportMaxBurst)+", got", "")
	}
	switch {
	case o.QueueSize < 0:
		add("queueSize", "", "is negative", "use 0 for the default of 1024")
	case o.QueueSize > reportMaxQueueSize:
		add("queueSize", strconv.Itoa(o.QueueSize), "the limit is "+strconv.Itoa(reportMaxQueueSize)+", got", "a longer queue only hides a slow sink")
	}
	switch {
	case o.SinkBytesPerSecond < 0:
		add("sinkBytesPerSecond", "", "is negative", "use 0 for the default of 65536")
	case o.SinkBytesPerSecond > reportMaxSinkBytes:
		add("sinkBytesPerSecond", strconv.FormatInt(o.SinkBytesPerSecond, 10), "the limit is "+strconv.Itoa(reportMaxSinkBytes)+", got", "")
	}
	if o.DedupWindow < 0 {
		add("dedupWindow", "", "is negative", `use 0 for the default of "1m"`)
	}
	for i, origin := range o.AllowedOrigins {
		if reason, fix := checkReportOrigin(origin); reason != "" {
			add("allowedOrigins["+strconv.Itoa(i)+"]", origin, reason, fix)
		}
	}
	if _, err := proxy.Parse("trustedProxies", o.TrustedProxies); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// checkReportOrigin returns why s is not an allowed-origin entry, and a fix,
// or "" when it is one. An origin is serialised as browsers send it in the
// Origin header: scheme "://" host [":" port], lower case, no default port,
// no path, query, fragment or user information.
func checkReportOrigin(s string) (reason, fix string) {
	switch s {
	case "*":
		return "", ""
	case "":
		return "empty origin", `write an origin like "https://app.example", or "*"`
	case "null":
		return "the origin anyone can send (sandboxed and file: documents)", `allow "*" if you mean anyone`
	}
	if !reportVisibleASCII(s) {
		return "spaces, control or non-ASCII bytes in", "write the host in its ASCII (punycode) form"
	}
	if strings.Contains(s, "*") {
		return `wildcard (only exact origins or "*" alone are supported) in`, "list each origin"
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Hostname() == "" || u.Opaque != "" {
		return "not an origin", `write scheme://host[:port], like "https://app.example"`
	}
	origin := u.Scheme + "://" + u.Host
	if u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "path, query, fragment or user in origin", "did you mean " + strconv.Quote(strings.ToLower(reportDropDefaultPort(u.Scheme, origin))) + "?"
	}
	lower := strings.ToLower(s)
	if lower != s {
		return "upper case (browsers send origins in lower case) in", "did you mean " + strconv.Quote(reportDropDefaultPort(u.Scheme, lower)) + "?"
	}
	if d := reportDropDefaultPort(u.Scheme, s); d != s {
		return "the scheme's default port (which browsers leave out) in", "did you mean " + strconv.Quote(d) + "?"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "invalid port in", "use a port from 1 to 65535"
		}
	}
	return "", ""
}

// reportDropDefaultPort removes ":80" from http and ":443" from https
// origins.
func reportDropDefaultPort(scheme, origin string) string {
	switch strings.ToLower(scheme) {
	case "http":
		return strings.TrimSuffix(origin, ":80")
	case "https":
		return strings.TrimSuffix(origin, ":443")
	}
	return origin
}

// reportVisibleASCII reports whether s holds only bytes 0x21-0x7E.
func reportVisibleASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Path == "" {
		o.Path = reportDefaultPath
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = reportDefaultMaxBytes
	}
	if o.RatePerSecond == 0 {
		o.RatePerSecond = reportDefaultRate
	}
	if o.Burst == 0 {
		o.Burst = max(reportDefaultBurst, int(math.Min(math.Ceil(o.RatePerSecond), reportMaxBurst)))
	}
	if o.QueueSize == 0 {
		o.QueueSize = reportDefaultQueueSize
	}
	if o.DedupWindow == 0 {
		o.DedupWindow = reportDefaultDedupWindow
	}
	if o.SinkBytesPerSecond == 0 {
		o.SinkBytesPerSecond = min(max(reportDefaultSinkBytes, reportSinkBytesPerToken*int64(o.Burst)), reportMaxSinkBytes)
	}
	return o
}
