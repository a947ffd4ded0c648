package refusallog

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recorder is a slog.Handler keeping the records' messages and attributes.
type recorder struct {
	mu   sync.Mutex
	min  slog.Level
	recs []map[string]any
}

func (h *recorder) Enabled(_ context.Context, l slog.Level) bool { return l >= h.min }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	m := map[string]any{"msg": r.Message, "level": r.Level.String()}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.Any(); return true })
	h.mu.Lock()
	h.recs = append(h.recs, m)
	h.mu.Unlock()
	return nil
}
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recorder) WithGroup(string) slog.Handler      { return h }

// fakeClock is a clock the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

// TestRefusedFloodIsBounded checks the rate limit: a flood of refusals
// gives Burst records, then one a second, each following a summary of
// what was suppressed, and the counts add up.
func TestRefusedFloodIsBounded(t *testing.T) {
	rec := &recorder{min: slog.LevelDebug}
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	l := newLog(slog.New(rec), clk.now)
	r := httptest.NewRequest("GET", "http://10.0.0.5/healthz", nil)
	const flood = 10000
	for range flood {
		l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	}
	if got := len(rec.recs); got != Burst {
		t.Fatalf("%d records for a flood of %d at one instant, want %d", got, flood, Burst)
	}
	// Ten seconds later: ten tokens back; the first record says what was
	// suppressed.
	clk.t = clk.t.Add(10 * Every)
	for range flood {
		l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	}
	if got, want := len(rec.recs), 2*Burst+1; got != want {
		t.Fatalf("%d records after 10s more of flood, want %d", got, want)
	}
	summary := rec.recs[Burst]
	if diff := cmp.Diff(map[string]any{"msg": "secureheaders: 9990 refusals suppressed by the log rate limit", "level": "INFO", "suppressed": int64(flood - Burst)}, summary); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	logged := 0
	for _, m := range rec.recs {
		if m["msg"] == "secureheaders: request refused" {
			logged++
		}
	}
	if suppressed := int(summary["suppressed"].(int64)); logged-Burst+suppressed != flood {
		t.Errorf("the first flood: %d logged + %d suppressed, want %d", Burst, suppressed, flood)
	}
	// Half a second: no token yet.
	clk.t = clk.t.Add(Every / 2)
	l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	if got, want := len(rec.recs), 2*Burst+1; got != want {
		t.Errorf("%d records, want %d", got, want)
	}
}

// TestRefusedRecord checks a record's fields, and that hostile request
// bytes are clipped and quoted.
func TestRefusedRecord(t *testing.T) {
	rec := &recorder{min: slog.LevelDebug}
	l := New(slog.New(rec))
	r := httptest.NewRequest("GET", "http://example.com/a", nil)
	r.Host = "evil\x1b[31m.example" + strings.Repeat("x", 200)
	r.RemoteAddr = "192.0.2.1:1234"
	l.Refused(r, 400, slog.LevelDebug, "invalid Host header", "the fix")
	want := map[string]any{
		"msg": "secureheaders: request refused", "level": "DEBUG", "status": int64(400),
		"reason": "invalid Host header", "fix": "the fix",
		"host":   `"evil\x1b[31m.example` + strings.Repeat("x", 100-len("evil\x1b[31m.example")) + `"…`,
		"method": "GET", "path": "/a", "remote": "192.0.2.1:1234",
	}
	if len(rec.recs) != 1 {
		t.Fatalf("%d records, want 1", len(rec.recs))
	}
	if diff := cmp.Diff(want, rec.recs[0]); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

// TestRefusedRecordForwardedHost checks that a request with
// X-Forwarded-Host has it in the record, clipped and quoted like the Host
// (and that a bidi control in the path is quoted too):
// behind a proxy trusted for it, it is the Host that was refused, and
// r.Host is the proxy's.
func TestRefusedRecordForwardedHost(t *testing.T) {
	rec := &recorder{min: slog.LevelDebug}
	l := New(slog.New(rec))
	r := httptest.NewRequest("GET", "http://app.internal/a", nil)
	r.RemoteAddr = "10.0.0.1:1234"
	r.Header["X-Forwarded-Host"] = []string{"evil\n.test" + strings.Repeat("y", 200), "second.test"}
	r.URL.Path = "/a\u202eb" // a bidi override: outside ASCII, quoted
	l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "the fix")
	want := map[string]any{
		"msg": "secureheaders: request refused", "level": "INFO", "status": int64(400),
		"reason": "Host not allowed", "fix": "the fix", "host": "app.internal",
		"method": "GET", "path": `"/a\u202eb"`, "remote": "10.0.0.1:1234",
		"forwardedHost": `"evil\n.test` + strings.Repeat("y", 100-len("evil\n.test")) + `"…`,
	}
	if len(rec.recs) != 1 {
		t.Fatalf("%d records, want 1", len(rec.recs))
	}
	if diff := cmp.Diff(want, rec.recs[0]); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
}

// TestRefusedLevelDisabled checks that a level the logger does not log
// takes no token: Debug refusals cannot starve the Info ones.
func TestRefusedLevelDisabled(t *testing.T) {
	var buf bytes.Buffer
	l := New(slog.New(slog.NewTextHandler(&buf, nil))) // Info and above
	r := httptest.NewRequest("GET", "/", nil)
	for range 1000 {
		l.Refused(r, 400, slog.LevelDebug, "invalid Host header", "")
	}
	l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "add it")
	if got := strings.Count(buf.String(), "\n"); got != 1 || !strings.Contains(buf.String(), `reason="Host not allowed"`) {
		t.Errorf("log:\n%s\nwant the one Info record", buf.String())
	}
	var nilLog *Log
	nilLog.Refused(r, 400, slog.LevelInfo, "x", "y") // no panic
}

// TestWithLoggerSharesTheBucket checks that a Log made by WithLogger writes
// to its own logger but takes from the same tokens and carries over the
// count of suppressed refusals, so a reload cannot refill the bucket.
func TestWithLoggerSharesTheBucket(t *testing.T) {
	first, second := &recorder{}, &recorder{}
	clk := &fakeClock{t: time.Unix(1e9, 0)}
	l := newLog(slog.New(first), clk.now)
	r := httptest.NewRequest("GET", "http://10.0.0.5/", nil)
	for range Burst + 5 {
		l.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	}
	l2 := l.WithLogger(slog.New(second))
	l2.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	if got := len(first.recs) + len(second.recs); got != Burst {
		t.Fatalf("%d records before the refill, want %d", got, Burst)
	}
	clk.t = clk.t.Add(Every)
	l2.Refused(r, 400, slog.LevelInfo, "Host not allowed", "fix it")
	want := []map[string]any{
		{"msg": "secureheaders: 6 refusals suppressed by the log rate limit", "level": "INFO", "suppressed": int64(6)},
	}
	if diff := cmp.Diff(want, second.recs[:1]); diff != "" {
		t.Errorf("the new logger's summary (-want +got):\n%s", diff)
	}
	if got := len(second.recs); got != 2 {
		t.Errorf("%d records on the new logger, want the summary and one record", got)
	}
}
