package report

import (
	"hash/maphash"
	"math"
	"net/netip"
	"sync"
)

// Size of the rate limiter's table. It is fixed, so a flood of spoofed or
// rotating addresses cannot grow memory: about 160 KiB per table (a handler has two:
// requests and reports, and bytes of reports).
const (
	reportLimitSlots  = 1 << 12
	reportLimitShards = 64
)

// reportLimiter is a per-client token bucket over a fixed, direct-mapped
// table of buckets indexed by a seeded hash of the client key.
//
// A slot whose bucket has refilled to the brim is indistinguishable from a
// fresh one, so it is handed to a new key at no loss. A new key that lands on
// a slot still in use by another, not yet refilled, key shares that bucket
// instead of evicting it: colliding clients are limited together, and an
// attacker who rotates addresses cannot reset a busy client's bucket, nor
// get more than about slots×(burst + rate·t) requests through in t seconds.
//
// It is safe for concurrent use.
type reportLimiter struct {
	rate  float64 // tokens per nanosecond
	burst float64
	seed  maphash.Seed
	locks [reportLimitShards]reportPaddedMutex
	slots [reportLimitSlots]reportBucket
}

type reportPaddedMutex struct {
	sync.Mutex
	_ [56]byte // one cache line per lock
}

type reportBucket struct {
	key    [16]byte
	used   bool
	tokens float64
	last   int64 // clock reading of the last refill, nanoseconds
}

func newReportLimiter(perSecond float64, burst int) *reportLimiter {
	return &reportLimiter{
		rate:  perSecond / 1e9,
		burst: float64(burst),
		seed:  maphash.MakeSeed(),
	}
}

// reportLimitKey is the bucket key of a client: its IPv4 address, or the /64
// of its IPv6 address (one subscriber usually holds a whole /64). The zero
// Addr (a Unix socket peer) has a key of its own.
func reportLimitKey(a netip.Addr) [16]byte {
	switch {
	case !a.IsValid():
		return [16]byte{0: 0xff, 15: 0xff} // not a /64 key: its low bits are set
	case a.Is4():
		return a.As16()
	}
	p, _ := a.Prefix(64)
	return p.Addr().As16()
}

// allow takes one token from the bucket of client at clock reading now
// (nanoseconds, monotonic) and reports whether there was one.
func (l *reportLimiter) allow(client netip.Addr, now int64) bool {
	return l.take(client, now, 1, false) == 1
}

// take takes n tokens from the bucket of client at clock reading now and
// returns how many it took: n or 0 when whole is set, else as many whole
// tokens as the bucket holds, up to n.
func (l *reportLimiter) take(client netip.Addr, now int64, n float64, whole bool) float64 {
	if n <= 0 {
		return 0
	}
	k := reportLimitKey(client)
	i := maphash.Comparable(l.seed, k) % reportLimitSlots
	mu := &l.locks[i%reportLimitShards]
	mu.Lock()
	defer mu.Unlock()
	b := &l.slots[i]
	// Requests read the clock before they take the lock, so now may be
	// earlier than the last take: that is no time elapsed, never a refund
	// taken back (it made got negative, and the handler sliced with it).
	now = max(now, b.last)
	level := b.tokens + float64(now-b.last)*l.rate
	if !b.used || (b.key != k && level >= l.burst) {
		*b = reportBucket{key: k, used: true, tokens: l.burst, last: now}
		level = l.burst
	}
	b.tokens = min(level, l.burst)
	b.last = now
	got := n
	if b.tokens < n {
		if whole {
			return 0
		}
		got = max(0, math.Floor(b.tokens))
	}
	b.tokens -= got
	return got
}
