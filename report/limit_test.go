package report

import (
	"encoding/binary"
	"hash/maphash"
	"net/netip"
	"testing"
	"time"
)

// reportCollidingAddr returns an IPv4 address other than a whose bucket is
// a's slot in l.
func reportCollidingAddr(t *testing.T, l *reportLimiter, a netip.Addr) netip.Addr {
	t.Helper()
	slot := maphash.Comparable(l.seed, reportLimitKey(a)) % reportLimitSlots
	for i := uint32(1); i < 1<<24; i++ {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], 0x0a000000|i) // 10.x.y.z
		c := netip.AddrFrom4(b)
		if c != a && maphash.Comparable(l.seed, reportLimitKey(c))%reportLimitSlots == slot {
			return c
		}
	}
	t.Fatal("no colliding address found")
	return netip.Addr{}
}

func TestReportLimiterCollision(t *testing.T) {
	l := newReportLimiter(1, 2)
	a := netip.MustParseAddr("192.0.2.1")
	b := reportCollidingAddr(t, l, a)
	sec := int64(time.Second)
	steps := []struct {
		name   string
		client netip.Addr
		now    int64
		want   bool
	}{
		{"a 1", a, 0, true},
		{"a 2", a, 0, true},
		{"b shares a's busy bucket", b, 0, false},
		{"b still shares after a partial refill", b, sec, true}, // one token came back
		{"a sees b's spending", a, sec, false},
		{"a refilled to the brim: b takes the slot", b, 10 * sec, true},
		{"b's fresh bucket", b, 10 * sec, true},
		{"b spent", b, 10 * sec, false},
		{"a now shares b's bucket", a, 10 * sec, false},
	}
	for _, s := range steps {
		if got := l.allow(s.client, s.now); got != s.want {
			t.Errorf("%s: allow = %v, want %v", s.name, got, s.want)
		}
	}
}

func TestReportLimiterRotationCannotResetABusyClient(t *testing.T) {
	l := newReportLimiter(1, 3)
	victim := netip.MustParseAddr("2001:db8:aaaa:1::1")
	for range 3 {
		l.allow(victim, 0)
	}
	if l.allow(victim, 0) {
		t.Fatal("burst of 3 allowed a 4th request")
	}
	// An attacker cycles through 100k /64s at the same instant.
	var granted int
	for i := range 100_000 {
		var b [16]byte
		b[0], b[1] = 0x20, 0x01
		binary.BigEndian.PutUint32(b[4:8], uint32(i)) // inside the /64
		if l.allow(netip.AddrFrom16(b), 0) {
			granted++
		}
	}
	if l.allow(victim, 0) {
		t.Error("rotating addresses reset a busy client's bucket")
	}
	if max := reportLimitSlots * 3; granted > max {
		t.Errorf("rotating addresses got %d requests through, want at most slots×burst = %d", granted, max)
	}
	t.Logf("100000 rotating /64s at one instant: %d allowed", granted)
}

func TestReportLimitKey(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"192.0.2.1", "192.0.2.1", true},
		{"192.0.2.1", "192.0.2.2", false},
		{"::ffff:192.0.2.1", "192.0.2.1", true},
		{"2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true},
		{"2001:db8:1:2::1", "2001:db8:1:3::1", false},
		{"::", "", false}, // the zero Addr (Unix socket) is a key of its own
	}
	parse := func(s string) netip.Addr {
		if s == "" {
			return netip.Addr{}
		}
		return netip.MustParseAddr(s).Unmap()
	}
	for _, tt := range tests {
		if got := reportLimitKey(parse(tt.a)) == reportLimitKey(parse(tt.b)); got != tt.same {
			t.Errorf("same key for %q and %q = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

func TestReportDedup(t *testing.T) {
	win := int64(time.Minute)
	d := newReportDedup(win)
	steps := []struct {
		name string
		key  uint64
		now  int64
		want bool
	}{
		{"first", 1, 0, false},
		{"again", 1, 1, true},
		{"other", 2, 1, false},
		{"just inside", 1, win - 1, true},
		{"window over", 1, win, false},
		{"after rotation, inside the new window", 1, win + 10, true},
		{"old key in the previous generation, expired", 2, win + 10, false},
		{"two windows later", 1, 3 * win, false},
	}
	for _, s := range steps {
		if got := d.seen(s.key, s.now); got != s.want {
			t.Errorf("%s: seen = %v, want %v", s.name, got, s.want)
		}
	}
	d.forget(1)
	if d.seen(1, 3*win+1) {
		t.Error("seen after forget = true, want false")
	}
}

func TestReportDedupBounded(t *testing.T) {
	d := newReportDedup(int64(time.Hour))
	const mix = 0x9e3779b97f4a7c15 // spreads distinct keys over the shards
	var last uint64
	for i := range uint64(500_000) {
		last = i * mix
		d.seen(last, 0)
	}
	for i := range d.shards {
		s := &d.shards[i]
		if n := len(s.cur) + len(s.prev); n > 2*reportDedupPerShard {
			t.Errorf("shard %d remembers %d keys, want at most %d", i, n, 2*reportDedupPerShard)
		}
	}
	// The most recent keys are still remembered.
	if !d.seen(last, 1) {
		t.Error("the last key seen was forgotten")
	}
}

// TestReportLimiterClockOrder: a take whose time was read before the
// previous take's (two requests of one client racing for the lock) takes
// nothing or something, never a negative count (TestReportHandlerFlood
// panicked slicing a batch with it under -race).
func TestReportLimiterClockOrder(t *testing.T) {
	l := newReportLimiter(5, 50)
	a := netip.MustParseAddr("192.0.2.1")
	sec := int64(time.Second)
	if got := l.take(a, 10*sec, 50, false); got != 50 {
		t.Fatalf("first take: %v", got)
	}
	for i, now := range []int64{9 * sec, 0, 10 * sec, 10*sec - 1} {
		if got := l.take(a, now, 10, false); got < 0 || got > 10 {
			t.Errorf("take %d at %d: got %v", i, now, got)
		}
	}
	if got := l.take(a, 12*sec, 10, false); got != 10 {
		t.Errorf("two seconds later: got %v, want 10", got)
	}
}
