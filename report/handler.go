package report

import (
	"bytes"
	"errors"
	"expvar"
	"hash/maphash"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/secureheaders/secureheaders/internal/proxy"
)

// Header values of the report receiver's responses. They are copied into a
// fresh []string per response, never shared across requests.
const (
	reportAllow      = "POST, OPTIONS"
	reportAcceptPost = "application/reports+json, application/csp-report, application/json"
	reportMaxAge     = "86400" // preflight cache lifetime, seconds
)

// reportMaxOriginSize is the longest Origin echoed when any origin is
// allowed.
const reportMaxOriginSize = 2048

// Handler receives CSP violation reports and other Reporting API
// reports from browsers and hands them, normalised into [Report] values, to
// a [Sink]. It is meant to face the internet:
//
//   - Methods: POST is processed; OPTIONS answers CORS preflights (and plain
//     OPTIONS with 204 and Allow); anything else gets 405 with
//     "Allow: POST, OPTIONS".
//   - CORS: a preflight from an origin in AllowedOrigins (or any, with "*")
//     gets 204 with Access-Control-Allow-Origin (the origin, echoed),
//     -Methods POST, -Headers Content-Type and -Max-Age 86400 (Chromium
//     caps it at two hours); other origins, or a requested method other
//     than POST, get 403 without CORS headers. A POST from an allowed origin
//     gets Access-Control-Allow-Origin too. When AllowedOrigins is set,
//     responses carry "Vary: Origin". The Origin header is not access
//     control: a POST is processed whatever its origin.
//   - Limits, in order: the per-client token bucket (429, Retry-After: 1),
//     the media type (415, with Accept-Post listing the accepted types),
//     the body size (413, via http.MaxBytesReader), the format (400; see
//     [Decode]). A request that passes them is answered 204, even if
//     its reports are then dropped. Preflights are not rate-limited: they
//     carry no body and cost next to nothing.
//   - A body of n reports costs n tokens of the bucket; reports beyond the
//     tokens left are dropped and counted (Stats.OverRate).
//   - Each report of a valid body is de-duplicated (see
//     Options.DedupWindow), charged an upper bound of its log line against
//     twice its request's bytes and the client's byte budget (see
//     Options.SinkBytesPerSecond; over either it is dropped and counted in
//     Stats.OverBudget), then queued for the sink without ever blocking;
//     when the queue is full it is dropped and counted.
//   - A report without a user agent (legacy format) gets the request's
//     User-Agent header, clipped once per request and shared.
//
// Memory stays bounded whatever the traffic: the rate-limit table, the
// de-duplication set and the queue have fixed capacities, every string
// of a report is capped (see [Report]), and a body is buffered as it
// arrives, never to the Content-Length announced.
//
// The zero Handler behaves as NewHandler(Options{}, nil,
// nil): default limits, no CORS, reports logged with slog.Default(); its
// worker starts on first use. A Handler is safe for concurrent use
// and must not be copied after first use.
type Handler struct {
	once sync.Once

	opts      Options // with defaults
	origins   map[string]struct{}
	anyOrigin bool
	cors      bool
	trust     proxy.Trust
	limiter   *reportLimiter // requests and reports per client
	budget    *reportLimiter // bytes of reports per client (SinkBytesPerSecond)
	dedup     *reportDedup
	seed      maphash.Seed
	queue     *reportQueue
	logger    *slog.Logger // nil: slog.Default() at each use
	stats     reportCounters
	bufs      sync.Pool // *bytes.Buffer
	epoch     time.Time
	now       func() int64 // monotonic nanoseconds; replaced in tests
}

// NewHandler validates opts (see [Options.Validate]; every
// problem is reported, joined, and no handler is returned), then builds a
// handler and starts its worker goroutine. A nil sink means
// LogSink(logger); a nil logger means slog.Default(), looked up at
// each use. Call Close to stop the worker.
func NewHandler(opts Options, sink Sink, logger *slog.Logger) (*Handler, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	trust, _ := proxy.Parse("trustedProxies", opts.TrustedProxies) // valid after Validate
	h := &Handler{}
	h.setup(opts, trust, sink, logger)
	h.once.Do(func() {})
	return h, nil
}

// setup builds the state of h from valid options.
func (h *Handler) setup(opts Options, trust proxy.Trust, sink Sink, logger *slog.Logger) {
	opts = opts.withDefaults()
	h.opts = opts
	h.trust = trust
	h.logger = logger
	for _, o := range opts.AllowedOrigins {
		if o == "*" {
			h.anyOrigin = true
			continue
		}
		if h.origins == nil {
			h.origins = make(map[string]struct{}, len(opts.AllowedOrigins))
		}
		h.origins[o] = struct{}{}
	}
	h.cors = h.anyOrigin || len(h.origins) > 0
	h.limiter = newReportLimiter(opts.RatePerSecond, opts.Burst)
	h.budget = newReportLimiter(float64(opts.SinkBytesPerSecond), int(opts.SinkBytesPerSecond))
	h.dedup = newReportDedup(int64(opts.DedupWindow))
	h.seed = maphash.MakeSeed()
	h.epoch = time.Now()
	h.now = func() int64 { return int64(time.Since(h.epoch)) }
	if sink == nil {
		sink = LogSink(logger)
	}
	h.queue = newReportQueue(opts.QueueSize, sink, h.log, func() { h.stats.delivered.Add(1) })
}

// initDefault readies a zero Handler with the default options.
func (h *Handler) initDefault() {
	h.setup(Options{}, proxy.Trust{}, nil, nil)
}

func (h *Handler) log() *slog.Logger {
	if h.logger != nil {
		return h.logger
	}
	return slog.Default()
}

// Path returns the path the handler is meant to be mounted at:
// Options.Path, or "/csp-report" by default.
func (h *Handler) Path() string {
	h.once.Do(h.initDefault)
	return h.opts.Path
}

// Stats returns a snapshot of the counters. It is safe to call at any time,
// also after Close.
func (h *Handler) Stats() Stats {
	h.once.Do(h.initDefault)
	return Stats{
		Accepted:        h.stats.accepted.Load(),
		Delivered:       h.stats.delivered.Load(),
		Duplicates:      h.stats.duplicates.Load(),
		Dropped:         h.stats.dropped.Load(),
		Malformed:       h.stats.malformed.Load(),
		TooLarge:        h.stats.tooLarge.Load(),
		UnsupportedType: h.stats.unsupported.Load(),
		RateLimited:     h.stats.limited.Load(),
		OverRate:        h.stats.overRate.Load(),
		OverBudget:      h.stats.overBudget.Load(),
		Queued:          uint64(h.queue.len()),
	}
}

// Var returns an expvar.Var whose String is the JSON of a fresh Stats
// snapshot, for expvar.Publish. Nothing is published by the package itself.
func (h *Handler) Var() expvar.Var {
	return expvar.Func(func() any { return h.Stats() })
}

// Close stops intake (later reports are counted as dropped), cancels the
// sink's context, lets the worker hand the reports already queued to the
// sink, and waits for it to return. A sink that ignores its context can
// make Close wait. Close is idempotent and safe to call concurrently with
// ServeHTTP, which keeps answering.
func (h *Handler) Close() {
	h.once.Do(h.initDefault)
	h.queue.close()
}

// ServeHTTP answers one report request as described on [Handler].
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.once.Do(h.initDefault)
	switch r.Method {
	case http.MethodPost:
	case http.MethodOptions:
		h.preflight(w, r)
		return
	default:
		w.Header()["Allow"] = []string{reportAllow}
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	hdr := w.Header()
	if h.cors {
		hdr["Vary"] = append(hdr["Vary"], "Origin")
		if o, ok := h.allowedOrigin(r); ok {
			hdr["Access-Control-Allow-Origin"] = []string{o}
		}
	}
	now := h.now()
	client := h.trust.ClientAddr(r)
	if !h.limiter.allow(client, now) {
		h.stats.limited.Add(1)
		hdr["Retry-After"] = []string{"1"}
		w.WriteHeader(http.StatusTooManyRequests)
		return
	}
	format := reportFormatOf(r.Header.Get("Content-Type"))
	if format == reportFormatNone {
		h.stats.unsupported.Add(1)
		hdr["Accept-Post"] = []string{reportAcceptPost}
		w.WriteHeader(http.StatusUnsupportedMediaType)
		return
	}
	if r.ContentLength > h.opts.MaxBytes {
		h.stats.tooLarge.Add(1)
		hdr["Connection"] = []string{"close"}
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	reports, bodySize, status := h.readReports(w, r, format)
	if status != 0 {
		w.WriteHeader(status)
		return
	}
	if n := len(reports); n > 1 { // the first report's token was taken on arrival
		kept := 1 + int(h.limiter.take(client, now, float64(n-1), false))
		h.stats.overRate.Add(uint64(n - kept))
		reports = reports[:kept]
	}
	// Request-wide values are clipped once and shared by the reports.
	var uaTruncated bool
	ua := reportClip(r.Header.Get("User-Agent"), &uaTruncated)
	allowance := 2 * reportRequestSize(r, bodySize)
	for i := range reports {
		rep := &reports[i]
		if rep.UserAgent == "" && ua != "" {
			rep.UserAgent = ua
			rep.Truncated = rep.Truncated || uaTruncated
		}
		h.submit(rep, client, now, &allowance)
	}
	w.WriteHeader(http.StatusNoContent)
}

// Buffers of request bodies. A body is read in chunks of
// reportReadChunk bytes into a buffer that grows with what arrived, never
// with the Content-Length announced, so a client that announces MaxBytes
// and sends one byte pins about one chunk. Buffers that grew past
// reportPoolMax are left to the collector instead of the pool, so that a
// few large bodies do not keep their memory once they are gone.
const (
	reportReadChunk = 4 << 10
	reportPoolMax   = 64 << 10
)

// readReports reads and decodes the body; status is non-zero (and counted)
// on failure.
func (h *Handler) readReports(w http.ResponseWriter, r *http.Request, format reportFormat) (reports []Report, size int, status int) {
	buf, _ := h.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer func() {
		if buf.Cap() <= reportPoolMax {
			buf.Reset()
			h.bufs.Put(buf)
		}
	}()
	if err := reportReadBody(buf, http.MaxBytesReader(w, r.Body, h.opts.MaxBytes)); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.stats.tooLarge.Add(1)
			return nil, 0, http.StatusRequestEntityTooLarge
		}
		h.stats.malformed.Add(1)
		return nil, 0, http.StatusBadRequest
	}
	reports, err := decodeReportsAs(format, buf.Bytes())
	if err != nil {
		h.stats.malformed.Add(1)
		return nil, 0, http.StatusBadRequest
	}
	return reports, buf.Len(), 0
}

// reportReadBody appends all of body to buf, reading at most
// reportReadChunk bytes at a time, so that buf grows only by what arrived
// (bytes.Buffer doubles its capacity as it fills). It returns nil at EOF.
func reportReadBody(buf *bytes.Buffer, body io.Reader) error {
	for {
		buf.Grow(reportReadChunk)
		free := buf.AvailableBuffer() // length 0, capacity at least reportReadChunk
		free = free[:min(cap(free), reportReadChunk)]
		n, err := body.Read(free)
		buf.Write(free[:n]) // no copy: free is buf's own spare capacity
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// reportRequestSize is a lower bound of the bytes r took on the wire:
// request line, Host, the other headers and the body read.
func reportRequestSize(r *http.Request, body int) int64 {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host) + 2 + body
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return int64(n)
}

// submit de-duplicates one report, charges what it will cost the sink to
// the request's *allowance and to the client's byte budget, and queues it.
func (h *Handler) submit(rep *Report, client netip.Addr, now int64, allowance *int64) {
	key := reportKey(h.seed, rep)
	if h.dedup.seen(key, now) {
		h.stats.duplicates.Add(1)
		return
	}
	cost := reportCost(rep)
	if cost > *allowance || h.budget.take(client, now, float64(cost), true) == 0 {
		h.dedup.forget(key)
		h.stats.overBudget.Add(1)
		return
	}
	*allowance -= cost
	if !h.queue.offer(*rep) {
		h.dedup.forget(key)
		h.stats.dropped.Add(1)
		return
	}
	h.stats.accepted.Add(1)
}

// allowedOrigin returns the request's Origin and whether it may be echoed in
// Access-Control-Allow-Origin.
func (h *Handler) allowedOrigin(r *http.Request) (string, bool) {
	v := r.Header.Values("Origin")
	if len(v) != 1 { // absent, or repeated (which no browser sends)
		return "", false
	}
	o := v[0]
	if h.anyOrigin {
		return o, o != "" && len(o) <= reportMaxOriginSize && reportVisibleASCII(o)
	}
	_, ok := h.origins[o]
	return o, ok
}

// preflight answers OPTIONS.
func (h *Handler) preflight(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	if len(r.Header.Values("Origin")) == 0 { // not a CORS preflight
		hdr["Allow"] = []string{reportAllow}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if h.cors {
		hdr["Vary"] = append(hdr["Vary"], "Origin")
	}
	origin, ok := h.allowedOrigin(r)
	if m := r.Header.Get("Access-Control-Request-Method"); m != "" && m != http.MethodPost {
		ok = false
	}
	if !ok {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	v := make([]string, 4) // one backing array, sliced per header
	v[0], v[1], v[2], v[3] = origin, http.MethodPost, "Content-Type", reportMaxAge
	hdr["Access-Control-Allow-Origin"] = v[0:1:1]
	hdr["Access-Control-Allow-Methods"] = v[1:2:2]
	hdr["Access-Control-Allow-Headers"] = v[2:3:3]
	hdr["Access-Control-Max-Age"] = v[3:4:4]
	w.WriteHeader(http.StatusNoContent)
}
