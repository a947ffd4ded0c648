package report

import (
	"context"
	"log/slog"
	"sync"
)

// reportQueue hands reports to a sink through a bounded channel drained by
// one worker goroutine. offer never blocks; close stops intake, cancels the
// sink's context, lets the worker deliver what is already queued, and waits
// for it to exit. It is safe for concurrent use.
type reportQueue struct {
	mu     sync.RWMutex // guards closed and sends on ch against close(ch)
	closed bool
	ch     chan Report
	done   chan struct{} // closed when the worker has returned
	cancel context.CancelFunc
	onSent func() // called after each delivery (counts delivered)
}

func newReportQueue(size int, sink Sink, logger func() *slog.Logger, onSent func()) *reportQueue {
	ctx, cancel := context.WithCancel(context.Background())
	q := &reportQueue{
		ch:     make(chan Report, size),
		done:   make(chan struct{}),
		cancel: cancel,
		onSent: onSent,
	}
	go q.run(ctx, sink, logger)
	return q
}

// offer queues r and reports whether it did; false when the queue is full or
// closed.
func (q *reportQueue) offer(r Report) bool {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return false
	}
	select {
	case q.ch <- r:
		return true
	default:
		return false
	}
}

// len returns how many reports wait for the sink.
func (q *reportQueue) len() int { return len(q.ch) }

// close is idempotent; every call returns once the worker has exited.
func (q *reportQueue) close() {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.ch) // no sender can be inside offer: they hold the read lock
	}
	q.mu.Unlock()
	q.cancel()
	<-q.done
}

func (q *reportQueue) run(ctx context.Context, sink Sink, logger func() *slog.Logger) {
	defer close(q.done)
	for r := range q.ch {
		q.deliver(ctx, sink, logger, r)
	}
}

func (q *reportQueue) deliver(ctx context.Context, sink Sink, logger func() *slog.Logger, r Report) {
	defer func() {
		if v := recover(); v != nil {
			logger().LogAttrs(context.Background(), slog.LevelError, "report sink panicked",
				slog.Any("panic", v), slog.String("type", r.Type))
		}
		q.onSent()
	}()
	sink(ctx, r)
}
