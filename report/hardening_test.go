package report

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMemoryFollowsBytesReceived is item 1 of issue 12: slow clients that
// announce a Content-Length of MaxBytes (16 MiB) and send one byte raise the
// heap by about what they sent, not by what they announced (v0.1 grew each
// buffer to the announced length: 160 MiB for ten clients).
func TestMemoryFollowsBytesReceived(t *testing.T) {
	const (
		clients  = 10
		maxBytes = reportMaxMaxBytes // 16 MiB
		bound    = 8 << 20           // generous: ten connections' server state and buffers
	)
	h, _ := newTestReportHandler(t, Options{MaxBytes: maxBytes, RatePerSecond: 1e6, Burst: 1e6}, func(context.Context, Report) {})
	var reading sync.WaitGroup
	reading.Add(clients)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := *r
		r2.Body = &reportFirstReadSignal{ReadCloser: r.Body, done: reading.Done}
		h.ServeHTTP(w, &r2)
	}))
	defer srv.Close()

	heapBefore := reportHeapInUse()
	conns := make([]net.Conn, 0, clients)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range clients {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, "POST /csp-report HTTP/1.1\r\nHost: a.example\r\n"+
			"Content-Type: application/csp-report\r\nContent-Length: "+strconv.Itoa(maxBytes)+"\r\n\r\n{"); err != nil {
			t.Fatal(err)
		}
	}
	waitOrFail(t, &reading, 10*time.Second)
	time.Sleep(50 * time.Millisecond) // let each first Read return its byte and the next one block
	heapAfter := reportHeapInUse()
	growth := int64(heapAfter) - int64(heapBefore)
	t.Logf("%d clients announcing %d MiB and sending 1 byte: heap %+d KiB (bound %d KiB)", clients, maxBytes>>20, growth>>10, bound>>10)
	if growth > bound {
		t.Errorf("heap grew by %d KiB for %d one-byte bodies, want at most %d KiB", growth>>10, clients, bound>>10)
	}
}

// reportFirstReadSignal calls done on the first Read of the body: by then
// the handler has sized its buffer.
type reportFirstReadSignal struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *reportFirstReadSignal) Read(p []byte) (int, error) {
	b.once.Do(b.done)
	return b.ReadCloser.Read(p)
}

func waitOrFail(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	ch := make(chan struct{})
	go func() { wg.Wait(); close(ch) }()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatal("timed out waiting for the clients")
	}
}

// reportHostileBodies are request bodies (and User-Agent headers) built to
// make the log grow faster than the traffic: many tiny reports sharing a
// long User-Agent, long URLs, a directive copied into its alias, samples
// and bodies that slog must escape.
func reportHostileBodies() []struct{ name, contentType, body, ua string } {
	long := strings.Repeat("a", reportMaxField)
	tiny := func(n int, ua bool) string {
		var b strings.Builder
		b.WriteByte('[')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"type":"t` + strconv.Itoa(i) + `"}`)
		}
		return b.String() + "]"
	}
	var urls strings.Builder
	urls.WriteByte('[')
	for i := range 20 {
		if i > 0 {
			urls.WriteByte(',')
		}
		urls.WriteString(`{"type":"csp-violation","url":"https://a.example/` + strconv.Itoa(i) + long[:1500] + `","body":{"blockedURL":"https://b.example/` + long[:1500] + `"}}`)
	}
	urls.WriteByte(']')
	return []struct{ name, contentType, body, ua string }{
		{"100 tiny reports, 2 KiB User-Agent", "application/reports+json", tiny(100, true), strings.Repeat("U", 2<<10)},
		{"100 tiny reports, no User-Agent", "application/reports+json", tiny(100, false), ""},
		{"huge User-Agent", "application/csp-report", `{"csp-report":{}}`, strings.Repeat("U", 16<<10)},
		{"long URLs", "application/reports+json", urls.String(), "UA/1"},
		{"directive copied to its alias", "application/csp-report", `{"csp-report":{"effective-directive":"` + long + `"}}`, ""},
		{"sample of <", "application/csp-report", `{"csp-report":{"script-sample":"` + strings.Repeat("<", reportMaxField) + `"}}`, ""},
		{"sample of U+0085", "application/csp-report", `{"csp-report":{"script-sample":"` + strings.Repeat("\u0085", reportMaxField/2) + `"}}`, ""},
		{"body of quotes", "application/reports+json", `[{"type":"deprecation","body":[` + strings.Repeat(`"",`, 1000) + `""]}]`, ""},
		{"deep body", "application/reports+json", `[{"type":"deprecation","body":` + strings.Repeat(`{"a":`, 500) + `""` + strings.Repeat(`}`, 500) + `}]`, ""},
	}
}

func reportHostileRequest(contentType, body, ua, remote string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/csp-report", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	if ua != "" {
		r.Header.Set("User-Agent", ua)
	}
	r.RemoteAddr = remote
	return r
}

// reportWireSize returns the bytes r takes on the wire.
func reportWireSize(t *testing.T, r *http.Request) int {
	t.Helper()
	b, err := httputil.DumpRequest(r, true)
	if err != nil {
		t.Fatal(err)
	}
	return len(b)
}

// TestNoLogAmplification is item 2 of issue 12: with the default LogSink
// (slog, text and JSON), no hostile body makes the log grow by more than
// twice the bytes of its request, and a burst of 50 hostile requests from
// one client writes at most the documented per-client budget,
// Options.SinkBytesPerSecond (64 KiB by default). v0.1 wrote 214 KB for a
// 3.7 KB request of 100 tiny reports and a 2 KiB User-Agent.
func TestNoLogAmplification(t *testing.T) {
	const documentedBudget = 64 << 10 // the default of Options.SinkBytesPerSecond with the default Burst
	handlers := []struct {
		name string
		new  func(w io.Writer) slog.Handler
	}{
		{"text", func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) }},
		{"json", func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) }},
	}
	for _, lh := range handlers {
		for _, o := range []struct {
			name string
			opts Options
		}{
			{"defaults", Options{MaxBytes: 1 << 20}},
			{"no rate limit", Options{MaxBytes: 1 << 20, RatePerSecond: 1e6, Burst: 1e6, QueueSize: 1 << 16}},
		} {
			for _, hb := range reportHostileBodies() {
				t.Run(lh.name+"/"+o.name+"/"+hb.name, func(t *testing.T) {
					var log bytes.Buffer
					h, err := NewHandler(o.opts, nil, slog.New(lh.new(&log)))
					if err != nil {
						t.Fatal(err)
					}
					r := reportHostileRequest(hb.contentType, hb.body, hb.ua, "192.0.2.7:1")
					size := reportWireSize(t, r)
					if w := serveReport(h, r); w.Code != http.StatusNoContent {
						t.Fatalf("status = %d, want 204", w.Code)
					}
					h.Close()
					if log.Len() > 2*size {
						t.Errorf("a request of %d bytes wrote %d bytes of log, want at most %d (twice the request)", size, log.Len(), 2*size)
					}
				})
			}
		}
		for _, o := range []struct {
			name string
			opts Options
		}{
			{"defaults", Options{MaxBytes: 1 << 20}},
			// The byte budget alone (a Burst of 1e6 would raise its default).
			{"no rate limit", Options{MaxBytes: 1 << 20, RatePerSecond: 1e6, Burst: 1e6, QueueSize: 1 << 16, SinkBytesPerSecond: documentedBudget}},
		} {
			t.Run(lh.name+"/"+o.name+"/burst of 50 from one client", func(t *testing.T) {
				var log bytes.Buffer
				h, err := NewHandler(o.opts, nil, slog.New(lh.new(&log)))
				if err != nil {
					t.Fatal(err)
				}
				h.now = func() int64 { return 0 } // the whole burst within one instant
				bodies := reportHostileBodies()
				sent := 0
				for i := range 50 {
					hb := bodies[i%len(bodies)]
					// Each request differs so that de-duplication does not help.
					body := strings.ReplaceAll(hb.body, `"type":"t`, `"type":"r`+strconv.Itoa(i)+`-`)
					body = strings.ReplaceAll(body, `https://a.example/`, `https://a.example/`+strconv.Itoa(i))
					r := reportHostileRequest(hb.contentType, body, hb.ua+strconv.Itoa(i), "192.0.2.8:1")
					sent += reportWireSize(t, r)
					serveReport(h, r)
				}
				h.Close()
				t.Logf("50 requests, %d bytes: %d bytes of log; stats %s", sent, log.Len(), h.Stats())
				if log.Len() > documentedBudget {
					t.Errorf("a burst of 50 requests from one client wrote %d bytes of log, want at most %d", log.Len(), documentedBudget)
				}
			})
		}
	}
}
