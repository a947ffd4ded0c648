package report

import (
	"strconv"
	"sync/atomic"
)

// Stats is a snapshot of a [Handler]'s counters. Counters of
// reports count each report of a batch; counters of requests count HTTP
// requests. All but Queued only grow.
//
// Stats is an expvar.Var: String returns it as a JSON object with the
// keys of its struct tags, so
//
//	expvar.Publish("csp_reports", expvar.Func(func() any { return h.Stats() }))
//
// or expvar.Publish("csp_reports", h.Var()) exports it.
type Stats struct {
	// Accepted counts reports queued for the sink.
	Accepted uint64 `json:"accepted"`
	// Delivered counts reports the sink has returned from (or panicked on).
	Delivered uint64 `json:"delivered"`
	// Duplicates counts reports dropped as equal to one seen within the
	// dedup window.
	Duplicates uint64 `json:"duplicates"`
	// Dropped counts reports lost because the queue was full or the handler
	// closed.
	Dropped uint64 `json:"dropped"`
	// Malformed counts requests answered 400: invalid JSON, wrong shape, or
	// a body that could not be read.
	Malformed uint64 `json:"malformed"`
	// TooLarge counts requests answered 413.
	TooLarge uint64 `json:"tooLarge"`
	// UnsupportedType counts requests answered 415.
	UnsupportedType uint64 `json:"unsupportedType"`
	// RateLimited counts requests answered 429.
	RateLimited uint64 `json:"rateLimited"`
	// OverRate counts reports of an accepted request dropped because its
	// client's token bucket ran out: a batch of n reports costs n tokens
	// (see Options.RatePerSecond).
	OverRate uint64 `json:"overRate"`
	// OverBudget counts reports dropped because they would cost the sink
	// more bytes than their request or their client may (see
	// Options.SinkBytesPerSecond).
	OverBudget uint64 `json:"overBudget"`
	// Queued is how many reports wait for the sink at the time of the
	// snapshot (a gauge, at most QueueSize).
	Queued uint64 `json:"queued"`
}

// String returns s as a compact JSON object, keys in struct order.
func (s Stats) String() string {
	b := make([]byte, 0, 224)
	for _, f := range [...]struct {
		key string
		v   uint64
	}{
		{`{"accepted":`, s.Accepted},
		{`,"delivered":`, s.Delivered},
		{`,"duplicates":`, s.Duplicates},
		{`,"dropped":`, s.Dropped},
		{`,"malformed":`, s.Malformed},
		{`,"tooLarge":`, s.TooLarge},
		{`,"unsupportedType":`, s.UnsupportedType},
		{`,"rateLimited":`, s.RateLimited},
		{`,"overRate":`, s.OverRate},
		{`,"overBudget":`, s.OverBudget},
		{`,"queued":`, s.Queued},
	} {
		b = append(b, f.key...)
		b = strconv.AppendUint(b, f.v, 10)
	}
	return string(append(b, '}'))
}

// reportCounters are the live counters behind Stats.
type reportCounters struct {
	accepted, delivered, duplicates, dropped  atomic.Uint64
	malformed, tooLarge, unsupported, limited atomic.Uint64
	overRate, overBudget                      atomic.Uint64
}
