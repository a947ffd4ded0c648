package report

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
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
